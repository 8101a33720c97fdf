/**
 * Exclusions (无理诉求) over HTTP: request (centre staff), review (a leader other than the requester), revoke, and the
 * exclusions report (who, why, when, which unit benefited) — every exclusion ever requested, with its state, so that
 * tagging cannot hide failures quietly. Thin handlers: schema → command → presenter.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { principalOf } from '../../middleware/auth.ts';
import { requestExclusion, reviewExclusion, revokeExclusion } from '../../../commands/exclusion-request.ts';
import { deskVisibility } from '../../../commands/desk-common.ts';
import { invalidAs } from '../../../domain/errors.ts';
import { DESK_ERRORS, ExclusionDto, ListPage, StrEnum } from '../supervision/desk.schema.ts';
import { presentExclusion } from '../supervision/desk.presenter.ts';

const TAGS = ['exclusions'];
const IdParam = Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$', description: 'Exclusion id' }) });
const Reason = (d: string) => Type.String({ minLength: 1, maxLength: 2000, description: d });

export async function exclusionRoutes(app: App, ctx: AppContext): Promise<void> {
  const withHistory = async (row: { id: number | string }) => ctx.store.deskHistory.ofRecord('exclusion', row.id);

  app.post('/api/v1/exclusions', {
    config: { permission: 'case.transition' },
    schema: {
      tags: TAGS, summary: 'Request that a case be tagged unreasonable (无理诉求) and left out of the scores; a leader reviews it',
      description: 'Centre staff only (403). One request or approval in force per case (409, field caseId); a cancelled case does not count (409).',
      body: Type.Object({ caseId: Type.Integer({ minimum: 1, description: 'The case' }), reason: Reason('Why the request is unreasonable') }, { additionalProperties: false }),
      response: { 201: ExclusionDto, ...DESK_ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const row = await requestExclusion(ctx, req.body.caseId, req.body, p);
    return reply.status(201).send(presentExclusion(row, ctx.ref, p, await withHistory(row)));
  });

  app.post('/api/v1/exclusions/:id/review', {
    config: { permission: 'case.transition' },
    schema: {
      tags: TAGS, summary: 'Approve or reject a requested exclusion (a shift leader or centre leader other than the requester; rejection needs a note)',
      params: IdParam,
      body: Type.Object({ decision: StrEnum(['approve', 'reject'], '认定 / 驳回'), note: Type.Optional(Type.String({ maxLength: 2000, description: 'Why (required to reject)' })) }, { additionalProperties: false }),
      response: { 200: ExclusionDto, ...DESK_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const row = await reviewExclusion(ctx, Number(req.params.id), req.body, p);
    return presentExclusion(row, ctx.ref, p, await withHistory(row));
  });

  app.post('/api/v1/exclusions/:id/revoke', {
    config: { permission: 'case.transition' },
    schema: {
      tags: TAGS, summary: 'Revoke an approved exclusion: the case counts again (a leader, with a reason)', params: IdParam,
      body: Type.Object({ reason: Reason('Why the exclusion no longer holds') }, { additionalProperties: false }),
      response: { 200: ExclusionDto, ...DESK_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const row = await revokeExclusion(ctx, Number(req.params.id), req.body, p);
    return presentExclusion(row, ctx.ref, p, await withHistory(row));
  });

  app.get('/api/v1/exclusions', {
    config: { permission: 'case.read' },
    schema: {
      tags: TAGS, summary: 'The exclusions report: every exclusion requested in the caller\'s scope (who, why, when, which unit benefited), newest first',
      querystring: Type.Object({
        state: Type.Optional(Type.Array(StrEnum(['requested', 'approved', 'rejected', 'revoked'], 'State'), { description: 'Any of these states' })),
        unitId: Type.Optional(Type.String({ description: 'The unit that benefits' })),
        from: Type.Optional(Type.String({ format: 'date-time', description: 'Requested at or after' })),
        to: Type.Optional(Type.String({ format: 'date-time', description: 'Requested before' })),
        beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'Page on: the last id of the previous page' })), ...ListPage,
      }),
      response: { 200: Type.Object({ items: Type.Array(ExclusionDto), nextBeforeId: Type.Union([Type.Integer(), Type.Null()]) }), ...DESK_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const q = req.query;
    const time = (v: string | undefined, f: string) => {
      if (v === undefined) return undefined;
      const t = Date.parse(v);
      if (!Number.isFinite(t)) throw invalidAs(f, { key: 'field.date_time' }, 'must be a date-time');
      return t;
    };
    const limit = q.limit ?? 50;
    const rows = await ctx.store.exclusions.listExclusions({
      visibility: deskVisibility(p, ctx.ref), state: q.state, unitId: q.unitId, from: time(q.from, 'from'), to: time(q.to, 'to'), beforeId: q.beforeId, limit,
    });
    return { items: rows.map((r) => presentExclusion(r, ctx.ref, p)), nextBeforeId: rows.length === limit ? Number(rows[rows.length - 1].id) : null };
  });
}

/**
 * Appeals (申诉) over HTTP: a unit leader files one against a counted case of their unit (reason + evidence: ids from
 * POST /api/v1/attachments), the centre decides, and the appeals report lists them. Thin handlers.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { principalOf } from '../../middleware/auth.ts';
import { decideAppeal, fileAppeal } from '../../../commands/appeal-file.ts';
import { deskVisibility } from '../../../commands/desk-common.ts';
import { AppealDto, DESK_ERRORS, ListPage, StrEnum } from '../supervision/desk.schema.ts';
import { presentAppeal } from '../supervision/desk.presenter.ts';

const TAGS = ['appeals'];
const IdParam = Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$', description: 'Appeal id' }) });

export async function appealRoutes(app: App, ctx: AppContext): Promise<void> {
  const withHistory = async (row: { id: number | string }) => ctx.store.deskHistory.ofRecord('appeal', row.id);

  app.post('/api/v1/appeals', {
    config: { permission: 'case.transition' },
    schema: {
      tags: TAGS, summary: 'Appeal a case that counts against your unit (unit leaders), with a reason and evidence',
      description: 'The case must concern the unit (400, field unitId), count (not cancelled: 409 caseId), not be excluded already (409 caseId), have no '
        + 'open appeal of the unit (409 caseId), and the month it counts in must still be open for appeals (N work days after its end; 409 caseId). '
        + 'Evidence: attachment ids uploaded through POST /api/v1/attachments (unknown ones: 400 evidence).',
      body: Type.Object({
        caseId: Type.Integer({ minimum: 1, description: 'The case' }),
        unitId: Type.Optional(Type.String({ description: 'Your unit that appeals (default: your unit the case concerns)' })),
        reason: Type.String({ minLength: 1, maxLength: 2000, description: 'Why the case should not count against the unit' }),
        evidence: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 10, description: 'Attachment ids' })),
      }, { additionalProperties: false }),
      response: { 201: AppealDto, ...DESK_ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const row = await fileAppeal(ctx, req.body.caseId, req.body, p);
    return reply.status(201).send(presentAppeal(row, ctx.ref, p, await withHistory(row)));
  });

  app.post('/api/v1/appeals/:id/decide', {
    config: { permission: 'case.transition' },
    schema: {
      tags: TAGS, summary: 'Decide an appeal: accept (the case leaves the unit\'s assessment) or reject, with a reason (the centre\'s leaders, never the appellant: 403 filedBy)',
      params: IdParam,
      body: Type.Object({ decision: StrEnum(['accept', 'reject'], '申诉成立 / 驳回'), reason: Type.String({ minLength: 1, maxLength: 2000, description: 'Why' }) }, { additionalProperties: false }),
      response: { 200: AppealDto, ...DESK_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const row = await decideAppeal(ctx, Number(req.params.id), req.body, p);
    return presentAppeal(row, ctx.ref, p, await withHistory(row));
  });

  app.get('/api/v1/appeals', {
    config: { permission: 'case.read' },
    schema: {
      tags: TAGS, summary: 'The appeals report: appeals in the caller\'s scope (centre: by region; units: their own), newest first',
      querystring: Type.Object({
        state: Type.Optional(Type.Array(StrEnum(['open', 'accepted', 'rejected'], 'State'), { description: 'Any of these states' })),
        unitId: Type.Optional(Type.String({ description: 'The appealing unit' })),
        period: Type.Optional(Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'The month the cases count in (YYYY-MM)' })),
        beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'Page on: the last id of the previous page' })), ...ListPage,
      }),
      response: { 200: Type.Object({ items: Type.Array(AppealDto), nextBeforeId: Type.Union([Type.Integer(), Type.Null()]) }), ...DESK_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const q = req.query;
    const limit = q.limit ?? 50;
    const rows = await ctx.store.appeals.listAppeals({ visibility: deskVisibility(p, ctx.ref), state: q.state, unitId: q.unitId, period: q.period, beforeId: q.beforeId, limit });
    return { items: rows.map((r) => presentAppeal(r, ctx.ref, p)), nextBeforeId: rows.length === limit ? Number(rows[rows.length - 1].id) : null };
  });
}

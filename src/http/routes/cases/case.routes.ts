import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../core/context.ts';
import { TRANSITIONS, STATE_NAMES, type ActionInput } from '../../../domain/case/index.ts';
import { createCase, type CreateCaseInput } from '../../../commands/case-create.ts';
import { transitionCase } from '../../../commands/case-transition.ts';
import { findCase, listCases, listHistory, listSupervisions } from '../../../storage/repositories/case.repository.ts';
import { principalOf } from '../../middleware/auth.ts';
import { CASE_ERRORS, CaseDto, CaseParam, loadVisibleCase } from './case.load.ts';
import { ACTION_BODIES, CreateCaseBody, HistoryDto } from './case.schema.ts';
import { canSeeCase, presentCase, presentHistory } from './case.presenter.ts';
import { isAdmin } from '../../../domain/policy/scope.ts';

export async function caseRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post('/api/v1/cases', {
    config: { permission: 'case.create' },
    schema: {
      tags: ['cases'],
      summary: 'Report a problem: located on the grid, routed by the responsibility list, timed (one transaction)',
      description: 'Send `Idempotency-Key` to make retries safe: a repeat with the same key and body returns the same case (200).',
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Client-chosen key; repeats return the first result' })) }),
      body: CreateCaseBody,
      response: { 201: CaseDto, 200: CaseDto, ...CASE_ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const key = req.headers['idempotency-key'];
    const r = await createCase(ctx, { ...(req.body as CreateCaseInput), idempotencyKey: typeof key === 'string' ? key : undefined }, p);
    return reply.status(r.created ? 201 : 200).send(presentCase(r.row, ctx.ref, p, { duplicateOf: r.duplicateOf ?? null }));
  });

  app.get('/api/v1/cases', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['cases'],
      summary: 'List cases visible to the caller, newest first (keyset pagination with beforeId)',
      querystring: Type.Object({
        state: Type.Optional(Type.Array(Type.Union(STATE_NAMES.map((s) => Type.Literal(s))), { description: 'Filter by state (repeatable)' })),
        unitId: Type.Optional(Type.String({ maxLength: 64, description: 'Assigned unit' })),
        regionId: Type.Optional(Type.String({ maxLength: 64, description: 'District, street or community' })),
        matterCode: Type.Optional(Type.String({ pattern: '^\\d{5}$', description: 'Matter code' })),
        alertLevel: Type.Optional(Type.Union([Type.Literal('normal'), Type.Literal('warning'), Type.Literal('overdue')], { description: 'Deadline level' })),
        beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'Return cases with id below this (next page)' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Page size' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(CaseDto), nextBeforeId: Type.Union([Type.Integer(), Type.Null()]) }), ...CASE_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const q = req.query;
    const limit = q.limit ?? 50;
    const centre = isAdmin(p) || p.roles.some((r) => ['operator', 'shift_leader', 'dispatcher', 'inspector', 'grid_member', 'centre_leader'].includes(r));
    // Scope goes into the query, so a page is full of cases the caller may see: centre staff below city level
    // see their regions; unit staff see their units' cases.
    const roots = [...ctx.ref.current().regions.values()].filter((r) => r.parentId === null).map((r) => r.id);
    const citywide = isAdmin(p) || p.regionIds.some((r) => roots.includes(r));
    const rows = await listCases(ctx.db, {
      state: q.state, matterCode: q.matterCode, alertLevel: q.alertLevel, beforeId: q.beforeId, limit,
      assignedUnitIds: q.unitId ? [q.unitId] : centre ? undefined : p.unitIds,
      regionIds: q.regionId ? [q.regionId] : centre && !citywide ? p.regionIds : undefined,
    });
    const items = rows.filter((r) => canSeeCase(p, r, ctx.ref)).map((r) => presentCase(r, ctx.ref, p));
    return { items, nextBeforeId: rows.length === limit ? Number(rows[rows.length - 1].id) : null };
  });

  app.get('/api/v1/cases/:id', {
    config: { permission: 'case.read' },
    schema: { tags: ['cases'], summary: 'One case (by id or case number) with its deadlines and allowed actions', params: CaseParam, response: { 200: CaseDto, ...CASE_ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const row = await loadVisibleCase(ctx, p, req.params.id);
    const m = row.master_case_id === null ? undefined : await findCase(ctx.db, Number(row.master_case_id));
    return presentCase(row, ctx.ref, p, { duplicateOf: m ? { id: Number(m.id), caseNo: m.case_no, state: m.state } : null });
  });

  app.get('/api/v1/cases/:id/history', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['cases'], summary: 'The append-only record of every step: who, when, from, to, why, attachments', params: CaseParam,
      response: { 200: Type.Object({ items: Type.Array(HistoryDto), supervisions: Type.Array(Type.Object({ level: Type.String(), note: Type.String(), at: Type.String(), byUserId: Type.Union([Type.String(), Type.Null()]) })) }), ...CASE_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const row = await loadVisibleCase(ctx, p, req.params.id);
    const [h, s] = await Promise.all([listHistory(ctx.db, Number(row.id)), listSupervisions(ctx.db, Number(row.id))]);
    return {
      items: h.map(presentHistory),
      supervisions: s.map((x) => ({ level: x.level, note: x.note, at: new Date(Number(x.at)).toISOString(), byUserId: x.by_user_id })),
    };
  });

  for (const a of TRANSITIONS) {
    app.post(`/api/v1/cases/:id/${a.action.replace(/_/g, '-')}`, {
      config: { permission: 'case.transition' },
      schema: {
        tags: ['case actions'],
        summary: `${a.zh} — ${a.en}`,
        description: `From ${a.from.join(', ')} to ${a.to.join(', ')}; roles: ${a.roles.join(', ') || 'admin'}. Invalid in the current state → 409 with the allowed actions.`,
        params: CaseParam,
        body: ACTION_BODIES[a.action],
        response: { 200: CaseDto, ...CASE_ERRORS },
      },
    }, async (req) => {
      const p = principalOf(req);
      const row = await loadVisibleCase(ctx, p, req.params.id);
      const { version, ...rest } = (req.body ?? {}) as Record<string, unknown> & { version?: number };
      const next = await transitionCase(ctx, Number(row.id), { action: a.action, ...rest } as ActionInput, p, { expectedVersion: version });
      return presentCase(next, ctx.ref, p);
    });
  }
}

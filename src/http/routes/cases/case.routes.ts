import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { TRANSITIONS, allowedActions, type Action, type ActionInput, type ActionInputs } from '../../../domain/case/index.ts';
import type { TransitionRule } from '../../../domain/case/transitions.ts';
import type { Static } from 'typebox';
import { submit } from '../../../intake/contract.ts';
import { caseViewOf, transitionCase } from '../../../commands/case-transition.ts';
import { transferCase } from '../../../commands/level-transfer.ts';
import { isLevelAction } from '../../../domain/case/level-types.ts';
import { principalOf } from '../../middleware/auth.ts';
import type { CaseRow } from '../../../storage/repositories/case.repository.ts';
import { CASE_ERRORS, CaseDto, CaseParam, loadVisibleCase } from './case.load.ts';
import { CaseListDto, CaseListQuery, SEARCH_TOTAL_CAP, TOTAL_CAP, parseListCursor } from './case-list.schema.ts';
import { DomainError } from '../../../domain/errors.ts';
import { ACTION_BODIES, CreateCaseBody, GridMembersDto, VerifiersDto, HistoryDto } from './case.schema.ts';
import { coversRegion } from '../../../domain/policy/scope.ts';
import { presentCase, presentHistory } from './case.presenter.ts';
import { caseListFilter } from './case-list.filter.ts';

export async function caseRoutes(app: App, ctx: AppContext): Promise<void> {
  const registerAction = <A extends Action>(action: A, rule: TransitionRule) => actionRoute(app, ctx, action, rule, masterOf);
  /** The master of a linked duplicate, as the case response names it. */
  const masterOf = async (row: CaseRow) => {
    const m = row.master_case_id === null ? undefined : await ctx.store.cases.findCase(Number(row.master_case_id));
    return m ? { id: Number(m.id), caseNo: m.case_no, state: m.state } : null;
  };

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
    const { channel, ...report } = req.body;
    const r = await submit(ctx, { channel, report, key: typeof key === 'string' ? key : undefined }, p);
    return reply.status(r.created ? 201 : 200).send(presentCase(r.row, ctx.ref, p, { duplicateOf: r.duplicateOf ?? null }));
  });

  app.get('/api/v1/cases', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['cases'],
      summary: 'List cases visible to the caller: newest first, or as a live queue by remaining time (sort=due); keyset paging',
      description: 'Filters combine (AND); repeatable ones (state, urgency, alertLevel) match any of their values. The caller\'s scope '
        + '(centre staff: their regions; unit staff: their units) always applies, and filters narrow it. `sort=due` lists open '
        + 'cases by the nearest running deadline (stage or handling clock), hung and clock-less cases last; page on with '
        + '`cursor` = the previous `nextCursor`. `total` is counted on the first page only (no cursor), up to '
        + `${TOTAL_CAP.toLocaleString('en')} (\`totalCapped\` when there are more).`,
      querystring: CaseListQuery,
      response: { 200: CaseListDto, ...CASE_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const q = req.query;
    const limit = q.limit ?? 50;
    const cursor = parseListCursor(q.cursor, q.sort ?? 'newest');
    const { filter, search, sort } = await caseListFilter(ctx, p, q);
    const firstPage = cursor === undefined && q.beforeId === undefined;
    const [rows, count] = await Promise.all([
      ctx.store.cases.listCases({ ...filter, limit, beforeId: cursor?.kind === 'newest' ? cursor.id : q.beforeId, after: cursor?.kind === 'due' ? cursor : undefined }),
      firstPage ? ctx.store.cases.countCases(filter, search ? SEARCH_TOTAL_CAP : TOTAL_CAP) : undefined,
    ]);
    const items = rows.map((r) => presentCase(r, ctx.ref, p));
    const last = rows.length === limit ? rows[rows.length - 1] : undefined;
    return {
      items,
      nextBeforeId: last && sort === 'newest' ? Number(last.id) : null,
      nextCursor: !last ? null : sort === 'due' ? `d.${Number(last.due_at)}.${Number(last.id)}` : `n.${Number(last.id)}`,
      total: count ? count.total : null,
      totalCapped: count ? count.capped : false,
      ...(search ? { searchedAs: search.searchedAs } : {}),
    };
  });

  app.get('/api/v1/cases/:id', {
    config: { permission: 'case.read' },
    schema: { tags: ['cases'], summary: 'One case (by id or case number) with its deadlines and allowed actions', params: CaseParam, response: { 200: CaseDto, ...CASE_ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const row = await loadVisibleCase(ctx, p, req.params.id);
    return presentCase(row, ctx.ref, p, { duplicateOf: await masterOf(row) });
  });

  app.get('/api/v1/cases/:id/history', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['cases'], summary: 'The append-only record of every step: who, when, from, to, why, attachments', params: CaseParam,
      response: {
        200: Type.Object({
          items: Type.Array(HistoryDto),
          supervisions: Type.Array(Type.Object({ level: Type.String(), note: Type.String(), at: Type.String(), byUserId: Type.Union([Type.String(), Type.Null()]) })),
        }),
        ...CASE_ERRORS,
      },
    },
  }, async (req) => {
    const p = principalOf(req);
    const row = await loadVisibleCase(ctx, p, req.params.id);
    const [h, s] = await Promise.all([ctx.store.history.listOf(Number(row.id)), ctx.store.cases.listSupervisions(Number(row.id))]);
    return {
      items: h.map(presentHistory),
      supervisions: s.map((x) => ({ level: x.level, note: x.note, at: new Date(Number(x.at)).toISOString(), byUserId: x.by_user_id })),
    };
  });

  app.get('/api/v1/cases/:id/grid-members', {
    config: { permission: 'case.transition' },
    schema: {
      tags: ['cases'],
      summary: 'Grid members this case may be given to as handler (dispatch or ruling): active, covering its place; none when its matter is not on the admission list',
      params: CaseParam,
      response: { 200: GridMembersDto, ...CASE_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const row = await loadVisibleCase(ctx, p, req.params.id);
    const view = caseViewOf(row, ctx.ref);
    const may = allowedActions(view, p);
    if (!may.includes('dispatch') && !may.includes('rule_dispute')) {
      throw new DomainError('FORBIDDEN', '您现在不能派遣或裁定本案 / you may not dispatch or rule this case now', { details: { action: 'dispatch' } });
    }
    const path = view.regionPath ?? [];
    if (!view.admittedForGridMembers || path.length === 0) return { admitted: view.admittedForGridMembers === true, items: [] };
    const regions = ctx.ref.current().regions;
    const found = await ctx.store.cases.gridMembersCovering(path);
    const items = found
      .filter((u) => u.roles.includes('grid_member') && coversRegion({ userId: u.id, roles: [], unitIds: [], regionIds: u.regionIds }, path))
      .map((u) => ({ id: u.id, name: u.name, regions: u.regionIds.filter((r) => regions.has(r)).map((r) => ({ id: r, name: regions.get(r)!.name })) }));
    return { admitted: true, items };
  });

  app.get('/api/v1/cases/:id/verifiers', {
    config: { permission: 'case.transition' },
    schema: {
      tags: ['cases'],
      summary: 'Inspectors and grid members who may be named to verify this case (派发核实 with verifierId): active, covering its place — the plain list beside the nearest on duty',
      params: CaseParam,
      response: { 200: VerifiersDto, ...CASE_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const row = await loadVisibleCase(ctx, p, req.params.id);
    const view = caseViewOf(row, ctx.ref);
    if (!allowedActions(view, p).includes('request_verify')) {
      throw new DomainError('FORBIDDEN', '您现在不能派发核实本案 / you may not request verification of this case now', { details: { action: 'request_verify' } });
    }
    const path = view.regionPath ?? [];
    if (path.length === 0) return { items: [] };
    const regions = ctx.ref.current().regions;
    const found = await ctx.store.cases.verifiersCovering(path);
    const items = found
      .map((u) => ({ ...u, roles: u.roles.filter((r) => r === 'inspector' || (r === 'grid_member' && view.admittedForGridMembers === true)) }))
      .filter((u) => u.roles.length > 0 && coversRegion({ userId: u.id, roles: [], unitIds: [], regionIds: u.regionIds }, path))
      .map((u) => ({ id: u.id, name: u.name, roles: u.roles, regions: u.regionIds.filter((r) => regions.has(r)).map((r) => ({ id: r, name: regions.get(r)!.name })) }));
    return { items };
  });

  for (const a of TRANSITIONS) registerAction(a.action, a);

}

/**
 * One route per action of the transition table: POST /cases/{id}/{action}. The body's type is its schema's
 * (ACTION_BODIES, keyed by Action so that a missing action does not compile), and that type is the domain's input for
 * the action plus the version (ActionBodyMatchesInput below fails to compile when they drift apart).
 */
function actionRoute<A extends Action>(app: App, ctx: AppContext, action: A, rule: TransitionRule, masterOf: (row: CaseRow) => Promise<{ id: number; caseNo: string; state: string } | null>) {
  app.post(`/api/v1/cases/:id/${action.replace(/_/g, '-')}`, {
    config: { permission: 'case.transition' },
    schema: {
      tags: ['case actions'],
      summary: `${rule.zh} — ${rule.en}`,
      description: `From ${rule.from.join(', ')} to ${rule.to.join(', ')}; roles: ${rule.roles.join(', ') || 'admin'}. Invalid in the current state → 409 with the allowed actions.`,
      params: CaseParam,
      body: ACTION_BODIES[action] as (typeof ACTION_BODIES)[A],
      response: { 200: CaseDto, ...CASE_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const row = await loadVisibleCase(ctx, p, req.params.id);
    const { version, ...input } = req.body as ActionBody<A>;
    const command = isLevelAction(action) ? transferCase : transitionCase; // levels of platform: src/commands/level-transfer.ts
    const next = await command(ctx, Number(row.id), { action, ...input } as ActionInput as never, p, { expectedVersion: version });
    return presentCase(next, ctx.ref, p, { duplicateOf: await masterOf(next) });
  });
}

type ActionBody<A extends Action> = Static<(typeof ACTION_BODIES)[A]> & { version?: number };
/** Compile-time: every action's HTTP body (without the version) is a valid domain input for that action. */
type ActionBodyMatchesInput = { [A in Action]: Omit<ActionBody<A>, 'version'> extends ActionInputs[A] ? true : [A, 'body and domain input differ'] };
/** Fails to compile when an entry of ActionBodyMatchesInput is not `true`. */
export const ACTION_BODIES_MATCH_INPUTS: { readonly [A in Action]: true } = null as unknown as ActionBodyMatchesInput;

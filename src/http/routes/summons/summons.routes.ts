/**
 * Summons (吹哨报到) over HTTP: blow the whistle on a case, report (报到), close with an outcome, rate, list (the
 * street's and "waiting for my unit"), the assessment summary, and the city's settings. Thin handlers: schema →
 * load → command (which checks the rules) → presenter.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { invalidAs } from '../../../domain/errors.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import { isAdmin } from '../../../domain/policy/scope.ts';
import { canSeeCase, isCentreStaff } from '../../../domain/policy/visibility.ts';
import { caseFactsOf } from '../../../commands/case-transition.ts';
import { principalOf, type Principal } from '../../middleware/auth.ts';
import { ErrorResponse, shared } from '../common.schema.ts';
import { CaseParam, loadVisibleCase } from '../cases/case.load.ts';
import { closedForSummons, issueSummons } from '../../../commands/summons-issue.ts';
import { reportToSummons } from '../../../commands/summons-report.ts';
import { closeSummons } from '../../../commands/summons-close.ts';
import { rateSummonsResponse } from '../../../commands/summons-rate.ts';
import { replaceSummonsSettings } from '../../../commands/summons-settings-replace.ts';
import { canSeeSummons, loadVisibleSummons, regionPath, summonsVisibility, unitFacts } from '../../../commands/summons-common.ts';
import { commandingUnit, withinReach } from '../../../domain/summons/rules.ts';
import {
  CloseBody, IssueSummonsBody, RateBody, ReportBody, SettingsBody, SettingsDto, SummaryDto, SummaryQuery, SummonsDto, SummonsListDto,
  SummonsListQuery, SummonsParam,
} from './summons.schema.ts';
import { presentSummary, presentSummons } from './summons.presenter.ts';

const SummonsRef = shared('Summons', SummonsDto);
const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };
const TAGS = ['summons'];

export async function summonsRoutes(app: App, ctx: AppContext): Promise<void> {
  /** A summons as the caller sees it now (after a command: reloaded, so the departments and actions are current). */
  const view = async (p: Principal, id: number, withHistory = false) => {
    const { row, units } = await loadVisibleSummons(ctx.store, ctx.ref, p, id);
    const history = withHistory ? await ctx.store.summons.historyOf(id) : undefined;
    const c = await ctx.store.cases.findCase(Number(row.case_id));
    return presentSummons(row, units, ctx.ref, p, ctx.clock.now(), { history, caseVisible: !!c && canSeeCase(p, caseFactsOf(c, ctx.ref)) });
  };

  app.get('/api/v1/summons/settings', {
    config: { permission: 'case.read' },
    schema: {
      tags: TAGS, summary: 'The city\'s summons settings in force: report limit per kind of whistle, on-site check-in radius',
      description: 'Callers who may change them (rule.manage) also get `problems`: a stored setting that could not be used (the defaults apply).',
      response: { 200: SettingsDto, ...ERRORS },
    },
  }, async (req) => settingsView(hasPermission(principalOf(req).roles, 'rule.manage')));

  const settingsView = (withProblems: boolean) => {
    const d = ctx.ref.current();
    const problems = d.problems.filter((x) => x.setting === 'summons_settings');
    return { ...d.summons, ...(withProblems && problems.length ? { problems } : {}) };
  };

  app.put('/api/v1/summons/settings', {
    config: { permission: 'rule.manage' },
    schema: {
      tags: TAGS, summary: 'Replace the summons settings (Beijing\'s pilot: 30 minutes for every kind, 500 m)',
      description: 'Validated before anything is written (400 names the field). One transaction: the settings row, the reference version and a '
        + '`summons.settings_replaced` event. New summonses use them at once; open ones keep their deadline.',
      body: SettingsBody, response: { 200: SettingsDto, ...ERRORS },
    },
  }, async (req) => {
    await replaceSummonsSettings(ctx, req.body, principalOf(req).userId);
    return settingsView(true);
  });

  app.get('/api/v1/summons/summary', {
    config: { permission: 'case.read' },
    schema: {
      tags: TAGS, summary: 'Assessment: per department, summonses received, reported on time, late, absent, and the street\'s average rating',
      description: 'Over the summonses issued in [from, to). Centre staff and administrators see every department; unit staff see their own units.',
      querystring: SummaryQuery, response: { 200: SummaryDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const from = Date.parse(req.query.from);
    const to = Date.parse(req.query.to);
    if (!Number.isFinite(from)) throw invalidAs('from', { key: 'field.date_time' }, 'must be a date-time');
    if (!Number.isFinite(to)) throw invalidAs('to', { key: 'field.date_time' }, 'must be a date-time');
    if (!(to > from)) throw invalidAs('to', { key: 'field.after_from' }, 'must be after from');
    if (to - from > 400 * 86_400_000) throw invalidAs('to', { key: 'summons.period_may_at_most_400' }, 'the period may be at most 400 days');
    const everyUnit = isAdmin(p) || isCentreStaff(p);
    let unitIds: string[] | undefined = everyUnit ? undefined : p.unitIds;
    if (req.query.unitId) unitIds = !unitIds || unitIds.includes(req.query.unitId) ? [req.query.unitId] : [];
    const rows = await ctx.store.summons.summary({ from, to, unitIds });
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), items: presentSummary(rows, ctx.ref) };
  });

  app.get('/api/v1/summons', {
    config: { permission: 'case.read' },
    schema: {
      tags: TAGS, summary: 'List summonses the caller may see, newest first: the street\'s, or those waiting for the caller\'s units (waiting=true)',
      querystring: SummonsListQuery, response: { 200: SummonsListDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const q = req.query;
    const limit = q.limit ?? 50;
    const rows = await ctx.store.summons.listSummons({
      visibility: summonsVisibility(p, ctx.ref), state: q.state, streetId: q.streetId, beforeId: q.beforeId, limit,
      ...(q.waiting ? { waitingUnitIds: p.unitIds } : {}), ...(q.unitId ? { unitIds: [q.unitId] } : {}),
    });
    const units = await ctx.store.summons.unitsOf(rows.map((r) => Number(r.id)));
    const visibleCases = new Set((await ctx.store.cases.findCases([...new Set(rows.map((r) => Number(r.case_id)))]))
      .filter((c) => canSeeCase(p, caseFactsOf(c, ctx.ref))).map((c) => Number(c.id)));
    const now = ctx.clock.now();
    return {
      items: rows.map((r) => presentSummons(r, units.filter((u) => Number(u.summons_id) === Number(r.id)), ctx.ref, p, now, {
        caseVisible: visibleCases.has(Number(r.case_id)),
      })),
      nextBeforeId: rows.length === limit ? Number(rows[rows.length - 1].id) : null,
    };
  });

  app.get('/api/v1/summons/:id', {
    config: { permission: 'case.read' },
    schema: { tags: TAGS, summary: 'One summons with its departments\' reports, ratings and its timeline', params: SummonsParam, response: { 200: SummonsRef, ...ERRORS } },
  }, async (req) => view(principalOf(req), Number(req.params.id), true));

  app.get('/api/v1/cases/:id/summons', {
    config: { permission: 'case.read' },
    schema: {
      tags: TAGS, summary: 'The summonses of a case, newest first', params: CaseParam,
      response: { 200: Type.Object({ items: Type.Array(SummonsRef) }), ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const c = await loadVisibleCase(ctx, p, req.params.id);
    const rows = await ctx.store.summons.summonsOfCase(Number(c.id));
    const units = await ctx.store.summons.unitsOf(rows.map((r) => Number(r.id)));
    const now = ctx.clock.now();
    const items = rows.map((r) => ({ r, u: units.filter((x) => Number(x.summons_id) === Number(r.id)) }))
      .filter(({ r, u }) => canSeeSummons(p, r, u, ctx.ref))
      .map(({ r, u }) => presentSummons(r, u, ctx.ref, p, now, { caseVisible: true }));
    return { items };
  });

  app.get('/api/v1/cases/:id/summons/candidates', {
    config: { permission: 'case.read' },
    schema: {
      tags: TAGS, summary: 'The departments the case\'s street may summon (its reach), district- and city-level first',
      description: 'Active units with no service area or serving the street, its district or the city, and units serving a community inside the street.',
      params: CaseParam,
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() })),
          mayIssue: Type.Boolean({ description: 'Whether the caller may blow the whistle on this case now (commands on its street; the case is open, located, with no summons open)' }),
        }),
        ...ERRORS,
      },
    },
  }, async (req) => {
    const p = principalOf(req);
    const c = await loadVisibleCase(ctx, p, req.params.id);
    if (!c.street_id) return { items: [], mayIssue: false };
    const path = regionPath(ctx.ref, c.street_id);
    const streetUnits = p.unitIds.filter((u) => ctx.ref.current().units.get(u)?.regionId === c.street_id);
    let issuer: string | null = null;
    let mayIssue = hasPermission(p.roles, 'case.transition') && !closedForSummons(c.state) && !(await ctx.store.summons.openSummonsOfCase(Number(c.id)));
    try { issuer = commandingUnit(p, path, streetUnits); } catch { mayIssue = false; }
    const items = [...ctx.ref.current().units.keys()].map((id) => unitFacts(ctx.ref, id)!)
      .filter((u) => u.active && u.id !== issuer && withinReach(u, path))
      .sort((a, b) => a.regionPath.length - b.regionPath.length || a.name.localeCompare(b.name, 'zh-CN'))
      .map((u) => ({ id: u.id, name: u.name, kind: ctx.ref.current().units.get(u.id)!.kind }));
    return { items, mayIssue };
  });

  app.post('/api/v1/cases/:id/summons', {
    config: { permission: 'case.transition' },
    schema: {
      tags: TAGS, summary: 'Blow the whistle (吹哨): summon departments to a case the street cannot solve alone',
      description: 'The caller commands on the case\'s street (its street-level units, or a coordinator covering it). Departments must be known, '
        + 'active, within the street\'s reach and named once; the case must be located and not closed, with no summons open. Each department must '
        + 'report within the city\'s limit for the kind (GET /summons/settings). Emits `summons.issued`.',
      params: CaseParam, body: IssueSummonsBody, response: { 201: SummonsRef, ...ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const c = await loadVisibleCase(ctx, p, req.params.id);
    const s = await issueSummons(ctx, Number(c.id), req.body, p);
    return reply.status(201).send(await view(p, Number(s.id), true));
  });

  app.post('/api/v1/summons/:id/report', {
    config: { permission: 'case.transition' },
    schema: {
      tags: TAGS, summary: 'Report (报到) for a summoned department: on site with the phone\'s position, or online',
      description: 'On site: the position must be inside the city (422, field position) and within the check-in radius of the meeting place '
        + '(400, field position). After the deadline the report is accepted and marked late. Only staff of the department may report for it (403). '
        + 'Emits `summons.reported`.',
      params: SummonsParam, body: ReportBody, response: { 200: SummonsRef, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    await reportToSummons(ctx, Number(req.params.id), req.body, p);
    return view(p, Number(req.params.id), true);
  });

  app.post('/api/v1/summons/:id/close', {
    config: { permission: 'case.transition' },
    schema: {
      tags: TAGS, summary: 'Close the summons with its outcome; departments that never reported are marked absent',
      description: 'Emits `summons.closed` (payload `absentUnitIds`).', params: SummonsParam, body: CloseBody, response: { 200: SummonsRef, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    await closeSummons(ctx, Number(req.params.id), req.body, p);
    return view(p, Number(req.params.id), true);
  });

  app.post('/api/v1/summons/:id/rate', {
    config: { permission: 'case.transition' },
    schema: {
      tags: TAGS, summary: 'Rate one department\'s response (1–5, once), after it reported or was marked absent',
      description: 'Emits `summons.rated`; counted in GET /summons/summary.', params: SummonsParam, body: RateBody, response: { 200: SummonsRef, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    await rateSummonsResponse(ctx, Number(req.params.id), req.body, p);
    return view(p, Number(req.params.id), true);
  });
}

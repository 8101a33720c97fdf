/**
 * Decision support over HTTP (issue 10 part 5): the hotspot map (grid and H3 layers), grid × matter × period
 * tables, monthly trends with seasonality, recurring problems with their reports, the recurrence settings, and a
 * "run now" for the job. Thin handlers: schema → scope (visibility policy) → repository or command → presenter.
 * 每月一题 and 未诉先办 are in decide-records.routes.ts.
 */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { notFound } from '../../../domain/errors.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import { canSeeCase } from '../../../domain/policy/visibility.ts';
import { h3Of, hexagonRing, parseResolution, resolutionForZoom, rollUpCells, type MapResolution } from '../../../domain/hotspot/cells.ts';
import { addMonths, bucketLabel, cityDay, dayIso, dayStartMs, monthIso, monthOfDay, parseMonth, resolvePeriod, weekStart } from '../../../domain/hotspot/period.ts';
import { detectPattern } from '../../../domain/recurrence/pattern.ts';
import { replaceRecurrenceSettings } from '../../../commands/recurrence-settings-replace.ts';
import { runDecisionTail } from '../../../jobs/recurrence-tail.job.ts';
import { principalOf, type Principal } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { visibilityOf } from '../cases/case.load.ts';
import { decideScope, inRecords, matterCodesOf, regionPathOf } from './decide.scope.ts';
import { presentProblem } from './decide.presenter.ts';
import {
  HotspotDto, HotspotQuery, HotspotTableDto, HotspotTableQuery, IdParam, ProblemDetailDto, ProblemListDto, RecurringQuery, RunDto, SettingsBody, SettingsDto, TrendDto, TrendQuery,
} from './decide.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const TAGS = ['decide'];
const DAY_MS = 86_400_000;
/** A unit's own cases are few; this caps what one request reads from the case table. */
const CASES_CAP = 200_000;

export async function decideRoutes(app: App, ctx: AppContext): Promise<void> {
  const off = () => ctx.config.utcOffsetMinutes;
  const today = () => cityDay(ctx.clock.now(), off());
  const scopeOf = (p: Principal, regionId?: string) => decideScope(p, ctx.ref.current(), visibilityOf(p, ctx.ref), regionId);

  /** Reports of a unit-scoped caller, narrowed to a region when one was asked for. */
  const scopedCases = async (p: Principal, q: { regionId?: string }, fromDay: number, toDay: number, matterCodes: string[] | undefined) => {
    const ref = ctx.ref.current();
    const s = scopeOf(p, q.regionId);
    const rows = await ctx.store.hotspots.casesForHotspots({ fromMs: dayStartMs(fromDay, off()), toMs: dayStartMs(toDay + 1, off()), matterCodes, visibility: s.visibility, limit: CASES_CAP });
    if (!q.regionId) return rows;
    return rows.filter((r) => r.gridId && regionPathOf(ref, ref.grids.get(r.gridId)?.communityId).includes(q.regionId!));
  };

  app.get('/api/v1/decide/hotspots', {
    config: { permission: 'decide.read' },
    schema: {
      tags: TAGS, summary: 'Hotspot map: reports per unit grid or per H3 hexagon over a period, as GeoJSON',
      description: 'Default: the 90 days up to today, grid layer. Read from the daily rollups (the whole city for 90 days in well under 300 ms); '
        + 'a caller whose scope runs through units (a unit leader) is counted from the cases their units hold. The h3 layer returns each hexagon\'s outline; '
        + 'the grid layer returns counts to join by id with /api/v1/grids.geojson.',
      querystring: HotspotQuery, response: { 200: HotspotDto, ...ERRORS },
    },
  }, async (req) => {
    const q = req.query;
    const p = principalOf(req);
    const ref = ctx.ref.current();
    const s = scopeOf(p, q.regionId);
    const { fromDay, toDay } = resolvePeriod(q, today());
    const matterCodes = matterCodesOf(ref, q);
    const layer = q.layer ?? 'grid';
    const res: MapResolution | null = layer === 'h3' ? (q.resolution !== undefined ? parseResolution(q.resolution) : q.zoom !== undefined ? resolutionForZoom(q.zoom) : 8) : null;
    let counts: Map<string, number>;
    if (!s.fromCases) {
      const rows = await ctx.store.hotspots.hotspotCounts(layer, { fromDay, toDay, matterCodes, regionIds: s.regionIds });
      counts = res ? rollUpCells(rows.map((r) => ({ cell: r.key, n: r.n })), res) : new Map(rows.map((r) => [r.key, r.n]));
    } else {
      const rows = await scopedCases(p, q, fromDay, toDay, matterCodes);
      counts = new Map();
      const cells = rows.flatMap((r) => { const k = res ? h3Of(r.lon, r.lat) : r.gridId; return k ? [{ cell: k, n: 1 }] : []; });
      counts = res ? rollUpCells(cells, res) : cells.reduce((m, c) => m.set(c.cell, (m.get(c.cell) ?? 0) + 1), counts);
    }
    let total = 0, max = 0;
    const features = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id, count]) => {
      total += count;
      if (count > max) max = count;
      return {
        type: 'Feature' as const, id,
        properties: { id, count, ...(res ? {} : { name: ref.grids.get(id)?.name ?? id }) },
        geometry: res ? { type: 'Polygon' as const, coordinates: [hexagonRing(id)] } : null,
      };
    });
    return { type: 'FeatureCollection' as const, from: dayIso(fromDay), to: dayIso(toDay), layer, resolution: res, source: s.fromCases ? 'cases' as const : 'rollup' as const, total, max, features };
  });

  app.get('/api/v1/decide/hotspots/table', {
    config: { permission: 'decide.read' },
    schema: {
      tags: TAGS, summary: 'Grid × matter × period: the largest counts (per day, week, month or quarter)',
      description: 'Default period: the 90 days up to today, by month. Weeks are Monday–Sunday (the label is the Monday).',
      querystring: HotspotTableQuery, response: { 200: HotspotTableDto, ...ERRORS },
    },
  }, async (req) => {
    const q = req.query;
    const p = principalOf(req);
    const ref = ctx.ref.current();
    const s = scopeOf(p, q.regionId);
    const { fromDay, toDay } = resolvePeriod(q, today());
    const matterCodes = matterCodesOf(ref, q);
    const bucket = q.bucket ?? 'month';
    const limit = q.limit ?? 50;
    let rows: { bucket: number; gridId: string; matterCode: string; n: number }[];
    if (!s.fromCases) rows = await ctx.store.hotspots.hotspotTable(bucket, { fromDay, toDay, matterCodes, regionIds: s.regionIds }, limit);
    else {
      const m = new Map<string, { bucket: number; gridId: string; matterCode: string; n: number }>();
      for (const c of await scopedCases(p, q, fromDay, toDay, matterCodes)) {
        if (!c.gridId) continue;
        const d = cityDay(c.createdAt, off());
        const mo = monthOfDay(d);
        const b = bucket === 'day' ? d : bucket === 'week' ? weekStart(d) : bucket === 'month' ? mo : Math.floor(mo / 100) * 10 + Math.floor(((mo % 100) - 1) / 3) + 1;
        const k = `${b}|${c.gridId}|${c.matterCode}`;
        const x = m.get(k);
        if (x) x.n++; else m.set(k, { bucket: b, gridId: c.gridId, matterCode: c.matterCode, n: 1 });
      }
      rows = [...m.values()].sort((a, b) => b.n - a.n || a.gridId.localeCompare(b.gridId)).slice(0, limit);
    }
    return {
      from: dayIso(fromDay), to: dayIso(toDay), bucket,
      rows: rows.map((r) => {
        const g = ref.grids.get(r.gridId);
        const street = g ? ref.regions.get(ref.regions.get(g.communityId)?.parentId ?? '') : undefined;
        return {
          period: bucketLabel(bucket, r.bucket), grid: { id: r.gridId, name: g?.name ?? r.gridId }, street: street ? { id: street.id, name: street.name } : null,
          matter: { code: r.matterCode, name: ref.matters.get(r.matterCode)?.name ?? r.matterCode }, count: r.n,
        };
      }),
    };
  });

  app.get('/api/v1/decide/trends', {
    config: { permission: 'decide.read' },
    schema: {
      tags: TAGS, summary: 'Reports per month, with this month against the previous month and the same month last year (seasonality)',
      querystring: TrendQuery, response: { 200: TrendDto, ...ERRORS },
    },
  }, async (req) => {
    const q = req.query;
    const p = principalOf(req);
    const ref = ctx.ref.current();
    const s = scopeOf(p, q.regionId);
    const month = q.month ? parseMonth(q.month) : monthOfDay(today());
    const fromMonth = addMonths(month, -((q.months ?? 25) - 1));
    const matterCodes = matterCodesOf(ref, q);
    const counts = new Map<number, number>();
    if (!s.fromCases) {
      const unlocated = !s.visibility.all && s.visibility.unlocated && !q.regionId;
      for (const r of await ctx.store.hotspots.trendCounts({ fromMonth, toMonth: month, matterCodes, regionIds: s.regionIds, unlocated })) counts.set(r.month, r.n);
    } else {
      const fromDay = Date.UTC(Math.floor(fromMonth / 100), (fromMonth % 100) - 1, 1) / DAY_MS;
      const toDay = Date.UTC(Math.floor(month / 100), month % 100, 1) / DAY_MS - 1;
      for (const c of await scopedCases(p, q, fromDay, toDay, matterCodes)) {
        const m = monthOfDay(cityDay(c.createdAt, off()));
        counts.set(m, (counts.get(m) ?? 0) + 1);
      }
    }
    const months: { month: string; count: number }[] = [];
    for (let m = fromMonth; m <= month; m = addMonths(m, 1)) months.push({ month: monthIso(m), count: counts.get(m) ?? 0 });
    const cur = counts.get(month) ?? 0;
    const compare = (m: number) => { const c = counts.get(m) ?? 0; return { month: monthIso(m), count: c, change: c === 0 ? null : Math.round(((cur - c) / c) * 1000) / 1000 }; };
    return { months, current: { month: monthIso(month), count: cur }, previousMonth: compare(addMonths(month, -1)), sameMonthLastYear: compare(addMonths(month, -12)), source: s.fromCases ? 'cases' as const : 'rollup' as const };
  });

  app.get('/api/v1/decide/recurring', {
    config: { permission: 'decide.read' },
    schema: {
      tags: TAGS, summary: 'Recurring problems: the same place (radius or part) and matter, N times in M days (the city\'s settings)',
      description: 'Most recent first, within the caller\'s regions. Unit staff see the problems of the topics given to their unit (GET /decide/topics).',
      querystring: RecurringQuery, response: { 200: ProblemListDto, ...ERRORS },
    },
  }, async (req) => {
    const q = req.query;
    const p = principalOf(req);
    const ref = ctx.ref.current();
    const s = scopeOf(p, q.regionId);
    const rows = await ctx.store.recurrence.listProblems({
      regionIds: s.regionIds, matterCodes: matterCodesOf(ref, q), since: ctx.clock.now() - (q.days ?? 365) * DAY_MS, limit: q.limit ?? 100,
    });
    const r = ref.recurrence;
    return { items: rows.map((x) => presentProblem(x, ref)), settings: { radiusMeters: r.radiusMeters, minCount: r.minCount, windowDays: r.windowDays } };
  });

  app.get('/api/v1/decide/recurring/:id', {
    config: { permission: 'decide.read' },
    schema: {
      tags: TAGS, summary: 'One recurring problem: its reports (those the caller may see, newest first, up to 500) and its rhythm, if any',
      params: IdParam, response: { 200: ProblemDetailDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const ref = ctx.ref.current();
    const s = scopeOf(p);
    const id = Number(req.params.id);
    const prob = await ctx.store.recurrence.findProblem(id);
    const topicUnits = prob && !inRecords(s.records, [prob.district_id, prob.street_id, prob.community_id])
      ? (await ctx.store.topics.listTopics({ scope: s.records, limit: 500 })).filter((t) => Number(t.problem_id) === id) : [];
    if (!prob || (!inRecords(s.records, [prob.district_id, prob.street_id, prob.community_id]) && topicUnits.length === 0)) throw notFound('recurring problem', req.params.id);
    const cases = await ctx.store.recurrence.problemCases(id, 500);
    const visible = cases.filter((c) => canSeeCase(p, { regionPath: regionPathOf(ref, c.community_id ?? c.street_id ?? c.district_id).reverse(), unitIds: [c.assigned_unit_id, c.sub_unit_id] }));
    const times = (await ctx.store.recurrence.caseTimes([id])).get(id) ?? [];
    const pat = detectPattern(times, off(), today());
    return {
      problem: presentProblem(prob, ref),
      pattern: pat ? { kind: pat.kind, value: pat.value, matches: pat.matches, total: pat.total, nextDate: dayIso(pat.nextDay), explain: pat.explain.zh } : null,
      cases: visible.map((c) => ({
        id: Number(c.id), caseNo: c.case_no, state: c.state, lon: c.lon === null ? null : Number(c.lon), lat: c.lat === null ? null : Number(c.lat),
        createdAt: new Date(Number(c.created_at)).toISOString(), address: c.address,
      })),
      hiddenCases: Number(prob.case_count) - visible.length,
    };
  });

  const settingsView = (withProblems: boolean) => {
    const d = ctx.ref.current();
    const problems = d.problems.filter((x) => x.setting === 'recurrence_settings').map((x) => ({ setting: x.setting, message: x.message }));
    return { ...d.recurrence, ...(withProblems && problems.length ? { problems } : {}) };
  };
  app.get('/api/v1/decide/settings', {
    config: { permission: 'decide.read' },
    schema: { tags: TAGS, summary: 'The city\'s recurrence settings in force (radius, N in M days, topic candidates, proactive horizon)', response: { 200: SettingsDto, ...ERRORS } },
  }, async (req) => settingsView(hasPermission(principalOf(req).roles, 'rule.manage')));

  app.put('/api/v1/decide/settings', {
    config: { permission: 'rule.manage' },
    schema: {
      tags: TAGS, summary: 'Replace the recurrence settings',
      description: 'Validated before anything is written (400 names the field). New reports are judged by them at once; `cityops decide rebuild` recomputes the past.',
      body: SettingsBody, response: { 200: SettingsDto, ...ERRORS },
    },
  }, async (req) => {
    await replaceRecurrenceSettings(ctx, req.body, principalOf(req).userId);
    return settingsView(true);
  });

  app.post('/api/v1/decide/run', {
    config: { permission: 'decide.lead' },
    schema: {
      tags: TAGS, summary: 'Run the decision-support job now (it also runs on its own every few seconds): new reports into the rollups and the detector',
      response: { 200: RunDto, ...ERRORS },
    },
  }, async () => {
    const r = await runDecisionTail(ctx, { maxBatches: 200 });
    return { cases: r.cases, problemsCreated: r.problemsCreated, problemsGrown: r.problemsGrown };
  });
}

/**
 * The console's read APIs (issue 4): statistics for the big screen and dashboards, and matter suggestion for the
 * intake form (suggest.routes.ts). Counts follow the caller's scope, as the case list does.
 */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { visibilityOf } from '../cases/case.load.ts';
import type { CaseVisibility } from '../../../domain/policy/visibility.ts';
import { GridStatsDto, NoQuery, OverviewDto } from './stats.schema.ts';
import { presentGrids, presentOverview } from './stats.presenter.ts';
import { STATS_MAX_AGE_MS, statsView } from './stats.cache.ts';
import { suggestRoutes } from './suggest.routes.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };
const MAX_AGE_S = STATS_MAX_AGE_MS / 1000;
const STALENESS = `Counted city-wide at most once every ${MAX_AGE_S} s per server node and shared by all callers, then cut to the `
  + 'caller\'s scope — the one visibility policy (centre staff: their regions, by the grid each case lies in; everyone: the cases '
  + `their units hold, as assigned unit, sub-unit or assisting unit). An answer may be up to ${MAX_AGE_S} s old (generatedAt); Cache-Control says how long it stays current.`;

const scopeKey = (v: CaseVisibility) => (v.all ? 'city' : `r:${[...v.regionIds].sort().join(',')}|u:${[...v.unitIds].sort().join(',')}|${v.unlocated ? 1 : 0}`);

export async function statsRoutes(app: App, ctx: AppContext): Promise<void> {
  const cacheFor = (at: number) => `private, max-age=${Math.max(0, Math.ceil((at + STATS_MAX_AGE_MS - ctx.clock.now()) / 1000))}`;

  app.get('/api/v1/stats/overview', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['stats'],
      summary: 'Big screen and dashboards: open cases by state and by street, top overdue units, today\'s intake by channel, today\'s closures',
      description: `${STALENESS} "Today" is the city's local day (CITY_TIME_ZONE, Asia/Shanghai by default).`,
      querystring: NoQuery,
      response: { 200: OverviewDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const scope = visibilityOf(principalOf(req), ctx.ref);
    const { view, at } = await statsView(ctx, `overview|${scopeKey(scope)}`, (s) => presentOverview(s, scope, ctx.ref.current(), MAX_AGE_S));
    reply.header('cache-control', cacheFor(at));
    return view;
  });

  app.get('/api/v1/stats/grids', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['stats'],
      summary: 'Open and overdue cases per grid, for colouring the map: compact rows [gridId, open, overdue, warning]',
      description: `${STALENESS} Only grids with open cases in scope are listed.`,
      querystring: NoQuery,
      response: { 200: GridStatsDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const scope = visibilityOf(principalOf(req), ctx.ref);
    const { view, at } = await statsView(ctx, `grids|${scopeKey(scope)}`, (s) => presentGrids(s, scope, ctx.ref.current(), MAX_AGE_S));
    reply.header('cache-control', cacheFor(at));
    return view;
  });

  await suggestRoutes(app, ctx);
}

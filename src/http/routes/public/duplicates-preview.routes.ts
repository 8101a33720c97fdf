/**
 * GET /duplicates/preview: before an operator saves a report, the open cases it may duplicate — the same policy,
 * radius, window and cells as the check intake runs (src/domain/duplicates, duplicate.repository.ts), but listing
 * every open candidate within the radius (nearest first) instead of picking one, plus the master a report saved
 * now would be linked to. Only cases the caller may see are listed (the others are counted).
 */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { invalidAs } from '../../../domain/errors.ts';
import { stateLabel, type State } from '../../../domain/case/index.ts';
import { dupCell, haversineMeters, neighbourCells, pickMaster } from '../../../domain/duplicates/duplicates.ts';
import { principalOf } from '../../middleware/auth.ts';
import { canSeeCase } from '../../../domain/policy/visibility.ts';
import { caseFactsOf } from '../../../commands/case-transition.ts';
import { ErrorResponse } from '../common.schema.ts';
import { DuplicatesPreviewDto, DuplicatesPreviewQuery } from './public.schema.ts';

export async function duplicatesPreviewRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/duplicates/preview', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['cases'],
      summary: 'Possible duplicates of a report before it is saved: open cases of the matter nearby (the intake duplicate policy)',
      description: 'Nothing is written. With the policy off (settings duplicate_policy) no cell is recorded and the list is empty.',
      querystring: DuplicatesPreviewQuery,
      response: { 200: DuplicatesPreviewDto, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
    },
  }, async (req) => {
    const p = principalOf(req);
    const { matterCode, lon, lat } = req.query;
    const ref = ctx.ref.current();
    const matter = ref.matters.get(matterCode);
    if (!matter) throw invalidAs('matterCode', { key: 'sensing.unknown_matter_code_2', params: { matterCode: String(matterCode) } }, `unknown matter code "${matterCode}"`);
    const now = ctx.clock.now();
    const policy = await ctx.store.duplicates.readDuplicatePolicy(now);
    const summary = { enabled: policy.enabled, radiusMeters: policy.radiusMeters, windowHours: policy.windowHours, match: policy.match };
    if (!policy.enabled) return { policy: summary, items: [], master: null, hidden: 0 };
    const matterCodes = policy.match === 'class'
      ? [...ref.matters.values()].filter((m) => m.classCode === matter.classCode).map((m) => m.code)
      : [matter.code];
    const candidates = await ctx.store.duplicates.findDuplicateCandidates({
      matterCodes, cells: neighbourCells(dupCell(lon, lat)), since: now - policy.windowHours * 3600_000, limit: 200,
    });
    const near = candidates
      .filter((c) => c.lon !== null && c.lat !== null)
      .map((c) => ({ c, d: Math.round(haversineMeters(lon, lat, c.lon!, c.lat!) * 10) / 10 }))
      .filter((x) => x.d <= policy.radiusMeters)
      .sort((a, b) => a.d - b.d || a.c.id - b.c.id);
    const pick = pickMaster(candidates, { lon, lat }, now, policy);
    const rows = await ctx.store.cases.findCases(near.map((x) => x.c.id));
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    const items = [];
    let hidden = 0;
    for (const { c, d } of near) {
      const row = byId.get(c.id);
      if (!row || !canSeeCase(p, caseFactsOf(row, ctx.ref))) { hidden++; continue; }
      items.push({
        id: c.id, caseNo: c.caseNo, state: c.state, stateLabel: stateLabel(c.state as State),
        matter: { code: row.matter_code, name: ref.matters.get(row.matter_code)?.name ?? row.matter_code },
        distanceMeters: d, createdAt: new Date(c.createdAt).toISOString(), address: row.address,
      });
    }
    const masterVisible = pick && items.some((i) => i.id === pick.master.id);
    return {
      policy: summary, items, hidden,
      master: pick && masterVisible ? { id: pick.master.id, caseNo: pick.master.caseNo, distanceMeters: pick.distanceMeters } : null,
    };
  });
}

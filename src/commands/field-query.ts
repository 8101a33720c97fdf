/**
 * Reading field resources: the nearest available people to a point (a case), the resources a coordinator may see on
 * the map, one resource's track, and grid coverage per day or shift. Scope: administrators see all; others see the
 * resources placed in a region they cover, or of a unit they belong to (the same rule as cases: policy/scope.ts).
 */
import { invalidAs } from '../domain/errors.ts';
import { coverageOf, FIELD_ROLES, type ResourceKind, RESOURCE_KINDS } from '../domain/field/index.ts';
import { DAY_MS, parseLocalDate } from '../domain/deadline/local-date.ts';
import { isAdmin, type Actor } from '../domain/policy/scope.ts';
import type { AppContext } from '../runtime/context.ts';
import type { ReferenceData } from '../runtime/reference-cache.ts';
import { fieldStateOf, type LiveResource } from '../runtime/field-state.ts';

const paths = new WeakMap<ReferenceData, Map<string, string[]>>();

/** Region ancestry (root first) of a community, cached per reference version. */
export function pathOfRegion(ref: ReferenceData, regionId: string | null): string[] {
  if (!regionId) return [];
  let cache = paths.get(ref);
  if (!cache) paths.set(ref, (cache = new Map()));
  let p = cache.get(regionId);
  if (!p) {
    p = [];
    for (let r: string | null | undefined = regionId; r; r = ref.regions.get(r)?.parentId) p.unshift(r);
    cache.set(regionId, p);
  }
  return p;
}

/** May the actor see this resource (where it is, or the unit it belongs to)? */
export function canSeeResource(ref: ReferenceData, actor: Actor, r: Pick<LiveResource, 'communityId' | 'streetId' | 'districtId' | 'unitId' | 'userId'>): boolean {
  if (isAdmin(actor) || r.userId === actor.userId) return true;
  if (r.unitId && actor.unitIds.includes(r.unitId)) return true;
  const place = r.communityId ?? r.streetId ?? r.districtId;
  return !!place && pathOfRegion(ref, place).some((id) => actor.regionIds.includes(id));
}

export const PERSON_KINDS: readonly ResourceKind[] = FIELD_ROLES as readonly ResourceKind[];

export interface NearestPerson { resource: LiveResource; distanceM: number; ageMs: number; openCases: number }

export async function nearestAvailable(
  ctx: AppContext, actor: Actor, at: { lon: number; lat: number },
  opts: { kinds?: readonly ResourceKind[]; unitHandlersOf?: readonly string[]; limit?: number; maxDistanceM?: number } = {},
): Promise<{ items: NearestPerson[]; freshMs: number }> {
  const state = await fieldStateOf(ctx);
  const ref = ctx.ref.current();
  const now = ctx.clock.now();
  const kinds = new Set(opts.kinds && opts.kinds.length ? opts.kinds : PERSON_KINDS);
  const fresh = state.limits.freshMs;
  const hits = state.index.nearest(at.lon, at.lat, opts.limit ?? 10,
    (r) => r.onDuty && r.at !== null && now - r.at <= fresh && kinds.has(r.kind) && canSeeResource(ref, actor, r)
      && (r.kind !== 'unit_handler' || !opts.unitHandlersOf || (!!r.unitId && opts.unitHandlersOf.includes(r.unitId))),
    opts.maxDistanceM ?? Infinity);
  const load = await ctx.store.field.openLoad(hits.map((h) => h.item.userId).filter((u): u is string => !!u));
  return {
    freshMs: fresh,
    items: hits.map((h) => ({ resource: h.item, distanceM: Math.round(h.distanceM), ageMs: now - (h.item.at ?? now), openCases: h.item.userId ? load.get(h.item.userId) ?? 0 : 0 })),
  };
}

/** Resources for the map: on duty (or all with `includeOffDuty`), in scope, optionally in a box, with their freshness. */
export async function listResources(
  ctx: AppContext, actor: Actor, opts: { kinds?: ResourceKind[]; bbox?: [number, number, number, number]; includeOffDuty?: boolean; limit: number },
): Promise<{ items: (LiveResource & { fresh: boolean })[]; total: number; freshMs: number }> {
  const state = await fieldStateOf(ctx);
  const ref = ctx.ref.current();
  const now = ctx.clock.now();
  const kinds = new Set(opts.kinds && opts.kinds.length ? opts.kinds : RESOURCE_KINDS);
  const out: (LiveResource & { fresh: boolean })[] = [];
  let total = 0;
  for (const r of state.all.values()) {
    if (!opts.includeOffDuty && !r.onDuty) continue;
    if (!kinds.has(r.kind)) continue;
    if (opts.bbox && (r.at === null || r.lon < opts.bbox[0] || r.lat < opts.bbox[1] || r.lon > opts.bbox[2] || r.lat > opts.bbox[3])) continue;
    if (!canSeeResource(ref, actor, r)) continue;
    total++;
    if (out.length < opts.limit) out.push({ ...r, fresh: r.at !== null && now - r.at <= state.limits.freshMs });
  }
  return { items: out, total, freshMs: state.limits.freshMs };
}

/** Local day [from, to) of "YYYY-MM-DD" in the city's time zone. */
export function localDayRange(ctx: AppContext, date: string, field = 'date'): { from: number; to: number } {
  const day = parseLocalDate(date);
  if (day === null) throw invalidAs(field, { key: 'field-query.not_date_yyyy_mm_dd', params: { date: String(date) } }, `"${date}" is not a date (YYYY-MM-DD)`);
  const from = day * DAY_MS - ctx.config.utcOffsetMinutes * 60_000;
  return { from, to: from + DAY_MS };
}

/** Today in the city, "YYYY-MM-DD". */
export function localToday(ctx: AppContext): string {
  const local = new Date(ctx.clock.now() + ctx.config.utcOffsetMinutes * 60_000);
  return local.toISOString().slice(0, 10);
}

/**
 * Grid coverage between two instants (a day or a shift): the unit grids of the area (a region, or everything the
 * actor covers), which of them each resource's track entered, and which nobody visited.
 */
export async function gridCoverage(ctx: AppContext, actor: Actor, opts: { from: number; to: number; regionId?: string }) {
  if (opts.to <= opts.from) throw invalidAs('to', { key: 'field.after_from' }, 'must be after from');
  if (opts.to - opts.from > 7 * DAY_MS) throw invalidAs('to', { key: 'field-query.coverage_period_may_span_at' }, 'a coverage period may span at most 7 days');
  const ref = ctx.ref.current();
  if (opts.regionId && !ref.regions.has(opts.regionId)) throw invalidAs('regionId', { key: 'field.unknown_region_2', params: { regionId: String(opts.regionId) } }, `unknown region "${opts.regionId}"`);
  const inArea = (communityId: string) => {
    const path = pathOfRegion(ref, communityId);
    if (opts.regionId && !path.includes(opts.regionId)) return false;
    return isAdmin(actor) || path.some((id) => actor.regionIds.includes(id));
  };
  const grids = [...ref.grids.values()].filter((g) => g.kind === 'unit' && inArea(g.communityId));
  const gridSet = new Set(grids.map((g) => g.id));
  const visits = (await ctx.store.field.gridVisits(opts.from, opts.to)).filter((v) => gridSet.has(v.gridId));
  const cov = coverageOf(visits, grids.map((g) => g.id));
  const state = await fieldStateOf(ctx);
  const gridRef = (id: string) => {
    const g = ref.grids.get(id);
    return { id, code: g?.code ?? id, name: g?.name ?? id };
  };
  return {
    from: opts.from, to: opts.to, gridCount: grids.length, coveredShare: cov.coveredShare,
    byResource: cov.byResource.map((b) => {
      const live = state.all.get(b.resourceId);
      return { resourceId: b.resourceId, kind: live?.kind ?? null, label: live?.label ?? b.resourceId, userId: live?.userId ?? null,
        grids: b.grids.map((g) => ({ ...gridRef(g.gridId), firstAt: g.firstAt, lastAt: g.lastAt, points: g.points })) };
    }),
    unvisited: cov.unvisited.map(gridRef),
  };
}

/**
 * The city's regions as gazetteer entries: a 12345 caller names a town (芦湾镇), a sub-district (望江街道) or a
 * community (锦绣社区) as often as a road. Each region gets one representative point: of the points of its grids
 * (each a point inside its grid), the one nearest their mean — inside the region even when it is concave.
 * City and district names are not entries: they are prefixes the normaliser strips (江海市滨江区望江路…).
 */
import type { GazetteerPlace } from './types.ts';

export interface RegionRef { id: string; name: string; level: string; parentId: string | null }
export interface GridPoint { communityId: string; lon: number; lat: number }

const NAMED_LEVELS: ReadonlySet<string> = new Set(['street', 'community']);

export function regionPlaces(regions: ReadonlyMap<string, RegionRef>, grids: Iterable<GridPoint>): GazetteerPlace[] {
  return regionPoints(regions, grids, NAMED_LEVELS).map(({ region: r, lon, lat }) => ({
    id: `region:${r.id}`, kind: 'region' as const, name: r.name, lon, lat,
    communityId: r.level === 'community' ? r.id : null, category: r.level, address: null,
  }));
}

/**
 * One representative point per region of the given levels (sorted by id): of the points of its grids, the one
 * nearest their mean — inside the region even when it is concave. Regions without a grid get none.
 */
export function regionPoints(
  regions: ReadonlyMap<string, RegionRef>, grids: Iterable<GridPoint>, levels: ReadonlySet<string>,
): { region: RegionRef; lon: number; lat: number }[] {
  const points = new Map<string, [number, number][]>();
  for (const g of grids) {
    if (!Number.isFinite(g.lon) || !Number.isFinite(g.lat)) continue;
    // the community and its ancestors (those of the wanted levels)
    for (let r = regions.get(g.communityId), hops = 0; r && hops < 8; r = r.parentId ? regions.get(r.parentId) : undefined, hops++) {
      if (!levels.has(r.level)) continue;
      let list = points.get(r.id);
      if (!list) points.set(r.id, list = []);
      list.push([g.lon, g.lat]);
    }
  }
  const out: { region: RegionRef; lon: number; lat: number }[] = [];
  for (const [id, pts] of points) {
    const r = regions.get(id)!;
    const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
    const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
    let best = pts[0];
    let bestD = Infinity;
    for (const p of pts) {
      const d = (p[0] - mx) ** 2 + (p[1] - my) ** 2;
      if (d < bestD) { bestD = d; best = p; }
    }
    out.push({ region: r, lon: best[0], lat: best[1] });
  }
  return out.sort((a, b) => a.region.id.localeCompare(b.region.id));
}

/**
 * The geocoder for a running platform: built from the `places` table and the regions (街道/镇, 社区/村, at a point
 * inside each) on first use, kept per context, rebuilt
 * when the reference version changes (a gazetteer import here or on another node bumps it).
 */
import type { AppContext } from './context.ts';
import { regionPlaces, type Gazetteer, type GridPoint } from '../domain/geocode/index.ts';

interface Cached { version: number; gazetteer: Promise<Gazetteer> }
const cache = new WeakMap<AppContext, Cached>();

export function gazetteerOf(ctx: AppContext): Promise<Gazetteer> {
  const ref = ctx.ref.current();
  const hit = cache.get(ctx);
  if (hit && hit.version === ref.version) return hit.gazetteer;
  const regionNames = [...ref.regions.values()].filter((r) => r.level === 'city' || r.level === 'district').map((r) => r.name);
  const gridPoints: GridPoint[] = [];
  for (const g of ref.grids.values()) if (g.point) gridPoints.push({ communityId: g.communityId, lon: g.point[0], lat: g.point[1] });
  // the streets, towns and communities too: callers name them as often as roads
  const gazetteer = ctx.store.gazetteer.loadGazetteer({ regionNames }, regionPlaces(ref.regions, gridPoints));
  const entry = { version: ref.version, gazetteer };
  cache.set(ctx, entry);
  // a failed load must not stay cached
  gazetteer.catch(() => { if (cache.get(ctx) === entry) cache.delete(ctx); });
  return gazetteer;
}

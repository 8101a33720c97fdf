/**
 * The geocoder for a running platform: built from the `places` table on first use, kept per context, rebuilt
 * when the reference version changes (a gazetteer import here or on another node bumps it).
 */
import type { AppContext } from './context.ts';
import type { Gazetteer } from '../domain/geocode/index.ts';

interface Cached { version: number; gazetteer: Promise<Gazetteer> }
const cache = new WeakMap<AppContext, Cached>();

export function gazetteerOf(ctx: AppContext): Promise<Gazetteer> {
  const ref = ctx.ref.current();
  const hit = cache.get(ctx);
  if (hit && hit.version === ref.version) return hit.gazetteer;
  const regionNames = [...ref.regions.values()].filter((r) => r.level === 'city' || r.level === 'district').map((r) => r.name);
  const gazetteer = ctx.store.gazetteer.loadGazetteer({ regionNames });
  const entry = { version: ref.version, gazetteer };
  cache.set(ctx, entry);
  // a failed load must not stay cached
  gazetteer.catch(() => { if (cache.get(ctx) === entry) cache.delete(ctx); });
  return gazetteer;
}

/**
 * The map's names (src/domain/geocode/map-labels.ts) for a running platform: built from the regions, the grids'
 * points and the gazetteer on first use, kept per context and rebuilt when the reference version changes (a
 * region, grid or gazetteer import bumps it), like the geocoder (gazetteer-cache.ts). Served as one JSON body.
 */
import type { AppContext } from './context.ts';
import { mapLabels, type GridPoint, type LabelFeature } from '../domain/geocode/index.ts';

export interface MapLabels { version: number; features: LabelFeature[]; body: string }
interface Cached { version: number; labels: Promise<MapLabels> }
const cache = new WeakMap<AppContext, Cached>();

export function mapLabelsOf(ctx: AppContext): Promise<MapLabels> {
  const ref = ctx.ref.current();
  const hit = cache.get(ctx);
  if (hit && hit.version === ref.version) return hit.labels;
  const gridPoints: GridPoint[] = [];
  for (const g of ref.grids.values()) if (g.point) gridPoints.push({ communityId: g.communityId, lon: g.point[0], lat: g.point[1] });
  const labels = ctx.store.gazetteer.loadGazetteerPlaces().then((places) => {
    const features = mapLabels(ref.regions, gridPoints, places);
    return { version: ref.version, features, body: JSON.stringify({ type: 'FeatureCollection', features }) };
  });
  const entry = { version: ref.version, labels };
  cache.set(ctx, entry);
  labels.catch(() => { if (cache.get(ctx) === entry) cache.delete(ctx); });
  return labels;
}

/**
 * The hotspot layer (issue 10 part 5) as a map layer: GET /api/v1/decide/hotspots as H3 hexagons (outlines come
 * with the answer), filled by count on a yellow → red scale. Used by the analysis page and the big screen's toggle.
 */
import { useMemo } from 'react';
import type { FeatureCollection } from 'geojson';
import { api, useQuery, type QueryOf, type ResponseOf } from '../../app/api.ts';
import type { MapLayer } from '../../components/MapView.tsx';

export type HotspotQuery = QueryOf<'/api/v1/decide/hotspots', 'get'>;
export type Hotspots = ResponseOf<'/api/v1/decide/hotspots', 'get'>;

/** Colour stops of the heat scale, for the layer and the legend. */
export const HEAT = ['#fff3b0', '#ffca3a', '#ff8c42', '#e63946', '#7b1e3a'] as const;

export function heatPaint(max: number, opacity = 0.7): Record<string, unknown> {
  const m = Math.max(max, 1);
  return {
    'fill-color': ['interpolate', ['linear'], ['get', 'count'], 0, HEAT[0], m * 0.25, HEAT[1], m * 0.5, HEAT[2], m * 0.75, HEAT[3], m, HEAT[4]],
    'fill-opacity': opacity,
    'fill-outline-color': '#5d4037',
  };
}

/** The answer's features as GeoJSON (the document types the geometry loosely; the h3 layer always sends polygons). */
export const hexagonsOf = (h: Hotspots): FeatureCollection => ({
  type: 'FeatureCollection',
  features: h.features.filter((f) => f.geometry).map((f) => ({ type: 'Feature', id: f.id, properties: f.properties, geometry: f.geometry! })),
} as FeatureCollection);

/** Loads the hexagons when `enabled`; undefined otherwise (the layer is removed). */
export function useHotspotLayer(enabled: boolean, query: HotspotQuery = {}, opacity = 0.7): { layer?: MapLayer; data?: Hotspots; error?: unknown } {
  const key = JSON.stringify(query);
  const q = useQuery((signal) => (enabled
    ? api.GET('/api/v1/decide/hotspots', { params: { query: { layer: 'h3', ...JSON.parse(key) as HotspotQuery } }, signal })
    : Promise.resolve(undefined)), [enabled, key]);
  const layer = useMemo<MapLayer | undefined>(() => (enabled && q.data && q.data.layer === 'h3'
    ? { id: 'hotspots-h3', type: 'fill', data: hexagonsOf(q.data), paint: heatPaint(q.data.max, opacity) }
    : undefined), [enabled, q.data, opacity]);
  return { layer, data: enabled ? q.data : undefined, error: q.error };
}

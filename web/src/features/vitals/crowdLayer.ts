/**
 * The big screen's crowd layer (大客流, issue 11 §6): each crowd counter's area as a circle at the counter, coloured
 * by its tier against the city's crowd tiers (none green, yellow, orange, red) and sized by its load (% of capacity).
 * From the big screen's vitals poll (useVitals: the same crowd load the vital-signs panel lists).
 */
import { useMemo } from 'react';
import type { FeatureCollection } from 'geojson';
import type { MapLayer } from '../../components/MapView.tsx';
import type { Vitals } from './VitalsPanel.tsx';

export const CROWD_TIER_COLOR: Record<string, string> = { none: '#43a047', yellow: '#fdd835', orange: '#fb8c00', red: '#e53935' };

export function useCrowdLayer(vitals: Vitals | undefined): MapLayer | undefined {
  return useMemo(() => {
    const areas = vitals?.indicators.find((i) => i.key === 'crowd_load')?.areas ?? [];
    const placed = areas.filter((a) => typeof a.lon === 'number' && typeof a.lat === 'number');
    if (placed.length === 0) return undefined;
    const data: FeatureCollection = {
      type: 'FeatureCollection',
      features: placed.map((a) => ({
        type: 'Feature', id: a.id,
        geometry: { type: 'Point', coordinates: [a.lon as number, a.lat as number] },
        properties: { id: a.id, name: a.name, load: a.load, count: a.count, capacity: a.capacity, tier: a.tier, color: CROWD_TIER_COLOR[a.tier] ?? CROWD_TIER_COLOR.none },
      })),
    };
    return {
      id: 'crowd', type: 'circle', data,
      paint: {
        'circle-color': ['get', 'color'], 'circle-opacity': 0.55,
        'circle-radius': ['interpolate', ['linear'], ['get', 'load'], 0, 8, 100, 18, 150, 26],
        'circle-stroke-color': ['get', 'color'], 'circle-stroke-width': 2,
      },
    };
  }, [vitals]);
}

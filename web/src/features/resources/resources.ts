/**
 * Field resources in the console (issue 9 §4): kinds and their colours, the polled list of resources on duty (the
 * map layer: positions are not on the live event stream, the server says how often to poll), and distance text.
 */
import { useEffect, useMemo, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import { api, type ResponseOf } from '../../app/api.ts';
import type { Msg } from '../../app/i18n.ts';
import type { MapLayer } from '../../components/MapView.tsx';

export type ResourceList = ResponseOf<'/api/v1/resources', 'get'>;
export type ResourceItem = ResourceList['items'][number];

export const KIND_LABEL: Record<string, Msg> = {
  inspector: { zh: '监督员', en: 'Inspector' },
  grid_member: { zh: '网格员', en: 'Grid member' },
  unit_handler: { zh: '处置人员', en: 'Unit field staff' },
  vehicle: { zh: '执法车辆', en: 'Enforcement vehicle' },
};

export const KIND_COLOR: Record<string, string> = {
  inspector: '#1565c0', grid_member: '#2e7d32', unit_handler: '#ef6c00', vehicle: '#6a1b9a',
};
export const STALE_COLOR = '#9e9e9e';

/** Polls GET /api/v1/resources while mounted (every `pollMs` the server gives, 5 s by default). */
export function useResources(enabled = true): { data?: ResourceList; error?: unknown } {
  const [state, setState] = useState<{ data?: ResourceList; error?: unknown }>({});
  useEffect(() => {
    if (!enabled) return;
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ctl = new AbortController();
    const tick = async () => {
      let wait = 5000;
      try {
        const data = await api.GET('/api/v1/resources', { signal: ctl.signal });
        if (stop) return;
        setState({ data });
        wait = data.pollMs;
      } catch (error) {
        if (stop) return;
        setState((s) => ({ ...s, error }));
      }
      if (!stop) timer = setTimeout(() => void tick(), wait);
    };
    void tick();
    return () => { stop = true; ctl.abort(); if (timer) clearTimeout(timer); };
  }, [enabled]);
  return state;
}

/** The resources as a circle layer for MapView: colour by kind, grey when the position is stale. */
export function useResourceLayer(items: readonly ResourceItem[] | undefined, id = 'resources'): MapLayer | undefined {
  return useMemo(() => {
    if (!items) return undefined;
    const data: FeatureCollection = {
      type: 'FeatureCollection',
      features: items.filter((r) => r.position).map((r) => ({
        type: 'Feature', id: r.resourceId,
        geometry: { type: 'Point', coordinates: [r.position!.lon, r.position!.lat] },
        properties: { id: r.resourceId, kind: r.kind, label: r.label, color: r.position!.fresh ? KIND_COLOR[r.kind] ?? '#455a64' : STALE_COLOR },
      })),
    };
    return {
      id, type: 'circle', data,
      paint: { 'circle-color': ['get', 'color'], 'circle-radius': ['case', ['==', ['get', 'kind'], 'vehicle'], 8, 6], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
    };
  }, [items, id]);
}

export function distanceText(m: number, locale: string): string {
  if (m < 1000) return locale === 'en' ? `${m} m` : `${m} 米`;
  const km = (m / 1000).toFixed(m < 10_000 ? 1 : 0);
  return locale === 'en' ? `${km} km` : `${km} 公里`;
}

/** The resources layer for any console map, for users who may see field resources (else no layer, no polling). */
export function useResourceLayers(can: (p: 'resource.read') => boolean): MapLayer[] {
  const allowed = can('resource.read');
  const { data } = useResources(allowed);
  const layer = useResourceLayer(allowed ? data?.items : undefined);
  return useMemo(() => (layer ? [layer] : []), [layer]);
}

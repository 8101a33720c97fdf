/**
 * Urgent cases pulse on the big screen's map (issue 8): every open 非常紧急 case the leader may see, polled with the
 * counts (GET /cases?urgency=very_urgent&sort=due — open cases only), keeps a red pulsing ring at its point until
 * it is closed. DOM markers with a CSS animation (transform and opacity only; at most 100).
 */
import { useEffect, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
import { api } from '../../app/api.ts';
import type { MapLibreMap } from '../../components/MapView.tsx';

const MAX_URGENT = 100;

/** Returns how many urgent cases pulse now. `refreshKey` changes when the counts are refreshed (every 5 s). */
export function useUrgentPulses(map: MapLibreMap | undefined, refreshKey: string | undefined, label: (matter: string) => string): number {
  const markers = useRef(new Map<number, maplibregl.Marker>());
  const [count, setCount] = useState(0);
  const labelRef = useRef(label);
  labelRef.current = label;

  useEffect(() => {
    if (!map) return;
    const ac = new AbortController();
    api.GET('/api/v1/cases', { params: { query: { urgency: ['very_urgent'], sort: 'due', limit: MAX_URGENT } }, signal: ac.signal }).then((r) => {
      if (ac.signal.aborted) return;
      const keep = new Set<number>();
      for (const c of r.items) {
        if (!c.location) continue;
        keep.add(c.id);
        if (markers.current.has(c.id)) continue;
        const el = document.createElement('div');
        el.className = 'bs-urgent-at';
        el.title = labelRef.current(c.matter.name);
        el.dataset.caseId = String(c.id);
        el.appendChild(document.createElement('div')).className = 'bs-urgent';
        markers.current.set(c.id, new maplibregl.Marker({ element: el }).setLngLat([c.location.lon, c.location.lat]).addTo(map));
      }
      for (const [id, m] of markers.current) if (!keep.has(id)) { m.remove(); markers.current.delete(id); }
      setCount(markers.current.size);
    }, () => { /* keep the rings shown; the next poll tries again */ });
    return () => ac.abort();
  }, [map, refreshKey]);

  useEffect(() => () => { markers.current.forEach((m) => m.remove()); markers.current.clear(); }, [map]);
  return count;
}

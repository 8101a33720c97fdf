/**
 * The city map (MapLibre GL): our own GeoJSON layers — districts, streets, communities from
 * /api/v1/regions.geojson?level=…, unit grids from /api/v1/grids.geojson — on a plain background, or on the
 * optional basemap from CITYOPS_BASEMAP_URL. No remote tiles, fonts or sprites are needed. Names of districts, streets/towns,
 * communities, roads and landmarks are drawn on top (mapLabels.ts; `labels={false}` leaves them out); the wrapper's
 * `data-labels` attribute says how many are drawn after each render settles (browser tests).
 *
 * Extra layers: pass `layers` (each a GeoJSON FeatureCollection drawn as fill, line or circle); changing a
 * layer's `data` updates its source in place. For frequent updates (live colours), use `onReady(map)` and
 * map.setFeatureState({ source: 'grids', id }, { … }) — grid features carry their id (promoteId 'id').
 */
import { useEffect, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { api, type ResponseOf } from '../app/api.ts';
import { useConsoleConfig } from '../app/config.tsx';
import { useI18n } from '../app/i18n.ts';
import { addLabelLayers, firstLabelLayer, loadLabels, renderedLabels } from './mapLabels.ts';

// Without this the bundled map has no worker and stays blank.
maplibregl.setWorkerUrl(workerUrl);

export type { Map as MapLibreMap } from 'maplibre-gl';
type FC = FeatureCollection;

export interface MapLayer {
  /** Unique id; the source and layer are named after it. */
  id: string;
  data: FC;
  type: 'fill' | 'line' | 'circle';
  /** MapLibre paint properties for the type, e.g. { 'circle-color': '#d32f2f', 'circle-radius': 6 }. */
  paint?: Record<string, unknown>;
  /** Draw below the grid outlines instead of on top of everything. */
  below?: boolean;
}

export interface MapClick {
  lngLat: { lng: number; lat: number };
  /** Features under the click from our layers: { layer, id, properties }. */
  features: { layer: string; id: string | number | undefined; properties: Record<string, unknown> }[];
}

export interface MapViewProps {
  /** Which of our layers to draw (default: streets, communities, grids). Needs 'case.read' (the portal has none). */
  show?: { districts?: boolean; streets?: boolean; communities?: boolean; grids?: boolean };
  layers?: MapLayer[];
  onClick?: (e: MapClick) => void;
  onReady?: (map: maplibregl.Map) => void;
  /** Dark colours (big screen). */
  dark?: boolean;
  /** Names of regions, roads and landmarks (default on; public data, so the portal has them too). */
  labels?: boolean;
  height?: number | string;
  className?: string;
  'aria-label'?: string;
}

const DEFAULT_SHOW = { districts: true, streets: true, communities: true, grids: true };

/** A FeatureCollection of the API (its features' `geometry` is untyped in the OpenAPI document). */
type ApiFeatureCollection = ResponseOf<'/api/v1/regions.geojson', 'get'> | ResponseOf<'/api/v1/public/regions.geojson', 'get'>;
/**
 * An API FeatureCollection as GeoJSON for the map. The document describes the collection and its features but
 * not the geometry ("GeoJSON polygon, WGS84", typed unknown), so this is the one place it is taken as GeoJSON.
 */
export const asGeoJson = (fc: ApiFeatureCollection): FC => fc as unknown as FC;

type OurLayer = keyof typeof DEFAULT_SHOW;
const LOAD: Record<OurLayer, () => Promise<ApiFeatureCollection>> = {
  districts: () => api.GET('/api/v1/regions.geojson', { params: { query: { level: 'district' } } }),
  streets: () => api.GET('/api/v1/regions.geojson', { params: { query: { level: 'street' } } }),
  communities: () => api.GET('/api/v1/regions.geojson', { params: { query: { level: 'community' } } }),
  grids: () => api.GET('/api/v1/grids.geojson'),
};

// GeoJSON is fetched once per page load and shared by every map.
const cache = new Map<OurLayer, Promise<FC>>();
function loadGeo(layer: OurLayer): Promise<FC> {
  let p = cache.get(layer);
  if (!p) {
    p = LOAD[layer]().then(asGeoJson);
    p.catch(() => cache.delete(layer));
    cache.set(layer, p);
  }
  return p;
}

function baseStyle(basemapUrl: string | null, dark: boolean): maplibregl.StyleSpecification | string {
  if (basemapUrl && !basemapUrl.includes('{z}')) return basemapUrl; // a MapLibre style document
  const style: maplibregl.StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': dark ? '#07131f' : '#eef2f5' } }],
  };
  if (basemapUrl) {
    style.sources.basemap = { type: 'raster', tiles: [basemapUrl], tileSize: 256 };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap' });
  }
  return style;
}

function bboxOf(fcs: FC[]): [number, number, number, number] | undefined {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[];
      if (x < minX) minX = x; if (x > maxX) maxX = x; if (y < minY) minY = y; if (y > maxY) maxY = y;
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const fc of fcs) for (const f of fc.features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : undefined;
}

function webglAvailable(): boolean {
  try {
    const c = document.createElement('canvas');
    return !!(c.getContext('webgl2') || c.getContext('webgl'));
  } catch { return false; }
}

const OUR_LAYERS = ['grids-fill', 'grids-line', 'communities-line', 'streets-line', 'districts-line'];

export function MapView({ show = DEFAULT_SHOW, layers = [], onClick, onReady, dark = false, labels = true, height = 480, className, ...aria }: MapViewProps) {
  const { basemapUrl } = useConsoleConfig();
  const { t } = useI18n();
  const el = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | undefined>(undefined);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const clickRef = useRef(onClick);
  clickRef.current = onClick;
  const readyRef = useRef(onReady);
  readyRef.current = onReady;
  const extraIds = useRef(new Set<string>());
  const wrapRef = useRef<HTMLDivElement>(null);
  const showKey = JSON.stringify({ ...DEFAULT_SHOW, ...show });

  useEffect(() => {
    if (!el.current) return;
    if (!webglAvailable()) { setError(t('map.noWebgl')); return; }
    const s = JSON.parse(showKey) as typeof DEFAULT_SHOW;
    const map = new maplibregl.Map({
      container: el.current, style: baseStyle(basemapUrl, dark), center: [120.3, 31.55], zoom: 11,
      attributionControl: false, maxPitch: 0,
    });
    mapRef.current = map;
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    let cancelled = false;
    map.on('load', async () => {
      const line = dark ? '#4fc3f7' : '#1565c0';
      const wanted: OurLayer[] = ['districts', 'streets', 'communities', 'grids'];
      const loaded: FC[] = [];
      // Names come from a public endpoint: a failure leaves the map without them, never without the map.
      const names = labels ? loadLabels().catch((e: unknown) => { console.warn('map names:', (e as Error).message); return undefined; }) : undefined;
      await Promise.all(wanted.filter((k) => s[k]).map(async (k) => {
        try {
          const data = await loadGeo(k);
          if (cancelled) return;
          loaded.push(data);
          map.addSource(k, { type: 'geojson', data, promoteId: 'id' });
        } catch (e) { if (!cancelled) setError((e as Error).message); }
      }));
      if (cancelled) return;
      const has = (id: string) => !!map.getSource(id);
      if (has('grids')) {
        map.addLayer({
          id: 'grids-fill', type: 'fill', source: 'grids',
          paint: { 'fill-color': ['coalesce', ['feature-state', 'color'], dark ? '#0d2a40' : '#ffffff'], 'fill-opacity': ['coalesce', ['feature-state', 'opacity'], 0.35] },
        });
        map.addLayer({ id: 'grids-line', type: 'line', source: 'grids', paint: { 'line-color': line, 'line-opacity': 0.25, 'line-width': 0.5 } });
      }
      if (has('communities')) map.addLayer({ id: 'communities-line', type: 'line', source: 'communities', paint: { 'line-color': line, 'line-opacity': 0.5, 'line-width': 1 } });
      if (has('streets')) map.addLayer({ id: 'streets-line', type: 'line', source: 'streets', paint: { 'line-color': line, 'line-width': 2 } });
      if (has('districts')) map.addLayer({ id: 'districts-line', type: 'line', source: 'districts', paint: { 'line-color': dark ? '#ffca28' : '#0d47a1', 'line-width': 3 } });
      const nameData = await names;
      if (cancelled) return;
      if (nameData) addLabelLayers(map, nameData, dark);
      const bbox = bboxOf(loaded);
      if (bbox) map.fitBounds(bbox, { padding: 20, animate: false });
      setReady(true);
      readyRef.current?.(map);
    });
    map.on('click', (e) => {
      if (!clickRef.current) return;
      const layerIds = [...OUR_LAYERS, ...[...extraIds.current].map((id) => `${id}-layer`)].filter((id) => map.getLayer(id));
      const features = map.queryRenderedFeatures(e.point, { layers: layerIds })
        .map((f) => ({ layer: f.layer.id.replace(/-(layer|fill|line)$/, ''), id: f.id, properties: f.properties as Record<string, unknown> }));
      clickRef.current({ lngLat: { lng: e.lngLat.lng, lat: e.lngLat.lat }, features });
    });
    map.on('error', (e) => console.warn('map:', e.error?.message));
    // What is drawn once a render settles: the number of names and their kinds (cheap: only on idle).
    map.on('idle', () => {
      const w = wrapRef.current;
      if (!w || !map.getSource('names')) return;
      const r = renderedLabels(map);
      w.dataset.labels = String(r.count);
      w.dataset.labelKinds = Object.keys(r.kinds).sort().join(' ');
    });
    const extras = extraIds.current; // the same Set for the map's whole life (a ref's value, not a DOM node)
    return () => { cancelled = true; setReady(false); map.remove(); mapRef.current = undefined; extras.clear(); };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the map is built once per basemap/theme/legend; the rest is applied in place by the effects below
  }, [basemapUrl, dark, showKey, labels]);

  // Extra layers: add, update in place, remove.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const next = new Set(layers.map((l) => l.id));
    for (const id of extraIds.current) {
      if (!next.has(id)) { if (map.getLayer(`${id}-layer`)) map.removeLayer(`${id}-layer`); if (map.getSource(id)) map.removeSource(id); extraIds.current.delete(id); }
    }
    for (const l of layers) {
      const src = map.getSource(l.id) as maplibregl.GeoJSONSource | undefined;
      if (src) void src.setData(l.data); // applied asynchronously by the map; nothing waits for it
      else {
        map.addSource(l.id, { type: 'geojson', data: l.data });
        // Below the grid outlines when asked, else below the names (so they stay readable).
        map.addLayer({ id: `${l.id}-layer`, type: l.type, source: l.id, paint: (l.paint ?? {}) as never } as maplibregl.AddLayerObject,
          l.below && map.getLayer('grids-line') ? 'grids-line' : firstLabelLayer(map));
        extraIds.current.add(l.id);
      }
    }
  }, [layers, ready]);

  return (
    <div ref={wrapRef} className={`map-wrap${className ? ` ${className}` : ''}`} style={{ height }}
      data-layers={ready ? layers.map((l) => `${l.id}:${l.data.features.length}`).join(' ') : undefined /* what the extra layers hold (tests, support) */}>
      <div ref={el} className="map" role="region" aria-label={aria['aria-label'] ?? 'map'} />
      {!ready && !error && <div className="map-overlay">{t('map.loading')}</div>}
      {error && <div className="map-overlay map-error" role="alert">{error}</div>}
    </div>
  );
}

export default MapView;

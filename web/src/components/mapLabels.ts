/**
 * Names on every map (issue 8): districts, streets/towns, communities/villages, roads, landmarks and compounds from
 * GET /api/v1/public/map-labels.geojson, drawn as MapLibre symbol layers — MapLibre's own collision detection
 * keeps labels apart, roads are labelled along their lines, and each kind appears from its own zoom on.
 *
 * Glyphs: the style has no `glyphs` URL, so MapLibre draws every character itself (TinySDF on a canvas, with the
 * font stack below) — nothing is downloaded and no glyph files are built; the decision and its measurements are in
 * docs/issue-8/maps.md.
 */
import type * as maplibregl from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { api } from '../app/api.ts';

export const LABEL_SOURCE = 'names';
/** The CSS font families MapLibre draws labels with (the first that the device has): Noto/Source Han, then the system's. */
export const LABEL_FONT = ['Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', 'Noto Sans SC'];

let cached: Promise<FeatureCollection> | undefined;
/** Fetched once per page load and shared by every map. */
export function loadLabels(): Promise<FeatureCollection> {
  if (!cached) {
    cached = api.GET('/api/v1/public/map-labels.geojson').then((fc) => fc as unknown as FeatureCollection);
    cached.catch(() => { cached = undefined; });
  }
  return cached;
}

interface LabelLayerDef {
  id: string;
  filter: maplibregl.FilterSpecification;
  minzoom: number;
  maxzoom?: number;
  size: number | maplibregl.ExpressionSpecification;
  line?: boolean;
  /** text colour light / dark */
  color: [string, string];
}

const KIND = (...kinds: string[]): maplibregl.ExpressionSpecification => ['in', ['get', 'kind'], ['literal', kinds]];

/**
 * Bottom to top. MapLibre places the top layer's labels first, so a district's or a town's name wins over a road's,
 * and a road's over a shop's. Zooms suit a district of ~20 km across (the whole district at 11–12).
 */
const LAYERS: LabelLayerDef[] = [
  { id: 'names-compound', filter: KIND('compound'), minzoom: 15, size: 11, color: ['#5d4037', '#d7ccc8'] },
  { id: 'names-landmark', filter: ['all', KIND('landmark'), ['>=', ['get', 'rank'], 2]], minzoom: 14.5, size: 11, color: ['#6a1b9a', '#e1bee7'] },
  { id: 'names-landmark-main', filter: ['all', KIND('landmark'), ['<', ['get', 'rank'], 2]], minzoom: 13.5, size: 12, color: ['#6a1b9a', '#e1bee7'] },
  { id: 'names-road', filter: ['all', KIND('road'), ['>', ['get', 'rank'], 0]], minzoom: 13.5, size: 12, line: true, color: ['#37474f', '#cfd8dc'] },
  { id: 'names-road-main', filter: ['all', KIND('road'), ['==', ['get', 'rank'], 0]], minzoom: 12, size: 13, line: true, color: ['#263238', '#eceff1'] },
  { id: 'names-community', filter: KIND('community', 'village'), minzoom: 12.5, maxzoom: 16, size: 12, color: ['#1565c0', '#81d4fa'] },
  { id: 'names-street', filter: KIND('subdistrict', 'town', 'township'), minzoom: 9.5, maxzoom: 14.5,
    size: ['interpolate', ['linear'], ['zoom'], 10, 13, 13, 17], color: ['#0d47a1', '#ffe082'] },
  { id: 'names-district', filter: KIND('district', 'county'), minzoom: 0, maxzoom: 11.5, size: 18, color: ['#0d47a1', '#ffca28'] },
];

export const LABEL_LAYER_IDS = LAYERS.map((l) => l.id);

/** Adds the source and the label layers on top of everything (call once the style has loaded). */
export function addLabelLayers(map: maplibregl.Map, data: FeatureCollection, dark: boolean): void {
  if (map.getSource(LABEL_SOURCE)) return;
  map.addSource(LABEL_SOURCE, { type: 'geojson', data });
  const halo = dark ? 'rgba(7,19,31,0.9)' : 'rgba(255,255,255,0.92)';
  for (const l of LAYERS) {
    map.addLayer({
      id: l.id, type: 'symbol', source: LABEL_SOURCE, filter: l.filter, minzoom: l.minzoom, ...(l.maxzoom !== undefined ? { maxzoom: l.maxzoom } : {}),
      layout: {
        'text-field': ['get', 'name'],
        'text-font': LABEL_FONT,
        'text-size': l.size,
        'text-padding': 3,
        'symbol-sort-key': ['get', 'rank'],
        ...(l.line
          ? { 'symbol-placement': 'line', 'text-max-angle': 35, 'symbol-spacing': 320, 'text-letter-spacing': 0.1 }
          : { 'text-max-width': 8, 'text-anchor': 'center' }),
      },
      paint: { 'text-color': dark ? l.color[1] : l.color[0], 'text-halo-color': halo, 'text-halo-width': 1.6, 'text-halo-blur': 0.4 },
    });
  }
}

/** The first label layer (others' layers go below it so names stay readable). */
export const firstLabelLayer = (map: maplibregl.Map): string | undefined => LABEL_LAYER_IDS.find((id) => map.getLayer(id));

/** The labels drawn now, by kind (for the browser tests and the measurements: data-labels on the map). */
export function renderedLabels(map: maplibregl.Map): { count: number; kinds: Record<string, number>; names: string[] } {
  const layers = LABEL_LAYER_IDS.filter((id) => map.getLayer(id));
  if (!layers.length) return { count: 0, kinds: {}, names: [] };
  const seen = new Set<string>();
  const kinds: Record<string, number> = {};
  for (const f of map.queryRenderedFeatures({ layers })) {
    const p = f.properties as { id?: string; kind?: string; name?: string };
    if (!p.id || seen.has(p.id)) continue;
    seen.add(p.id);
    kinds[p.kind ?? '?'] = (kinds[p.kind ?? '?'] ?? 0) + 1;
  }
  const names = [...new Set(map.queryRenderedFeatures({ layers }).map((f) => String((f.properties as { name?: string }).name ?? '')))].slice(0, 50);
  return { count: seen.size, kinds, names };
}

/**
 * Reading a gazetteer file (GeoJSON FeatureCollection) into places, checking every feature first so that a bad
 * file is refused as a whole with each problem named (features[3].properties.kind). Pure: coordinates are
 * converted to WGS84 here; the caller decides about communities and writes.
 *
 * Two kinds of feature:
 * - a place: properties.kind road | compound | landmark, properties.name; optional communityId, address,
 *   category, propertyUnitId (compounds) and, for roads, houseNumbers [{number, lon, lat}]. Geometry: roads
 *   LineString / MultiLineString (or none when they bring house numbers); compounds and landmarks Point /
 *   Polygon / MultiPolygon;
 * - a door plate: a Point with properties.road and properties.number (kind absent or "house_number"). It joins
 *   the road of that name in the file, or else the stored road of that name.
 */
import { pointOnSurface, toWgs84, validatePolygonGeometry, type CoordSystem, type PolygonalGeometry } from '../grid/index.ts';
import { parseHouseNumber } from './road-numbers.ts';
import type { HouseNumberPoint, PlaceKind } from './types.ts';

export interface FilePlace {
  kind: PlaceKind;
  name: string;
  communityId: string | null;
  address: string | null;
  category: string | null;
  propertyUnitId: string | null;
  /** WGS84 */
  geometry: { type: string; coordinates: unknown } | null;
  lon: number;
  lat: number;
  houseNumbers: HouseNumberPoint[];
  /** index of its feature, for problems found later (unknown community) */
  feature: number;
}

export interface FileProblem { feature: number; field: string; message: string }

export interface GazetteerFile {
  places: FilePlace[];
  /** door plates whose road is not a feature of the file: road name → numbers */
  orphanNumbers: Map<string, HouseNumberPoint[]>;
  houseNumbers: number;
  problems: FileProblem[];
}

const KINDS: readonly PlaceKind[] = ['road', 'compound', 'landmark'];
const str = (v: unknown, max: number): string | null | undefined =>
  v === undefined || v === null ? undefined : typeof v === 'string' && v.trim().length > 0 && v.length <= max ? v.trim() : null;

export function readGazetteerFile(features: readonly unknown[], coordSystem: CoordSystem = 'wgs84'): GazetteerFile {
  const problems: FileProblem[] = [];
  const places: FilePlace[] = [];
  const plates: { feature: number; road: string; point: HouseNumberPoint }[] = [];
  const seen = new Map<string, number>();
  const conv = (x: number, y: number) => toWgs84(x, y, coordSystem);
  features.forEach((raw, i) => {
    const f = (raw ?? {}) as { type?: unknown; properties?: unknown; geometry?: unknown };
    const at = `features[${i}]`;
    const add = (field: string, message: string) => problems.push({ feature: i, field: `${at}.${field}`, message: `${at}.${field}: ${message}` });
    if (f.type !== 'Feature') return add('type', 'must be "Feature"');
    if (!f.properties || typeof f.properties !== 'object') return add('properties', 'must be an object');
    const p = f.properties as Record<string, unknown>;
    const geom = f.geometry as { type?: unknown; coordinates?: unknown } | null | undefined;
    if (p.road !== undefined && (p.kind === undefined || p.kind === 'house_number')) {
      const road = str(p.road, 100);
      const number = typeof p.number === 'number' ? String(p.number) : str(p.number, 30);
      if (!road) return add('properties.road', 'must be the name of a road');
      if (!number || !parseHouseNumber(number)) return add('properties.number', 'must be a house number such as 128号, 128-1号 or 100弄');
      const pt = pointOf(geom);
      if (!pt || geom?.type !== 'Point') return add('geometry', 'a house number must be a Point [lon, lat]');
      const [lon, lat] = conv(pt[0], pt[1]);
      plates.push({ feature: i, road, point: { number: parseHouseNumber(number)!.key, lon, lat } });
      return;
    }
    if (!KINDS.includes(p.kind as PlaceKind)) return add('properties.kind', 'must be road, compound or landmark (or a Point with road and number)');
    const kind = p.kind as PlaceKind;
    const name = str(p.name, 200);
    if (!name) return add('properties.name', 'must be a non-empty name (at most 200 characters)');
    const key = `${kind}|${name}`;
    if (seen.has(key)) return add('properties.name', `${kind} "${name}" is already features[${seen.get(key)}]`);
    seen.set(key, i);
    const optional: Record<string, string | null | undefined> = {};
    for (const [field, max] of [['communityId', 64], ['address', 500], ['category', 50], ['propertyUnitId', 64]] as const) {
      optional[field] = str(p[field], max);
      if (optional[field] === null) return add(`properties.${field}`, `must be a non-empty string of at most ${max} characters`);
    }
    const numbers: HouseNumberPoint[] = [];
    if (p.houseNumbers !== undefined) {
      if (kind !== 'road' || !Array.isArray(p.houseNumbers)) return add('properties.houseNumbers', 'only roads have houseNumbers: an array of {number, lon, lat}');
      for (const [j, h] of (p.houseNumbers as unknown[]).entries()) {
        const hn = (h ?? {}) as Record<string, unknown>;
        const number = parseHouseNumber(typeof hn.number === 'number' ? String(hn.number) : String(hn.number ?? ''));
        if (!number) return add(`properties.houseNumbers[${j}].number`, 'must be a house number such as 128号, 128-1号 or 100弄');
        if (!lonLatOk(hn.lon, hn.lat)) return add(`properties.houseNumbers[${j}]`, 'lon and lat must be numbers within ±180 / ±90');
        const [lon, lat] = conv(hn.lon as number, hn.lat as number);
        numbers.push({ number: number.key, lon, lat });
      }
    }
    const geometry = checkGeometry(kind, geom, numbers.length > 0, add);
    if (geometry === undefined) return;
    const converted = geometry && convertGeometry(geometry, conv);
    const point = converted ? representative(converted) : [numbers[0].lon, numbers[0].lat];
    places.push({
      kind, name, communityId: optional.communityId ?? null, address: optional.address ?? null, category: optional.category ?? null,
      propertyUnitId: kind === 'compound' ? optional.propertyUnitId ?? null : null,
      geometry: converted, lon: point[0], lat: point[1], houseNumbers: numbers, feature: i,
    });
  });
  const roads = new Map(places.filter((p) => p.kind === 'road').map((p) => [p.name, p]));
  const orphanNumbers = new Map<string, HouseNumberPoint[]>();
  for (const { road, point } of plates) {
    const target = roads.get(road)?.houseNumbers ?? orphanNumbers.get(road) ?? [];
    const same = target.findIndex((h) => h.number === point.number);
    if (same >= 0) target[same] = point; // a door plate overrides the road's own list
    else target.push(point);
    if (!roads.has(road)) orphanNumbers.set(road, target);
  }
  const houseNumbers = places.reduce((s, p) => s + p.houseNumbers.length, 0) + [...orphanNumbers.values()].reduce((s, l) => s + l.length, 0);
  return { places, orphanNumbers, houseNumbers, problems };
}

type Geom = { type: string; coordinates: unknown };

function checkGeometry(kind: PlaceKind, g: { type?: unknown; coordinates?: unknown } | null | undefined, hasNumbers: boolean,
  add: (field: string, message: string) => void): Geom | null | undefined {
  if (g === null || g === undefined) {
    if (kind === 'road' && hasNumbers) return null;
    add('geometry', kind === 'road' ? 'a road needs a LineString / MultiLineString or houseNumbers' : 'must be a Point, Polygon or MultiPolygon');
    return undefined;
  }
  const lines = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : undefined;
  if (kind === 'road') {
    if (!Array.isArray(lines) || lines.length === 0) { add('geometry', 'a road must be a LineString or MultiLineString'); return undefined; }
    for (const [k, line] of lines.entries()) {
      if (!Array.isArray(line) || line.length < 2 || !line.every((c) => Array.isArray(c) && lonLatOk(c[0], c[1]))) {
        add(`geometry.coordinates${g.type === 'MultiLineString' ? `[${k}]` : ''}`, 'a line needs two or more [lon, lat] positions within ±180 / ±90');
        return undefined;
      }
    }
    return g as Geom;
  }
  if (g.type === 'Point') {
    const c = g.coordinates as unknown[];
    if (!Array.isArray(c) || !lonLatOk(c[0], c[1])) { add('geometry.coordinates', 'a Point is [lon, lat] within ±180 / ±90'); return undefined; }
    return g as Geom;
  }
  if (g.type === 'Polygon' || g.type === 'MultiPolygon') {
    const problem = validatePolygonGeometry(g)[0];
    if (problem) { add(`geometry.${problem.path}`, problem.message); return undefined; }
    return g as Geom;
  }
  add('geometry.type', 'must be Point, Polygon or MultiPolygon');
  return undefined;
}

function lonLatOk(lon: unknown, lat: unknown): boolean {
  return typeof lon === 'number' && typeof lat === 'number' && Number.isFinite(lon) && Number.isFinite(lat)
    && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;
}

function pointOf(g: { type?: unknown; coordinates?: unknown } | null | undefined): [number, number] | null {
  const c = g?.coordinates as unknown[] | undefined;
  return Array.isArray(c) && lonLatOk(c[0], c[1]) ? [c[0] as number, c[1] as number] : null;
}

function convertGeometry(g: Geom, conv: (x: number, y: number) => [number, number]): Geom {
  const map = (v: unknown): unknown => (Array.isArray(v) && typeof v[0] === 'number' ? conv(v[0], v[1] as number) : (v as unknown[]).map(map));
  return { type: g.type, coordinates: map(g.coordinates) };
}

/** A point for the place: the Point itself, a point inside the polygon, the first position of a road. */
function representative(g: Geom): [number, number] {
  if (g.type === 'Point') return g.coordinates as [number, number];
  if (g.type === 'Polygon' || g.type === 'MultiPolygon') return pointOnSurface(g as PolygonalGeometry);
  const lines = (g.type === 'LineString' ? [g.coordinates] : g.coordinates) as number[][][];
  return lines[0][0] as [number, number];
}

/**
 * Coordinate systems met at the intake edges and their conversion to the platform's internal system.
 *
 * Internally every coordinate is WGS84 longitude/latitude in degrees. CGCS2000 (China's national geodetic
 * datum since 2008) differs from WGS84 by centimetres, far below grid precision, so the two are treated as equal.
 * GCJ-02 ("火星坐标", used by AMap/Tencent maps and most Chinese phone SDKs) and BD-09 (Baidu) are obfuscated
 * systems; their published forward transforms are reproduced here and inverted iteratively, because the common
 * one-step inverse is off by up to ~4 m across China (measured), enough to put a report near a boundary into the
 * neighbouring grid.
 */
import { invalidAs } from '../errors.ts';

export type CoordSystem = 'wgs84' | 'cgcs2000' | 'gcj02' | 'bd09';

export const COORD_SYSTEMS: readonly CoordSystem[] = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'];

/** Throws `invalidAs(field, …)` unless lon ∈ [-180, 180] and lat ∈ [-90, 90] are finite numbers. */
export function validateLonLat(lon: number, lat: number, field: string): void {
  if (typeof lon !== 'number' || !Number.isFinite(lon)) {
    throw invalidAs(field, { key: 'grid.longitude_finite_number_got', params: { lon: String(lon) } }, `longitude must be a finite number, got ${String(lon)}`, { lon, lat });
  }
  if (typeof lat !== 'number' || !Number.isFinite(lat)) {
    throw invalidAs(field, { key: 'grid.latitude_finite_number_got', params: { lat: String(lat) } }, `latitude must be a finite number, got ${String(lat)}`, { lon, lat });
  }
  if (lon < -180 || lon > 180) {
    throw invalidAs(field, { key: 'grid.longitude_outside_180_180_are', params: { lon: String(lon) } }, `longitude ${lon} is outside [-180, 180] (are longitude and latitude swapped?)`, { lon, lat });
  }
  if (lat < -90 || lat > 90) {
    throw invalidAs(field, { key: 'grid.latitude_outside_90_90_are', params: { lat: String(lat) } }, `latitude ${lat} is outside [-90, 90] (are longitude and latitude swapped?)`, { lon, lat });
  }
}

/**
 * The rectangle inside which the official GCJ-02 transform applies an offset. It is a rough box (it includes
 * e.g. parts of Korea and South-East Asia), but it is what the reference implementations and map SDKs use, so a
 * point outside it is passed through unchanged by both the forward and inverse transforms.
 */
export function isInChinaBox(lon: number, lat: number): boolean {
  return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

// Krasovsky 1940 ellipsoid, as used by the GCJ-02 algorithm.
const KRASOVSKY_A = 6378245.0;
const KRASOVSKY_EE = 0.006693421622965943; // 0.00669342162296594323 to the precision of a double
const { sin, cos, sqrt, abs, atan2, PI } = Math;

function offsetLat(x: number, y: number): number {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x));
  ret += ((20.0 * sin(6.0 * x * PI) + 20.0 * sin(2.0 * x * PI)) * 2.0) / 3.0;
  ret += ((20.0 * sin(y * PI) + 40.0 * sin((y / 3.0) * PI)) * 2.0) / 3.0;
  ret += ((160.0 * sin((y / 12.0) * PI) + 320 * sin((y * PI) / 30.0)) * 2.0) / 3.0;
  return ret;
}

function offsetLon(x: number, y: number): number {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x));
  ret += ((20.0 * sin(6.0 * x * PI) + 20.0 * sin(2.0 * x * PI)) * 2.0) / 3.0;
  ret += ((20.0 * sin(x * PI) + 40.0 * sin((x / 3.0) * PI)) * 2.0) / 3.0;
  ret += ((150.0 * sin((x / 12.0) * PI) + 300.0 * sin((x / 30.0) * PI)) * 2.0) / 3.0;
  return ret;
}

/** The GCJ-02 forward transform without the China check (used by the iteration, which decides once). */
function gcjForward(lon: number, lat: number): [number, number] {
  let dLat = offsetLat(lon - 105.0, lat - 35.0);
  let dLon = offsetLon(lon - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * PI;
  let magic = sin(radLat);
  magic = 1 - KRASOVSKY_EE * magic * magic;
  const sqrtMagic = sqrt(magic);
  dLat = (dLat * 180.0) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic)) * PI);
  dLon = (dLon * 180.0) / ((KRASOVSKY_A / sqrtMagic) * cos(radLat) * PI);
  return [lon + dLon, lat + dLat];
}

// Stop when the forward image is within 1e-10° (~0.01 mm) of the target; converges in 2–4 steps because the
// offset field is smooth (its gradient is ~1e-4), the cap only guards against a pathological input.
const INVERSE_TOLERANCE_DEG = 1e-10;
const INVERSE_MAX_STEPS = 30;

/** Inverts a forward transform `f` near the identity by fixed-point iteration: w ← w − (f(w) − target). */
function invert(f: (lon: number, lat: number) => [number, number], lon: number, lat: number, start: [number, number]): [number, number] {
  let [wLon, wLat] = start;
  for (let i = 0; i < INVERSE_MAX_STEPS; i++) {
    const [fLon, fLat] = f(wLon, wLat);
    const dLon = fLon - lon;
    const dLat = fLat - lat;
    wLon -= dLon;
    wLat -= dLat;
    if (abs(dLon) < INVERSE_TOLERANCE_DEG && abs(dLat) < INVERSE_TOLERANCE_DEG) break;
  }
  return [wLon, wLat];
}

export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  if (!isInChinaBox(lon, lat)) return [lon, lat];
  return gcjForward(lon, lat);
}

/** Iterative inverse of {@link wgs84ToGcj02}: the result maps forward onto the input within ~0.01 mm. */
export function gcj02ToWgs84(lon: number, lat: number): [number, number] {
  if (!isInChinaBox(lon, lat)) return [lon, lat];
  return invert(gcjForward, lon, lat, [lon, lat]);
}

const BAIDU_FACTOR = (PI * 3000.0) / 180.0;

function gcjToBdRaw(lon: number, lat: number): [number, number] {
  const z = sqrt(lon * lon + lat * lat) + 0.00002 * sin(lat * BAIDU_FACTOR);
  const theta = atan2(lat, lon) + 0.000003 * cos(lon * BAIDU_FACTOR);
  return [z * cos(theta) + 0.0065, z * sin(theta) + 0.006];
}

/** Baidu's published one-step inverse; used as the starting point of the exact iteration. */
function bdToGcjApprox(lon: number, lat: number): [number, number] {
  const x = lon - 0.0065;
  const y = lat - 0.006;
  const z = sqrt(x * x + y * y) - 0.00002 * sin(y * BAIDU_FACTOR);
  const theta = atan2(y, x) - 0.000003 * cos(x * BAIDU_FACTOR);
  return [z * cos(theta), z * sin(theta)];
}

export function gcj02ToBd09(lon: number, lat: number): [number, number] {
  if (!isInChinaBox(lon, lat)) return [lon, lat];
  return gcjToBdRaw(lon, lat);
}

export function bd09ToGcj02(lon: number, lat: number): [number, number] {
  if (!isInChinaBox(lon, lat)) return [lon, lat];
  return invert(gcjToBdRaw, lon, lat, bdToGcjApprox(lon, lat));
}

export function wgs84ToBd09(lon: number, lat: number): [number, number] {
  if (!isInChinaBox(lon, lat)) return [lon, lat];
  const [gLon, gLat] = gcjForward(lon, lat);
  return gcjToBdRaw(gLon, gLat);
}

export function bd09ToWgs84(lon: number, lat: number): [number, number] {
  if (!isInChinaBox(lon, lat)) return [lon, lat];
  const [gLon, gLat] = invert(gcjToBdRaw, lon, lat, bdToGcjApprox(lon, lat));
  return invert(gcjForward, gLon, gLat, [gLon, gLat]);
}

/**
 * Converts a point given in `from` to internal WGS84. Does not validate ranges (call {@link validateLonLat} at
 * the edge, naming the field); an unknown system name from untyped input is a validation error.
 */
export function toWgs84(lon: number, lat: number, from: CoordSystem): [number, number] {
  switch (from) {
    case 'wgs84':
    case 'cgcs2000':
      return [lon, lat];
    case 'gcj02':
      return gcj02ToWgs84(lon, lat);
    case 'bd09':
      return bd09ToWgs84(lon, lat);
    default: {
      const never: never = from;
      throw invalidAs('coordSystem', { key: 'grid.unknown_coordinate_system_expected_one', params: { never: String(never), allowed: COORD_SYSTEMS.join(', ') } }, `unknown coordinate system "${String(never)}"; expected one of ${COORD_SYSTEMS.join(', ')}`);
    }
  }
}

/** Converts an internal WGS84 point to `to` (for maps that draw in GCJ-02 or BD-09). */
export function fromWgs84(lon: number, lat: number, to: CoordSystem): [number, number] {
  switch (to) {
    case 'wgs84':
    case 'cgcs2000':
      return [lon, lat];
    case 'gcj02':
      return wgs84ToGcj02(lon, lat);
    case 'bd09':
      return wgs84ToBd09(lon, lat);
    default: {
      const never: never = to;
      throw invalidAs('coordSystem', { key: 'grid.unknown_coordinate_system_expected_one', params: { never: String(never), allowed: COORD_SYSTEMS.join(', ') } }, `unknown coordinate system "${String(never)}"; expected one of ${COORD_SYSTEMS.join(', ')}`);
    }
  }
}

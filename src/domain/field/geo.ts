/** Distances on the sphere: enough for a city (error < 0.5 % against the ellipsoid). Pure. */
import type { Bounds } from './types.ts';

const R = 6_371_008.8; // mean Earth radius, m
const RAD = Math.PI / 180;

/** Great-circle distance in metres between two WGS84 points (haversine). */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Metres per degree of latitude, and of longitude at a latitude. */
export const metresPerDegLat = R * RAD;
export const metresPerDegLon = (lat: number): number => R * RAD * Math.cos(lat * RAD);

/** The bounds grown by `marginM` metres on every side. */
export function expandBounds(b: Bounds, marginM: number): Bounds {
  const dLat = marginM / metresPerDegLat;
  const dLon = marginM / metresPerDegLon(Math.max(Math.abs(b.minLat), Math.abs(b.maxLat)));
  return { minLon: b.minLon - dLon, minLat: b.minLat - dLat, maxLon: b.maxLon + dLon, maxLat: b.maxLat + dLat };
}

export const inBounds = (b: Bounds, lon: number, lat: number): boolean =>
  lon >= b.minLon && lon <= b.maxLon && lat >= b.minLat && lat <= b.maxLat;

/**
 * H3 hexagons of the hotspot map (architecture.md §4: h3-js 4.5 for hotspot cells), pure. Each case is placed once
 * in its resolution-9 cell (about 0.1 km², edge ≈ 174 m: finer than a 10,000 m² grid is not useful for heat, and a
 * 50 m recurrence radius fits its 1-ring, see recurrence/detect.ts); coarser layers (7, 8) are the parents of the
 * stored cells, so one stored column serves every zoom.
 */
import { cellToBoundary, cellToParent, gridDisk, isValidCell, latLngToCell } from 'h3-js';
import { invalidAs } from '../errors.ts';

export const STORED_RESOLUTION = 9;
export const MAP_RESOLUTIONS = [7, 8, 9] as const;
export type MapResolution = (typeof MAP_RESOLUTIONS)[number];

/** The stored cell of a point (null when the case has no point). */
export const h3Of = (lon: number | null | undefined, lat: number | null | undefined): string | null =>
  typeof lon === 'number' && typeof lat === 'number' && Number.isFinite(lon) && Number.isFinite(lat) ? latLngToCell(lat, lon, STORED_RESOLUTION) : null;

/** The cell and its six neighbours. */
export const ringOf = (cell: string): string[] => gridDisk(cell, 1);

export function parseResolution(v: number | undefined): MapResolution {
  if (v === undefined) return 8;
  if (!(MAP_RESOLUTIONS as readonly number[]).includes(v)) throw invalidAs('resolution', { key: 'field.one_of', params: { allowed: MAP_RESOLUTIONS.join(', ') } }, `must be one of ${MAP_RESOLUTIONS.join(', ')}`);
  return v as MapResolution;
}

/** The resolution that suits a map zoom (the console asks by zoom): city overview 7, district 8, streets 9. */
export const resolutionForZoom = (zoom: number): MapResolution => (zoom < 11.5 ? 7 : zoom < 13 ? 8 : 9);

/** Stored res-9 counts summed into cells of `resolution`. */
export function rollUpCells(rows: readonly { cell: string; n: number }[], resolution: MapResolution): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    if (!isValidCell(r.cell)) continue;
    const c = resolution === STORED_RESOLUTION ? r.cell : cellToParent(r.cell, resolution);
    out.set(c, (out.get(c) ?? 0) + r.n);
  }
  return out;
}

/** The hexagon as a closed GeoJSON ring ([lon, lat] pairs). */
export function hexagonRing(cell: string): number[][] {
  return cellToBoundary(cell, true).map(([lon, lat]) => [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6]);
}

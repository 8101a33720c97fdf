/**
 * Deterministic synthetic unit grids: a jittered lattice of quadrilaterals whose edges are subdivided into
 * zig-zags, shared exactly between neighbours (a true tessellation, no gaps or overlaps). Used by tests and
 * benchmarks; also usable for a demo city, since real boundaries cannot be redistributed (architecture.md §4).
 */
import type { LinearRing, Polygon, Position } from './geojson.ts';

export interface SyntheticGridOptions {
  cols: number;
  rows: number;
  /** centre of the lattice, WGS84 degrees */
  centerLon: number;
  centerLat: number;
  /** nominal area of one grid (Shanghai's unit grids average ~35,000 m²) */
  cellAreaM2: number;
  seed: number;
  /** corner jitter as a fraction of the cell side (default 0.2; keep ≤ 0.25 for valid polygons) */
  jitter?: number;
  /** interior points per lattice edge, inclusive range (default [1, 4] → 8–20 corners per grid) */
  edgePoints?: [min: number, max: number];
}

export interface SyntheticGrid {
  id: string;
  geometry: Polygon;
}

/** mulberry32: a small, fast, seedable PRNG (public domain); returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Metres per degree of latitude and longitude at `lat` on the WGS84 ellipsoid. */
export function metresPerDegree(lat: number): { lon: number; lat: number } {
  const phi = (lat * Math.PI) / 180;
  const a = 6378137;
  const e2 = 0.00669437999014;
  const w = 1 - e2 * Math.sin(phi) ** 2;
  return { lat: ((a * (1 - e2)) / w ** 1.5) * (Math.PI / 180), lon: ((a * Math.cos(phi)) / Math.sqrt(w)) * (Math.PI / 180) };
}

export function generateSyntheticGrids(opts: SyntheticGridOptions): SyntheticGrid[] {
  const { cols, rows, seed } = opts;
  const jitter = opts.jitter ?? 0.2;
  const [minPts, maxPts] = opts.edgePoints ?? [1, 4];
  const rnd = seededRandom(seed);
  const side = Math.sqrt(opts.cellAreaM2);
  const mpd = metresPerDegree(opts.centerLat);
  const dLon = side / mpd.lon;
  const dLat = side / mpd.lat;
  const lon0 = opts.centerLon - (cols * dLon) / 2;
  const lat0 = opts.centerLat - (rows * dLat) / 2;

  // lattice corners, jittered (the outer boundary too: the layer's edge is irregular like a real district's)
  const vx = new Float64Array((cols + 1) * (rows + 1));
  const vy = new Float64Array((cols + 1) * (rows + 1));
  const v = (i: number, j: number): number => j * (cols + 1) + i;
  for (let j = 0; j <= rows; j++) {
    for (let i = 0; i <= cols; i++) {
      vx[v(i, j)] = lon0 + (i + (rnd() * 2 - 1) * jitter) * dLon;
      vy[v(i, j)] = lat0 + (j + (rnd() * 2 - 1) * jitter) * dLat;
    }
  }

  /** Interior points of the edge a→b: spread along it, pushed sideways by up to 5 % of the side. */
  const zigzag = (a: number, b: number): Position[] => {
    const k = minPts + Math.floor(rnd() * (maxPts - minPts + 1));
    const ax = vx[a], ay = vy[a], bx = vx[b], by = vy[b];
    // perpendicular in metres, converted back to degrees
    const ex = (bx - ax) * mpd.lon, ey = (by - ay) * mpd.lat;
    const len = Math.hypot(ex, ey);
    const px = -ey / len, py = ex / len;
    const pts: Position[] = [];
    for (let m = 0; m < k; m++) {
      const t = 0.2 + (0.6 * (m + 0.25 + 0.5 * rnd())) / k;
      const off = (rnd() * 2 - 1) * 0.05 * side;
      pts.push([ax + t * (bx - ax) + (off * px) / mpd.lon, ay + t * (by - ay) + (off * py) / mpd.lat]);
    }
    return pts;
  };
  const horizontal: Position[][] = []; // edge from v(i, j) to v(i + 1, j), index j * cols + i
  for (let j = 0; j <= rows; j++) for (let i = 0; i < cols; i++) horizontal.push(zigzag(v(i, j), v(i + 1, j)));
  const vertical: Position[][] = []; // edge from v(i, j) to v(i, j + 1), index i * rows + j
  for (let i = 0; i <= cols; i++) for (let j = 0; j < rows; j++) vertical.push(zigzag(v(i, j), v(i, j + 1)));

  const corner = (i: number, j: number): Position => [vx[v(i, j)], vy[v(i, j)]];
  const grids: SyntheticGrid[] = [];
  const width = String(cols * rows - 1).length;
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      // counter-clockwise (RFC 7946 right-hand rule): south, east, north (reversed), west (reversed)
      const ring: LinearRing = [
        corner(i, j),
        ...horizontal[j * cols + i],
        corner(i + 1, j),
        ...vertical[(i + 1) * rows + j],
        corner(i + 1, j + 1),
        ...[...horizontal[(j + 1) * cols + i]].reverse(),
        corner(i, j + 1),
        ...[...vertical[i * rows + j]].reverse(),
        corner(i, j),
      ];
      grids.push({ id: `G${String(j * cols + i).padStart(width, '0')}`, geometry: { type: 'Polygon', coordinates: [ring] } });
    }
  }
  return grids;
}

/**
 * Validation of imported grid and region polygons (GeoJSON Polygon / MultiPolygon), reporting every problem with
 * a path into the document so an administrator can find it in their GIS tool.
 *
 * The rules follow the OGC Simple Features definition of a valid polygon (ISO 19125-1 §6.1.11): rings are closed
 * and simple (no self-crossing or self-touching, no spikes); a hole may touch the shell or another hole at a
 * point but must not cross it or share an edge with it; parts of a MultiPolygon likewise. Repeated consecutive
 * positions are tolerated (they are legal in GeoJSON and common in exports). Not checked, because none of them
 * produces a crossing: that a hole lies inside its shell, that MultiPolygon parts do not nest, and that two rings
 * touch at no more than one point.
 */
import { classify, CROSS, NONE, OVERLAP, TOUCH } from './segments.ts';

export type GeometryProblemCode =
  | 'NOT_POLYGON'
  | 'TOO_FEW_POINTS'
  | 'UNCLOSED_RING'
  | 'COORD_OUT_OF_RANGE'
  | 'SELF_INTERSECTION'
  | 'BAD_COORDINATES';

export interface GeometryProblem {
  code: GeometryProblemCode;
  /** English sentence for an administrator; names the ring and position. */
  message: string;
  /** Where in the geometry, e.g. "coordinates[0][5]" or "coordinates[1][0][3]" for a MultiPolygon. */
  path: string;
}

/** A broken file can have thousands of problems; the first ones are enough to act on. */
const MAX_PROBLEMS = 100;
const MAX_CROSSINGS_PER_GEOMETRY = 20;

/** A structurally sound ring: distinct consecutive vertices, closing position dropped. */
interface CleanRing {
  /** index of the MultiPolygon part, -1 for a Polygon */
  part: number;
  ring: number;
  xs: number[];
  ys: number[];
  /** original position index of each kept vertex */
  orig: number[];
  /** index used to display the end of the closing edge */
  closeIdx: number;
}

const fmt = (x: number): string => String(Math.round(x * 1e6) / 1e6);
const at = (x: number, y: number): string => `[${fmt(x)}, ${fmt(y)}]`;

function describe(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
}

export function validatePolygonGeometry(geom: unknown): GeometryProblem[] {
  const problems: GeometryProblem[] = [];
  const add = (code: GeometryProblemCode, path: string, message: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push({ code, path, message });
  };
  if (geom === null || typeof geom !== 'object' || Array.isArray(geom)) {
    add('NOT_POLYGON', '', `geometry must be a GeoJSON object of type "Polygon" or "MultiPolygon", got ${describe(geom)}`);
    return problems;
  }
  const { type, coordinates } = geom as { type?: unknown; coordinates?: unknown };
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    add('NOT_POLYGON', 'type', `geometry type is ${describe(type)}; expected "Polygon" or "MultiPolygon"`);
    return problems;
  }
  if (!Array.isArray(coordinates)) {
    add('BAD_COORDINATES', 'coordinates', `coordinates of a ${type} must be an array, got ${describe(coordinates)}`);
    return problems;
  }
  const clean: CleanRing[] = [];
  if (type === 'Polygon') {
    checkPolygon(coordinates, -1, clean, add);
  } else if (coordinates.length === 0) {
    add('BAD_COORDINATES', 'coordinates', 'MultiPolygon has no polygons');
  } else {
    for (let p = 0; p < coordinates.length; p++) checkPolygon(coordinates[p], p, clean, add);
  }
  findIntersections(clean, add);
  return problems;
}

type Add = (code: GeometryProblemCode, path: string, message: string) => void;

/** Paths and labels are built only when a problem is reported: validating 40,000 clean grids builds none. */
const ringPath = (part: number, ring: number): string => (part < 0 ? `coordinates[${ring}]` : `coordinates[${part}][${ring}]`);
const ringLabel = (part: number, ring: number): string =>
  `${part < 0 ? '' : `polygon ${part}, `}${ring === 0 ? 'outer ring' : `hole ${ring}`}`;

function checkPolygon(poly: unknown, part: number, clean: CleanRing[], add: Add): void {
  const path = part < 0 ? 'coordinates' : `coordinates[${part}]`;
  const prefix = part < 0 ? '' : `polygon ${part}, `;
  if (!Array.isArray(poly)) {
    add('BAD_COORDINATES', path, cap(`${prefix}polygon must be an array of rings, got ${describe(poly)}`));
    return;
  }
  if (poly.length === 0) {
    add('BAD_COORDINATES', path, cap(`${prefix}polygon has no rings; the first ring must be the outer boundary`));
    return;
  }
  for (let r = 0; r < poly.length; r++) {
    const cr = checkRing(poly[r], part, r, add);
    if (cr) clean.push(cr);
  }
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function isPosition(pos: unknown): pos is number[] {
  if (!Array.isArray(pos) || pos.length < 2) return false;
  for (let k = 0; k < pos.length; k++) {
    const c: unknown = pos[k];
    if (typeof c !== 'number' || !Number.isFinite(c)) return false;
  }
  return true;
}

function checkRing(ring: unknown, part: number, r: number, add: Add): CleanRing | null {
  if (!Array.isArray(ring)) {
    add('BAD_COORDINATES', ringPath(part, r), `${cap(ringLabel(part, r))} must be an array of [longitude, latitude] positions, got ${describe(ring)}`);
    return null;
  }
  let sound = true;
  for (let i = 0; i < ring.length; i++) {
    const pos: unknown = ring[i];
    if (!isPosition(pos)) {
      add('BAD_COORDINATES', `${ringPath(part, r)}[${i}]`, `${cap(ringLabel(part, r))}, position ${i}: expected [longitude, latitude] as finite numbers, got ${describe(pos)}`);
      sound = false;
      continue;
    }
    const lon = pos[0];
    const lat = pos[1];
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      const what = lon < -180 || lon > 180 ? `longitude ${lon} is outside [-180, 180]` : `latitude ${lat} is outside [-90, 90]`;
      add('COORD_OUT_OF_RANGE', `${ringPath(part, r)}[${i}]`, `${cap(ringLabel(part, r))}, position ${i}: ${what} (are longitude and latitude swapped?)`);
      sound = false;
    }
  }
  if (!sound) return null;
  const pts = ring as number[][];
  const n = pts.length;
  if (n < 4) {
    add('TOO_FEW_POINTS', ringPath(part, r), `${cap(ringLabel(part, r))} has ${n} position${n === 1 ? '' : 's'}; a closed ring needs at least 4 (3 corners plus the first repeated at the end)`);
    return null;
  }
  const closed = pts[0][0] === pts[n - 1][0] && pts[0][1] === pts[n - 1][1];
  if (!closed) {
    add('UNCLOSED_RING', `${ringPath(part, r)}[${n - 1}]`, `${cap(ringLabel(part, r))} is not closed: the last position ${at(pts[n - 1][0], pts[n - 1][1])} must repeat the first ${at(pts[0][0], pts[0][1])}`);
  }
  const xs: number[] = [];
  const ys: number[] = [];
  const orig: number[] = [];
  const last = closed ? n - 1 : n;
  for (let i = 0; i < last; i++) {
    const x = pts[i][0];
    const y = pts[i][1];
    const k = xs.length;
    if (k > 0 && xs[k - 1] === x && ys[k - 1] === y) continue;
    xs.push(x);
    ys.push(y);
    orig.push(i);
  }
  while (xs.length > 1 && xs[xs.length - 1] === xs[0] && ys[ys.length - 1] === ys[0]) {
    xs.pop();
    ys.pop();
    orig.pop();
  }
  if (xs.length < 3) {
    add('TOO_FEW_POINTS', ringPath(part, r), `${cap(ringLabel(part, r))} has only ${xs.length} distinct corner${xs.length === 1 ? '' : 's'}; at least 3 are needed`);
    return null;
  }
  return { part, ring: r, xs, ys, orig, closeIdx: closed ? n - 1 : 0 };
}

// Scratch buffers reused across calls (the domain is synchronous): allocating a dozen typed arrays per polygon
// cost more than the sweep itself when validating 40,000 grids.
let cap0 = 0;
let X0 = new Float64Array(0), Y0 = X0, X1 = X0, Y1 = X0, MINX = X0, MAXX = X0, MINY = X0, MAXY = X0;
let RING = new Int32Array(0), SEG = RING, SIZE = RING, ORDER = RING, ACTIVE = RING;

function ensureScratch(n: number): void {
  if (n <= cap0) return;
  cap0 = Math.max(n, cap0 * 2, 256);
  [X0, Y0, X1, Y1, MINX, MAXX, MINY, MAXY] = Array.from({ length: 8 }, () => new Float64Array(cap0));
  [RING, SEG, SIZE, ORDER, ACTIVE] = Array.from({ length: 5 }, () => new Int32Array(cap0));
}

/**
 * Sweep over all edges of all rings, sorted by their west end; only pairs whose bounding boxes overlap are
 * classified, so a ring of n edges costs O(n log n + pairs) instead of O(n²).
 */
function findIntersections(rings: CleanRing[], add: Add): void {
  let total = 0;
  for (const r of rings) total += r.xs.length;
  if (total === 0) return;
  ensureScratch(total);
  const x0 = X0, y0 = Y0, x1 = X1, y1 = Y1, minX = MINX, maxX = MAXX, minY = MINY, maxY = MAXY;
  const ringOf = RING, segOf = SEG, ringSize = SIZE, order = ORDER, active = ACTIVE;
  let s = 0;
  for (let ri = 0; ri < rings.length; ri++) {
    const r = rings[ri];
    const m = r.xs.length;
    for (let k = 0; k < m; k++, s++) {
      const j = k + 1 === m ? 0 : k + 1;
      x0[s] = r.xs[k]; y0[s] = r.ys[k]; x1[s] = r.xs[j]; y1[s] = r.ys[j];
      minX[s] = Math.min(x0[s], x1[s]); maxX[s] = Math.max(x0[s], x1[s]);
      minY[s] = Math.min(y0[s], y1[s]); maxY[s] = Math.max(y0[s], y1[s]);
      ringOf[s] = ri; segOf[s] = k; ringSize[s] = m;
    }
  }
  if (total <= 64) {
    for (let i = 0; i < total; i++) { // insertion sort: grids have a few dozen edges
      const v = minX[i];
      let q = i - 1;
      while (q >= 0 && minX[order[q]] > v) { order[q + 1] = order[q]; q--; }
      order[q + 1] = i;
    }
  } else {
    const sorted = Array.from({ length: total }, (_, i) => i).sort((p, q) => minX[p] - minX[q]);
    for (let i = 0; i < total; i++) order[i] = sorted[i];
  }
  let nActive = 0;
  const hit = [0, 0];
  let reported = 0;
  let seen: Set<string> | undefined; // a pinch point shows up as several touching edge pairs: report it once
  for (let oi = 0; oi < total; oi++) {
    const a = order[oi];
    const aMinX = minX[a], aMinY = minY[a], aMaxY = maxY[a];
    let w = 0;
    for (let t = 0; t < nActive; t++) if (maxX[active[t]] >= aMinX) active[w++] = active[t];
    nActive = w;
    for (let t = 0; t < nActive; t++) {
      const b = active[t];
      if (maxY[b] < aMinY || minY[b] > aMaxY) continue;
      const kind = classify(x0[a], y0[a], x1[a], y1[a], x0[b], y0[b], x1[b], y1[b], hit);
      if (kind === NONE) continue;
      const sameRing = ringOf[a] === ringOf[b];
      if (sameRing) {
        const gap = Math.abs(segOf[a] - segOf[b]);
        // neighbours along a ring always share their common corner; only a fold-back is a problem
        if ((gap === 1 || gap === ringSize[a] - 1) && kind !== OVERLAP) continue;
      } else if (kind === TOUCH) {
        continue; // rings may touch at a point (OGC)
      }
      const aFirst = ringOf[a] < ringOf[b] || (sameRing && segOf[a] < segOf[b]);
      const first = aFirst ? a : b, second = aFirst ? b : a;
      const key = `${ringOf[first]}|${ringOf[second]}|${kind}|${hit[0]}|${hit[1]}`;
      seen ??= new Set();
      if (seen.has(key)) continue;
      seen.add(key);
      const msg = problemMessage(rings, ringOf[first], segOf[first], ringOf[second], segOf[second], kind, hit);
      add('SELF_INTERSECTION', msg.path, msg.message);
      if (++reported >= MAX_CROSSINGS_PER_GEOMETRY) return;
    }
    active[nActive++] = a;
  }
}

function problemMessage(
  rings: CleanRing[], ra: number, sa: number, rb: number, sb: number, kind: number, hit: number[],
): { path: string; message: string } {
  const A = rings[ra];
  const B = rings[rb];
  const edge = (r: CleanRing, k: number): string =>
    `edge ${r.orig[k]}→${k + 1 < r.orig.length ? r.orig[k + 1] : r.closeIdx}`;
  const where = at(hit[0], hit[1]);
  if (ra === rb) {
    const m = A.xs.length;
    const adjacent = sb - sa === 1 || (sa === 0 && sb === m - 1);
    const Label = cap(ringLabel(A.part, A.ring));
    if (adjacent) {
      const corner = sb - sa === 1 ? sb : 0;
      return {
        path: `${ringPath(A.part, A.ring)}[${A.orig[corner]}]`,
        message: `${Label} folds back on itself at position ${A.orig[corner]} ${at(A.xs[corner], A.ys[corner])}: ${edge(A, sa)} and ${edge(A, sb)} overlap (a spike or zero-width part)`,
      };
    }
    const verb = kind === CROSS ? 'crosses itself' : kind === OVERLAP ? 'runs back along itself' : 'touches itself';
    return {
      path: `${ringPath(A.part, A.ring)}[${A.orig[sb]}]`,
      message: `${Label} ${verb} near ${where}: ${edge(A, sa)} meets ${edge(A, sb)}; a ring must not meet itself`,
    };
  }
  const verb = kind === CROSS ? 'crosses' : 'shares an edge with';
  const Label = cap(ringLabel(B.part, B.ring));
  return {
    path: `${ringPath(B.part, B.ring)}[${B.orig[sb]}]`,
    message: `${Label} ${verb} ${ringLabel(A.part, A.ring)} near ${where}: ${edge(B, sb)} meets ${edge(A, sa)} of ${ringLabel(A.part, A.ring)}`,
  };
}

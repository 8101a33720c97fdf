/**
 * Measures and tests on GeoJSON polygons: area, bounding box, centroid, a point guaranteed inside, and
 * point-in-polygon. Planar tests work on degrees (RFC 7946 edges are straight in longitude/latitude); the area
 * is ellipsoidal.
 */
import { polygonsOf, type BBox, type LinearRing, type PolygonalGeometry } from './geojson.ts';

export type { BBox, LinearRing, MultiPolygon, Polygon, PolygonalGeometry, Position } from './geojson.ts';
export { polygonsOf } from './geojson.ts';
export { validatePolygonGeometry, type GeometryProblem, type GeometryProblemCode } from './geometry-validation.ts';

// WGS84 ellipsoid (CGCS2000 differs in the 10th digit of the flattening: irrelevant here).
const WGS84_A = 6378137;
const WGS84_F = 1 / 298.257223563;
const E2 = WGS84_F * (2 - WGS84_F);
const E = Math.sqrt(E2);
const DEG = Math.PI / 180;

/** q(φ) of the authalic latitude (Snyder, Map Projections — A Working Manual, eq. 3-12). */
function authalicQ(sinPhi: number): number {
  const es = E * sinPhi;
  return (1 - E2) * (sinPhi / (1 - es * es) - (1 / (2 * E)) * Math.log((1 - es) / (1 + es)));
}
const QP = authalicQ(1);
/** Authalic radius squared: the sphere with the ellipsoid's surface area. */
const RQ2 = (WGS84_A * WGS84_A * QP) / 2;

/**
 * Area of one ring in m², ignoring orientation. The ring is mapped to the cylindrical equal-area projection of
 * the ellipsoid (x = λ, y = sin β, β the authalic latitude) and measured with the shoelace formula there. That is
 * exact for a quadrangle bounded by meridians and parallels, and within far less than 0.1 % for grid-sized rings.
 */
export function ringAreaM2(ring: LinearRing): number {
  const n = ring.length;
  if (n < 3) return 0;
  const lon0 = ring[0][0];
  let sum = 0;
  let px = 0;
  let py = authalicQ(Math.sin(ring[0][1] * DEG)) / QP;
  for (let i = 1; i <= n; i++) {
    const p = ring[i === n ? 0 : i];
    const x = (p[0] - lon0) * DEG;
    const y = authalicQ(Math.sin(p[1] * DEG)) / QP;
    sum += (x - px) * (y + py);
    px = x;
    py = y;
  }
  return Math.abs(sum / 2) * RQ2;
}

/** Area in m²: each shell minus its holes. */
export function polygonAreaM2(geom: PolygonalGeometry): number {
  let total = 0;
  for (const rings of polygonsOf(geom)) {
    rings.forEach((ring, r) => {
      total += r === 0 ? ringAreaM2(ring) : -ringAreaM2(ring);
    });
  }
  return total;
}

export function bboxOf(geom: PolygonalGeometry): BBox {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const rings of polygonsOf(geom)) {
    for (const ring of rings) {
      for (const p of ring) {
        if (p[0] < minX) minX = p[0];
        if (p[0] > maxX) maxX = p[0];
        if (p[1] < minY) minY = p[1];
        if (p[1] > maxY) maxY = p[1];
      }
    }
  }
  return [minX, minY, maxX, maxY];
}

/**
 * Even-odd test over all rings of all parts: holes are excluded, and a MultiPolygon contains the point when one
 * part does (parts of a valid MultiPolygon do not overlap).
 *
 * Boundary rule (the crossing-number test with half-open edges): each edge counts when lowY ≤ lat < highY and
 * the point is strictly west of it; the edge is evaluated from its lower end, so a shared edge gives the same
 * answer in both polygons. Consequence: in a tessellation every point belongs to exactly one polygon; a point on
 * a shared edge belongs to the polygon east of it (north of it for an east-west edge). Points on the east or north
 * boundary of the whole tessellation are outside.
 */
export function pointInPolygon(lon: number, lat: number, geom: PolygonalGeometry): boolean {
  let inside = false;
  for (const rings of polygonsOf(geom)) {
    for (const ring of rings) {
      if (ringParity(ring, lon, lat)) inside = !inside;
    }
  }
  return inside;
}

/** True when a ray east from the point crosses the ring an odd number of times (see {@link pointInPolygon}). */
export function ringParity(ring: LinearRing, x: number, y: number): boolean {
  const n = ring.length;
  if (n === 0) return false;
  let odd = false;
  // an unclosed ring is closed implicitly, exactly as the spatial index does
  const closed = ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1];
  const edges = closed ? n - 1 : n;
  for (let i = 0; i < edges; i++) {
    const a = ring[i];
    const b = ring[i + 1 === n ? 0 : i + 1];
    let x0 = a[0], y0 = a[1], x1 = b[0], y1 = b[1];
    if (y0 === y1) continue;
    if (y0 > y1) { x0 = b[0]; y0 = b[1]; x1 = a[0]; y1 = a[1]; }
    if (y >= y0 && y < y1 && x < x0 + (y - y0) * ((x1 - x0) / (y1 - y0))) odd = !odd;
  }
  return odd;
}

/**
 * Area-weighted centroid in degrees (planar in longitude/latitude: accurate for city-scale polygons). It may lie
 * outside a concave polygon; use {@link pointOnSurface} for a label or a default location.
 */
export function centroidOf(geom: PolygonalGeometry): [number, number] {
  const parts = polygonsOf(geom);
  const ref = parts[0]?.[0]?.[0];
  if (!ref) return [NaN, NaN];
  const [rx, ry] = ref;
  let a = 0, cx = 0, cy = 0, count = 0, sx = 0, sy = 0;
  for (const rings of parts) {
    rings.forEach((ring, r) => {
      let ra = 0, rcx = 0, rcy = 0;
      const n = ring.length;
      for (let i = 0; i < n; i++) {
        const p = ring[i], q = ring[i + 1 === n ? 0 : i + 1];
        const x0 = p[0] - rx, y0 = p[1] - ry, x1 = q[0] - rx, y1 = q[1] - ry;
        const cross = x0 * y1 - x1 * y0;
        ra += cross;
        rcx += (x0 + x1) * cross;
        rcy += (y0 + y1) * cross;
        sx += p[0];
        sy += p[1];
        count++;
      }
      // shells add, holes subtract, whatever the winding of the file
      const sign = (ra >= 0 ? 1 : -1) * (r === 0 ? 1 : -1);
      a += sign * ra;
      cx += sign * rcx;
      cy += sign * rcy;
    });
  }
  if (Math.abs(a) < 1e-18) return [sx / count, sy / count]; // degenerate: mean of the corners
  return [rx + cx / (3 * a), ry + cy / (3 * a)];
}

/**
 * A point guaranteed to lie inside the geometry (strictly, away from edges): the centroid when it is inside,
 * otherwise the middle of the widest interior stretch of a horizontal line through the largest part (the
 * method of JTS InteriorPointArea). For a degenerate geometry it returns the centroid.
 */
export function pointOnSurface(geom: PolygonalGeometry): [number, number] {
  const c = centroidOf(geom);
  if (pointInPolygon(c[0], c[1], geom)) return c;
  let best: LinearRing[] | undefined;
  let bestArea = -1;
  for (const rings of polygonsOf(geom)) {
    const area = rings.length > 0 ? ringAreaM2(rings[0]) : 0;
    if (area > bestArea) { bestArea = area; best = rings; }
  }
  if (!best || best.length === 0) return c;
  let minY = Infinity, maxY = -Infinity;
  for (const p of best[0]) { if (p[1] < minY) minY = p[1]; if (p[1] > maxY) maxY = p[1]; }
  const mid = (minY + maxY) / 2;
  let below = -Infinity, above = Infinity;
  for (const ring of best) {
    for (const p of ring) {
      if (p[1] <= mid && p[1] > below) below = p[1];
      if (p[1] > mid && p[1] < above) above = p[1];
    }
  }
  if (!Number.isFinite(below) || !Number.isFinite(above)) return c;
  const y = (below + above) / 2; // between two vertex latitudes, so the line passes through no corner
  const xs: number[] = [];
  for (const ring of best) {
    const n = ring.length;
    for (let i = 0; i < n; i++) {
      const a = ring[i], b = ring[i + 1 === n ? 0 : i + 1];
      if ((a[1] > y) !== (b[1] > y)) xs.push(a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
    }
  }
  xs.sort((p, q) => p - q);
  let bestX = c[0], width = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1] - xs[i] > width) { width = xs[i + 1] - xs[i]; bestX = (xs[i] + xs[i + 1]) / 2; }
  }
  return width > 0 ? [bestX, y] : c;
}

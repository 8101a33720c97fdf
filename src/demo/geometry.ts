/**
 * Small planar geometry helpers for the demo city (self-contained on purpose: src/domain/grid is being
 * written concurrently and the demo must not depend on it).
 *
 * Areas are computed in a local tangent plane: WGS84 ellipsoid radii of curvature at the district's origin
 * latitude (meridional M, prime vertical N). Over a district of ~7 km the error against a geodesic area is
 * far below 0.1 %, and the shoelace sum is exactly additive, so grid areas add up to community areas.
 */

export type Pt = [number, number];

const WGS84_A = 6378137;
const WGS84_E2 = 0.00669437999014;

export class LocalProjection {
  readonly lon0: number;
  readonly lat0: number;
  /** metres per degree of longitude / latitude at lat0 */
  readonly mPerDegLon: number;
  readonly mPerDegLat: number;

  constructor(lon0: number, lat0: number) {
    this.lon0 = lon0;
    this.lat0 = lat0;
    const phi = (lat0 * Math.PI) / 180;
    const s2 = Math.sin(phi) ** 2;
    const n = WGS84_A / Math.sqrt(1 - WGS84_E2 * s2);
    const m = (WGS84_A * (1 - WGS84_E2)) / Math.pow(1 - WGS84_E2 * s2, 1.5);
    this.mPerDegLon = (n * Math.cos(phi) * Math.PI) / 180;
    this.mPerDegLat = (m * Math.PI) / 180;
  }

  /** metres east/north of the origin → [lon, lat], rounded to 1e-7° (~1 cm) */
  toLonLat(x: number, y: number): Pt {
    return [roundCoord(this.lon0 + x / this.mPerDegLon), roundCoord(this.lat0 + y / this.mPerDegLat)];
  }

  toXY(lon: number, lat: number): Pt {
    return [(lon - this.lon0) * this.mPerDegLon, (lat - this.lat0) * this.mPerDegLat];
  }
}

export function roundCoord(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

/** signed area of a closed ring in square degrees (positive = counter-clockwise) */
export function signedRingArea(ring: number[][]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  }
  return s / 2;
}

/** absolute area of a closed lon/lat ring in m² */
export function ringAreaM2(ring: number[][], proj: LocalProjection): number {
  // shift to the origin first to keep the products small (precision)
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const x1 = ring[i][0] - proj.lon0;
    const y1 = ring[i][1] - proj.lat0;
    const x2 = ring[i + 1][0] - proj.lon0;
    const y2 = ring[i + 1][1] - proj.lat0;
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s / 2) * proj.mPerDegLon * proj.mPerDegLat;
}

export function polygonAreaM2(coordinates: number[][][], proj: LocalProjection): number {
  let a = 0;
  coordinates.forEach((ring, i) => {
    a += (i === 0 ? 1 : -1) * ringAreaM2(ring, proj);
  });
  return a;
}

export function isClosed(ring: number[][]): boolean {
  if (ring.length < 4) return false;
  const a = ring[0];
  const b = ring[ring.length - 1];
  return a[0] === b[0] && a[1] === b[1];
}

function orient(a: number[], b: number[], c: number[]): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(a: number[], b: number[], p: number[]): boolean {
  return (
    Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1])
  );
}

/** true if segments ab and cd share any point (touching counts) */
export function segmentsIntersect(a: number[], b: number[], c: number[], d: number[]): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(a, b, c)) return true;
  if (o2 === 0 && onSegment(a, b, d)) return true;
  if (o3 === 0 && onSegment(c, d, a)) return true;
  if (o4 === 0 && onSegment(c, d, b)) return true;
  return false;
}

/**
 * A ring is simple if it is closed, has ≥ 3 distinct vertices, no repeated vertex, and no two non-adjacent
 * edges touch. Edges are swept by min-x so the check stays fast on region outlines (~1,000 edges).
 */
export function isSimpleRing(ring: number[][]): boolean {
  if (!isClosed(ring)) return false;
  const n = ring.length - 1; // number of edges = distinct vertices
  if (n < 3) return false;
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const k = ring[i][0] + ',' + ring[i][1];
    if (seen.has(k)) return false;
    seen.add(k);
  }
  const edges = Array.from({ length: n }, (_, i) => {
    const a = ring[i];
    const b = ring[i + 1];
    return { i, a, b, minX: Math.min(a[0], b[0]), maxX: Math.max(a[0], b[0]) };
  }).sort((p, q) => p.minX - q.minX);
  for (let u = 0; u < edges.length; u++) {
    const e = edges[u];
    for (let v = u + 1; v < edges.length && edges[v].minX <= e.maxX; v++) {
      const f = edges[v];
      const gap = Math.abs(e.i - f.i);
      if (gap === 1 || gap === n - 1) {
        // adjacent edges share one vertex; they must not fold back onto each other (collinear overlap)
        const first = gap === 1 ? Math.min(e.i, f.i) : n - 1; // edge whose end is the shared vertex
        const shared = ring[(first + 1) % n];
        const p = ring[first];
        const q = ring[(first + 2) % n];
        const dot = (p[0] - shared[0]) * (q[0] - shared[0]) + (p[1] - shared[1]) * (q[1] - shared[1]);
        if (orient(shared, p, q) === 0 && dot > 0) return false;
        continue;
      }
      if (segmentsIntersect(e.a, e.b, f.a, f.b)) return false;
    }
  }
  return true;
}

/** ray casting; points exactly on an edge are undefined (the generator keeps parts off edges) */
export function pointInRing(x: number, y: number, ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const xi = ring[i][0];
    const yi = ring[i][1];
    const xj = ring[j][0];
    const yj = ring[j][1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function pointInPolygon(x: number, y: number, coordinates: number[][][]): boolean {
  if (!pointInRing(x, y, coordinates[0])) return false;
  for (let h = 1; h < coordinates.length; h++) if (pointInRing(x, y, coordinates[h])) return false;
  return true;
}

/** area-weighted centroid of a simple ring */
export function ringCentroid(ring: number[][]): Pt {
  let a = 0;
  let cx = 0;
  let cy = 0;
  const x0 = ring[0][0];
  const y0 = ring[0][1];
  for (let i = 0; i + 1 < ring.length; i++) {
    const x1 = ring[i][0] - x0;
    const y1 = ring[i][1] - y0;
    const x2 = ring[i + 1][0] - x0;
    const y2 = ring[i + 1][1] - y0;
    const f = x1 * y2 - x2 * y1;
    a += f;
    cx += (x1 + x2) * f;
    cy += (y1 + y2) * f;
  }
  return [x0 + cx / (3 * a), y0 + cy / (3 * a)];
}

/** A uniform bucket index of polygon bounding boxes for point lookups. */
export class BucketIndex<T> {
  private readonly buckets = new Map<number, { item: T; ring: number[][]; box: number[] }[]>();
  constructor(private readonly size: number) {}

  private key(i: number, j: number): number {
    return (i + 100000) * 200003 + (j + 100000);
  }

  insert(ring: number[][], item: T): void {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const [x, y] of ring) {
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    const box = [minX, minY, maxX, maxY];
    for (let i = Math.floor(minX / this.size); i <= Math.floor(maxX / this.size); i++) {
      for (let j = Math.floor(minY / this.size); j <= Math.floor(maxY / this.size); j++) {
        const k = this.key(i, j);
        let b = this.buckets.get(k);
        if (!b) this.buckets.set(k, (b = []));
        b.push({ item, ring, box });
      }
    }
  }

  /** the first polygon containing the point, or undefined */
  find(x: number, y: number): T | undefined {
    const b = this.buckets.get(this.key(Math.floor(x / this.size), Math.floor(y / this.size)));
    if (!b) return undefined;
    for (const e of b) {
      if (x < e.box[0] || x > e.box[2] || y < e.box[1] || y > e.box[3]) continue;
      if (pointInRing(x, y, e.ring)) return e.item;
    }
    return undefined;
  }
}

/** distance from p to segment ab and the parameter t of the foot point */
export function distToSegment(p: Pt, a: Pt, b: Pt): { d: number; t: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  let t = l2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2;
  t = Math.max(0, Math.min(1, t));
  const fx = a[0] + t * dx - p[0];
  const fy = a[1] + t * dy - p[1];
  return { d: Math.hypot(fx, fy), t };
}

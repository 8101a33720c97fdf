/**
 * The rebuild's neighbour index (pure): the recent reports of each matter in square buckets about `radiusMeters`
 * wide, and per (matter, part). `candidates(c)` returns a superset of c's neighbours (detect.ts `isNeighbour`) among
 * the points added so far, and `decide` filters it exactly, so the rebuild decides as the job does.
 *
 * Why squares and not the job's H3 1-ring: the ring of seven resolution-9 cells covers ≈ 0.74 km², a 50 m circle
 * 0.008 km², so ~99 % of the ring's points were measured only to be dropped; at 10,000,000 reports (a few hundred
 * same-matter reports per ring in 90 days) that made the rebuild slow down as the store grew. The 3 × 3 squares of
 * side ≈ r cover 9 r² against π r² (a third of what is read is a neighbour).
 *
 * In each bucket the points not yet in a problem are kept apart from those in one (grouped by problem). `decide`
 * needs every neighbour not yet in a problem, the oldest problem among the neighbours and whether there are N − 1
 * neighbours at all; so of the points already in problems only enough neighbours are returned to show those two,
 * taken from the groups in ascending problem order (at a recurring spot that is one or two points, not hundreds).
 * A point that joins a problem moves to its group the next time its bucket is read.
 *
 * Buckets: rows of latitude `r / 111,000` degrees (a degree of latitude is 111,195 m on the sphere haversine uses,
 * so a neighbour is at most one row away); in row k, columns of `r / (111,000 · cos φ)` degrees of longitude, φ the
 * largest |latitude| of row k and its two neighbours (a degree of longitude is shortest there, so a neighbour is at
 * most one column away). Longitudes are not wrapped at ±180° (no city spans the antimeridian).
 */
import { isNeighbour, type RecurrencePoint } from './detect.ts';
import type { RecurrenceSettings } from './settings.ts';

export interface WindowPoint extends RecurrencePoint { matterCode: string; h3: string | null }

/** Metres per degree of latitude, rounded down from the haversine sphere's 111,195 (so boxes err on the large side). */
const DEG_M = 111_000;

/**
 * A longitude/latitude box holding every point within `radiusMeters` of (lon, lat) by haversine (the job's store
 * query narrows its H3 1-ring with it). A degree of longitude is shortest at the box's poleward edge.
 */
export function boxAround(lon: number, lat: number, radiusMeters: number): { minLon: number; maxLon: number; minLat: number; maxLat: number } {
  const dLat = radiusMeters / DEG_M;
  const dLon = lonDegrees(radiusMeters, Math.abs(lat) + dLat);
  return { minLon: lon - dLon, maxLon: lon + dLon, minLat: lat - dLat, maxLat: lat + dLat };
}

/** Degrees of longitude that `meters` span at latitude `absLat` (or nearer the pole: an upper bound up to there; capped at 89°). */
function lonDegrees(meters: number, absLat: number): number {
  return meters / (DEG_M * Math.cos((Math.min(89, absLat) * Math.PI) / 180));
}

interface Bucket<P> { free: P[]; groups: Map<number, P[]> }

export class RecurrenceWindow<P extends WindowPoint = WindowPoint> {
  private readonly dLat: number;
  private readonly spatial = new Map<string, Bucket<P>>();
  private readonly byPart = new Map<string, Bucket<P>>();
  private readonly colWidth = new Map<number, number>();

  /** `keepMs`: how far back from a report its candidates reach (the window, plus slack for reports stored out of time order). */
  constructor(private readonly s: Pick<RecurrenceSettings, 'radiusMeters' | 'windowDays' | 'minCount'>, private readonly keepMs: number) {
    this.dLat = s.radiusMeters / DEG_M;
  }

  /** The longitude width of row k's columns. */
  private width(k: number): number {
    let w = this.colWidth.get(k);
    if (w === undefined) {
      // the largest |latitude| of row k and its neighbours
      w = lonDegrees(this.s.radiusMeters, Math.max(Math.abs(k * this.dLat), Math.abs((k + 1) * this.dLat)) + this.dLat);
      this.colWidth.set(k, w);
    }
    return w;
  }

  private row(lat: number): number { return Math.floor(lat / this.dLat); }

  /** Is p placed on the map (the job's index keys by its H3 cell; a point without one is found by its part only)? */
  private static placed(p: WindowPoint): p is WindowPoint & { lon: number; lat: number } {
    return p.h3 !== null && p.lon !== null && p.lat !== null;
  }

  /** Drops points older than `since − keepMs` from the front of a list (kept in id order ≈ time order). */
  private fresh(list: P[], since: number): P[] {
    let i = 0;
    while (i < list.length && list[i].at < since - this.keepMs) i++;
    if (i) list.splice(0, i);
    return list;
  }

  private static toGroup<P extends WindowPoint>(b: Bucket<P>, p: P): void {
    const g = b.groups.get(p.problemId!);
    if (g) g.push(p); else b.groups.set(p.problemId!, [p]);
  }

  /**
   * Candidates for c such that `decide(c, candidates)` is `decide(c, every earlier point)`: every point of the
   * buckets not yet in a problem, and of those in problems enough neighbours to show the oldest problem among c's
   * neighbours and to make up N − 1 neighbours if there are that many. Each point once.
   */
  candidates(c: P): P[] {
    const out: P[] = [];
    const groups: { id: number; pts: P[]; parted: boolean }[] = [];
    const read = (b: Bucket<P> | undefined, skipParted: boolean) => {
      if (!b) return;
      let w = 0;
      for (const p of b.free) {
        if (p.at < c.at - this.keepMs) continue;
        if (p.problemId !== null) { RecurrenceWindow.toGroup(b, p); continue; }
        b.free[w++] = p;
        // With a part, a point naming a part is either the same part (in the part bucket) or not a neighbour.
        if (!(skipParted && p.partId)) out.push(p);
      }
      b.free.length = w;
      for (const [id, pts] of b.groups) groups.push({ id, pts, parted: skipParted });
    };
    if (RecurrenceWindow.placed(c)) {
      const kc = this.row(c.lat);
      for (let k = kc - 1; k <= kc + 1; k++) {
        const w = this.width(k);
        for (let j = Math.floor((c.lon - w) / w), hi = Math.floor((c.lon + w) / w); j <= hi; j++) read(this.spatial.get(`${c.matterCode}|${k}|${j}`), !!c.partId);
      }
    }
    if (c.partId) read(this.byPart.get(`${c.matterCode}|${c.partId}`), false);
    if (groups.length === 0) return out;
    let near = 0;
    for (const p of out) if (isNeighbour(c, p, this.s)) near++;
    // The first neighbour met in ascending problem order is in the oldest problem; then as many as N − 1 needs.
    let need = Math.max(this.s.minCount - 1 - near, 1);
    groups.sort((a, b) => a.id - b.id);
    scan: for (const g of groups) {
      for (const p of this.fresh(g.pts, c.at)) {
        if (g.parted && p.partId) continue;
        if (isNeighbour(c, p, this.s)) { out.push(p); if (--need === 0) break scan; }
      }
    }
    return out;
  }

  add(p: P): void {
    const put = (m: Map<string, Bucket<P>>, key: string) => {
      let b = m.get(key);
      if (!b) m.set(key, (b = { free: [], groups: new Map() }));
      if (p.problemId === null) b.free.push(p); else RecurrenceWindow.toGroup(b, p);
    };
    if (RecurrenceWindow.placed(p)) {
      const k = this.row(p.lat);
      put(this.spatial, `${p.matterCode}|${k}|${Math.floor(p.lon / this.width(k))}`);
    }
    if (p.partId) put(this.byPart, `${p.matterCode}|${p.partId}`);
  }

  /** Forgets what the window has moved past (`newest`: the latest report seen); moves points that joined a problem. */
  prune(newest: number): void {
    const keep = (p: P) => p.at >= newest - this.keepMs;
    for (const m of [this.spatial, this.byPart]) {
      for (const [k, b] of m) {
        const free = b.free.filter(keep);
        b.free = free.filter((p) => p.problemId === null);
        for (const p of free) if (p.problemId !== null) RecurrenceWindow.toGroup(b, p);
        for (const [id, pts] of b.groups) { const f = pts.filter(keep); if (f.length) b.groups.set(id, f); else b.groups.delete(id); }
        if (b.free.length === 0 && b.groups.size === 0) m.delete(k);
      }
    }
  }

  /** Every point held, each once. */
  *points(): Iterable<P> {
    for (const b of this.spatial.values()) { yield* b.free; for (const g of b.groups.values()) yield* g; }
    for (const b of this.byPart.values()) {
      for (const p of b.free) if (!RecurrenceWindow.placed(p)) yield p;
      for (const g of b.groups.values()) for (const p of g) if (!RecurrenceWindow.placed(p)) yield p;
    }
  }
}

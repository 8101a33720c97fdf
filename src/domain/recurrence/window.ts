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
 * Buckets: rows of latitude `r / 111,000` degrees (a degree of latitude is 111,195 m on the sphere haversine uses,
 * so a neighbour is at most one row away); in row k, columns of `r / (111,000 · cos φ)` degrees of longitude, φ the
 * largest |latitude| of row k and its two neighbours (a degree of longitude is shortest there, so a neighbour is at
 * most one column away). Longitudes are not wrapped at ±180° (no city spans the antimeridian).
 */
import type { RecurrencePoint } from './detect.ts';

export interface WindowPoint extends RecurrencePoint { matterCode: string; h3: string | null }

const DEG_M = 111_000;

export class RecurrenceWindow<P extends WindowPoint = WindowPoint> {
  private readonly dLat: number;
  private readonly spatial = new Map<string, P[]>();
  private readonly byPart = new Map<string, P[]>();
  private readonly colWidth = new Map<number, number>();

  /** `keepMs`: how far back from a report its candidates reach (the window, plus slack for reports stored out of time order). */
  constructor(private readonly radiusMeters: number, private readonly keepMs: number) {
    this.dLat = radiusMeters / DEG_M;
  }

  /** The longitude width of row k's columns. */
  private width(k: number): number {
    let w = this.colWidth.get(k);
    if (w === undefined) {
      const phi = Math.min(89, Math.max(Math.abs(k * this.dLat), Math.abs((k + 1) * this.dLat)) + this.dLat);
      w = this.radiusMeters / (DEG_M * Math.cos((phi * Math.PI) / 180));
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
  private fresh(list: P[] | undefined, since: number): P[] {
    if (!list) return [];
    let i = 0;
    while (i < list.length && list[i].at < since - this.keepMs) i++;
    if (i) list.splice(0, i);
    return list;
  }

  /** Every earlier point that may be c's neighbour (and some that are not); each point once. */
  candidates(c: P): P[] {
    const out: P[] = [];
    if (RecurrenceWindow.placed(c)) {
      const kc = this.row(c.lat);
      for (let k = kc - 1; k <= kc + 1; k++) {
        const w = this.width(k);
        for (let j = Math.floor((c.lon - w) / w), hi = Math.floor((c.lon + w) / w); j <= hi; j++) {
          // With a part, a point naming a part is either the same part (in the part list below) or not a neighbour.
          for (const p of this.fresh(this.spatial.get(`${c.matterCode}|${k}|${j}`), c.at)) if (!c.partId || !p.partId) out.push(p);
        }
      }
    }
    if (c.partId) for (const p of this.fresh(this.byPart.get(`${c.matterCode}|${c.partId}`), c.at)) out.push(p);
    return out;
  }

  add(p: P): void {
    const push = (m: Map<string, P[]>, key: string) => { const l = m.get(key); if (l) l.push(p); else m.set(key, [p]); };
    if (RecurrenceWindow.placed(p)) {
      const k = this.row(p.lat);
      push(this.spatial, `${p.matterCode}|${k}|${Math.floor(p.lon / this.width(k))}`);
    }
    if (p.partId) push(this.byPart, `${p.matterCode}|${p.partId}`);
  }

  /** Forgets lists the window has moved past (`newest`: the latest report seen). */
  prune(newest: number): void {
    for (const m of [this.spatial, this.byPart]) for (const [k, l] of m) if (this.fresh(l, newest).length === 0) m.delete(k);
  }

  /** Every point held, each once. */
  *points(): Iterable<P> {
    for (const l of this.spatial.values()) yield* l;
    for (const l of this.byPart.values()) for (const p of l) if (!RecurrenceWindow.placed(p)) yield p;
  }
}

/**
 * The nearest field resources to a point, in memory: positions bucketed in square cells (~550 m), searched ring by
 * ring outward until the k-th best is nearer than anything an unsearched ring could hold. For 5,000 people on duty in
 * a city a query looks at a few dozen cells. Pure data structure (no clock: freshness is the caller's filter).
 */
import { distanceM, metresPerDegLat, metresPerDegLon } from './geo.ts';

export interface Located { lon: number; lat: number }

export interface NearestHit<T> { id: string; distanceM: number; item: T }

const OFFSET = 1 << 20;

export class NearestIndex<T extends Located> {
  readonly #cellDeg: number;
  readonly #cells = new Map<number, Map<string, T>>();
  readonly #items = new Map<string, { key: number; item: T }>();

  constructor(cellDeg = 0.005) {
    this.#cellDeg = cellDeg;
  }

  get size(): number {
    return this.#items.size;
  }

  #cx(lon: number): number { return Math.floor(lon / this.#cellDeg); }
  #cy(lat: number): number { return Math.floor(lat / this.#cellDeg); }
  static #key(cx: number, cy: number): number { return (cx + OFFSET) * 2 * OFFSET + (cy + OFFSET); }

  get(id: string): T | undefined {
    return this.#items.get(id)?.item;
  }

  /** Adds or moves an item. */
  upsert(id: string, item: T): void {
    const key = NearestIndex.#key(this.#cx(item.lon), this.#cy(item.lat));
    const old = this.#items.get(id);
    if (old && old.key !== key) {
      const cell = this.#cells.get(old.key);
      cell?.delete(id);
      if (cell && cell.size === 0) this.#cells.delete(old.key);
    }
    let cell = this.#cells.get(key);
    if (!cell) this.#cells.set(key, (cell = new Map()));
    cell.set(id, item);
    this.#items.set(id, { key, item });
  }

  remove(id: string): void {
    const old = this.#items.get(id);
    if (!old) return;
    const cell = this.#cells.get(old.key);
    cell?.delete(id);
    if (cell && cell.size === 0) this.#cells.delete(old.key);
    this.#items.delete(id);
  }

  *values(): IterableIterator<T> {
    for (const v of this.#items.values()) yield v.item;
  }

  /** Up to `k` items passing `accept`, nearest first, no farther than `maxM` metres. */
  nearest(lon: number, lat: number, k: number, accept: (item: T, id: string) => boolean = () => true, maxM = Infinity): NearestHit<T>[] {
    const hits: NearestHit<T>[] = [];
    if (k <= 0 || this.#items.size === 0) return hits;
    const consider = (id: string, item: T) => {
      if (!accept(item, id)) return;
      const d = distanceM(lon, lat, item.lon, item.lat);
      if (d > maxM) return;
      if (hits.length < k) {
        hits.push({ id, distanceM: d, item });
        hits.sort((a, b) => a.distanceM - b.distanceM);
      } else if (d < hits[k - 1].distanceM) {
        hits[k - 1] = { id, distanceM: d, item };
        hits.sort((a, b) => a.distanceM - b.distanceM);
      }
    };
    // The smallest distance across one cell: its side in latitude or, nearer the poles, in longitude.
    const cellM = this.#cellDeg * Math.min(metresPerDegLat, metresPerDegLon(Math.min(89, Math.abs(lat) + this.#cellDeg)));
    const maxRingByDistance = Number.isFinite(maxM) ? Math.ceil(maxM / cellM) + 1 : Infinity;
    const cx = this.#cx(lon);
    const cy = this.#cy(lat);
    let scannedCells = 0;
    for (let r = 0; r <= maxRingByDistance; r++) {
      const ringCells = r === 0 ? 1 : 8 * r;
      // When the rings grow larger than the index itself, a plain scan is cheaper (sparse or far-away data).
      if (scannedCells + ringCells > this.#cells.size * 4 + 64) {
        hits.length = 0;
        for (const [id, v] of this.#items) consider(id, v.item);
        return hits;
      }
      scannedCells += ringCells;
      for (let dx = -r; dx <= r; dx++) {
        const edge = dx === -r || dx === r;
        for (let dy = -r; dy <= r; dy += edge ? 1 : 2 * r) {
          const cell = this.#cells.get(NearestIndex.#key(cx + dx, cy + dy));
          if (cell) for (const [id, item] of cell) consider(id, item);
          if (r === 0) break;
        }
      }
      // Anything in ring r+1 or beyond is at least r cells away.
      if (hits.length === k && hits[k - 1].distanceM <= r * cellM) break;
    }
    return hits;
  }
}

/**
 * Live grid colours for the big screen: the map keeps its layers; only feature state changes. Updates (a poll
 * of /stats/grids every few seconds, plus a live event per new case in between) are collected and written in
 * one requestAnimationFrame at most every 250 ms, and only for the grids whose colour actually changed — 10 events
 * a second cost at most four small batches of map.setFeatureState calls (four map repaints), never a new layer
 * or a new source.
 */
import type { MapLibreMap } from '../../components/MapView.tsx';

/** [open, overdue, warning] per grid. */
export type GridCounts = [number, number, number];

export interface GridPaint { color: string; opacity: number }

/** Colour of a grid: red when anything is overdue, amber when in warning, blue shades by open cases. */
export function paintOf(c: GridCounts | undefined): GridPaint | null {
  if (!c || c[0] <= 0) return null;
  if (c[1] > 0) return { color: c[1] >= 3 ? '#ff1744' : '#ef5350', opacity: 0.8 };
  if (c[2] > 0) return { color: '#ffa726', opacity: 0.7 };
  if (c[0] >= 5) return { color: '#b3e5fc', opacity: 0.9 };
  if (c[0] >= 2) return { color: '#4fc3f7', opacity: 0.85 };
  return { color: '#1e88e5', opacity: 0.8 };
}

export const LEGEND: { color: string; zh: string; en: string }[] = [
  { color: '#1e88e5', zh: '在办 1 件', en: '1 open' },
  { color: '#4fc3f7', zh: '在办 2–4 件', en: '2–4 open' },
  { color: '#b3e5fc', zh: '在办 ≥5 件', en: '≥5 open' },
  { color: '#ffa726', zh: '有预警', en: 'warning' },
  { color: '#ef5350', zh: '有超期', en: 'overdue' },
];

/** Map repaints for colour changes: at most 4 a second, however many events arrive. */
const MIN_INTERVAL_MS = 250;

const key = (p: GridPaint | null) => (p ? `${p.color}|${p.opacity}` : '');

export class GridPainter {
  private map: MapLibreMap | undefined;
  /** What the map currently shows, per grid. */
  private shown = new Map<string, string>();
  /** What it should show, waiting for the next frame. */
  private pending = new Map<string, GridPaint | null>();
  private frame = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlush = -Infinity;
  /** Called after each flush with the number of coloured grids (for the page and the tests). */
  onFlush?: (coloured: number) => void;

  attach(map: MapLibreMap | undefined): void {
    this.map = map;
    this.shown.clear();
    this.schedule();
  }

  /** Sets the wanted colour of every grid in `counts`; grids not listed go back to the default. */
  setAll(counts: Map<string, GridCounts>): void {
    const seen = new Set<string>();
    for (const [id, c] of counts) { seen.add(id); this.pending.set(id, paintOf(c)); }
    for (const id of this.shown.keys()) if (!seen.has(id)) this.pending.set(id, null);
    for (const id of [...this.pending.keys()]) if (!seen.has(id) && !this.shown.has(id)) this.pending.delete(id);
    this.schedule();
  }

  set(id: string, c: GridCounts | undefined): void {
    this.pending.set(id, paintOf(c));
    this.schedule();
  }

  get coloured(): number { return this.shown.size; }

  private schedule(): void {
    if (this.frame || this.timer || !this.map || this.pending.size === 0) return;
    // At most one batch per MIN_INTERVAL_MS (each batch repaints the map once), written in an animation frame.
    const wait = this.lastFlush + MIN_INTERVAL_MS - performance.now();
    if (wait > 0) this.timer = setTimeout(() => { this.timer = undefined; this.schedule(); }, wait);
    else this.frame = requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.frame = 0;
    this.lastFlush = performance.now();
    const map = this.map;
    if (!map || !map.getSource('grids')) return;
    for (const [id, p] of this.pending) {
      const k = key(p);
      if ((this.shown.get(id) ?? '') === k) continue;
      if (p) { map.setFeatureState({ source: 'grids', id }, { color: p.color, opacity: p.opacity }); this.shown.set(id, k); } else { map.removeFeatureState({ source: 'grids', id }); this.shown.delete(id); }
    }
    this.pending.clear();
    this.onFlush?.(this.shown.size);
  }

  dispose(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    this.frame = 0;
    this.timer = undefined;
    this.map = undefined;
  }
}

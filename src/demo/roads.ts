/**
 * Roads of the demo district: they run along lattice lines (so they follow grid edges, as real unit grids are
 * bounded by roads) every 4–6 cells. 东西向 roads are "…路", 南北向 roads "…街", the two longest "…大道".
 * House numbers follow the usual Chinese rule 左单右双: facing the direction of increasing numbers (east on
 * 东西向 roads, north on 南北向 roads), odd numbers are on the left, even on the right, numbered from the
 * west / south end.
 */
import type { HouseNumber } from './types.ts';
import type { Prng } from './prng.ts';
import type { Pt } from './geometry.ts';
import { type Lattice, vIndex } from './lattice.ts';
import { EW_ROAD_WORDS, NS_MAIN_ROAD_WORDS, NS_ROAD_WORDS, NamePool } from './names.ts';

/** spacing of house numbers along a road (m); numbers step by 2 on each side */
export const HOUSE_SPACING_M = 45;
const HOUSE_OFFSET_M = 14;

export interface RoadRun {
  name: string;
  dir: 'EW' | 'NS';
  main: boolean;
  /** lattice line index (row edge j for EW, column edge i for NS) */
  line: number;
  /** first and last cell step along the line */
  from: number;
  to: number;
  /** half-res vertex indices along the road, 2 per step + 1 */
  verts: number[];
  /** cumulative length (m) at each vertex */
  cum: number[];
  /** per step: the lattice cell on the left / right (−1 outside the district) */
  left: number[];
  right: number[];
  houses: HouseMeta[];
}

export interface HouseMeta extends HouseNumber {
  side: 'left' | 'right';
  /** the lattice cell the number belongs to */
  cell: number;
  d: number;
}

export function buildRoads(l: Lattice, inDistrict: Uint8Array, rng: Prng): RoadRun[] {
  let minI = Infinity, maxI = -Infinity, minJ = Infinity, maxJ = -Infinity;
  for (let c = 0; c < inDistrict.length; c++) {
    if (!inDistrict[c]) continue;
    const i = c % l.nx;
    const j = (c - i) / l.nx;
    minI = Math.min(minI, i); maxI = Math.max(maxI, i); minJ = Math.min(minJ, j); maxJ = Math.max(maxJ, j);
  }
  const cellAt = (i: number, j: number) => (i >= 0 && j >= 0 && i < l.nx && j < l.ny && inDistrict[j * l.nx + i] ? j * l.nx + i : -1);
  const lines = (lo: number, hi: number) => {
    const out: number[] = [];
    for (let k = lo + rng.int(2, 4); k < hi; k += rng.int(4, 6)) out.push(k);
    return out;
  };
  const runs: RoadRun[] = [];
  // 东西向: line j between rows j−1 (south, right side) and j (north, left side), steps along columns i
  for (const j of lines(minJ, maxJ)) {
    const run = longestRun(l.nx, (i) => cellAt(i, j) >= 0 || cellAt(i, j - 1) >= 0);
    if (!run) continue;
    const verts: number[] = [];
    for (let I = 2 * run[0]; I <= 2 * run[1] + 2; I++) verts.push(vIndex(l, I, 2 * j));
    const left: number[] = [];
    const right: number[] = [];
    for (let i = run[0]; i <= run[1]; i++) { left.push(cellAt(i, j)); right.push(cellAt(i, j - 1)); }
    runs.push(makeRun(l, 'EW', j, run, verts, left, right));
  }
  // 南北向: line i between columns i−1 (west, left side) and i (east, right side), steps along rows j
  for (const i of lines(minI, maxI)) {
    const run = longestRun(l.ny, (j) => cellAt(i, j) >= 0 || cellAt(i - 1, j) >= 0);
    if (!run) continue;
    const verts: number[] = [];
    for (let J = 2 * run[0]; J <= 2 * run[1] + 2; J++) verts.push(vIndex(l, 2 * i, J));
    const left: number[] = [];
    const right: number[] = [];
    for (let j = run[0]; j <= run[1]; j++) { left.push(cellAt(i - 1, j)); right.push(cellAt(i, j)); }
    runs.push(makeRun(l, 'NS', i, run, verts, left, right));
  }
  nameRoads(runs, rng.fork('road-names'));
  for (const r of runs) r.houses = houseNumbers(l, r);
  return runs;
}

function longestRun(n: number, ok: (k: number) => boolean): [number, number] | null {
  let best: [number, number] | null = null;
  let start = -1;
  for (let k = 0; k <= n; k++) {
    if (k < n && ok(k)) {
      if (start < 0) start = k;
    } else if (start >= 0) {
      if (!best || k - 1 - start > best[1] - best[0]) best = [start, k - 1];
      start = -1;
    }
  }
  return best && best[1] - best[0] + 1 >= 6 ? best : null;
}

function makeRun(l: Lattice, dir: 'EW' | 'NS', line: number, run: [number, number], verts: number[], left: number[], right: number[]): RoadRun {
  const cum = [0];
  for (let k = 1; k < verts.length; k++) {
    cum.push(cum[k - 1] + Math.hypot(l.xs[verts[k]] - l.xs[verts[k - 1]], l.ys[verts[k]] - l.ys[verts[k - 1]]));
  }
  return { name: '', dir, main: false, line, from: run[0], to: run[1], verts, cum, left, right, houses: [] };
}

/** the two longest roads of each direction are 主干道; the longest 南北向 ones are …大道 */
function nameRoads(runs: RoadRun[], rng: Prng): void {
  const ew = new NamePool(rng.fork('ew'), EW_ROAD_WORDS);
  const nsMain = new NamePool(rng.fork('ns-main'), NS_MAIN_ROAD_WORDS);
  const ns = new NamePool(rng.fork('ns'), NS_ROAD_WORDS);
  const used = new Set<string>();
  for (const dir of ['EW', 'NS'] as const) {
    const list = runs.filter((r) => r.dir === dir).sort((a, b) => length(b) - length(a) || a.line - b.line);
    list.forEach((r, rank) => {
      r.main = rank < 2;
      // a word may serve one road only (no 滨江路 next to 滨江大道)
      const fresh = (w: string) => !used.has(w);
      const word = dir === 'EW' ? ew.takeWhere(fresh) : r.main ? nsMain.takeWhere(fresh) : ns.takeWhere(fresh);
      used.add(word);
      r.name = word + (dir === 'EW' ? '路' : r.main ? '大道' : '街');
    });
  }
}

export function length(r: RoadRun): number {
  return r.cum[r.cum.length - 1];
}

/** point at distance d along the road, `offset` metres to the left (negative: right); with its step index */
export function pointAlong(l: Lattice, r: RoadRun, d: number, offset: number): { p: Pt; step: number } {
  const total = length(r);
  const dd = Math.max(0, Math.min(total - 1e-6, d));
  let k = 1;
  while (k < r.cum.length - 1 && r.cum[k] < dd) k++;
  const a = r.verts[k - 1];
  const b = r.verts[k];
  const seg = r.cum[k] - r.cum[k - 1];
  const t = seg > 0 ? (dd - r.cum[k - 1]) / seg : 0;
  const dx = (l.xs[b] - l.xs[a]) / seg;
  const dy = (l.ys[b] - l.ys[a]) / seg;
  const x = l.xs[a] + t * (l.xs[b] - l.xs[a]) - dy * offset;
  const y = l.ys[a] + t * (l.ys[b] - l.ys[a]) + dx * offset;
  return { p: [x, y], step: Math.floor((k - 1) / 2) };
}

function houseNumbers(l: Lattice, r: RoadRun): HouseMeta[] {
  const out: HouseMeta[] = [];
  const total = length(r);
  for (let n = 0; (n + 0.5) * HOUSE_SPACING_M < total; n++) {
    const d = (n + 0.5) * HOUSE_SPACING_M;
    for (const side of ['left', 'right'] as const) {
      const { p, step } = pointAlong(l, r, d, side === 'left' ? HOUSE_OFFSET_M : -HOUSE_OFFSET_M);
      // keep numbers off the ends of a cell side so the point is well inside that cell
      const frac = (d - r.cum[2 * step]) / (r.cum[2 * step + 2] - r.cum[2 * step]);
      const cell = side === 'left' ? r.left[step] : r.right[step];
      if (cell < 0 || frac < 0.1 || frac > 0.9) continue;
      const [lon, lat] = l.proj.toLonLat(p[0], p[1]);
      out.push({ number: `${side === 'left' ? 2 * n + 1 : 2 * n + 2}号`, lon, lat, side, cell, d });
    }
  }
  return out;
}

export interface Intersection {
  ew: RoadRun;
  ns: RoadRun;
  /** half-res vertex of the crossing */
  vertex: number;
  /** the four cells around the crossing (−1 outside the district): SW, SE, NW, NE */
  quadrants: [number, number, number, number];
}

export function intersections(l: Lattice, runs: RoadRun[], inDistrict: Uint8Array): Intersection[] {
  const out: Intersection[] = [];
  const cellAt = (i: number, j: number) => (i >= 0 && j >= 0 && i < l.nx && j < l.ny && inDistrict[j * l.nx + i] ? j * l.nx + i : -1);
  for (const ew of runs.filter((r) => r.dir === 'EW')) {
    for (const ns of runs.filter((r) => r.dir === 'NS')) {
      const i = ns.line;
      const j = ew.line;
      if (i <= ew.from || i > ew.to || j <= ns.from || j > ns.to) continue;
      out.push({ ew, ns, vertex: vIndex(l, 2 * i, 2 * j), quadrants: [cellAt(i - 1, j - 1), cellAt(i, j - 1), cellAt(i - 1, j), cellAt(i, j)] });
    }
  }
  return out;
}

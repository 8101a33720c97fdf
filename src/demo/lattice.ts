/**
 * The warped lattice all demo geometry is cut from.
 *
 * Cells are ~187 m squares (mean ≈ 35,000 m², the Shanghai unit-grid average) with column widths and row
 * heights varied ±7 %, a smooth warp (waves of 24 m / 3 km and 8 m / 1.4 km) and a ±2.5 m per-vertex jitter
 * on top, so grid areas spread up to about ±30 % (never a fixed size). Each cell is drawn with 8 vertices
 * (corners and edge midpoints) taken from one shared "half-res"
 * vertex array, so neighbouring grids — and every region outline chained from cell edges — share edges
 * vertex for vertex. The warp is mild (gradient < 0.1) so no cell folds: every ring stays simple.
 */
import { type Prng, smoothField } from './prng.ts';
import { type LocalProjection, type Pt } from './geometry.ts';

export interface Lattice {
  /** cells per row / column */
  nx: number;
  ny: number;
  /** half-res vertices per row / column: 2n + 1 */
  vx: number;
  vy: number;
  /** warped vertex coordinates in metres (east, north of the origin) */
  xs: Float64Array;
  ys: Float64Array;
  /** vertex [lon, lat], rounded to 1e-7° */
  lonlat: Pt[];
  proj: LocalProjection;
}

export const MEAN_CELL_M = 187;

export function buildLattice(rng: Prng, proj: LocalProjection, nx: number, ny: number): Lattice {
  const edgesX = cellEdges(rng.fork('cols'), nx);
  const edgesY = cellEdges(rng.fork('rows'), ny);
  const vx = 2 * nx + 1;
  const vy = 2 * ny + 1;
  const wrng = rng.fork('warp');
  const waves = [
    { amplitude: 24, wavelength: 3000 },
    { amplitude: 8, wavelength: 1400 },
  ];
  const fx = smoothField(wrng, waves);
  const fy = smoothField(wrng, waves);
  const jrng = rng.fork('jitter');
  const xs = new Float64Array(vx * vy);
  const ys = new Float64Array(vx * vy);
  const lonlat: Pt[] = new Array(vx * vy);
  for (let J = 0; J < vy; J++) {
    for (let I = 0; I < vx; I++) {
      const bx = I % 2 === 0 ? edgesX[I / 2] : (edgesX[(I - 1) / 2] + edgesX[(I + 1) / 2]) / 2;
      const by = J % 2 === 0 ? edgesY[J / 2] : (edgesY[(J - 1) / 2] + edgesY[(J + 1) / 2]) / 2;
      const jx = jrng.range(-2.5, 2.5);
      const jy = jrng.range(-2.5, 2.5);
      const v = J * vx + I;
      xs[v] = bx + fx(bx, by) + jx;
      ys[v] = by + fy(bx, by) + jy;
      lonlat[v] = proj.toLonLat(xs[v], ys[v]);
    }
  }
  return { nx, ny, vx, vy, xs, ys, lonlat, proj };
}

/** cumulative cell edges, centred on 0 */
function cellEdges(rng: Prng, n: number): number[] {
  const edges = [0];
  for (let i = 0; i < n; i++) edges.push(edges[i] + MEAN_CELL_M * (1 + rng.range(-0.07, 0.07)));
  const mid = edges[n] / 2;
  return edges.map((e) => e - mid);
}

export function vIndex(l: Lattice, I: number, J: number): number {
  return J * l.vx + I;
}

export function cellIndex(l: Lattice, i: number, j: number): number {
  return j * l.nx + i;
}

/** the 8 half-res vertices of cell (i, j), counter-clockwise from the south-west corner */
export function cellVertices(l: Lattice, c: number): number[] {
  const i = c % l.nx;
  const j = (c - i) / l.nx;
  const I = 2 * i;
  const J = 2 * j;
  return [
    vIndex(l, I, J), vIndex(l, I + 1, J), vIndex(l, I + 2, J), vIndex(l, I + 2, J + 1),
    vIndex(l, I + 2, J + 2), vIndex(l, I + 1, J + 2), vIndex(l, I, J + 2), vIndex(l, I, J + 1),
  ];
}

/** cell centre in metres (the warped middle vertex) */
export function cellCenter(l: Lattice, c: number): Pt {
  const i = c % l.nx;
  const j = (c - i) / l.nx;
  const v = vIndex(l, 2 * i + 1, 2 * j + 1);
  return [l.xs[v], l.ys[v]];
}

export function ringOf(l: Lattice, verts: number[]): number[][] {
  const ring = verts.map((v) => [l.lonlat[v][0], l.lonlat[v][1]]);
  ring.push([ring[0][0], ring[0][1]]);
  return ring;
}

/** closed CCW lon/lat ring of one cell */
export function cellRing(l: Lattice, c: number): number[][] {
  return ringOf(l, cellVertices(l, c));
}

/** the 4-neighbours of a cell: south, east, north, west (−1 beyond the lattice) */
export function neighbours(l: Lattice, c: number): [number, number, number, number] {
  const i = c % l.nx;
  const j = (c - i) / l.nx;
  return [
    j > 0 ? c - l.nx : -1,
    i < l.nx - 1 ? c + 1 : -1,
    j < l.ny - 1 ? c + l.nx : -1,
    i > 0 ? c - 1 : -1,
  ];
}

/**
 * The outline of a set of cells as ONE closed CCW ring of vertex indices: shared edges cancel, the rest is
 * chained. Throws if the set is not one simply connected piece without pinch points (the partition cleanup
 * guarantees it), so a bad region can never be emitted silently.
 */
export function outlineVertices(l: Lattice, inSet: (c: number) => boolean, cells: number[]): number[] {
  const next = new Map<number, number>();
  const add = (a: number, b: number) => {
    if (next.has(a)) throw new Error(`outline: pinch at vertex ${a}`);
    next.set(a, b);
  };
  for (const c of cells) {
    const v = cellVertices(l, c);
    const [s, e, n, w] = neighbours(l, c);
    if (s < 0 || !inSet(s)) { add(v[0], v[1]); add(v[1], v[2]); }
    if (e < 0 || !inSet(e)) { add(v[2], v[3]); add(v[3], v[4]); }
    if (n < 0 || !inSet(n)) { add(v[4], v[5]); add(v[5], v[6]); }
    if (w < 0 || !inSet(w)) { add(v[6], v[7]); add(v[7], v[0]); }
  }
  let start = Infinity;
  for (const k of next.keys()) if (k < start) start = k;
  const ring: number[] = [];
  let cur = start;
  do {
    ring.push(cur);
    const nx = next.get(cur);
    if (nx === undefined) throw new Error('outline: open chain');
    cur = nx;
  } while (cur !== start && ring.length <= next.size);
  if (ring.length !== next.size) throw new Error(`outline: ${next.size - ring.length} edges in other rings (hole or split)`);
  return ring;
}

/**
 * Partition a set of lattice cells into k contiguous regions (streets of the district, communities of a
 * street) by a noisy, additively weighted Voronoi diagram over k-means seeds, then clean the labelling so
 * that every region can be outlined by ONE simple ring:
 *  - each region is 4-connected (stray pieces join the neighbour they touch most),
 *  - no region has holes (enclosed cells join the enclosing region),
 *  - no two cells of a region meet only at a corner (a "pinch" would make the outline touch itself),
 *  - regions smaller than `minCells` dissolve into their neighbours.
 */
import { type Prng, smoothField } from './prng.ts';
import { type Lattice, cellCenter, neighbours } from './lattice.ts';

export interface PartitionOptions {
  /** amplitude (m) of the smooth noise added to the distance: wiggles the boundaries */
  noise: number;
  wavelength: number;
  /** ± additive weight (m) per seed: makes region sizes unequal */
  weight: number;
  minCells: number;
}

/** labels[c] = region index 0..k'-1 for cells in `cells`, −1 elsewhere; returns the labels and k' */
export function partitionCells(
  l: Lattice,
  cells: number[],
  k: number,
  rng: Prng,
  opt: PartitionOptions,
): { labels: Int32Array; count: number } {
  const pts = cells.map((c) => cellCenter(l, c));
  const seeds = kMeans(pts, k, rng.fork('kmeans'));
  const nrng = rng.fork('noise');
  const fields = seeds.map(() => smoothField(nrng, [
    { amplitude: opt.noise, wavelength: opt.wavelength },
    { amplitude: opt.noise * 0.4, wavelength: opt.wavelength * 0.45 },
  ]));
  const weights = seeds.map(() => nrng.range(-opt.weight, opt.weight));
  const labels = new Int32Array(l.nx * l.ny).fill(-1);
  cells.forEach((c, n) => {
    const [x, y] = pts[n];
    let best = 0;
    let bestD = Infinity;
    seeds.forEach((s, q) => {
      const d = Math.hypot(x - s[0], y - s[1]) + weights[q] + fields[q](x, y);
      if (d < bestD) { bestD = d; best = q; }
    });
    labels[c] = best;
  });
  cleanupLabels(l, labels, cells, k, opt.minCells);
  const count = compactLabels(labels, k);
  return { labels, count };
}

function kMeans(pts: [number, number][], k: number, rng: Prng): [number, number][] {
  const seeds: [number, number][] = [rng.pick(pts)];
  while (seeds.length < k) {
    const d2 = pts.map((p) => Math.min(...seeds.map((s) => (p[0] - s[0]) ** 2 + (p[1] - s[1]) ** 2)));
    const total = d2.reduce((a, b) => a + b, 0);
    let r = rng.next() * total;
    let idx = 0;
    while (idx < pts.length - 1 && (r -= d2[idx]) > 0) idx++;
    seeds.push(pts[idx]);
  }
  for (let it = 0; it < 12; it++) {
    const sx = new Array(k).fill(0);
    const sy = new Array(k).fill(0);
    const n = new Array(k).fill(0);
    for (const p of pts) {
      let best = 0;
      let bestD = Infinity;
      seeds.forEach((s, q) => {
        const d = (p[0] - s[0]) ** 2 + (p[1] - s[1]) ** 2;
        if (d < bestD) { bestD = d; best = q; }
      });
      sx[best] += p[0];
      sy[best] += p[1];
      n[best]++;
    }
    for (let q = 0; q < k; q++) if (n[q] > 0) seeds[q] = [sx[q] / n[q], sy[q] / n[q]];
  }
  return seeds;
}

/** the neighbouring label (≠ own, inside the domain) touched most often by `group`; −1 if none */
function dominantNeighbour(l: Lattice, labels: Int32Array, group: number[], own: number): number {
  const counts = new Map<number, number>();
  for (const c of group) {
    for (const nb of neighbours(l, c)) {
      if (nb < 0) continue;
      const lab = labels[nb];
      if (lab >= 0 && lab !== own) counts.set(lab, (counts.get(lab) ?? 0) + 1);
    }
  }
  let best = -1;
  let bestN = 0;
  for (const [lab, n] of counts) if (n > bestN || (n === bestN && lab < best)) { best = lab; bestN = n; }
  return best;
}

export function cleanupLabels(l: Lattice, labels: Int32Array, cells: number[], k: number, minCells: number): void {
  // work inside the bounding box of the domain plus a one-cell margin (always outside the domain)
  let i0 = Infinity, i1 = -Infinity, j0 = Infinity, j1 = -Infinity;
  for (const c of cells) {
    const i = c % l.nx;
    const j = (c - i) / l.nx;
    if (i < i0) i0 = i;
    if (i > i1) i1 = i;
    if (j < j0) j0 = j;
    if (j > j1) j1 = j;
  }
  i0 = Math.max(0, i0 - 1); j0 = Math.max(0, j0 - 1); i1 = Math.min(l.nx - 1, i1 + 1); j1 = Math.min(l.ny - 1, j1 + 1);
  const nx = l.nx;
  const inBox = (c: number) => {
    const i = c % nx;
    const j = (c - i) / nx;
    return i >= i0 && i <= i1 && j >= j0 && j <= j1;
  };
  const nbs = new Int32Array(4);
  const around = (c: number): Int32Array => {
    const i = c % nx;
    nbs[0] = c >= nx ? c - nx : -1;
    nbs[1] = i < nx - 1 ? c + 1 : -1;
    nbs[2] = c + nx < labels.length ? c + nx : -1;
    nbs[3] = i > 0 ? c - 1 : -1;
    return nbs;
  };
  for (let iter = 0; iter < 200; iter++) {
    let changed = false;
    // 1. connectivity: keep each label's largest component; small labels dissolve entirely
    const seen = new Uint8Array(labels.length);
    const comps: number[][][] = Array.from({ length: k }, () => []);
    for (const c of cells) {
      if (seen[c] || labels[c] < 0) continue;
      const lab = labels[c];
      const comp: number[] = [];
      const stack = [c];
      seen[c] = 1;
      while (stack.length) {
        const x = stack.pop()!;
        comp.push(x);
        const nb = around(x);
        for (let q = 0; q < 4; q++) {
          const y = nb[q];
          if (y >= 0 && !seen[y] && labels[y] === lab) { seen[y] = 1; stack.push(y); }
        }
      }
      comps[lab].push(comp);
    }
    for (let lab = 0; lab < k; lab++) {
      const list = comps[lab].sort((a, b) => b.length - a.length || a[0] - b[0]);
      const total = list.reduce((s, x) => s + x.length, 0);
      const strays = total > 0 && total < minCells ? list : list.slice(1);
      for (const comp of strays) {
        const to = dominantNeighbour(l, labels, comp, lab);
        if (to < 0) continue;
        for (const c of comp) labels[c] = to;
        changed = true;
      }
    }
    if (changed) continue;
    // 2. holes: cells of other labels that cannot reach the box border without crossing `lab`
    for (let lab = 0; lab < k; lab++) {
      const reach = new Uint8Array(labels.length);
      const stack: number[] = [];
      const seed = (c: number) => { if (labels[c] !== lab && !reach[c]) { reach[c] = 1; stack.push(c); } };
      for (let i = i0; i <= i1; i++) { seed(j0 * nx + i); seed(j1 * nx + i); }
      for (let j = j0; j <= j1; j++) { seed(j * nx + i0); seed(j * nx + i1); }
      while (stack.length) {
        const x = stack.pop()!;
        const nb = around(x);
        for (let q = 0; q < 4; q++) {
          const y = nb[q];
          if (y >= 0 && !reach[y] && labels[y] !== lab && inBox(y)) { reach[y] = 1; stack.push(y); }
        }
      }
      for (const c of cells) if (!reach[c] && labels[c] !== lab) { labels[c] = lab; changed = true; }
    }
    if (changed) continue;
    // 3. pinches: two cells of a label meeting only at a corner
    for (let j = Math.max(1, j0); j <= j1; j++) {
      for (let i = Math.max(1, i0); i <= i1; i++) {
        const c00 = (j - 1) * nx + i - 1;
        const c10 = c00 + 1;
        const c01 = c00 + nx;
        const c11 = c01 + 1;
        for (let pass = 0; pass < 2; pass++) {
          const a = pass ? c10 : c00;
          const b = pass ? c01 : c11;
          const p = pass ? c00 : c10;
          const q = pass ? c11 : c01;
          const lab = labels[a];
          if (lab < 0 || labels[b] !== lab || labels[p] === lab || labels[q] === lab) continue;
          const target = labels[p] >= 0 ? p : q;
          if (labels[target] < 0) continue;
          labels[target] = lab;
          changed = true;
        }
      }
    }
    if (!changed) return;
  }
  throw new Error('partition cleanup did not converge');
}

/** renumber labels 0..k'-1 in order, dropping empty ones; returns k' */
export function compactLabels(labels: Int32Array, k: number): number {
  const used = new Array(k).fill(false);
  for (const lab of labels) if (lab >= 0) used[lab] = true;
  const map = new Array(k).fill(-1);
  let n = 0;
  for (let q = 0; q < k; q++) if (used[q]) map[q] = n++;
  for (let c = 0; c < labels.length; c++) if (labels[c] >= 0) labels[c] = map[labels[c]];
  return n;
}

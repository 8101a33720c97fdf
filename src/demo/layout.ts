/**
 * Administrative layout of the demo district: an irregular district outline on the warped lattice, split into
 * streets (街道/镇), each street into communities (社区/村), each community into unit grids (one lattice cell
 * each). Every polygon is chained from shared lattice edges, so grids tile communities exactly and
 * community = ∪ grids, street = ∪ communities, district = ∪ streets, vertex for vertex.
 */
import type { AreaClass, DemoGrid, DemoRegion, Polygon } from './types.ts';
import { type Prng } from './prng.ts';
import { LocalProjection, ringAreaM2, type Pt } from './geometry.ts';
import { type Lattice, buildLattice, cellCenter, cellRing, neighbours, outlineVertices, ringOf } from './lattice.ts';
import { partitionCells } from './partition.ts';
import {
  CITY_NAME, COMMUNITY_WORDS, DISTRICT_NAME, NamePool, STREET_WORDS, TOWN_WORDS, VILLAGE_WORDS, pad,
} from './names.ts';

/**
 * Placement: a fictional district of a fictional city on real WGS84 coordinates in southern Jiangsu
 * (origin 120.30°E, 31.55°N, on the plain between the Yangtze and Lake Tai). A real basemap shows a real
 * city there; the demo's boundaries, names and codes are invented. Codes: 32 = Jiangsu; prefecture 99 is not
 * used by any real Jiangsu prefecture, so 329900 / 329902 cannot collide with a real GB/T 2260 code.
 */
export const ORIGIN: Pt = [120.3, 31.55];
export const CITY_CODE = '329900';
export const DISTRICT_CODE = '329902';

const LATTICE_N = 56;

export interface Layout {
  lattice: Lattice;
  proj: LocalProjection;
  districtCells: number[];
  /** lattice cell → index into `grids`, −1 outside the district */
  cellGrid: Int32Array;
  /** lattice cell → index into `communities`, −1 outside */
  cellCommunity: Int32Array;
  city: DemoRegion;
  district: DemoRegion;
  streets: DemoRegion[];
  communities: DemoRegion[];
  /** community index → street index */
  communityStreet: number[];
  grids: DemoGrid[];
}

export function buildLayout(rng: Prng): Layout {
  const proj = new LocalProjection(ORIGIN[0], ORIGIN[1]);
  const l = buildLattice(rng.fork('lattice'), proj, LATTICE_N, LATTICE_N);
  const districtCells = districtBlob(l, rng.fork('district'));
  const poly = (cells: number[]): Polygon => {
    const set = new Set(cells);
    return { type: 'Polygon', coordinates: [ringOf(l, outlineVertices(l, (c) => set.has(c), cells))] };
  };

  const city: DemoRegion = {
    id: `R-${CITY_CODE}`, code: CITY_CODE, name: CITY_NAME, level: 'city', parentId: null, geometry: null, areaClass: 'B',
  };
  // Aggregate levels carry 'B' (general); the class that drives time limits is that of streets and below.
  const district: DemoRegion = {
    id: `R-${DISTRICT_CODE}`, code: DISTRICT_CODE, name: DISTRICT_NAME, level: 'district', parentId: city.id,
    geometry: poly(districtCells), areaClass: 'B',
  };

  // ---- streets -------------------------------------------------------------------------------------------
  const srng = rng.fork('streets');
  const nStreets = srng.int(7, 8);
  const sp = partitionCells(l, districtCells, nStreets, srng, { noise: 170, wavelength: 1600, weight: 250, minCells: 40 });
  const centroid = meanCenter(l, districtCells);
  const streetCells: number[][] = Array.from({ length: sp.count }, () => []);
  for (const c of districtCells) streetCells[sp.labels[c]].push(c);
  // centre streets A, middle B, outskirts C (towns, 镇)
  const byDistance = streetCells
    .map((cells, q) => ({ q, cells, d: dist(meanCenter(l, cells), centroid) }))
    .sort((a, b) => a.d - b.d);
  const nA = 2;
  const nC = sp.count >= 8 ? 3 : 2;
  const streetNames = new NamePool(srng.fork('names'), STREET_WORDS);
  const townNames = new NamePool(srng.fork('town-names'), TOWN_WORDS);
  const streetInfo = byDistance.map((s, rank) => {
    const areaClass: AreaClass = rank < nA ? 'A' : rank >= byDistance.length - nC ? 'C' : 'B';
    return { ...s, areaClass, town: areaClass === 'C' };
  });
  const streets: DemoRegion[] = [];
  const communities: DemoRegion[] = [];
  const communityStreet: number[] = [];
  const communityCells: number[][] = [];
  const cellCommunity = new Int32Array(l.nx * l.ny).fill(-1);
  const communityNames = new NamePool(rng.fork('community-names'), COMMUNITY_WORDS);
  const villageNames = new NamePool(rng.fork('village-names'), VILLAGE_WORDS);
  let streetSeq = 0;
  let townSeq = 100;
  for (const s of streetInfo) {
    const code = DISTRICT_CODE + pad(s.town ? ++townSeq : ++streetSeq, 3); // GB/T 10114: 街道 001–099, 镇 100–199
    const street: DemoRegion = {
      id: `R-${code}`, code, name: s.town ? `${townNames.take()}镇` : `${streetNames.take()}街道`,
      level: 'street', parentId: district.id, geometry: poly(s.cells), areaClass: s.areaClass,
    };
    const streetIdx = streets.push(street) - 1;

    // ---- communities of this street ----------------------------------------------------------------------
    const crng = rng.fork(`communities-${code}`);
    const n = Math.max(3, Math.min(8, Math.round(s.cells.length / crng.range(22, 32))));
    const cp = partitionCells(l, s.cells, n, crng, { noise: 80, wavelength: 800, weight: 90, minCells: 8 });
    const parts: number[][] = Array.from({ length: cp.count }, () => []);
    for (const c of s.cells) parts[cp.labels[c]].push(c);
    const sc = meanCenter(l, s.cells);
    // the town seat (镇区) is the community nearest the town's centre; the rest of a town are villages (村)
    const centres = parts.map((cells) => meanCenter(l, cells));
    let seat = 0;
    centres.forEach((c, q) => { if (dist(c, sc) < dist(centres[seat], sc)) seat = q; });
    const ordered = parts
      .map((cells, q) => ({ cells, q, c: centres[q] }))
      .sort((a, b) => Math.floor(-a.c[1] / 900) - Math.floor(-b.c[1] / 900) || a.c[0] - b.c[0]);
    let comSeq = 0;
    let vilSeq = 200;
    for (const o of ordered) {
      const village = s.town && o.q !== seat;
      const ccode = code + pad(village ? ++vilSeq : ++comSeq, 3); // 居委会 001–199, 村委会 200–399
      const community: DemoRegion = {
        id: `R-${ccode}`, code: ccode, name: village ? `${villageNames.take()}村` : `${communityNames.take()}社区`,
        level: 'community', parentId: street.id, geometry: poly(o.cells), areaClass: s.areaClass,
      };
      const idx = communities.push(community) - 1;
      communityStreet.push(streetIdx);
      communityCells.push(o.cells);
      for (const c of o.cells) cellCommunity[c] = idx;
    }
  }

  // ---- unit grids: one lattice cell each, numbered north→south, west→east ------------------------------------
  const grids: DemoGrid[] = [];
  const cellGrid = new Int32Array(l.nx * l.ny).fill(-1);
  communities.forEach((community, idx) => {
    const cells = communityCells[idx].slice().sort((a, b) => Math.floor(b / l.nx) - Math.floor(a / l.nx) || a - b);
    cells.forEach((c, k) => {
      const code = community.code + pad(k + 1, 3);
      const ring = cellRing(l, c);
      cellGrid[c] = grids.length;
      grids.push({
        id: `G-${code}`, code, name: `${community.name}第${pad(k + 1, 2)}网格`, kind: 'unit', communityId: community.id,
        geometry: { type: 'Polygon', coordinates: [ring] }, areaM2: Math.round(ringAreaM2(ring, proj) * 10) / 10,
        areaClass: community.areaClass,
      });
    });
  });

  return { lattice: l, proj, districtCells, cellGrid, cellCommunity, city, district, streets, communities, communityStreet, grids };
}

function meanCenter(l: Lattice, cells: number[]): Pt {
  let x = 0;
  let y = 0;
  for (const c of cells) {
    const p = cellCenter(l, c);
    x += p[0];
    y += p[1];
  }
  return [x / cells.length, y / cells.length];
}

function dist(a: Pt, b: Pt): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/**
 * The district: the ~1,050 cells whose centres are "most inside" a smooth irregular blob (a circle with
 * harmonics 2–5, stretched east–west), then made one simply connected piece without pinch points.
 */
function districtBlob(l: Lattice, rng: Prng): number[] {
  const target = rng.int(1020, 1080);
  const harmonics = [2, 3, 4, 5].map((k) => ({ k, a: rng.range(0.03, 0.13) / (k - 1), phi: rng.range(0, Math.PI * 2) }));
  const sx = rng.range(1.1, 1.3);
  const candidates: { c: number; rho: number }[] = [];
  for (let j = 2; j < l.ny - 2; j++) {
    for (let i = 2; i < l.nx - 2; i++) {
      const c = j * l.nx + i;
      const [x, y] = cellCenter(l, c);
      const th = Math.atan2(y, x / sx);
      let r = 1;
      for (const h of harmonics) r += h.a * Math.cos(h.k * th + h.phi);
      candidates.push({ c, rho: Math.hypot(x / sx, y) / r });
    }
  }
  candidates.sort((a, b) => a.rho - b.rho || a.c - b.c);
  const inside = new Uint8Array(l.nx * l.ny);
  for (const { c } of candidates.slice(0, target)) inside[c] = 1;

  for (let iter = 0; iter < 100; iter++) {
    let changed = false;
    // keep the largest 4-connected piece
    const seen = new Uint8Array(inside.length);
    let best: number[] = [];
    for (let c = 0; c < inside.length; c++) {
      if (!inside[c] || seen[c]) continue;
      const comp: number[] = [];
      const stack = [c];
      seen[c] = 1;
      while (stack.length) {
        const x = stack.pop()!;
        comp.push(x);
        for (const nb of neighbours(l, x)) if (nb >= 0 && inside[nb] && !seen[nb]) { seen[nb] = 1; stack.push(nb); }
      }
      if (comp.length > best.length) best = comp;
    }
    const keep = new Uint8Array(inside.length);
    for (const c of best) keep[c] = 1;
    for (let c = 0; c < inside.length; c++) if (inside[c] && !keep[c]) { inside[c] = 0; changed = true; }
    // fill holes: outside cells that cannot reach the lattice border
    const reach = new Uint8Array(inside.length);
    const stack: number[] = [];
    for (let c = 0; c < inside.length; c++) {
      const i = c % l.nx;
      const j = (c - i) / l.nx;
      if ((i === 0 || j === 0 || i === l.nx - 1 || j === l.ny - 1) && !inside[c]) { reach[c] = 1; stack.push(c); }
    }
    while (stack.length) {
      const x = stack.pop()!;
      for (const nb of neighbours(l, x)) if (nb >= 0 && !inside[nb] && !reach[nb]) { reach[nb] = 1; stack.push(nb); }
    }
    for (let c = 0; c < inside.length; c++) if (!inside[c] && !reach[c]) { inside[c] = 1; changed = true; }
    // pinches: fill one of the two empty cells of a diagonal pair
    for (let j = 1; j < l.ny; j++) {
      for (let i = 1; i < l.nx; i++) {
        const c00 = (j - 1) * l.nx + i - 1;
        const c10 = c00 + 1;
        const c01 = c00 + l.nx;
        const c11 = c01 + 1;
        if (inside[c00] && inside[c11] && !inside[c10] && !inside[c01]) { inside[c10] = 1; changed = true; }
        if (inside[c10] && inside[c01] && !inside[c00] && !inside[c11]) { inside[c00] = 1; changed = true; }
      }
    }
    if (!changed) {
      const cells: number[] = [];
      for (let c = 0; c < inside.length; c++) if (inside[c]) cells.push(c);
      return cells;
    }
  }
  throw new Error('district outline cleanup did not converge');
}

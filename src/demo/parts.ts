/**
 * Registered part instances (部件) of the demo district, ~3,000 of them: along the roads (street lights,
 * manhole covers, hydrants, litter bins, lighting cabinets, bus stops), at crossings (traffic signals,
 * cameras, road-name signs), inside grids (public toilets, transformers, base stations, gas regulators,
 * fitness equipment, bike parking, old trees) and inside compounds (septic covers, parcel lockers, refuse
 * rooms, chargers, owned by the compound's property company). Every point is located in its grid by a
 * point-in-polygon lookup; points that fall outside the district are dropped.
 *
 * Id: 17 digits = district code (6) + part code (2 class + 3 subclass) + sequence (6) per part code.
 */
import type { CatalogJson, DemoPart } from './types.ts';
import type { Prng } from './prng.ts';
import { BucketIndex, type Pt } from './geometry.ts';
import type { Layout } from './layout.ts';
import { type Lattice, vIndex } from './lattice.ts';
import { type Intersection, type RoadRun, length, pointAlong } from './roads.ts';
import type { CompoundMeta } from './places.ts';
import { partResponsibility } from './owners.ts';
import { DISTRICT_CODE } from './layout.ts';
import { pad } from './names.ts';

/** along-road parts: code, target count over the whole network, lateral offset (m), which side */
const ROAD_PARTS: { code: string | [string, number][]; target: number; offset: [number, number]; side: 'alternate' | 'random' }[] = [
  { code: '01037', target: 950, offset: [8, 10], side: 'alternate' }, // 路灯
  {
    code: [['01001', 20], ['01002', 18], ['01003', 18], ['01004', 14], ['01005', 12], ['01007', 9], ['01011', 5], ['01008', 2], ['01006', 2]],
    target: 800, offset: [4, 7], side: 'random',
  }, // manhole covers, by type
  { code: '01013', target: 260, offset: [10, 12], side: 'random' }, // 消防设施 (市政消火栓)
  { code: '03005', target: 280, offset: [10, 12], side: 'alternate' }, // 垃圾箱
  { code: '01060', target: 60, offset: [11, 13], side: 'random' }, // 路灯配电箱
];

/** parts placed inside random grids: code and grids per instance */
const GRID_PARTS: [string, number][] = [
  ['03001', 25], // 公共厕所
  ['01048', 12], // 变压器（箱）
  ['01062', 22], // 通信基站
  ['01049', 25], // 燃气调压站（箱）
  ['01046', 30], // 户外健身设施
  ['02025', 15], // 非机动车停放点
];

const COMPOUND_PARTS = ['01018', '01075', '03004', '01054']; // 化粪池井盖, 快递柜, 垃圾间, 充电桩

export function buildParts(
  layout: Layout,
  runs: RoadRun[],
  crossings: Intersection[],
  compounds: CompoundMeta[],
  catalog: CatalogJson,
  rng: Prng,
): DemoPart[] {
  const l = layout.lattice;
  const names = new Map(catalog.parts.map((p) => [p.code, p.name]));
  const index = new BucketIndex<number>(0.003);
  layout.grids.forEach((g, k) => index.insert(g.geometry.coordinates[0], k));
  const seq = new Map<string, number>();
  const respCache = new Map<string, ReturnType<typeof partResponsibility>>();
  const resp = (code: string, name: string) => {
    let r = respCache.get(code);
    if (!r) respCache.set(code, (r = partResponsibility(code, name)));
    return r;
  };
  const parts: DemoPart[] = [];

  const add = (code: string, p: Pt, label: string, owner?: string): boolean => {
    const name = names.get(code);
    if (!name) return false; // only codes the catalogue has
    const [lon, lat] = l.proj.toLonLat(p[0], p[1]);
    const g = index.find(lon, lat);
    if (g === undefined) return false;
    const r = resp(code, name);
    const n = (seq.get(code) ?? 0) + 1;
    seq.set(code, n);
    const ownerUnitId = owner ?? r.owner;
    parts.push({
      id: DISTRICT_CODE + code + pad(n, 6), partCode: code, name: `${label}${name}`, lon, lat,
      gridId: layout.grids[g].id, ownerUnitId, maintainerUnitId: owner && owner !== r.owner ? owner : r.maintainer, state: 'normal',
    });
    return true;
  };
  const telecom = ['U-DX', 'U-YD', 'U-LT'];
  const ownerFor = (code: string, prng: Prng): string | undefined => {
    const r = resp(code, names.get(code) ?? '');
    return r.altOwners.length ? prng.pick([r.owner, ...r.altOwners]) : undefined;
  };

  // ---- along roads -----------------------------------------------------------------------------------------
  const total = runs.reduce((s, r) => s + length(r), 0);
  for (const spec of ROAD_PARTS) {
    const prng = rng.fork(`road-${typeof spec.code === 'string' ? spec.code : 'covers'}`);
    const spacing = total / spec.target;
    let flip = false;
    for (const road of runs) {
      const len = length(road);
      const n = Math.max(1, Math.round(len / spacing));
      for (let k = 0; k < n; k++) {
        const d = ((k + 0.5 + prng.range(-0.2, 0.2)) * len) / n;
        flip = !flip;
        const left = spec.side === 'alternate' ? flip : prng.next() < 0.5;
        const code = typeof spec.code === 'string' ? spec.code : prng.weighted(spec.code);
        const off = prng.range(spec.offset[0], spec.offset[1]);
        const at = clearOfCorners(l, road, d, left ? off : -off);
        if (at) add(code, at, road.name, ownerFor(code, prng));
      }
    }
  }
  // bus stops: both sides of the main roads every ~450 m
  for (const road of runs.filter((r) => r.main)) {
    for (let d = 200; d < length(road) - 100; d += 450) {
      for (const off of [11, -11]) {
        const at = clearOfCorners(l, road, d, off);
        if (at) add('02004', at, road.name);
      }
    }
  }

  // ---- at crossings ----------------------------------------------------------------------------------------
  for (const x of crossings) {
    const vx = l.xs[x.vertex];
    const vy = l.ys[x.vertex];
    const label = `${x.ew.name}${x.ns.name}路口`;
    // one signal head per corner, 14 m into each quadrant, towards the quadrant's cell centre
    const I = (x.vertex % l.vx);
    const J = (x.vertex - I) / l.vx;
    const corners: Pt[] = [[I - 1, J - 1], [I + 1, J - 1], [I - 1, J + 1], [I + 1, J + 1]].map(([a, b]) => {
      const v = vIndex(l, a, b);
      const dx = l.xs[v] - vx;
      const dy = l.ys[v] - vy;
      const s = 14 / Math.hypot(dx, dy);
      return [vx + dx * s, vy + dy * s];
    });
    x.quadrants.forEach((cell, q) => { if (cell >= 0) add('02014', corners[q], label); });
    if (x.ew.main || x.ns.main) add('01050', corners[3], label);
    add('02012', corners[0], label);
    add('02012', corners[3], label);
  }

  // ---- inside grids ----------------------------------------------------------------------------------------
  const cells = layout.districtCells;
  for (const [code, per] of GRID_PARTS) {
    const prng = rng.fork(`grid-${code}`);
    const n = Math.round(cells.length / per);
    const chosen = prng.shuffle(cells).slice(0, n).sort((a, b) => a - b);
    for (const c of chosen) {
      const community = layout.communities[layout.cellCommunity[c]].name;
      add(code, insideCell(l, c, prng, 0.15, 0.85), community, code === '01062' ? prng.pick(telecom) : undefined);
    }
  }
  const trees = rng.fork('trees');
  for (const c of trees.shuffle(cells).slice(0, 8).sort((a, b) => a - b)) {
    add('04001', insideCell(l, c, trees, 0.2, 0.8), layout.communities[layout.cellCommunity[c]].name);
  }

  // ---- inside compounds ------------------------------------------------------------------------------------
  const crng = rng.fork('compound-parts');
  for (const cp of compounds) {
    for (const code of COMPOUND_PARTS) {
      // 充电桩 in compounds are the grid company's; the rest belong to the property company
      add(code, insideCell(l, cp.cell, crng, 0.3, 0.7), cp.name, code === '01054' ? undefined : cp.propertyUnitId);
    }
  }
  return parts;
}

/** a point along a road, avoiding the ends of each cell side (where an offset could cross into a corner cell) */
function clearOfCorners(l: Lattice, road: RoadRun, d: number, offset: number): Pt | null {
  const { p, step } = pointAlong(l, road, d, offset);
  const frac = (d - road.cum[2 * step]) / (road.cum[2 * step + 2] - road.cum[2 * step]);
  const cell = offset > 0 ? road.left[step] : road.right[step];
  if (cell < 0 || frac < 0.12 || frac > 0.88) return null;
  return p;
}

/** a point inside cell c: bilinear within one of its four half-res quads, u, v ∈ [lo, hi] of the cell */
function insideCell(l: Lattice, c: number, rng: Prng, lo: number, hi: number): Pt {
  const i = c % l.nx;
  const j = (c - i) / l.nx;
  const u = rng.range(lo, hi) * 2;
  const v = rng.range(lo, hi) * 2;
  const a = Math.min(1, Math.floor(u));
  const b = Math.min(1, Math.floor(v));
  const s = u - a;
  const t = v - b;
  const I = 2 * i + a;
  const J = 2 * j + b;
  const p00 = vIndex(l, I, J);
  const p10 = vIndex(l, I + 1, J);
  const p01 = vIndex(l, I, J + 1);
  const p11 = vIndex(l, I + 1, J + 1);
  const x = (1 - s) * (1 - t) * l.xs[p00] + s * (1 - t) * l.xs[p10] + (1 - s) * t * l.xs[p01] + s * t * l.xs[p11];
  const y = (1 - s) * (1 - t) * l.ys[p00] + s * (1 - t) * l.ys[p10] + (1 - s) * t * l.ys[p01] + s * t * l.ys[p11];
  return [x, y];
}

/**
 * Places of the demo district: roads with house numbers, residential compounds (小区/花园/苑/公寓, each with a
 * property company) and landmarks (学校, 医院, 公园, 地铁站, 菜市场 …). Every compound and landmark fronts a
 * road and takes one of that road's house numbers, so its address reads like a real one:
 * 滨江区望江路128号锦绣花园.
 */
import type { DemoPlace } from './types.ts';
import type { Prng } from './prng.ts';
import type { Pt } from './geometry.ts';
import type { Layout } from './layout.ts';
import { cellCenter, cellVertices } from './lattice.ts';
import type { HouseMeta, Intersection, RoadRun } from './roads.ts';
import { COMPOUND_PREFIXES, COMPOUND_SUFFIXES, DISTRICT_NAME, DISTRICT_SHORT, NamePool, chineseNumber } from './names.ts';

export interface CompoundMeta {
  cell: number;
  name: string;
  propertyUnitId: string;
}

interface Frontage {
  road: RoadRun;
  house: HouseMeta;
  cell: number;
}

export function buildPlaces(
  layout: Layout,
  runs: RoadRun[],
  crossings: Intersection[],
  propertyUnitIds: string[],
  rng: Prng,
): { places: DemoPlace[]; compounds: CompoundMeta[]; usedCells: Set<number> } {
  const l = layout.lattice;
  const places: DemoPlace[] = [];
  const communityId = (cell: number) => layout.communities[layout.cellCommunity[cell]].id;
  const lonlat = (p: Pt) => l.proj.toLonLat(p[0], p[1]);

  for (const r of runs) {
    places.push({
      kind: 'road', name: r.name, communityId: null, category: r.main ? '主干道' : '次干道',
      geometry: { type: 'LineString', coordinates: r.verts.map((v) => [l.lonlat[v][0], l.lonlat[v][1]]) },
      houseNumbers: r.houses.map((h) => ({ number: h.number, lon: h.lon, lat: h.lat })),
    });
  }

  // frontages: one per (cell, road side), taking the house number nearest the middle of the cell side
  const byKey = new Map<string, Frontage>();
  for (const road of runs) {
    for (const h of road.houses) {
      const key = `${h.cell}|${road.name}`;
      const step = road.dir === 'EW' ? h.cell % l.nx - road.from : Math.floor(h.cell / l.nx) - road.from;
      const mid = (road.cum[2 * step] + road.cum[2 * step + 2]) / 2;
      const prev = byKey.get(key);
      if (!prev || Math.abs(h.d - mid) < Math.abs(prev.house.d - mid)) byKey.set(key, { road, house: h, cell: h.cell });
    }
  }
  const frontages = rng.fork('frontages').shuffle([...byKey.values()].sort((a, b) => a.cell - b.cell || (a.road.name < b.road.name ? -1 : a.road.name > b.road.name ? 1 : 0)));
  const usedCells = new Set<number>();
  const address = (f: Frontage, name: string) => `${DISTRICT_NAME}${f.road.name}${f.house.number}${name}`;
  const take = (ok: (f: Frontage) => boolean): Frontage | undefined => {
    const f = frontages.find((x) => !usedCells.has(x.cell) && ok(x));
    if (f) usedCells.add(f.cell);
    return f;
  };
  const areaClassOf = (cell: number) => layout.grids[layout.cellGrid[cell]].areaClass;
  const streetOf = (cell: number) => layout.communityStreet[layout.cellCommunity[cell]];

  // ---- landmarks (placed first so that they get the good frontages) -----------------------------------------
  const landmark = (f: Frontage | undefined, name: string, category: string, at?: Pt) => {
    if (!f) return;
    const p = at ?? cellCenter(l, f.cell);
    places.push({
      kind: 'landmark', name, category, communityId: communityId(f.cell),
      geometry: { type: 'Point', coordinates: lonlat(p) }, address: address(f, name),
    });
  };
  const lrng = rng.fork('landmarks');
  const onMain = (f: Frontage) => f.road.main;
  landmark(take((f) => onMain(f) && areaClassOf(f.cell) === 'A'), `${DISTRICT_NAME}人民政府`, '机关');
  landmark(take((f) => areaClassOf(f.cell) === 'A'), `${DISTRICT_NAME}城市运行管理中心`, '机关');
  landmark(take((f) => onMain(f) && areaClassOf(f.cell) === 'A'), `${DISTRICT_NAME}人民医院`, '医院');
  landmark(take((f) => onMain(f) && areaClassOf(f.cell) !== 'C'), '江海市第二人民医院', '医院');
  landmark(take((f) => areaClassOf(f.cell) === 'A'), `${DISTRICT_NAME}实验小学`, '学校');
  const schoolNo = lrng.shuffle([3, 5, 7, 9, 11, 12, 14, 16]);
  for (let k = 0; k < 3; k++) landmark(take(() => true), `江海市第${chineseNumber(schoolNo[k])}中学`, '学校');
  const usedRoadSchools = new Set<string>();
  for (let k = 0; k < 3; k++) {
    const f = take((x) => !usedRoadSchools.has(x.road.name));
    if (f) usedRoadSchools.add(f.road.name);
    landmark(f, `${f?.road.name.replace(/(路|街|大道)$/, '')}小学`, '学校');
  }
  landmark(take((f) => areaClassOf(f.cell) !== 'C'), `${DISTRICT_SHORT}公园`, '公园');
  landmark(take((f) => areaClassOf(f.cell) === 'C'), `${DISTRICT_SHORT}湿地公园`, '公园');
  layout.streets.forEach((street, s) => {
    const inStreet = (f: Frontage) => streetOf(f.cell) === s;
    // a 街道 has a 社区卫生服务中心, a town its 卫生院
    const town = street.name.endsWith('镇');
    landmark(take(inStreet), town ? `${street.name}卫生院` : `${street.name}社区卫生服务中心`, '卫生服务中心');
    const m = take(inStreet);
    if (m) landmark(m, `${layout.communities[layout.cellCommunity[m.cell]].name.replace(/(社区|村)$/, '')}菜市场`, '菜市场');
    const kg = take(inStreet);
    if (kg) landmark(kg, `${street.name.replace(/(街道|镇)$/, '')}幼儿园`, '学校');
  });
  for (const p of pocketParks(layout, take, lrng)) landmark(p.f, p.name, '公园');
  metroStations(layout, crossings, places);

  // ---- residential compounds -----------------------------------------------------------------------------
  const crng = rng.fork('compounds');
  const names = new NamePool(crng, COMPOUND_PREFIXES.flatMap((p) => COMPOUND_SUFFIXES.map((s) => p + s)));
  const usedPrefix = new Map<string, number>();
  const compounds: CompoundMeta[] = [];
  const compoundCells = new Set<number>();
  const target = Math.round(layout.districtCells.length / 7);
  for (const f of frontages) {
    if (compounds.length >= target) break;
    if (usedCells.has(f.cell)) continue;
    // fewer compounds in the outskirts (towns are villages and farmland)
    if (areaClassOf(f.cell) === 'C' && crng.next() < 0.6) continue;
    // no two compounds in neighbouring cells: keeps them apart and leaves room for other uses
    if ([f.cell - 1, f.cell + 1, f.cell - l.nx, f.cell + l.nx].some((c) => compoundCells.has(c))) continue;
    const name = names.tryTakeWhere((n) => (usedPrefix.get(n.slice(0, 2)) ?? 0) < 2);
    if (name === undefined) break;
    usedPrefix.set(name.slice(0, 2), (usedPrefix.get(name.slice(0, 2)) ?? 0) + 1);
    usedCells.add(f.cell);
    const propertyUnitId = crng.pick(propertyUnitIds);
    compounds.push({ cell: f.cell, name, propertyUnitId });
    compoundCells.add(f.cell);
    const c = cellCenter(l, f.cell);
    // the compound fills ~60 % of its grid: the cell outline shrunk towards the centre (star-shaped, so inside)
    const ring = cellVertices(l, f.cell).map((v) => lonlat([c[0] + 0.78 * (l.xs[v] - c[0]), c[1] + 0.78 * (l.ys[v] - c[1])]));
    ring.push([ring[0][0], ring[0][1]]);
    places.push({
      kind: 'compound', name, communityId: communityId(f.cell), category: '住宅小区',
      geometry: { type: 'Polygon', coordinates: [ring] },
      houseNumbers: [{ number: f.house.number, lon: f.house.lon, lat: f.house.lat }],
      address: address(f, name), propertyUnitId,
    });
  }
  return { places, compounds, usedCells };
}

function pocketParks(layout: Layout, take: (ok: (f: Frontage) => boolean) => Frontage | undefined, rng: Prng) {
  const out: { f: Frontage; name: string }[] = [];
  const n = rng.int(2, 3);
  const used = new Set<number>();
  for (let k = 0; k < n; k++) {
    const f = take((x) => !used.has(layout.cellCommunity[x.cell]) && layout.grids[layout.cellGrid[x.cell]].areaClass !== 'C');
    if (!f) break;
    used.add(layout.cellCommunity[f.cell]);
    out.push({ f, name: `${layout.communities[layout.cellCommunity[f.cell]].name.replace(/(社区|村)$/, '')}口袋公园` });
  }
  return out;
}

/** 地铁1号线 under the longest main 东西向 road, 2号线 under the longest main 南北向 road; a station at every
 * second crossing; a crossing of both lines is one 换乘站. */
function metroStations(layout: Layout, crossings: Intersection[], places: DemoPlace[]): void {
  const l = layout.lattice;
  const lines = [
    { no: 1, road: crossings.filter((x) => x.ew.main).map((x) => x.ew).sort((a, b) => b.cum.at(-1)! - a.cum.at(-1)!)[0] },
    { no: 2, road: crossings.filter((x) => x.ns.main).map((x) => x.ns).sort((a, b) => b.cum.at(-1)! - a.cum.at(-1)!)[0] },
  ];
  const seen = new Map<number, DemoPlace>();
  for (const { no, road } of lines) {
    if (!road) continue;
    const list = crossings.filter((x) => x.ew === road || x.ns === road);
    list.forEach((x, k) => {
      const interchange = x.ew === lines[0].road && x.ns === lines[1].road;
      if (k % 2 === 1 && !interchange) return;
      const cell = x.quadrants.find((c) => c >= 0);
      if (cell === undefined) return;
      const existing = seen.get(x.vertex);
      if (existing) {
        existing.name = existing.name.replace(/^地铁(\d)号线/, `地铁$1/${no}号线`);
        return;
      }
      const cross = x.ew === road ? x.ns : x.ew;
      // the entrance stands 25 m into the crossing's first quadrant inside the district
      const c = cellCenter(l, cell);
      const vx = l.xs[x.vertex];
      const vy = l.ys[x.vertex];
      const k2 = 25 / Math.hypot(c[0] - vx, c[1] - vy);
      const p = l.proj.toLonLat(vx + k2 * (c[0] - vx), vy + k2 * (c[1] - vy));
      const place: DemoPlace = {
        kind: 'landmark', name: `地铁${no}号线${cross.name}站`, category: '地铁站',
        communityId: layout.communities[layout.cellCommunity[cell]].id,
        geometry: { type: 'Point', coordinates: p }, address: `${DISTRICT_NAME}${x.ew.name}与${x.ns.name}交叉口`,
      };
      seen.set(x.vertex, place);
      places.push(place);
    });
  }
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { generateDemoCity, summarizeDemoCity } from './index.ts';
import type { CatalogJson, DemoCity, LimitUnit, MatterDefaultsJson, Polygon } from './types.ts';
import { LocalProjection, isClosed, isSimpleRing, pointInPolygon, polygonAreaM2, ringCentroid, signedRingArea } from './geometry.ts';

const catalog: CatalogJson = JSON.parse(readFileSync(new URL('../../resources/catalog-gbt47678-5.json', import.meta.url), 'utf8'));
const matterDefaults: MatterDefaultsJson = JSON.parse(readFileSync(new URL('../../resources/matter-defaults.json', import.meta.url), 'utf8'));

const t0 = performance.now();
const city = generateDemoCity({ catalog, matterDefaults });
const elapsedMs = performance.now() - t0;
const proj = new LocalProjection(city.city.origin[0], city.city.origin[1]);
const hash = (c: DemoCity) => createHash('sha256').update(JSON.stringify(c)).digest('hex');
const byLevel = (level: string) => city.regions.filter((r) => r.level === level);
const district = byLevel('district')[0];
const streets = byLevel('street');
const communities = byLevel('community');

test('summary (diagnostic)', (t) => {
  t.diagnostic(`generated in ${elapsedMs.toFixed(0)} ms: ${JSON.stringify(summarizeDemoCity(city))}`);
  assert.ok(city.parts.length > 0);
});

test('determinism: the same seed gives the identical city, another seed a different one', () => {
  const again = generateDemoCity({ catalog, matterDefaults });
  assert.equal(hash(again), hash(city));
  const seeded = generateDemoCity({ catalog, matterDefaults, seed: 7 });
  assert.equal(hash(generateDemoCity({ catalog, matterDefaults, seed: 7 })), hash(seeded));
  assert.notEqual(hash(seeded), hash(city));
});

test('about 1,000 unit grids of ~35,000 m² (never 10,000), spread within ±30 %', () => {
  assert.ok(city.grids.length >= 900 && city.grids.length <= 1200, `grids: ${city.grids.length}`);
  const areas = city.grids.map((g) => g.areaM2);
  const mean = areas.reduce((a, b) => a + b, 0) / areas.length;
  assert.ok(mean >= 30000 && mean <= 40000, `mean ${mean}`);
  for (const a of areas) assert.ok(Math.abs(a / mean - 1) <= 0.3, `grid area ${a} vs mean ${mean}`);
  // sizes really vary
  assert.ok(areas.some((a) => Math.abs(a / mean - 1) > 0.15));
  const districtKm2 = polygonAreaM2(district.geometry!.coordinates, proj) / 1e6;
  assert.ok(districtKm2 >= 33 && districtKm2 <= 42, `district ${districtKm2} km²`);
});

test('hierarchy: 6–9 streets, 3–8 communities each, codes nest', () => {
  assert.equal(byLevel('city').length, 1);
  assert.equal(district.code.length, 6);
  assert.ok(streets.length >= 6 && streets.length <= 9, `streets ${streets.length}`);
  for (const s of streets) {
    assert.equal(s.parentId, district.id);
    assert.match(s.code, new RegExp(`^${district.code}\\d{3}$`));
    assert.match(s.name, /(街道|镇)$/);
    const n = communities.filter((c) => c.parentId === s.id).length;
    assert.ok(n >= 3 && n <= 8, `${s.name}: ${n} communities`);
  }
  const streetById = new Map(streets.map((s) => [s.id, s]));
  for (const c of communities) {
    const s = streetById.get(c.parentId!);
    assert.ok(s, `community ${c.name} has a street`);
    assert.match(c.code, new RegExp(`^${s.code}\\d{3}$`));
    assert.match(c.name, /(社区|村)$/);
    assert.equal(c.areaClass, s.areaClass);
  }
  const comById = new Map(communities.map((c) => [c.id, c]));
  for (const g of city.grids) {
    const c = comById.get(g.communityId)!;
    assert.match(g.code, new RegExp(`^${c.code}\\d{3}$`));
    assert.match(g.name, new RegExp(`^${c.name}第\\d{2,3}网格$`));
  }
  assert.deepEqual(new Set(streets.map((s) => s.areaClass)), new Set(['A', 'B', 'C']));
});

test('every grid and region polygon is closed, simple and counter-clockwise', () => {
  const polys: [string, Polygon][] = [
    ...city.grids.map((g) => [g.code, g.geometry] as [string, Polygon]),
    ...city.regions.filter((r) => r.geometry).map((r) => [r.code, r.geometry!] as [string, Polygon]),
  ];
  for (const [code, p] of polys) {
    assert.equal(p.type, 'Polygon');
    assert.equal(p.coordinates.length, 1, `${code}: one outer ring`);
    const ring = p.coordinates[0];
    assert.ok(isClosed(ring), `${code} closed`);
    assert.ok(isSimpleRing(ring), `${code} simple`);
    assert.ok(signedRingArea(ring) > 0, `${code} counter-clockwise`);
  }
});

/** directed edges of a set of rings after cancelling shared (reversed) edges */
function boundaryEdges(rings: number[][][]): Set<string> {
  const edges = new Set<string>();
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = `${ring[i][0]},${ring[i][1]}`;
      const b = `${ring[i + 1][0]},${ring[i + 1][1]}`;
      const rev = `${b}>${a}`;
      if (edges.has(rev)) edges.delete(rev);
      else edges.add(`${a}>${b}`);
    }
  }
  return edges;
}

function assertUnion(name: string, parent: Polygon, children: Polygon[]): void {
  const outline = boundaryEdges([parent.coordinates[0]]);
  const union = boundaryEdges(children.map((c) => c.coordinates[0]));
  assert.equal(union.size, outline.size, `${name}: union outline has ${union.size} edges, region ${outline.size}`);
  for (const e of union) assert.ok(outline.has(e), `${name}: edge ${e} not on the region outline`);
  const sum = children.reduce((s, c) => s + polygonAreaM2(c.coordinates, proj), 0);
  const area = polygonAreaM2(parent.coordinates, proj);
  assert.ok(Math.abs(sum - area) / area < 0.001, `${name}: children ${sum} vs ${area}`);
}

test('grids tile their community exactly; communities tile streets; streets tile the district', () => {
  for (const c of communities) {
    const grids = city.grids.filter((g) => g.communityId === c.id);
    assert.ok(grids.length > 0);
    assertUnion(c.name, c.geometry!, grids.map((g) => g.geometry));
    const sum = grids.reduce((s, g) => s + g.areaM2, 0);
    const area = polygonAreaM2(c.geometry!.coordinates, proj);
    assert.ok(Math.abs(sum - area) / area < 0.001, `${c.name}: grid areaM2 sum ${sum} vs ${area}`);
  }
  for (const s of streets) assertUnion(s.name, s.geometry!, communities.filter((c) => c.parentId === s.id).map((c) => c.geometry!));
  assertUnion(district.name, district.geometry!, streets.map((s) => s.geometry!));
  // and no two grids overlap: every shared edge is used exactly once in each direction
  const seen = new Set<string>();
  for (const g of city.grids) {
    const ring = g.geometry.coordinates[0];
    for (let i = 0; i + 1 < ring.length; i++) {
      const e = `${ring[i]}>${ring[i + 1]}`;
      assert.ok(!seen.has(e), `edge used twice in the same direction: ${e}`);
      seen.add(e);
    }
  }
});

test('all ids are unique', () => {
  const lists: [string, string[]][] = [
    ['regions', city.regions.map((r) => r.id)],
    ['region codes', city.regions.map((r) => r.code)],
    ['grids', city.grids.map((g) => g.id)],
    ['grid codes', city.grids.map((g) => g.code)],
    ['units', city.units.map((u) => u.id)],
    ['rules', city.rules.map((r) => r.id)],
    ['parts', city.parts.map((p) => p.id)],
    ['places', city.places.map((p) => `${p.kind}:${p.name}`)],
  ];
  for (const [name, ids] of lists) assert.equal(new Set(ids).size, ids.length, `${name} not unique`);
});

test('units: the required departments, one office per street, fallbacks for every region', () => {
  assert.ok(city.units.length >= 20);
  const ids = new Set(city.units.map((u) => u.id));
  for (const id of ['U-CENTRE', 'U-GOV', 'U-CGZF', 'U-LHSR', 'U-HWS', 'U-ZJW', 'U-JJDD', 'U-SCJG', 'U-STHJ', 'U-SW', 'U-FG', 'U-YLS', 'U-SZYH', 'U-ZMS', 'U-XF', 'U-GD', 'U-RQ', 'U-ZLS', 'U-DX', 'U-YD', 'U-LT']) {
    assert.ok(ids.has(id), id);
  }
  assert.ok(city.units.filter((u) => u.kind === 'property_company').length >= 3);
  const regionIds = new Set(city.regions.map((r) => r.id));
  for (const u of city.units) {
    assert.ok(regionIds.has(u.regionId), `${u.id} region`);
    if (u.parentId) assert.ok(ids.has(u.parentId), `${u.id} parent`);
  }
  assert.equal(city.fallbackUnits[district.id], 'U-GOV');
  for (const r of city.regions) assert.ok(ids.has(city.fallbackUnits[r.id]), `fallback for ${r.name}`);
  for (const s of streets) {
    const office = city.units.find((u) => u.id === city.fallbackUnits[s.id])!;
    assert.equal(office.kind, 'street_office');
    assert.equal(office.regionId, s.id);
    for (const c of communities.filter((c) => c.parentId === s.id)) assert.equal(city.fallbackUnits[c.id], office.id);
  }
});

test('responsibility list: every catalogue matter is covered at the district or above', () => {
  const top = new Set([district.id, byLevel('city')[0].id]);
  const broad = city.rules.filter((r) => top.has(r.regionId) && !r.partOwnerUnitId);
  const all = [...catalog.matters, ...catalog.parts];
  for (const m of all) {
    assert.ok(broad.some((r) => r.matterCode === m.code || r.matterClass === m.class), `${m.code} ${m.name} uncovered`);
  }
  // and every catalogue code has its own rule somewhere (district or per street)
  for (const m of all) assert.ok(city.rules.some((r) => r.matterCode === m.code), `${m.code} has no code rule`);
});

test('responsibility list: no ties; every unit, owner and region a rule names exists', () => {
  const keys = city.rules.map((r) => `${r.matterCode ?? ''}|${r.matterClass ?? ''}|${r.regionId}|${r.partOwnerUnitId ?? ''}`);
  assert.equal(new Set(keys).size, keys.length);
  const units = new Set(city.units.map((u) => u.id));
  const regions = new Set(city.regions.map((r) => r.id));
  for (const r of city.rules) {
    assert.ok((r.matterCode === undefined) !== (r.matterClass === undefined), `${r.id}: code xor class`);
    assert.ok(units.has(r.unitId), `${r.id} unit ${r.unitId}`);
    for (const a of r.assistingUnitIds) assert.ok(units.has(a) && a !== r.unitId, `${r.id} assisting ${a}`);
    if (r.partOwnerUnitId) assert.ok(units.has(r.partOwnerUnitId), `${r.id} owner`);
    assert.ok(regions.has(r.regionId), `${r.id} region`);
  }
});

test('responsibility list: typical units are honoured', () => {
  const at = (code: string, regionId = district.id, owner?: string) =>
    city.rules.find((r) => r.matterCode === code && r.regionId === regionId && r.partOwnerUnitId === owner);
  assert.equal(at('06010')?.unitId, 'U-HWS'); // 环卫
  assert.equal(at('09009')?.unitId, 'U-JJDD'); // 公安交管
  assert.equal(at('01005')?.unitId, 'U-GD'); // 电力井盖 → 供电公司
  assert.equal(at('01001')?.unitId, 'U-ZLS'); // 供水井盖 → 自来水公司
  assert.equal(at('01037')?.unitId, 'U-ZMS'); // 路灯 → 照明管理所
  assert.equal(at('01007', district.id, 'U-YD')?.unitId, 'U-YD'); // owner-based
  assert.ok(city.rules.some((r) => r.matterClass === '01' && r.partOwnerUnitId === 'U-GD' && r.unitId === 'U-GD'));
  // 街道 matters are street work: one rule per street, led by that street's office or squad
  for (const s of streets) {
    const r = at('06007', s.id);
    assert.equal(r?.unitId, city.fallbackUnits[s.id], `06007 in ${s.name}`);
  }
});

test('admission list names existing classes and codes', () => {
  const classes = new Set([...catalog.matters, ...catalog.parts].map((m) => m.class));
  const codes = new Set([...catalog.matters, ...catalog.parts].map((m) => m.code));
  assert.ok(city.admission.length > 0);
  for (const a of city.admission) assert.ok(a.matterClass ? classes.has(a.matterClass) : codes.has(a.matterCode!));
  assert.ok(city.admission.some((a) => a.matterClass === '06'));
  assert.ok(city.admission.some((a) => a.matterClass === '09'));
});

const MINUTES: Record<LimitUnit, number> = { natural_minutes: 1, natural_hours: 60, natural_days: 1440, work_hours: 60, work_days: 480 };
const mins = (l: { amount: number; unit: LimitUnit }) => l.amount * MINUTES[l.unit];

test('time limits: three urgencies for every matter, urgent never longer than normal', () => {
  const all = [
    ...catalog.matters.map((m) => ['matter', m.code] as const),
    ...catalog.parts.map((p) => ['part', p.code] as const),
  ];
  for (const [kind, code] of all) {
    const get = (u: string) => city.timeLimits.find((t) => t.matterKind === kind && t.matterCode === code && t.urgency === u && t.areaClass === null);
    const n = get('normal');
    const u = get('urgent');
    const v = get('very_urgent');
    assert.ok(n && u && v, `${kind} ${code}`);
    assert.ok(mins(u.limit) <= mins(n.limit) && mins(v.limit) <= mins(u.limit), `${code} monotone`);
    assert.ok(n.basis.length > 0);
  }
  const keys = city.timeLimits.map((t) => `${t.matterKind}|${t.matterCode}|${t.urgency}|${t.areaClass}`);
  assert.equal(new Set(keys).size, keys.length);
});

test('time limits: domain.md §5 samples are represented', () => {
  const normal = (kind: string, code: string, areaClass: string | null = null) =>
    city.timeLimits.find((t) => t.matterKind === kind && t.matterCode === code && t.urgency === 'normal' && t.areaClass === areaClass)?.limit;
  assert.deepEqual(normal('matter', '06010', 'A'), { amount: 4, unit: 'work_hours' });
  assert.deepEqual(normal('matter', '06010'), { amount: 1, unit: 'work_days' });
  assert.deepEqual(normal('matter', '06012'), { amount: 2, unit: 'work_hours' });
  assert.deepEqual(normal('matter', '09009'), { amount: 1, unit: 'work_hours' });
  assert.deepEqual(normal('matter', '06029'), { amount: 2, unit: 'natural_hours' });
  for (const c of ['01001', '01002', '01003', '01004', '01005']) assert.deepEqual(normal('part', c), { amount: 2, unit: 'natural_hours' }, c);
  assert.deepEqual(normal('part', '01037'), { amount: 1, unit: 'work_days' });
});

test('parts: ~3,000, each inside its grid, 17-digit ids, catalogue codes, realistic owners', () => {
  assert.ok(city.parts.length >= 2500 && city.parts.length <= 3500, `parts ${city.parts.length}`);
  const grids = new Map(city.grids.map((g) => [g.id, g]));
  const partCodes = new Set(catalog.parts.map((p) => p.code));
  const units = new Set(city.units.map((u) => u.id));
  for (const p of city.parts) {
    const g = grids.get(p.gridId);
    assert.ok(g, `${p.id} grid`);
    assert.ok(pointInPolygon(p.lon, p.lat, g.geometry.coordinates), `${p.id} outside ${p.gridId}`);
    assert.match(p.id, /^\d{17}$/);
    assert.equal(p.id.slice(0, 6), district.code);
    assert.equal(p.id.slice(6, 11), p.partCode);
    assert.ok(partCodes.has(p.partCode), p.partCode);
    assert.ok(units.has(p.ownerUnitId) && units.has(p.maintainerUnitId), p.id);
  }
  const ownerOf = (code: string) => new Set(city.parts.filter((p) => p.partCode === code).map((p) => p.ownerUnitId));
  assert.deepEqual(ownerOf('01001'), new Set(['U-ZLS']));
  assert.deepEqual(ownerOf('01005'), new Set(['U-GD']));
  assert.deepEqual(ownerOf('01037'), new Set(['U-ZMS']));
  for (const code of ['01001', '01002', '01003', '01004', '01005', '01037', '02014']) assert.ok(ownerOf(code).size > 0, `no ${code}`);
});

test('places: roads with odd/even house numbers, compounds with property companies, natural addresses', () => {
  const roads = city.places.filter((p) => p.kind === 'road');
  assert.ok(roads.length >= 8);
  for (const r of roads) {
    assert.match(r.name, /(路|街|大道)$/);
    assert.equal(r.geometry.type, 'LineString');
    const nums = r.houseNumbers!.map((h) => h.number);
    assert.equal(new Set(nums).size, nums.length, `${r.name} numbers unique`);
    assert.ok(nums.some((n) => Number.parseInt(n) % 2 === 1) && nums.some((n) => Number.parseInt(n) % 2 === 0));
  }
  const property = new Set(city.units.filter((u) => u.kind === 'property_company').map((u) => u.id));
  const compounds = city.places.filter((p) => p.kind === 'compound');
  assert.ok(compounds.length >= 50);
  const gridsOf = new Map<string, typeof city.grids>();
  for (const g of city.grids) gridsOf.set(g.communityId, [...(gridsOf.get(g.communityId) ?? []), g]);
  for (const c of compounds) {
    assert.ok(property.has(c.propertyUnitId!), c.name);
    assert.match(c.name, /(小区|花园|苑|公寓|家园|新村|名邸|华庭|府)$/);
    assert.match(c.address!, /^滨江区\S+(路|街|大道)\d+号\S+$/);
    assert.ok(c.address!.endsWith(c.name));
    assert.equal(c.geometry.type, 'Polygon');
    const ring = (c.geometry.coordinates as number[][][])[0];
    assert.ok(isSimpleRing(ring) && signedRingArea(ring) > 0, `${c.name} polygon`);
    // the whole compound lies inside one grid of its community
    const [x, y] = ringCentroid(ring);
    const g = gridsOf.get(c.communityId!)!.find((g) => pointInPolygon(x, y, g.geometry.coordinates));
    assert.ok(g, `${c.name} in its community`);
    for (const [px, py] of ring) assert.ok(pointInPolygon(px, py, g.geometry.coordinates), `${c.name} inside ${g.name}`);
  }
  const landmarks = city.places.filter((p) => p.kind === 'landmark');
  for (const cat of ['学校', '医院', '公园', '地铁站', '菜市场']) assert.ok(landmarks.some((p) => p.category === cat), cat);
  for (const p of landmarks) {
    assert.ok(p.address?.startsWith('滨江区'), p.name);
    assert.equal(p.geometry.type, 'Point');
    const [x, y] = p.geometry.coordinates as number[];
    assert.ok(gridsOf.get(p.communityId!)!.some((g) => pointInPolygon(x, y, g.geometry.coordinates)), `${p.name} in its community`);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gazetteer } from './gazetteer.ts';
import type { GazetteerPlace, HouseNumberPoint } from './types.ts';

/**
 * A small city on a plan: 望江路 runs east along lat 31.55 (number n at lon 120.30 + n·0.0001, odd numbers on
 * the north side, even on the south); 建设路 runs north along lon 120.31 (number n at lat 31.54 + n·0.0001).
 */
const W = (n: number) => 120.3 + n * 0.0001;
function numbersEW(lat: number, max: number, missing: number[] = []): HouseNumberPoint[] {
  const out: HouseNumberPoint[] = [];
  for (let n = 1; n <= max; n++) if (!missing.includes(n)) out.push({ number: `${n}号`, lon: W(n), lat: lat + (n % 2 ? 0.0002 : -0.0002) });
  return out;
}
const road = (name: string, lat: number, numbers: HouseNumberPoint[]): GazetteerPlace => ({
  kind: 'road', name, lon: 120.3, lat, houseNumbers: numbers, lines: [[[120.3, lat], [120.32, lat]]],
});

const PLACES: GazetteerPlace[] = [
  road('望江路', 31.55, numbersEW(31.55, 60, [11, 13, 15, 20])),
  {
    kind: 'road', name: '建设路', lon: 120.31, lat: 31.54, lines: [[[120.31, 31.54], [120.31, 31.56]]],
    houseNumbers: Array.from({ length: 80 }, (_, k) => ({ number: `${k + 1}号`, lon: 120.31 + (k % 2 ? 0.0002 : -0.0002), lat: 31.54 + (k + 1) * 0.0001 })),
  },
  road('人民路', 31.53, numbersEW(31.53, 20)),
  road('人民大道', 31.52, numbersEW(31.52, 20)),
  { kind: 'compound', name: '锦绣花园', communityId: 'C-1', address: '滨江区望江路28号锦绣花园', lon: 120.3028, lat: 31.549 },
  { kind: 'compound', name: '翠湖花园小区', communityId: 'C-2', address: '滨江区建设路15号翠湖花园小区', lon: 120.311, lat: 31.5415 },
  { kind: 'compound', name: '百合花园', communityId: 'C-1', address: '滨江区望江路40号百合花园', lon: 120.304, lat: 31.549 },
  { kind: 'compound', name: '百合华庭', communityId: 'C-2', address: '滨江区建设路40号百合华庭', lon: 120.311, lat: 31.544 },
  { kind: 'compound', name: '紫薇苑', communityId: 'C-3', lon: 120.305, lat: 31.553 },
  { kind: 'landmark', name: '滨江区人民医院', category: '医院', communityId: 'C-2', address: '滨江区建设路9号滨江区人民医院', lon: 120.3105, lat: 31.5409 },
  { kind: 'landmark', name: '江海市第二人民医院', category: '医院', communityId: 'C-3', lon: 120.33, lat: 31.55 },
  { kind: 'landmark', name: '地铁2号线世纪大道站', category: '地铁站', communityId: 'C-1', lon: 120.32, lat: 31.551 },
  { kind: 'landmark', name: '江海市第十二中学', category: '学校', communityId: 'C-3', lon: 120.301, lat: 31.56 },
];
const g = new Gazetteer(PLACES, { regionNames: ['江海市', '滨江区'] });
const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;

test('exact road + house number → that number\'s point, score 1, whatever the writing', () => {
  for (const q of ['江海市滨江区望江路27号', '望江路二十七号', '望江路２７号', '望江路 27 号', '滨江区望江路27']) {
    const r = g.geocode(q);
    assert.equal(r.outcome, 'exact', q);
    const c = r.candidates[0];
    assert.deepEqual([c.kind, c.name, c.score, c.method, c.communityId], ['house_number', '望江路27号', 1, 'exact', null], q);
    assert.ok(near(c.lon, W(27)) && near(c.lat, 31.5502), q);
  }
});

test('a missing number is interpolated between the nearest numbers on its own side', () => {
  const odd = g.geocode('望江路13号'); // 11, 13, 15 missing: between 9 and 17, north side
  assert.equal(odd.outcome, 'approximate');
  const c = odd.candidates[0];
  assert.deepEqual([c.name, c.method, c.score], ['望江路13号', 'interpolated', 0.9]);
  assert.ok(near(c.lon, W(13)) && near(c.lat, 31.5502), `${c.lon},${c.lat}`);
  const even = g.geocode('望江路20号').candidates[0]; // between 18 and 22, south side
  assert.ok(near(even.lon, W(20)) && near(even.lat, 31.5498), `${even.lon},${even.lat}`);
  // beyond the last number: the nearest one, lower score; a sub number at its main number
  const far = g.geocode('望江路99号').candidates[0];
  assert.deepEqual([far.method, far.score], ['nearest', 0.7]);
  assert.ok(near(far.lon, W(59)));
  const sub = g.geocode('望江路27-1号');
  assert.deepEqual([sub.outcome, sub.candidates[0].method, sub.candidates[0].score], ['approximate', 'variant', 0.95]);
});

test('compound names with and without 小区 / 花园 / 苑 words', () => {
  const want = (q: string, name: string, score: number) => {
    const r = g.geocode(q);
    assert.equal(r.outcome, 'exact', `${q}: ${JSON.stringify(r.candidates)}`);
    assert.deepEqual([r.candidates[0].name, r.candidates[0].score, r.candidates[0].communityId !== null], [name, score, true], q);
  };
  want('锦绣花园', '锦绣花园', 1);
  want('锦绣花园小区', '锦绣花园', 1);
  want('锦绣小区', '锦绣花园', 0.95);
  want('锦绣', '锦绣花园', 0.95);
  want('翠湖花园小区', '翠湖花园小区', 1);
  want('翠湖花园', '翠湖花园小区', 0.95);
  want('锦绣花园3栋2单元501室', '锦绣花园', 1);
  const c = g.geocode('锦绣花园').candidates[0];
  assert.deepEqual([c.kind, c.lon, c.lat, c.communityId], ['compound', 120.3028, 31.549, 'C-1']);
  // another compound word is a less certain variant
  assert.deepEqual([g.geocode('锦绣苑').outcome, g.geocode('锦绣苑').candidates[0].score], ['approximate', 0.85]);
});

test('road, number and compound together are one candidate; the address settles a shared name', () => {
  const r = g.geocode('望江路28号锦绣花园3栋');
  assert.equal(r.outcome, 'exact');
  assert.equal(r.candidates.length, 1);
  assert.deepEqual([r.candidates[0].name, r.candidates[0].matched], ['锦绣花园', '望江路28号锦绣花园']);
  const b = g.geocode('望江路40号百合');
  assert.deepEqual([b.outcome, b.candidates[0].name], ['exact', '百合花园']);
});

test('one wrong, missing or extra character is tolerated, as an approximate answer', () => {
  const cases: [string, string][] = [['锦秀花园', '锦绣花园'], ['紫微苑', '紫薇苑'], ['锦绣花', '锦绣花园'], ['锦绣花花园', '锦绣花园'], ['望江陆27号', '望江路27号']];
  for (const [q, name] of cases) {
    const r = g.geocode(q);
    assert.equal(r.outcome, 'approximate', `${q}: ${JSON.stringify(r.candidates)}`);
    assert.equal(r.candidates[0].name, name, q);
    assert.equal(r.candidates[0].method, 'fuzzy', q);
    assert.ok(r.candidates[0].score >= 0.6 && r.candidates[0].score < 0.8, `${q} ${r.candidates[0].score}`);
  }
  // two wrong characters in a short name is another name
  assert.equal(g.geocode('锦秀化园').outcome, 'none');
});

test('ambiguous: a shared name, a number on two roads of similar names — every candidate listed, best first', () => {
  const a = g.geocode('百合小区');
  assert.equal(a.outcome, 'ambiguous');
  assert.deepEqual(a.candidates.map((c) => c.name).sort(), ['百合华庭', '百合花园']);
  const b = g.geocode('人民8号');
  assert.equal(b.outcome, 'ambiguous');
  assert.deepEqual(b.candidates.map((c) => c.name).sort(), ['人民大道8号', '人民路8号']);
  assert.ok(b.candidates.every((c) => c.kind === 'house_number' && c.method === 'variant'));
  // naming the road in full settles it
  assert.deepEqual([g.geocode('人民路8号').outcome, g.geocode('人民路8号').candidates[0].name], ['exact', '人民路8号']);
  // the limit cuts the list, not the outcome
  const one = g.geocode('百合', { limit: 1 });
  assert.deepEqual([one.outcome, one.candidates.length], ['ambiguous', 1]);
});

test('landmarks: with or without the city prefix, and their common forms', () => {
  const want = (q: string, name: string) => {
    const r = g.geocode(q);
    assert.equal(r.outcome, 'exact', `${q}: ${JSON.stringify(r.candidates)}`);
    assert.equal(r.candidates[0].name, name, q);
  };
  want('滨江区人民医院', '滨江区人民医院');
  want('人民医院', '滨江区人民医院');
  want('江海市第二人民医院', '江海市第二人民医院');
  want('第二人民医院旁边', '江海市第二人民医院');
  want('世纪大道站', '地铁2号线世纪大道站');
  want('世纪大道地铁站', '地铁2号线世纪大道站');
  want('江海市十二中', '江海市第十二中学');
  assert.deepEqual(g.geocode('人民医院对面').parsed.qualifiers, ['对面']);
});

test('a road alone is its middle; two roads named together are their crossing', () => {
  const r = g.geocode('望江路');
  assert.deepEqual([r.outcome, r.candidates[0].kind, r.candidates[0].method], ['approximate', 'road', 'road']);
  assert.ok(near(r.candidates[0].lon, 120.31) && near(r.candidates[0].lat, 31.55));
  const x = g.geocode('望江路与建设路交叉口');
  assert.equal(x.outcome, 'exact');
  assert.deepEqual([x.candidates[0].kind, x.candidates[0].name], ['intersection', '望江路与建设路交叉口']);
  assert.ok(near(x.candidates[0].lon, 120.31) && near(x.candidates[0].lat, 31.55));
});

test('nothing found → none with no candidates', () => {
  for (const q of ['火星基地', '未知路8号', '', '  ，。', '8号']) {
    const r = g.geocode(q);
    assert.deepEqual([r.outcome, r.candidates], ['none', []], q);
  }
  assert.equal(new Gazetteer([]).geocode('望江路8号').outcome, 'none');
});

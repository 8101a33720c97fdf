import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chineseToNumber } from './numerals.ts';
import { normalizeAddress, normalizeText } from './normalize.ts';
import { parseAddress } from './parse.ts';
import { parseHouseNumber } from './road-numbers.ts';

const REGION = { regionNames: ['江海市', '滨江区'] };

test('Chinese numerals: positional, digit by digit, financial forms', () => {
  const cases: [string, number | null][] = [
    ['一百二十八', 128], ['一百零八', 108], ['十五', 15], ['二十', 20], ['十', 10], ['两百', 200], ['一千零一', 1001],
    ['一二八', 128], ['一零一', 101], ['壹佰贰拾捌', 128], ['一万二千', 12000], ['零', 0], ['百合', null], ['', null],
  ];
  for (const [text, n] of cases) assert.equal(chineseToNumber(text), n, text);
});

test('full-width digits and letters become half-width', () => {
  assert.equal(normalizeText('望江路１２８号'), '望江路128号');
  assert.equal(normalizeText('锦绣花园Ａ座１０２室'), '锦绣花园A栋102室');
  assert.equal(normalizeText('ｂ栋'), 'B栋');
});

test('Chinese numerals in house, building, unit and room numbers, and after 第', () => {
  assert.equal(normalizeText('望江路一百二十八号'), '望江路128号');
  assert.equal(normalizeText('望江路一二八号'), '望江路128号');
  assert.equal(normalizeText('望江路一百二十八'), '望江路128');
  assert.equal(normalizeText('三号楼二单元五零一室'), '3栋2单元501室');
  assert.equal(normalizeText('江海市第十二中学'), '江海市第12中学');
  assert.equal(normalizeText('地铁二号线'), '地铁2号线');
  assert.equal(normalizeText('十二中'), '12中');
  // numerals that are part of a name stay
  for (const name of ['百合花园', '五福菜市场', '三里桥', '万福家园', '社区卫生服务中心']) assert.equal(normalizeText(name), name);
});

test('spaces and punctuation go; the hyphen of a sub number stays; variants unify', () => {
  assert.equal(normalizeText(' 望江路 128 号，（锦绣花园） '), '望江路128号锦绣花园');
  assert.equal(normalizeText('望江路128－1号'), '望江路128-1号');
  assert.equal(normalizeText('望江路128之1号'), '望江路128-1号');
  assert.equal(normalizeText('锦绣花园3#楼'), '锦绣花园3栋');
  assert.equal(normalizeText('锦绣花园3幢'), '锦绣花园3栋');
  assert.equal(normalizeText('锦绣花园3号楼'), '锦绣花园3栋');
  assert.equal(normalizeText('望江路128號'), '望江路128号');
  assert.equal(normalizeText('望江路100衖'), '望江路100弄');
});

test('the configured city and district are stripped from the start, with a province before them', () => {
  const a = normalizeAddress('江苏省江海市滨江区望江路128号', REGION);
  assert.equal(a.text, '望江路128号');
  assert.deepEqual(a.regions, ['江苏省', '江海市', '滨江区']);
  assert.equal(normalizeAddress('滨江区望江路128号', REGION).text, '望江路128号');
  // only full names: 江海 is the start of 江海路, and another city is not ours
  assert.equal(normalizeAddress('江海路8号', REGION).text, '江海路8号');
  assert.equal(normalizeAddress('上海市人民路8号', REGION).text, '上海市人民路8号');
  // a region name alone is not stripped to nothing; a province without our city stays
  assert.equal(normalizeAddress('滨江区', REGION).text, '滨江区');
  assert.equal(normalizeAddress('江苏省人民医院', REGION).text, '江苏省人民医院');
});

test('附近 / 旁边 / 对面 and crossing words are noted and removed', () => {
  const a = normalizeAddress('锦绣花园对面', REGION);
  assert.equal(a.text, '锦绣花园');
  assert.deepEqual(a.qualifiers, ['对面']);
  assert.equal(normalizeAddress('望江路一百二十八附近').text, '望江路128');
  const b = normalizeAddress('人民医院旁边', REGION);
  assert.deepEqual([b.text, b.qualifiers], ['人民医院', ['旁边']]);
  const c = normalizeAddress('建设路与同心街交叉口附近', REGION);
  assert.deepEqual([c.text, c.qualifiers], ['建设路与同心街', ['交叉口', '附近']]);
  // 路口 keeps its road word
  assert.deepEqual([normalizeAddress('建设路口', REGION).text, normalizeAddress('建设路口').qualifiers], ['建设路', ['路口']]);
});

test('parseAddress reads road, number, compound, building, unit and room', () => {
  const p = parseAddress('江海市滨江区望江路一百二十八号锦绣花园3栋2单元501室旁边', REGION);
  assert.deepEqual(
    { road: p.road, number: p.number, compound: p.compound, building: p.building, unit: p.unit, room: p.room, rest: p.rest, q: p.qualifiers, r: p.regions },
    { road: '望江路', number: '128号', compound: '锦绣花园', building: '3', unit: '2', room: '501', rest: '', q: ['旁边'], r: ['江海市', '滨江区'] },
  );
  const lane = parseAddress('望江街道望江路100弄5号');
  assert.deepEqual([lane.road, lane.number, lane.rest], ['望江路', '100弄5号', '望江街道']);
  const bare = parseAddress('望江路128');
  assert.deepEqual([bare.road, bare.number], ['望江路', '128号']);
  const building = parseAddress('江南雅苑3号');
  assert.deepEqual([building.compound, building.building, building.number, building.road], ['江南雅苑', '3', undefined, undefined]);
  const sub = parseAddress('望江路128-1号');
  assert.equal(sub.number, '128-1号');
  const lm = parseAddress('滨江区人民医院', REGION);
  assert.deepEqual([lm.landmark, lm.road, lm.number], ['人民医院', undefined, undefined]);
  const metro = parseAddress('地铁2号线世纪大道站');
  assert.deepEqual([metro.number, metro.landmark], [undefined, '地铁2号线世纪大道站']);
  const both = parseAddress('望江路锦绣花园');
  assert.deepEqual([both.road, both.compound], ['望江路', '锦绣花园']);
  const school = parseAddress('江海市第十二中学', REGION);
  assert.deepEqual([school.number, school.landmark], [undefined, '第12中学']);
});

test('house numbers: canonical keys', () => {
  assert.deepEqual(parseHouseNumber('128号'), { base: 128, sub: null, unit: '号', key: '128号' });
  assert.equal(parseHouseNumber('一百二十八号')?.key, '128号');
  assert.equal(parseHouseNumber('128')?.key, '128号');
  assert.deepEqual(parseHouseNumber('128-1号'), { base: 128, sub: 1, unit: '号', key: '128-1号' });
  assert.equal(parseHouseNumber('100弄')?.unit, '弄');
  assert.deepEqual(parseHouseNumber('100弄5号'), { base: 100, sub: 5, unit: '弄', key: '100弄5号' });
  assert.equal(parseHouseNumber('甲1号'), null);
  assert.equal(parseHouseNumber('号'), null);
});

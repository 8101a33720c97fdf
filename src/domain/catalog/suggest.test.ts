import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { buildCatalog, type CatalogJson } from './catalog.ts';
import { MatterSuggester, nameVariants, splitKeywords } from './suggest.ts';

const DATA = new URL('../../../resources/', import.meta.url); // copies of ../shared/data
const catalog = buildCatalog(JSON.parse(fs.readFileSync(new URL('catalog-gbt47678-5.json', DATA), 'utf8')) as CatalogJson);
const suggester = new MatterSuggester({ matters: catalog });
const top = (text: string) => suggester.suggest(text, 5)[0];

test('the phrases of the brief: 井盖, 路灯, 占道经营, 乱堆物料', () => {
  const cover = suggester.suggest('小区门口井盖坏了', 5);
  assert.match(cover[0].name, /井盖/);
  assert.ok(cover.every((s) => /井盖/.test(s.name)), 'every suggestion is a manhole cover');
  assert.deepEqual(cover[0].matched, ['井盖', '坏了']);
  assert.equal(top('路灯不亮').code, '01037'); // 路灯异常, not 路灯井盖 or 路灯配电箱
  assert.equal(top('占道经营').code, '09006');
  assert.equal(top('乱堆物料').code, '06036'); // 乱堆杂物, legacy 乱堆物堆料; not 施工物料乱堆放
});

test("citizens' words find their matter first", () => {
  const cases: [string, string][] = [
    ['有人在路边摆摊卖水果', '09006'], ['楼道口垃圾堆了好几天没人清', '06010'], ['垃圾桶满了溢出来', '06042'],
    ['墙上贴满了小广告', '07001'], ['下雪后路面结冰', '10001'], ['河道发臭', '06026'], ['红绿灯不亮了', '02014'],
    ['马路上有个大坑', '06013'], ['门口被人装了地锁', '06040'], ['有辆僵尸车停了半年', '06034'], ['电线掉下来了', '10002'],
    ['消防通道被车堵了', '09012'], ['路边有只死猫', '06037'], ['共享单车乱停', '09011'], ['晚上工地施工噪音太大', '08001'],
    ['楼下烧烤', '06029'], ['树倒了', '04002'], ['小区里有人私搭乱建', '06001'],
  ];
  for (const [text, code] of cases) assert.equal(top(text)?.code, code, `${text} → ${JSON.stringify(suggester.suggest(text, 3))}`);
});

test('the 50 typical matters of matter-defaults.json, by name, each find themselves first', () => {
  const defaults = JSON.parse(fs.readFileSync(new URL('matter-defaults.json', DATA), 'utf8')) as { matters: { codes: string[]; name: string }[] };
  assert.ok(defaults.matters.length >= 45);
  for (const m of defaults.matters) {
    const name = m.name.replace(/\s*\(.*\)$/, ''); // "乱堆杂物 (legacy 乱堆物堆料)"
    assert.ok(m.codes.includes(top(name)?.code), `${name} → ${top(name)?.code}, expected one of ${m.codes}`);
  }
  for (const m of catalog.filter((c) => c.kind === 'matter')) assert.equal(top(m.name)?.code, m.code, m.name);
});

test('scores are 0..1, best first, limited; nothing for unrelated text', () => {
  const s = suggester.suggest('垃圾', 20);
  assert.ok(s.length > 1 && s.length <= 20);
  for (let i = 1; i < s.length; i++) assert.ok(s[i - 1].score >= s[i].score);
  assert.ok(s.every((x) => x.score > 0 && x.score <= 1));
  assert.equal(suggester.suggest('路灯不亮', 1).length, 1);
  assert.deepEqual(suggester.suggest('你好，请问几点了', 5), []);
  assert.deepEqual(suggester.suggest('  ，。 ', 5), []);
  assert.equal(top('路灯不亮').score, 1);
});

test('extra keywords (the knowledge base) teach it new words; part classes are not suggested as matters', () => {
  const plain = new MatterSuggester({ matters: catalog });
  assert.notEqual(plain.suggest('门口有个柴火垛', 1)[0]?.code, '06036');
  const taught = new MatterSuggester({ matters: catalog, extra: new Map([['06036', ['柴火垛', '投诉']], ['99999', ['无此事项']]]) });
  assert.equal(taught.suggest('门口有个柴火垛', 1)[0].code, '06036');
  assert.notEqual(taught.suggest('我要投诉', 1)[0]?.code, '06036', 'a stop word teaches nothing');
  assert.equal(plain.size, catalog.filter((c) => c.kind === 'matter').length);
});

test('name variants and keyword splitting', () => {
  assert.deepEqual(nameVariants('道路遗撒（洒）'), ['道路遗撒', '道路遗洒']);
  assert.deepEqual(nameVariants('垃圾站（箱）满溢'), ['垃圾站满溢', '垃圾箱满溢']);
  assert.deepEqual(nameVariants('路灯异常'), ['路灯']);
  assert.deepEqual(nameVariants('私设地锁、阻车桩'), ['私设地锁、阻车桩', '私设地锁', '阻车桩']);
  assert.deepEqual(splitKeywords('占道经营 摆摊,流动摊贩、店外经营 a'), ['占道经营', '摆摊', '流动摊贩', '店外经营']);
});

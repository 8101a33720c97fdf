import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexTokens, queryTokens } from './text-tokens.ts';

const matches = (text: string, q: string) => {
  const have = new Set((indexTokens(text) ?? '').split(' '));
  const want = queryTokens(q);
  return want.length > 0 && want.every((t) => have.has(t));
};

test('Chinese text is cut into overlapping pairs; ASCII is lower-cased and full-width folded', () => {
  assert.equal(indexTokens('井盖坏了'), '井盖 盖坏 坏了');
  assert.equal(indexTokens('３号楼 ABC'), '3号 号楼 ab bc');
  assert.equal(indexTokens('树', null, undefined), '树');
  assert.equal(indexTokens('', null), null);
  assert.deepEqual(queryTokens('门口 井盖'), ['门口', '井盖']);
  assert.deepEqual(queryTokens('3 号楼'), ['号楼']);
  assert.deepEqual(queryTokens('树'), []);
  assert.deepEqual(queryTokens('！？'), []);
});

test('a query matches when all its pairs occur, in any order of words, and not otherwise', () => {
  const text = '小区门口井盖坏了，翘起来很危险';
  assert.ok(matches(text, '井盖'));
  assert.ok(matches(text, '门口井盖'));
  assert.ok(matches(text, '危险 井盖'));
  assert.ok(!matches(text, '盖井'));
  assert.ok(!matches(text, '井盖丢失'));
  assert.ok(matches('望江路128号锦绣花园', '128号'));
  assert.ok(!matches('望江路128号', '129号'));
});

test('a very long text keeps a bounded number of tokens', () => {
  const long = Array.from({ length: 20_000 }, (_, i) => String.fromCharCode(0x4e00 + (i * 7919) % 20000)).join('');
  assert.ok((indexTokens(long) ?? '').split(' ').length <= 4000);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidCallerPhone, normalizePhone } from './hotline.ts';
import { grams, searchKb } from './kb-search.ts';

test('caller phone: mobile and landline pass, junk fails; +86 stripped', () => {
  for (const ok of ['13800138000', '+8613800138000', '010-12345678', '021 87654321']) assert.ok(isValidCallerPhone(ok), ok);
  for (const bad of ['12345', '1380013800', 'abc', '23800138000']) assert.ok(!isValidCallerPhone(bad), bad);
  assert.equal(normalizePhone('+86 138 0013 8000'), '13800138000');
});

test('bigram search ranks the title match above a body mention and ignores unrelated docs', () => {
  assert.deepEqual([...grams('垃圾清运')], ['垃圾', '圾清', '清运']);
  const docs = [
    { id: 1, title: '路灯报修', keywords: '路灯', body: '路边垃圾不归我们管' },
    { id: 2, title: '生活垃圾清运时间', keywords: '垃圾 清运', body: '每日两次' },
    { id: 3, title: '停水通知', keywords: '停水', body: '供水公司' },
  ];
  const hits = searchKb(docs, '垃圾什么时候清运？');
  assert.deepEqual(hits.map((h) => h.doc.id), [2, 1]);
  assert.ok(hits[0].score > hits[1].score);
  assert.deepEqual(searchKb(docs, '停水').map((h) => h.doc.id), [3]);
});

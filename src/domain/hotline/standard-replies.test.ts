import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.ts';
import { DEFAULT_STANDARD_REPLIES, parseStandardReplies, repliesFor } from './standard-replies.ts';

const lib = parseStandardReplies({
  version: 3,
  replies: [
    { id: 'general', title: '开场', text: '您好' },
    { id: 'trash', title: '垃圾清运', text: '垃圾清运时间为每日…', matterCodes: ['06010'] },
    { id: 'sanitation', title: '环卫类', text: '环卫问题…', matterClasses: ['06'] },
    { id: 'complaint', title: '投诉', text: '理解您的心情', requestKinds: ['complaint'] },
    { id: 'roads', title: '道路', text: '道路问题…', matterClasses: ['07'] },
  ],
});

test('replies for a call: its matter first, then its class, its request kind, then the general ones; others left out', () => {
  assert.deepEqual(repliesFor(lib, { matterCode: '06010', requestKind: 'complaint' }).map((r) => r.id), ['trash', 'sanitation', 'complaint', 'general']);
  assert.deepEqual(repliesFor(lib, { matterCode: '07001', requestKind: 'consult' }).map((r) => r.id), ['roads', 'general']);
  assert.deepEqual(repliesFor(lib, {}).map((r) => r.id), ['general']);
});

test('the defaults parse; a bad library names the field', () => {
  assert.equal(parseStandardReplies(structuredClone(DEFAULT_STANDARD_REPLIES)).replies.length, DEFAULT_STANDARD_REPLIES.replies.length);
  const fieldOf = (x: unknown) => { try { parseStandardReplies(x); } catch (e) { assert.ok(e instanceof DomainError); return e.field; } return assert.fail('accepted'); };
  assert.equal(fieldOf({ version: 1, replies: [{ id: 'a', title: 'x', text: '' }] }), 'replies[0].text');
  assert.equal(fieldOf({ version: 1, replies: [{ id: 'a', title: 'x', text: 'y' }, { id: 'a', title: 'x', text: 'y' }] }), 'replies[1].id');
  assert.equal(fieldOf({ version: 1, replies: [{ id: 'a', title: 'x', text: 'y', matterCodes: ['6010'] }] }), 'replies[0].matterCodes[0]');
  assert.equal(fieldOf({ version: 1, replies: [{ id: 'a', title: 'x', text: 'y', requestKinds: ['chat'] }] }), 'replies[0].requestKinds[0]');
});

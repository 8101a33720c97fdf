import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { advanceCursor, backoffMs, matchesSubscription, signWebhook, verifyWebhookSignature, webhookUrlProblem } from './webhook.policy.ts';

test('signature: HMAC-SHA256 over "timestamp.body", verified in constant time, replay window', () => {
  const body = '{"id":1,"topic":"case.created"}';
  const sig = signWebhook('s3cret', 1764000000, body);
  assert.equal(sig, `sha256=${crypto.createHmac('sha256', 's3cret').update(`1764000000.${body}`).digest('hex')}`);
  assert.ok(verifyWebhookSignature('s3cret', '1764000000', body, sig));
  assert.ok(!verifyWebhookSignature('other', 1764000000, body, sig));
  assert.ok(!verifyWebhookSignature('s3cret', 1764000001, body, sig));
  assert.ok(!verifyWebhookSignature('s3cret', 1764000000, body + ' ', sig));
  assert.ok(!verifyWebhookSignature('s3cret', 1764000000, body, 'sha256=00'));
  assert.ok(verifyWebhookSignature('s3cret', 1764000000, body, sig, { nowSeconds: 1764000100 }));
  assert.ok(!verifyWebhookSignature('s3cret', 1764000000, body, sig, { nowSeconds: 1764000400 }));
});

test('URLs: http and https only', () => {
  assert.equal(webhookUrlProblem('https://dept.example.cn/hook'), null);
  assert.equal(webhookUrlProblem('http://127.0.0.1:9000/x'), null);
  assert.match(webhookUrlProblem('ftp://x.cn/a')!.message, /http/);
  assert.match(webhookUrlProblem('not a url')!.message, /valid URL/);
  assert.match(webhookUrlProblem('https://u:p@x.cn/')!.message, /credentials/);
});

test('topic and unit filters', () => {
  const sub = { topics: ['case.created'], unitIds: ['u1'] };
  assert.ok(matchesSubscription({ topic: 'case.created', unitIds: ['u1', 'u2'] }, sub));
  assert.ok(!matchesSubscription({ topic: 'case.created', unitIds: ['u3'] }, sub));
  assert.ok(!matchesSubscription({ topic: 'apikey.created', unitIds: ['u1'] }, sub));
  assert.ok(matchesSubscription({ topic: 'case.created', unitIds: [] }, { topics: ['case.created'], unitIds: null }));
});

test('backoff doubles from 10 s, capped at 1 h, jittered within [half, full]', () => {
  assert.equal(backoffMs(1, 0), 5_000);
  assert.equal(backoffMs(1, 0.999999), 10_000);
  assert.equal(backoffMs(3, 1), 40_000);
  assert.equal(backoffMs(20, 1), 3_600_000);
  assert.ok(backoffMs(20, 0) >= 1_800_000);
});

test('cursor stops before a fresh gap, passes an old one', () => {
  const now = 100_000;
  assert.equal(advanceCursor(10, [{ id: 11, at: now }, { id: 12, at: now }], now), 12);
  assert.equal(advanceCursor(10, [{ id: 11, at: now }, { id: 13, at: now }], now), 11);
  assert.equal(advanceCursor(10, [{ id: 11, at: 0 }, { id: 13, at: 0 }], now), 13);
  assert.equal(advanceCursor(10, [], now), 10);
});

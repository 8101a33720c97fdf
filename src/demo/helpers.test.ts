import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSimpleRing, pointInRing, signedRingArea } from './geometry.ts';
import { parseHandlingLimit, shorten } from './limits.ts';
import { Prng } from './prng.ts';

test('isSimpleRing: square yes; bow-tie, unclosed, spike and repeated vertex no', () => {
  assert.equal(isSimpleRing([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]), true);
  assert.equal(isSimpleRing([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]), false);
  assert.equal(isSimpleRing([[0, 0], [1, 0], [1, 1], [0, 1]]), false);
  assert.equal(isSimpleRing([[0, 0], [2, 0], [1, 0], [1, 1], [0, 0]]), false);
  assert.equal(isSimpleRing([[0, 0], [1, 0], [1, 1], [0.5, 0.5], [1, 1], [0, 1], [0, 0]]), false);
  // two lobes touching at one vertex (a pinch)
  assert.equal(isSimpleRing([[0, 0], [1, 0], [1, 1], [2, 1], [2, 2], [1, 2], [1, 1], [0, 1], [0, 0]]), false);
});

test('pointInRing and orientation', () => {
  const sq = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]];
  assert.equal(pointInRing(1, 1, sq), true);
  assert.equal(pointInRing(3, 1, sq), false);
  assert.ok(signedRingArea(sq) > 0);
  assert.ok(signedRingArea(sq.slice().reverse()) < 0);
});

test('parseHandlingLimit: first limit, done-over-arrive, main-road split, units', () => {
  assert.deepEqual(parseHandlingLimit('制止停工 4 工作时; 立案处罚 7 工作日; 拆除 15–20 工作日')?.all, { amount: 4, unit: 'work_hours' });
  const garbage = parseHandlingLimit('4 工作时 (主次干道) / 1 工作日')!;
  assert.deepEqual(garbage.areaA, { amount: 4, unit: 'work_hours' });
  assert.deepEqual(garbage.all, { amount: 1, unit: 'work_days' });
  assert.deepEqual(parseHandlingLimit('arrive 1 h, done 2 h')?.all, { amount: 2, unit: 'natural_hours' });
  assert.deepEqual(parseHandlingLimit('2 工作时 (after 08:00 daily check); 济源 5 工作时')?.all, { amount: 2, unit: 'work_hours' });
  assert.deepEqual(parseHandlingLimit('make safe 2 h; repair 3 工作日')?.all, { amount: 2, unit: 'natural_hours' });
  assert.deepEqual(parseHandlingLimit('连续 3 盏不亮: 1 工作日')?.all, { amount: 1, unit: 'work_days' });
  assert.deepEqual(parseHandlingLimit('缺失/破损: make safe and fix **2 h** (太原); 福建 city: 3 h, max 24 h')?.all, { amount: 2, unit: 'natural_hours' });
  assert.deepEqual(parseHandlingLimit('1 h (自然时)')?.all, { amount: 1, unit: 'natural_hours' });
  assert.equal(parseHandlingLimit('as soon as possible'), null);
});

test('shorten: 3 work days → 1 work day → 4 work hours; never longer', () => {
  assert.deepEqual(shorten({ amount: 3, unit: 'work_days' }), { amount: 1, unit: 'work_days' });
  assert.deepEqual(shorten({ amount: 1, unit: 'work_days' }), { amount: 4, unit: 'work_hours' });
  assert.deepEqual(shorten({ amount: 1, unit: 'work_hours' }), { amount: 30, unit: 'natural_minutes' });
  assert.deepEqual(shorten({ amount: 15, unit: 'natural_minutes' }), { amount: 10, unit: 'natural_minutes' });
});

test('Prng is deterministic and forks independently', () => {
  const a = new Prng(42);
  const b = new Prng(42);
  const xs = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(Array.from({ length: 5 }, () => b.next()), xs);
  assert.notDeepEqual(Array.from({ length: 5 }, () => new Prng(43).next()), xs);
  assert.equal(new Prng(1).fork('x').next(), new Prng(1).fork('x').next());
  assert.notEqual(new Prng(1).fork('x').next(), new Prng(1).fork('y').next());
});

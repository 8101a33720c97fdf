import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activeRuleState, newRuleState, reopens, stepReading, stepStatus, released, type Step } from './rule-eval.ts';
import type { Condition, ThresholdCondition } from './rule-types.ts';

const MIN = 60_000;
const run = (c: Condition, readings: [number, Record<string, number>][]) => {
  const s = newRuleState(c);
  const out: [number, Step][] = [];
  for (const [at, v] of readings) { const r = stepReading(c, s, at, v); if (r) out.push([at, r]); }
  return { s, out };
};
const level = (c: ThresholdCondition['op'], value: number, forSeconds = 0, hysteresis = 0): ThresholdCondition =>
  ({ kind: 'threshold', measurement: 'level', op: c, value, forSeconds, hysteresis });

test('threshold with duration: water level > 20 cm for 5 min raises at the reading 5 minutes after it first held', () => {
  const c = level('>', 20, 300);
  const { out } = run(c, [[0, { level: 10 }], [1 * MIN, { level: 21 }], [3 * MIN, { level: 25 }], [5 * MIN, { level: 24 }], [6 * MIN, { level: 26 }], [7 * MIN, { level: 30 }]]);
  assert.deepEqual(out, [[6 * MIN, 'raise']]);
});

test('threshold with duration: a dip below the line restarts the wait', () => {
  const c = level('>', 20, 300);
  const { out } = run(c, [[0, { level: 21 }], [4 * MIN, { level: 19 }], [5 * MIN, { level: 22 }], [9 * MIN, { level: 22 }], [10 * MIN, { level: 22 }]]);
  assert.deepEqual(out, [[10 * MIN, 'raise']]);
});

test('hysteresis: > 20 with 2 of margin stays raised at 19 and clears at 18', () => {
  const c = level('>', 20, 0, 2);
  const { out } = run(c, [[0, { level: 21 }], [1, { level: 19 }], [2, { level: 20.5 }], [3, { level: 18.5 }], [4, { level: 18 }], [5, { level: 21 }]]);
  assert.deepEqual(out, [[0, 'raise'], [4, 'clear'], [5, 'raise']]);
});

test('released() for every comparison', () => {
  assert.equal(released(18, level('>', 20, 0, 2)), true);
  assert.equal(released(18.1, level('>', 20, 0, 2)), false);
  assert.equal(released(17.9, level('>=', 20, 0, 2)), true);
  assert.equal(released(18, level('>=', 20, 0, 2)), false);
  assert.equal(released(12, level('<', 10, 0, 2)), true);
  assert.equal(released(11.9, level('<', 10, 0, 2)), false);
  assert.equal(released(12.1, level('<=', 10, 0, 2)), true);
  assert.equal(released(12, level('<=', 10, 0, 2)), false);
});

test('readings without the measurement, non-finite values and older readings change nothing', () => {
  const c = level('>', 20);
  const { out, s } = run(c, [[10, { other: 99 }], [11, { level: Number.NaN }], [12, { level: 21 }], [5, { level: 0 }]]);
  assert.deepEqual(out, [[12, 'raise']]);
  assert.equal(s.active, true);
});

test('rate of change: a rise faster than 5 per minute over 5 minutes raises; a steady level clears', () => {
  const c: Condition = { kind: 'rate', measurement: 'level', direction: 'rise', perMinute: 5, windowSeconds: 300 };
  const { out } = run(c, [[0, { level: 0 }], [1 * MIN, { level: 2 }], [2 * MIN, { level: 4 }], [3 * MIN, { level: 20 }], [4 * MIN, { level: 30 }],
    [10 * MIN, { level: 30 }], [11 * MIN, { level: 30 }]]);
  assert.deepEqual(out, [[3 * MIN, 'raise'], [10 * MIN, 'clear']]);
});

test('rate of change: a fall, and an anchor from long ago gives no rate', () => {
  const c: Condition = { kind: 'rate', measurement: 'p', direction: 'fall', perMinute: 1, windowSeconds: 60 };
  const { out } = run(c, [[0, { p: 100 }], [60 * MIN, { p: 0 }], [60 * MIN + 30_000, { p: -2 }]]);
  assert.deepEqual(out, [[60 * MIN + 30_000, 'raise']]);
});

test('rate of change: readings a few ms apart give no rate (noise), the same rise over a minute does', () => {
  const c: Condition = { kind: 'rate', measurement: 'level', direction: 'rise', perMinute: 2, windowSeconds: 600 };
  const burst = run(c, [[0, { level: 2 }], [10, { level: 8 }], [20, { level: 3 }], [30, { level: 9 }]]);
  assert.deepEqual(burst.out, []);
  const slow = run(c, [[0, { level: 2 }], [30_000, { level: 4 }], [60_000, { level: 8 }]]);
  assert.deepEqual(slow.out, [[60_000, 'raise']]);
});

test('combination: smoke AND temperature rise raises only when both hold, clears when one stops', () => {
  const c: Condition = {
    kind: 'all', conditions: [
      { kind: 'threshold', measurement: 'smoke', op: '>=', value: 1, forSeconds: 0, hysteresis: 0 },
      { kind: 'rate', measurement: 'temp', direction: 'rise', perMinute: 2, windowSeconds: 120 },
    ],
  };
  const { out } = run(c, [
    [0, { smoke: 0, temp: 20 }], [MIN, { smoke: 1, temp: 20 }], [2 * MIN, { smoke: 1, temp: 21 }],
    [3 * MIN, { smoke: 1, temp: 30 }], [4 * MIN, { smoke: 0, temp: 40 }], [5 * MIN, { temp: 50 }], [6 * MIN, { smoke: 1 }],
  ]);
  assert.deepEqual(out, [[3 * MIN, 'raise'], [4 * MIN, 'clear'], [6 * MIN, 'raise']]);
});

test('heartbeat: offline raises, offline again does nothing, online or a reading clears', () => {
  const c: Condition = { kind: 'heartbeat' };
  const s = newRuleState(c);
  assert.equal(stepStatus(c, s, 1, 'offline'), 'raise');
  assert.equal(stepStatus(c, s, 2, 'offline'), null);
  assert.equal(stepStatus(c, s, 3, 'online'), 'clear');
  assert.equal(stepStatus(c, s, 4, 'offline'), 'raise');
  assert.equal(stepReading(c, s, 5, { x: 1 }), 'clear');
  assert.equal(stepStatus(level('>', 1), newRuleState(level('>', 1)), 6, 'offline'), null, 'only heartbeat rules listen to status');
});

test('a state restored from an open alarm clears on the first normal reading and does not raise again', () => {
  const c = level('>', 20, 300, 2);
  const s = activeRuleState(c, 1000);
  assert.equal(stepReading(c, s, 2000, { level: 25 }), null);
  assert.equal(stepReading(c, s, 3000, { level: 17 }), 'clear');
});

test('suppression window: a firing within the window after the clear re-opens', () => {
  assert.equal(reopens(null, 10, 30), false);
  assert.equal(reopens(0, 30 * MIN, 30), true);
  assert.equal(reopens(0, 30 * MIN + 1, 30), false);
  assert.equal(reopens(0, 1, 0), false);
});

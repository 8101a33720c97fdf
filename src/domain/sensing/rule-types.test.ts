import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMeasurements, describeCondition, parseRuleDefinition } from './rule-types.ts';
import { replayRule } from './rule-replay.ts';
import { accuracyOf, DEFAULT_ALARM_POLICY, isAutoDispatch, parseAlarmPolicy } from './rule-policy.ts';
import { DomainError } from '../errors.ts';

const known = (c: string) => c === '06010' || c === '09009';
const good = {
  name: '积水超警', scope: { kind: 'type', id: 'water_level' }, matterCode: '06010', urgency: 'urgent', suppressMinutes: 30,
  condition: { kind: 'threshold', measurement: 'waterLevel', op: '>', value: 20, forSeconds: 300, hysteresis: 2 },
};
const fieldOf = (fn: () => unknown): string | undefined => {
  try { fn(); } catch (e) { assert.ok(e instanceof DomainError); return e.field; }
  assert.fail('expected a validation error');
};

test('a good definition parses with defaults (disabled until enabled)', () => {
  const d = parseRuleDefinition(good, known);
  assert.equal(d.enabled, false);
  assert.equal(d.urgency, 'urgent');
  assert.deepEqual(d.condition, good.condition);
  assert.match(describeCondition(d.condition), /waterLevel > 20 持续 5 分钟/);
});

test('bad definitions name the field', () => {
  assert.equal(fieldOf(() => parseRuleDefinition({ ...good, name: ' ' }, known)), 'name');
  assert.equal(fieldOf(() => parseRuleDefinition({ ...good, scope: { kind: 'street', id: 'x' } }, known)), 'scope.kind');
  assert.equal(fieldOf(() => parseRuleDefinition({ ...good, matterCode: '12345' }, known)), 'matterCode');
  assert.equal(fieldOf(() => parseRuleDefinition({ ...good, urgency: 'soon' }, known)), 'urgency');
  assert.equal(fieldOf(() => parseRuleDefinition({ ...good, condition: { ...good.condition, op: '=' } }, known)), 'condition.op');
  assert.equal(fieldOf(() => parseRuleDefinition({ ...good, condition: { ...good.condition, forSeconds: -1 } }, known)), 'condition.forSeconds');
  assert.equal(fieldOf(() => parseRuleDefinition({ ...good, condition: { kind: 'all', conditions: [good.condition] } }, known)), 'condition.conditions');
  assert.equal(fieldOf(() => parseRuleDefinition({ ...good, condition: { kind: 'all', conditions: [good.condition, { kind: 'rate', measurement: 't', direction: 'up', perMinute: 1 }] } }, known)), 'condition.conditions.1.direction');
  assert.equal(fieldOf(() => parseRuleDefinition({ ...good, condition: { kind: 'rate', measurement: 'bad key', direction: 'rise', perMinute: 1 } }, known)), 'condition.measurement');
  assert.equal(fieldOf(() => checkMeasurements(parseRuleDefinition(good, known).condition, ['tilt'])), 'condition');
});

test('replay: which alarms would have fired when, with re-opens inside the suppression window', () => {
  const d = parseRuleDefinition({ ...good, condition: { ...good.condition, forSeconds: 0, hysteresis: 0 }, suppressMinutes: 10 }, known);
  const M = 60_000;
  const r = replayRule(d, new Map([
    ['d1', [{ deviceId: 'd1', at: 0, values: { waterLevel: 25 } }, { deviceId: 'd1', at: 5 * M, values: { waterLevel: 5 } },
      { deviceId: 'd1', at: 8 * M, values: { waterLevel: 30 } }, { deviceId: 'd1', at: 9 * M, values: { waterLevel: 1 } },
      { deviceId: 'd1', at: 60 * M, values: { waterLevel: 30 } }]],
    ['d2', [{ deviceId: 'd2', at: 1, values: { waterLevel: 1 } }]],
  ]));
  assert.deepEqual(r.events.map((e) => [e.deviceId, e.kind, e.at / M]), [
    ['d1', 'raise', 0], ['d1', 'clear', 5], ['d1', 'reopen', 8], ['d1', 'clear', 9], ['d1', 'raise', 60],
  ]);
  assert.equal(r.alarms, 2);
  assert.equal(r.reopened, 1);
  assert.equal(r.readings, 6);
  assert.equal(r.devices, 2);
});

test('replay of a heartbeat rule: gaps longer than the heartbeat', () => {
  const r = replayRule({ condition: { kind: 'heartbeat' }, suppressMinutes: 0 }, new Map([
    ['m', [0, 60, 120, 4000, 4060].map((s) => ({ deviceId: 'm', at: s * 1000, values: { flow: 0 } }))],
  ]), { heartbeatSeconds: () => 300 });
  assert.deepEqual(r.events.map((e) => [e.kind, e.at / 1000]), [['raise', 420], ['clear', 4000]]);
});

test('alarm policy: parse, whitelist by matter, source and area; accuracy', () => {
  const notBogus = (c: string) => c !== '99999';
  const p = parseAlarmPolicy({ autoDispatch: [{ matterCode: '06010', regionIds: ['S1'], source: 'video' }], placeWindowMinutes: 15 }, 'body', notBogus);
  assert.equal(p.videoTypes.length, DEFAULT_ALARM_POLICY.videoTypes.length);
  assert.equal(isAutoDispatch(p, { source: 'video', matterCode: '06010', regionPath: ['C', 'D', 'S1', 'K'] }), true);
  assert.equal(isAutoDispatch(p, { source: 'iot', matterCode: '06010', regionPath: ['C', 'D', 'S1', 'K'] }), false);
  assert.equal(isAutoDispatch(p, { source: 'video', matterCode: '06010', regionPath: ['C', 'D', 'S2'] }), false);
  assert.equal(isAutoDispatch(p, { source: 'video', matterCode: '09009', regionPath: ['C', 'D', 'S1'] }), false);
  assert.equal(fieldOf(() => parseAlarmPolicy({ autoDispatch: [{ matterCode: '99999' }] }, 'body', notBogus)), 'autoDispatch.0.matterCode');
  assert.equal(fieldOf(() => parseAlarmPolicy({ videoTypes: [{ type: 'x', matterCode: '06010', minConfidence: 2 }] })), 'videoTypes.0.minConfidence');
  assert.equal(fieldOf(() => parseAlarmPolicy({ placeWindowMinutes: -1 })), 'placeWindowMinutes');
  assert.equal(accuracyOf(0, 0), null);
  assert.equal(accuracyOf(10, 1), 0.9);
  assert.equal(accuracyOf(3, 1), 0.667);
});

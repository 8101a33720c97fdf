import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EMERGENCY_POLICY, checkAcknowledge, checkRostered, escalation, parseEmergencyPolicy, ringTiers, ringsFor, type AlertView } from './emergency.ts';
import type { Actor } from '../policy/scope.ts';

const path = [{ id: 'CITY', level: 'city' }, { id: 'D1', level: 'district' }, { id: 'S1', level: 'street' }, { id: 'C1', level: 'community' }];
const tiers = ringTiers(path, 'CITY');
const T = 1_000_000;
const alert = (over: Partial<AlertView> = {}): AlertView => ({ state: 'ringing', tier: 0, tiers, unitIds: ['U1'], ackDueAt: T + 5 * 60_000, ...over });
const person = (roles: Actor['roles'], regionIds: string[] = [], unitIds: string[] = []): Actor => ({ userId: 'x', roles, regionIds, unitIds });

test('tiers: street (with its community), district, city; an unlocated case rings at the city only', () => {
  assert.deepEqual(tiers, [{ level: 'street', regionIds: ['S1', 'C1'] }, { level: 'district', regionIds: ['D1'] }, { level: 'city', regionIds: ['CITY'] }]);
  assert.deepEqual(ringTiers([], 'CITY'), [{ level: 'city', regionIds: ['CITY'] }]);
});

test('escalation: nothing before the limit; then up one level with that level\'s minutes; at the top it is marked unanswered', () => {
  const p = DEFAULT_EMERGENCY_POLICY;
  assert.equal(escalation(alert(), p, T), null);
  assert.deepEqual(escalation(alert(), p, T + 5 * 60_000), { tier: 1, ackDueAt: T + 10 * 60_000, exhausted: false });
  assert.deepEqual(escalation(alert({ tier: 2, ackDueAt: T }), p, T), { tier: 2, ackDueAt: null, exhausted: true });
  assert.equal(escalation(alert({ state: 'acknowledged' }), p, T + 1e9), null);
});

test('it rings for the unit and the street at first, and for the district only after escalating', () => {
  const district = person(['dispatcher'], ['D1']);
  assert.ok(ringsFor(person(['unit_handler'], [], ['U1']), alert()));
  assert.ok(ringsFor(person(['operator'], ['S1']), alert()));
  assert.ok(!ringsFor(district, alert()));
  assert.ok(ringsFor(district, alert({ tier: 1 })));
  assert.ok(!ringsFor(person(['unit_handler'], ['D1']), alert({ tier: 1 })), 'region scope rings for centre staff only');
});

test('acknowledgement: on duty there (unit or any level of the place); others get 403 naming onDuty', () => {
  checkAcknowledge(person(['dispatcher'], ['D1']), alert());
  checkAcknowledge(person(['unit_handler'], [], ['U1']), alert());
  assert.throws(() => checkAcknowledge(person(['dispatcher'], ['D2']), alert()), (e: { code?: string; field?: string }) => e.code === 'FORBIDDEN' && e.field === 'onDuty');
  assert.throws(() => checkAcknowledge(person(['unit_handler'], [], ['U9']), alert()), (e: { field?: string }) => e.field === 'onDuty');
  assert.throws(() => checkAcknowledge(person(['grid_member'], ['S1']), alert()), (e: { field?: string }) => e.field === 'onDuty');
  assert.throws(() => checkAcknowledge(person(['dispatcher'], ['D1']), alert({ state: 'acknowledged' })), (e: { code?: string }) => e.code === 'CONFLICT');
});

test('settings: partial minutes keep the other defaults; bad values name the field', () => {
  assert.deepEqual(parseEmergencyPolicy({ ackMinutes: { street: 1 } }).ackMinutes, { street: 1, district: 5, city: 10 });
  assert.throws(() => parseEmergencyPolicy({ ackMinutes: { street: 0 } }), (e: { field?: string }) => e.field === 'emergencyAlerting.ackMinutes.street');
  assert.throws(() => parseEmergencyPolicy({ ackMinutes: { town: 3 } }), (e: { field?: string }) => e.field === 'emergencyAlerting.ackMinutes.town');
  assert.throws(() => parseEmergencyPolicy({ urgencies: ['panic'], ackMinutes: {} }), (e: { field?: string }) => e.field === 'emergencyAlerting.urgencies');
  assert.throws(() => parseEmergencyPolicy('x'), (e: { field?: string }) => e.field === 'emergencyAlerting');
});

test('where a roster names who stands duty now, only they (and administrators) acknowledge; without one, the role rule stands', () => {
  const who = (userId: string, roles: string[] = ['dispatcher']) => ({ userId, roles, unitIds: [], regionIds: [] }) as never;
  assert.doesNotThrow(() => checkRostered(who('a'), []));
  assert.doesNotThrow(() => checkRostered(who('a'), ['a', 'b']));
  assert.doesNotThrow(() => checkRostered(who('root', ['admin']), ['a']));
  assert.throws(() => checkRostered(who('c'), ['a', 'b']), (e: { field?: string }) => e.field === 'onDuty');
});

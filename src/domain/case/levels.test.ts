import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from './decide.ts';
import { allowedActions } from './allowed.ts';
import { T0, actor, baseCase, thrown } from './case.fixtures.ts';
import type { CaseView } from './types.ts';

// The case lies in district d1 / street s1 / community c1; its platform is street s1 (superior d1, city above).
const atStreet = (over: Partial<CaseView> = {}) => baseCase({
  state: 'REGISTERED', regionPath: ['city', 'd1', 's1', 'c1'], platformRegionId: 's1', platformLevel: 'street',
  superiorPlatformId: 'd1', hasLowerPlatform: false, pendingTransfer: null, ...over,
});
const atDistrict = (over: Partial<CaseView> = {}) => atStreet({ platformRegionId: 'd1', platformLevel: 'district', superiorPlatformId: 'city', hasLowerPlatform: true, ...over });
const streetDisp = actor('sd', ['dispatcher'], { regionIds: ['s1'] });
const districtDisp = actor('dd', ['dispatcher'], { regionIds: ['d1'] });
const districtLeader = actor('dl', ['shift_leader'], { regionIds: ['d1'] });
const cityDisp = actor('cd', ['dispatcher'], { regionIds: ['city'] });
const target = (regionId: string, path: string[], level = 'street', platform = true) => ({ transferTarget: { regionId, known: true, level, platform, path } });

test('a street escalates to its district; the district accepts: one case, the platform moves, the state stays', () => {
  const d = decide(atStreet(), 'escalate', { reason: '涉及区级执法，街道无权处置' }, streetDisp, T0);
  assert.equal(d.to, 'REGISTERED');
  assert.deepEqual(d.patch.pendingTransfer, { kind: 'escalate', fromRegionId: 's1', toRegionId: 'd1', reason: '涉及区级执法，街道无权处置', requestedBy: 'sd', requestedAt: T0 });
  assert.equal(d.history.action, 'escalate');
  const waiting = atStreet({ pendingTransfer: { ...d.patch.pendingTransfer!, id: 7 } });
  assert.ok(allowedActions(waiting, districtDisp).includes('accept_transfer'));
  assert.ok(!allowedActions(waiting, streetDisp).includes('accept_transfer'), 'the sender does not accept');
  const a = decide(waiting, 'accept_transfer', {}, districtDisp, T0 + 1);
  assert.deepEqual([a.to, a.patch.platformRegionId, a.patch.pendingTransfer], ['REGISTERED', 'd1', null]);
  assert.equal(a.history.details.transferId, 7);
});

test('only the coordinators of the handling platform escalate; the city has no superior (field platform)', () => {
  assert.equal(thrown(() => decide(atStreet(), 'escalate', { reason: 'x' }, districtDisp, T0)).code, 'FORBIDDEN'); // sees it, is not its platform
  assert.equal(thrown(() => decide(atStreet(), 'escalate', { reason: 'x' }, districtDisp, T0)).field, 'platform');
  assert.equal(thrown(() => decide(atStreet(), 'escalate', { reason: 'x' }, actor('op', ['operator'], { regionIds: ['s1'] }), T0)).code, 'FORBIDDEN');
  const top = atStreet({ platformRegionId: 'city', platformLevel: 'city', superiorPlatformId: null, hasLowerPlatform: true });
  const e = thrown(() => decide(top, 'escalate', { reason: 'x' }, cityDisp, T0));
  assert.deepEqual([e.code, e.field], ['INVALID_TRANSITION', 'platform']);
  assert.equal(thrown(() => decide(atStreet(), 'escalate', { reason: '  ' }, streetDisp, T0)).field, 'reason');
});

test('not on closed cases, not with a unit, not twice while a transfer waits', () => {
  for (const state of ['ARCHIVED', 'CANCELLED', 'CLOSED_PENDING_CALLBACK', 'IN_PROGRESS', 'DISPATCHED'] as const) {
    assert.equal(thrown(() => decide(atStreet({ state }), 'escalate', { reason: 'x' }, streetDisp, T0)).code, 'INVALID_TRANSITION', state);
  }
  const waiting = atStreet({ pendingTransfer: { id: 1, kind: 'escalate', fromRegionId: 's1', toRegionId: 'd1', reason: 'r', requestedBy: 'sd', requestedAt: T0 } });
  assert.equal(thrown(() => decide(waiting, 'escalate', { reason: 'again' }, streetDisp, T0)).code, 'INVALID_TRANSITION');
  assert.ok(allowedActions(atStreet({ state: 'DISPUTED', disputeOwner: { regionId: 's1' } }), streetDisp).includes('escalate'));
});

test('a superior assigns down into its own subtree only, to a platform whose area holds the case', () => {
  const c = atDistrict();
  const ok = decide(c, 'assign_down', { toRegionId: 's1', reason: '属地街道处置' }, districtDisp, T0, {}, target('s1', ['s1', 'd1', 'city']));
  assert.deepEqual(ok.patch.pendingTransfer?.toRegionId, 's1');
  const field = (to: string, rel: ReturnType<typeof target> | Record<string, never>) => thrown(() => decide(c, 'assign_down', { toRegionId: to, reason: 'x' }, districtDisp, T0, {}, rel));
  assert.deepEqual([field('s9', { transferTarget: { regionId: 's9', known: false, level: 'street', platform: false, path: [] } }).field], ['toRegionId']);
  assert.match(field('s21', target('s21', ['s21', 'd2', 'city'])).message, /not below this platform/);
  assert.match(field('c1', target('c1', ['c1', 's1', 'd1', 'city'], 'community', false)).message, /runs no platform/);
  assert.match(field('s2', target('s2', ['s2', 'd1', 'city'])).message, /place is not in region/);
  assert.match(field('d1', target('d1', ['d1', 'city'], 'district')).message, /not below/);
  // a street has no lower platform; a street dispatcher may not assign a district's case
  assert.equal(thrown(() => decide(atStreet(), 'assign_down', { toRegionId: 's1', reason: 'x' }, streetDisp, T0)).code, 'INVALID_TRANSITION');
  assert.equal(thrown(() => decide(c, 'assign_down', { toRegionId: 's1', reason: 'x' }, streetDisp, T0, {}, target('s1', ['s1', 'd1']))).code, 'FORBIDDEN');
});

test('the receiver refuses with a required reason; a refused transfer leaves the platform where it was', () => {
  const waiting = atDistrict({ pendingTransfer: { id: 3, kind: 'assign_down', fromRegionId: 'd1', toRegionId: 's1', reason: '属地', requestedBy: 'dd', requestedAt: T0 } });
  assert.equal(thrown(() => decide(waiting, 'refuse_transfer', {} as never, streetDisp, T0)).field, 'reason');
  assert.equal(thrown(() => decide(waiting, 'refuse_transfer', { reason: 'x' }, districtLeader, T0)).code, 'FORBIDDEN', 'not addressed to d1');
  const r = decide(waiting, 'refuse_transfer', { reason: '该点位属于区管道路，不属街道职责' }, streetDisp, T0);
  assert.deepEqual([r.patch.pendingTransfer, 'platformRegionId' in r.patch, r.history.reason], [null, false, '该点位属于区管道路，不属街道职责']);
  assert.equal(thrown(() => decide(atDistrict(), 'accept_transfer', {}, actor('o', ['dispatcher'], { regionIds: ['d2'] }), T0)).code, 'FORBIDDEN');
  assert.equal(thrown(() => decide(atDistrict(), 'accept_transfer', {}, districtDisp, T0)).code, 'INVALID_TRANSITION'); // nothing waits
});

test('a dispute open when the platform changes moves with the case', () => {
  const c = atStreet({ state: 'DISPUTED', disputeOwner: { regionId: 's1' }, pendingTransfer: { id: 1, kind: 'escalate', fromRegionId: 's1', toRegionId: 'd1', reason: 'r', requestedBy: 'sd', requestedAt: T0 } });
  const a = decide(c, 'accept_transfer', {}, districtDisp, T0);
  assert.deepEqual([a.to, a.patch.disputeOwner], ['DISPUTED', { regionId: 'd1' }]);
});

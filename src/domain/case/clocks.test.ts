/**
 * Clocks belong to whoever holds the case (domain.md §5): while a returned case waits for the centre's ruling
 * the unit's handling clock pauses and the dispute's own clock runs under an owner; a postponement once approved
 * stays with the case through rework.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from './decide.ts';
import { allowedActions } from './allowed.ts';
import {
  HOUR, T0, HANDLE_LIMIT_MS, actor, applyDecision, baseCase, dispatcher, handler, inspector, operator, shiftLeader, thrown,
} from './case.fixtures.ts';
import type { CaseView, Effect } from './types.ts';

const clockEffects = (effects: Effect[]) => effects.filter((e) => e.kind !== 'count');

const dispatched = (over: Partial<CaseView> = {}): CaseView => baseCase({
  state: 'DISPATCHED', assignedUnitId: 'u-water', dispatchedBy: 'disp1', commandActorIds: ['disp1'],
  handleDueAt: T0 + HANDLE_LIMIT_MS, ...over,
});

test('a return pauses the handling clock, starts the dispute clock and gives the dispute an owner: the street', () => {
  const d = decide(dispatched(), 'return', { reason: '非本单位职责', basis: '清单第3条' }, handler, T0);
  assert.equal(d.to, 'DISPUTED');
  assert.deepEqual(clockEffects(d.effects), [
    { kind: 'stop_clock', clock: 'sign' },
    { kind: 'pause_clock', clock: 'handle' },
    { kind: 'start_clock', clock: 'dispute' },
  ]);
  assert.deepEqual(d.patch.disputeOwner, { regionId: 's1' });
  assert.deepEqual(d.history.details.disputeOwner, { regionId: 's1' });
  // from IN_PROGRESS no sign clock runs
  const fromWork = decide(dispatched({ state: 'IN_PROGRESS' }), 'return', { reason: 'r', basis: 'b' }, handler, T0);
  assert.deepEqual(clockEffects(fromWork.effects), [{ kind: 'pause_clock', clock: 'handle' }, { kind: 'start_clock', clock: 'dispute' }]);
  // a place known only to its district: the district owns the dispute
  const noStreet = decide(dispatched({ streetId: null, regionPath: ['d1'] }), 'return', { reason: 'r', basis: 'b' }, handler, T0);
  assert.deepEqual(noStreet.patch.disputeOwner, { regionId: 'd1' });
});

test('only the coordinators of the owner region (dispatchers, shift leaders covering it) rule the dispute', () => {
  const disputed = dispatched({ state: 'DISPUTED', disputeOwner: { regionId: 's1' }, handlePausedAt: T0, lastReturnedByUnitId: 'u-water', returnCount: 1 });
  const community = actor('disp-c1', ['dispatcher'], { regionIds: ['c1'] });
  const street = actor('disp-s1', ['dispatcher'], { regionIds: ['s1'] });
  const e = thrown(() => decide(disputed, 'rule_dispute', { unitId: 'u-roads', ruling: '改派' }, community, T0));
  assert.equal(e.code, 'FORBIDDEN');
  assert.match(e.message, /争议/);
  assert.equal(allowedActions(disputed, community).includes('rule_dispute'), false);
  // the community dispatcher still covers the case for other centre actions
  assert.equal(allowedActions(disputed, community).includes('merge_into'), true);
  assert.equal(decide(disputed, 'rule_dispute', { unitId: 'u-roads', ruling: '改派' }, street, T0).to, 'DISPATCHED');
  assert.equal(decide(disputed, 'rule_dispute', { unitId: 'u-roads', ruling: '改派' }, dispatcher, T0).to, 'DISPATCHED'); // district d1
  assert.equal(decide(disputed, 'rule_dispute', { unitId: 'u-roads', ruling: '改派' }, shiftLeader, T0).to, 'DISPATCHED');
  // a dispute from before owners were recorded: any coordinator covering the case
  const legacy = { ...disputed, disputeOwner: null };
  assert.equal(decide(legacy, 'rule_dispute', { unitId: 'u-roads', ruling: '改派' }, community, T0).to, 'DISPATCHED');
});

test('ruled back to the same unit, its paused clock resumes; ruled to another unit, that unit gets a fresh limit', () => {
  const disputed = dispatched({ state: 'DISPUTED', disputeOwner: { regionId: 's1' }, handlePausedAt: T0, lastReturnedByUnitId: 'u-water', returnCount: 1 });
  const same = decide(disputed, 'rule_dispute', { unitId: 'u-water', ruling: '按清单由原单位处置' }, dispatcher, T0 + HOUR);
  assert.deepEqual(clockEffects(same.effects), [
    { kind: 'stop_clock', clock: 'dispute' },
    { kind: 'start_clock', clock: 'sign' },
    { kind: 'resume_clock', clock: 'handle' },
  ]);
  assert.equal(same.history.details.handleClock, 'resumed');
  assert.equal(same.patch.disputeOwner, null);
  const other = decide(disputed, 'rule_dispute', { unitId: 'u-roads', ruling: '改派道路单位' }, dispatcher, T0 + HOUR);
  assert.deepEqual(clockEffects(other.effects), [
    { kind: 'stop_clock', clock: 'dispute' },
    { kind: 'start_clock', clock: 'sign' },
    { kind: 'start_clock', clock: 'handle' },
  ]);
  assert.equal(other.history.details.handleClock, 'restarted');
  assert.equal(other.patch.disputeOwner, null);
  // a case disputed before the pause existed has no paused clock to resume: it restarts
  const legacy = decide({ ...disputed, handlePausedAt: null }, 'rule_dispute', { unitId: 'u-water', ruling: '原单位' }, dispatcher, T0 + HOUR);
  assert.ok(legacy.effects.some((e) => e.kind === 'start_clock' && e.clock === 'handle'));
});

test('a dispute closed or merged stops its clock and loses its owner', () => {
  const disputed = dispatched({ state: 'DISPUTED', disputeOwner: { regionId: 's1' }, handlePausedAt: T0, returnCount: 1 });
  const closed = decide(disputed, 'close', { closureType: 'special', reason: '统一整治' }, actor('sl2', ['shift_leader'], { regionIds: ['d1'] }), T0);
  assert.deepEqual(closed.effects, [{ kind: 'stop_clock', clock: 'dispute' }, { kind: 'set_closure', closureType: 'special' }]);
  assert.equal(closed.patch.disputeOwner, null);
  const master = { id: 99, caseNo: '20261125000099', state: 'IN_PROGRESS' as const, masterCaseId: null, matterClass: '06' };
  const merged = decide({ ...disputed, matterClass: '06' }, 'merge_into', { masterCaseId: 99 }, operator, T0, {}, { master });
  assert.ok(merged.effects.some((e) => e.kind === 'stop_clock' && e.clock === 'dispute'));
  assert.equal(merged.patch.disputeOwner, null);
});

test('an approved postponement is recorded for the unit that asked, and stays with the case through rework', () => {
  let cv = dispatched({ state: 'IN_PROGRESS' });
  const extra = { amount: 2, unit: 'work_days' } as const;
  cv = applyDecision(cv, decide(cv, 'request_postpone', { extra, reason: '需采购配件' }, handler, T0), T0);
  const ok = decide(cv, 'approve_postpone', {}, dispatcher, T0 + HOUR);
  assert.deepEqual(ok.patch.approvedExtensions, [{ extra, unitId: 'u-water', userId: null, approvedAt: T0 + HOUR }]);
  cv = applyDecision(cv, ok, T0 + HOUR);
  cv = { ...cv, state: 'CHECKING' };
  const fail = decide(cv, 'check_fail', { reason: '未清理干净' }, inspector, T0 + 2 * HOUR);
  assert.deepEqual(fail.effects.find((e) => e.kind === 'start_clock'), { kind: 'start_clock', clock: 'handle', extensions: [extra] });
  assert.deepEqual(fail.history.details.extensionsKept, [extra]);
  // a reopen (callback unsatisfied, or by the shift leader) keeps them too
  const unhappy = decide({ ...cv, state: 'CLOSED_PENDING_CALLBACK' }, 'callback', { satisfied: false, note: '仍有垃圾' }, operator, T0);
  assert.deepEqual(unhappy.effects.find((e) => e.kind === 'start_clock'), { kind: 'start_clock', clock: 'handle', extensions: [extra] });
  const reopened = decide({ ...cv, state: 'ARCHIVED' }, 'reopen', { reason: '复发' }, shiftLeader, T0);
  assert.deepEqual(reopened.effects.find((e) => e.kind === 'start_clock'), { kind: 'start_clock', clock: 'handle', extensions: [extra] });
  // another unit's postponement is not this unit's time: ruled to u-roads, it starts on the base limit
  const disputed = { ...cv, state: 'DISPUTED' as const, disputeOwner: { regionId: 's1' }, handlePausedAt: T0 };
  const ruled = decide(disputed, 'rule_dispute', { unitId: 'u-roads', ruling: '改派' }, dispatcher, T0);
  assert.deepEqual(ruled.effects.find((e) => e.kind === 'start_clock' && e.clock === 'handle'), { kind: 'start_clock', clock: 'handle' });
  // a split report starts over: nothing of its former handling stays
  const split = decide({ ...cv, state: 'CANCELLED', masterCaseId: 7 }, 'split', { reason: '不是同一问题' }, operator, T0);
  assert.deepEqual(split.patch.approvedExtensions, []);
});

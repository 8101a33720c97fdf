import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from './decide.ts';
import { allowedActions } from './allowed.ts';
import {
  HOUR, T0, HANDLE_LIMIT_MS, actor, admin, applyDecision, baseCase, centreLeader, dispatcher, handler, inspector,
  operator, otherHandler, shiftLeader, subHandler, unitLeader, gridMember, thrown,
} from './case.fixtures.ts';
import type { ActionInput, CaseView, Effect } from './types.ts';

const inProgress = (over: Partial<CaseView> = {}): CaseView =>
  baseCase({ state: 'IN_PROGRESS', assignedUnitId: 'u-water', dispatchedBy: 'disp1', handleDueAt: T0 + HANDLE_LIMIT_MS, ...over });
const counters = (effects: Effect[]): string[] => effects.flatMap((e) => (e.kind === 'count' ? [e.counter] : []));

test('happy path: REPORTED → ACCEPTED → REGISTERED → DISPATCHED → IN_PROGRESS → DISPOSED → CHECKING → callback → ARCHIVED', () => {
  let cv = baseCase();
  let now = T0;
  const step = (action: Parameters<typeof decide>[1], input: object, who = operator) => {
    const d = decide(cv, action, input as never, who, now, {});
    cv = applyDecision(cv, d, now);
    now += HOUR / 2;
    return d;
  };
  assert.equal(step('accept', {}).to, 'ACCEPTED');
  assert.equal(step('register', { note: '属实' }).to, 'REGISTERED');
  const dispatched = step('dispatch', { unitId: 'u-water', assistingUnitIds: ['u-roads'] }, dispatcher);
  assert.equal(dispatched.to, 'DISPATCHED');
  assert.deepEqual(dispatched.effects, [{ kind: 'start_clock', clock: 'sign' }, { kind: 'start_clock', clock: 'handle' }]);
  assert.equal(dispatched.patch.assignedUnitId, 'u-water');
  assert.deepEqual(dispatched.patch.assistingUnitIds, ['u-roads']);
  assert.equal(dispatched.patch.dispatchedBy, 'disp1');
  const signed = step('sign', {}, handler);
  assert.equal(signed.to, 'IN_PROGRESS');
  assert.deepEqual(signed.effects, [{ kind: 'stop_clock', clock: 'sign' }]);
  const disposed = step('dispose', { result: '已清理', photos: ['att-1', 'att-2'] }, handler);
  assert.equal(disposed.to, 'DISPOSED');
  assert.deepEqual(disposed.history.attachmentIds, ['att-1', 'att-2']);
  assert.deepEqual(disposed.effects, [{ kind: 'stop_clock', clock: 'handle' }]);
  assert.deepEqual(step('send_check', {}, dispatcher).effects, [{ kind: 'start_clock', clock: 'check' }]);
  const passed = step('check_pass', {}, inspector);
  assert.equal(passed.to, 'CLOSED_PENDING_CALLBACK');
  assert.equal(passed.patch.closureType, 'normal');
  assert.deepEqual(passed.effects, [{ kind: 'stop_clock', clock: 'check' }, { kind: 'set_closure', closureType: 'normal' }]);
  const called = step('callback', { satisfied: true }, operator);
  assert.equal(called.to, 'ARCHIVED');
  assert.equal(cv.state, 'ARCHIVED');
  assert.deepEqual(called.history, { action: 'callback', fromState: 'CLOSED_PENDING_CALLBACK', toState: 'ARCHIVED', details: { satisfied: true, result: 'satisfied' } });
});

test('check_pass archives directly without callback, and closes overdue when past the handling deadline', () => {
  const checking = baseCase({ state: 'CHECKING', assignedUnitId: 'u-water', dispatchedBy: 'disp1', needsCallback: false, handleDueAt: T0 });
  const onTime = decide(checking, 'check_pass', {}, inspector, T0 - 1);
  assert.equal(onTime.to, 'ARCHIVED');
  assert.equal(onTime.patch.closureType, 'normal');
  const late = decide(checking, 'check_pass', {}, inspector, T0 + 1);
  assert.equal(late.patch.closureType, 'overdue');
  assert.deepEqual(late.effects.at(-1), { kind: 'set_closure', closureType: 'overdue' });
  const wasLate = decide({ ...checking, everOverdue: true }, 'check_pass', {}, inspector, T0 - 1);
  assert.equal(wasLate.patch.closureType, 'overdue');
});

test('trusted channel registers directly from REPORTED; untrusted must be accepted first', () => {
  const trusted = decide(baseCase({ trustedChannel: true, channel: 'patrol' }), 'register', {}, shiftLeader, T0);
  assert.equal(trusted.to, 'REGISTERED');
  assert.equal(trusted.history.details.direct, true);
  const e = thrown(() => decide(baseCase(), 'register', {}, shiftLeader, T0));
  assert.equal(e.code, 'INVALID_TRANSITION');
  assert.equal((e.details!.allowedActions as string[]).includes('register'), false);
  assert.equal((e.details!.allowedActions as string[]).includes('accept'), true);
});

test('a channel that needs verification cannot be registered from ACCEPTED; it goes through VERIFYING', () => {
  const cv = baseCase({ state: 'ACCEPTED', verificationRequired: true });
  assert.equal(thrown(() => decide(cv, 'register', {}, operator, T0)).code, 'INVALID_TRANSITION');
  const d = decide(cv, 'request_verify', {}, dispatcher, T0);
  assert.equal(d.to, 'VERIFYING');
  assert.deepEqual(d.effects, [{ kind: 'start_clock', clock: 'verify' }]);
});

test('verify: confirmed registers, false cancels and needs a note', () => {
  const cv = baseCase({ state: 'VERIFYING', admittedForGridMembers: true });
  assert.equal(decide(cv, 'verify', { outcome: 'confirmed' }, gridMember, T0).to, 'REGISTERED');
  const e = thrown(() => decide(cv, 'verify', { outcome: 'false' }, inspector, T0));
  assert.equal(e.code, 'VALIDATION_FAILED');
  assert.equal(e.field, 'note');
  const d = decide(cv, 'verify', { outcome: 'false', note: '现场无此问题' }, inspector, T0);
  assert.equal(d.to, 'CANCELLED');
  assert.equal(d.history.reason, '现场无此问题');
  assert.deepEqual(d.effects, [{ kind: 'stop_clock', clock: 'verify' }]);
  assert.equal(thrown(() => decide(cv, 'verify', { outcome: 'maybe' as never }, inspector, T0)).field, 'outcome');
});

test('reject: out of scope needs a referral (refer, never drop)', () => {
  const e = thrown(() => decide(baseCase(), 'reject', { reason: '火情', rejectKind: 'out_of_scope' }, operator, T0));
  assert.equal(e.field, 'referral');
  const d = decide(baseCase(), 'reject', { reason: '火情', rejectKind: 'out_of_scope', referral: '119' }, operator, T0);
  assert.equal(d.to, 'CANCELLED');
  assert.deepEqual(d.history.details, { rejectKind: 'out_of_scope', referral: '119' });
});

test('return needs reason and basis, counts, and is capped by policy.maxReturns (default 2)', () => {
  let cv = baseCase({ state: 'DISPATCHED', assignedUnitId: 'u-water', dispatchedBy: 'disp1' });
  const noReason = thrown(() => decide(cv, 'return', { basis: '权责清单第3条' } as never, handler, T0));
  assert.equal(noReason.code, 'VALIDATION_FAILED');
  assert.equal(noReason.field, 'reason');
  assert.match(noReason.message, /required for return/);
  assert.equal(thrown(() => decide(cv, 'return', { reason: '非本单位职责', basis: '  ' }, handler, T0)).field, 'basis');

  const first = decide(cv, 'return', { reason: '非本单位职责', basis: '权责清单第3条' }, handler, T0);
  assert.equal(first.to, 'DISPUTED');
  assert.equal(first.patch.returnCount, 1);
  assert.equal(first.patch.lastReturnedByUnitId, 'u-water');
  assert.deepEqual(first.effects, [
    { kind: 'stop_clock', clock: 'sign' },
    { kind: 'pause_clock', clock: 'handle' },
    { kind: 'start_clock', clock: 'dispute' },
    { kind: 'count', counter: 'returns', unitId: 'u-water' },
  ]);
  cv = { ...cv, returnCount: 2 };
  const e = thrown(() => decide(cv, 'return', { reason: 'x', basis: 'y' }, handler, T0));
  assert.equal(e.code, 'LIMIT_EXCEEDED');
  assert.equal(allowedActions(cv, handler).includes('return'), false);
  assert.equal(allowedActions(cv, handler, { maxReturns: 3 }).includes('return'), true);
  assert.equal(thrown(() => decide(baseCase({ ...cv, returnCount: 0 }), 'return', { reason: 'x', basis: 'y' }, handler, T0, { maxReturns: 0 })).code, 'LIMIT_EXCEEDED');
});

test('a dispute ruled back to the unit that returned it counts buck-passing (推诿) against that unit', () => {
  const disputed = baseCase({ state: 'DISPUTED', assignedUnitId: 'u-water', lastReturnedByUnitId: 'u-water', returnCount: 1, dispatchedBy: 'disp1' });
  const same = decide(disputed, 'rule_dispute', { unitId: 'u-water', ruling: '属供水井盖，归供水单位' }, shiftLeader, T0);
  assert.equal(same.to, 'DISPATCHED');
  assert.deepEqual(same.effects.filter((e) => e.kind === 'count'), [{ kind: 'count', counter: 'buck_passing', unitId: 'u-water' }]);
  assert.equal(same.history.details.buckPassing, true);
  assert.equal(same.patch.dispatchedBy, 'sl1');
  const other = decide(disputed, 'rule_dispute', { unitId: 'u-roads', ruling: '改派道路单位' }, dispatcher, T0);
  assert.deepEqual(counters(other.effects), []);
  assert.equal(other.patch.assignedUnitId, 'u-roads');
  assert.equal(thrown(() => decide(disputed, 'rule_dispute', { unitId: 'u-roads' } as never, dispatcher, T0)).field, 'ruling');
});

test('postponement: one pending request, approval extends the deadline, capped by policy.maxPostponements', () => {
  let cv = inProgress();
  const extra = { amount: 2, unit: 'work_days' } as const;
  const req = decide(cv, 'request_postpone', { extra, reason: '需采购配件' }, handler, T0);
  assert.equal(req.to, 'IN_PROGRESS');
  assert.deepEqual(req.patch.pendingRequest, { kind: 'postpone', extra, reason: '需采购配件', requestedBy: 'h1', requestedAt: T0 });
  cv = applyDecision(cv, req, T0);
  assert.equal(thrown(() => decide(cv, 'request_postpone', { extra, reason: 'again' }, handler, T0)).code, 'INVALID_TRANSITION');
  assert.equal(thrown(() => decide(cv, 'request_hang', { reason: 'x' }, handler, T0)).code, 'INVALID_TRANSITION');
  assert.equal(thrown(() => decide(cv, 'deny_postpone', {} as never, dispatcher, T0)).field, 'reason');
  const ok = decide(cv, 'approve_postpone', {}, dispatcher, T0);
  assert.deepEqual(ok.effects, [{ kind: 'extend_deadline', extra }, { kind: 'count', counter: 'postpone', unitId: 'u-water' }]);
  assert.equal(ok.patch.postponeCount, 1);
  assert.equal(ok.patch.pendingRequest, null);
  cv = applyDecision(cv, ok, T0);
  assert.equal(thrown(() => decide(cv, 'approve_postpone', {}, dispatcher, T0)).code, 'INVALID_TRANSITION');
  assert.equal(thrown(() => decide(cv, 'request_postpone', { extra, reason: 'more' }, handler, T0)).code, 'LIMIT_EXCEEDED');
  assert.equal(thrown(() => decide(inProgress(), 'request_postpone', { extra: { amount: 0, unit: 'work_days' }, reason: 'r' }, handler, T0)).field, 'extra.amount');
});

test('hang suspends the clocks, resume resumes them', () => {
  let cv = inProgress();
  cv = applyDecision(cv, decide(cv, 'request_hang', { reason: '涉及诉讼' }, unitLeader, T0), T0);
  assert.equal(cv.pendingRequest?.kind, 'hang');
  const hung = decide(cv, 'approve_hang', {}, dispatcher, T0);
  assert.equal(hung.to, 'HUNG');
  assert.deepEqual(hung.effects, [{ kind: 'suspend_clocks' }, { kind: 'count', counter: 'hang', unitId: 'u-water' }]);
  cv = applyDecision(cv, hung, T0);
  assert.equal(cv.pendingRequest, null);
  assert.equal(thrown(() => decide(cv, 'dispose', { result: 'x', photos: ['a'] }, handler, T0)).code, 'INVALID_TRANSITION');
  const resumed = decide(cv, 'resume', {}, dispatcher, T0);
  assert.equal(resumed.to, 'IN_PROGRESS');
  assert.deepEqual(resumed.effects, [{ kind: 'resume_clocks' }]);
  const denied = decide(inProgress({ pendingRequest: { kind: 'hang', reason: 'r', requestedBy: 'h1', requestedAt: T0 } }), 'deny_hang', { reason: '可以处置' }, dispatcher, T0);
  assert.equal(denied.to, 'IN_PROGRESS');
  assert.equal(denied.patch.pendingRequest, null);
});

test('check fail sends the case back for rework with a fresh handling clock (base limit: nothing was postponed)', () => {
  const cv = baseCase({ state: 'CHECKING', assignedUnitId: 'u-water', dispatchedBy: 'disp1', reworkCount: 1 });
  assert.equal(thrown(() => decide(cv, 'check_fail', {} as never, inspector, T0)).field, 'reason');
  const d = decide(cv, 'check_fail', { reason: '垃圾未清运完' }, inspector, T0);
  assert.equal(d.to, 'IN_PROGRESS');
  assert.equal(d.patch.reworkCount, 2);
  assert.deepEqual(d.effects, [
    { kind: 'stop_clock', clock: 'check' },
    { kind: 'count', counter: 'rework', unitId: 'u-water' },
    { kind: 'start_clock', clock: 'handle' },
  ]);
});

test('separation of duties: whoever dispatched the case may not judge its check', () => {
  const both = actor('disp1', ['dispatcher', 'inspector'], { regionIds: ['d1'] });
  const cv = baseCase({ state: 'CHECKING', assignedUnitId: 'u-water', dispatchedBy: 'disp1' });
  assert.equal(thrown(() => decide(cv, 'check_pass', {}, both, T0)).code, 'SEPARATION_OF_DUTIES');
  assert.equal(thrown(() => decide(cv, 'check_fail', { reason: 'x' }, both, T0)).code, 'SEPARATION_OF_DUTIES');
  const adminDispatched = { ...cv, dispatchedBy: 'adm1' };
  assert.equal(thrown(() => decide(adminDispatched, 'check_pass', {}, admin, T0)).code, 'SEPARATION_OF_DUTIES');
  assert.equal(allowedActions(cv, both).includes('check_pass'), false);
  assert.equal(decide(cv, 'check_pass', {}, inspector, T0).to, 'CLOSED_PENDING_CALLBACK');
  assert.equal(decide(cv, 'check_pass', {}, admin, T0).to, 'CLOSED_PENDING_CALLBACK');
});

test('callback unsatisfied reopens; the second unsatisfied escalates supervision', () => {
  let cv = baseCase({ state: 'CLOSED_PENDING_CALLBACK', assignedUnitId: 'u-water', dispatchedBy: 'disp1' });
  assert.equal(thrown(() => decide(cv, 'callback', { satisfied: false }, operator, T0)).field, 'note');
  assert.equal(thrown(() => decide(cv, 'callback', {} as never, operator, T0)).field, 'satisfied');
  const first = decide(cv, 'callback', { satisfied: false, note: '仍有异味' }, operator, T0);
  assert.equal(first.to, 'IN_PROGRESS');
  assert.equal(first.patch.unsatisfiedCount, 1);
  assert.equal(first.patch.closureType, null);
  assert.equal(first.effects.some((e) => e.kind === 'escalate_supervision'), false);
  assert.deepEqual(counters(first.effects), ['reopen']);
  cv = { ...applyDecision(cv, first, T0), state: 'CLOSED_PENDING_CALLBACK' };
  const second = decide(cv, 'callback', { satisfied: false, note: '还是没解决' }, operator, T0);
  assert.equal(second.patch.unsatisfiedCount, 2);
  assert.equal(second.patch.reopenCount, 2);
  assert.equal(second.effects.some((e) => e.kind === 'escalate_supervision'), true);
});

test('an invalid transition lists what the actor could do instead', () => {
  const cv = inProgress({ pendingRequest: { kind: 'postpone', extra: { amount: 1, unit: 'work_days' }, reason: 'r', requestedBy: 'h1', requestedAt: T0 } });
  const e = thrown(() => decide(cv, 'dispatch', { unitId: 'u-roads' }, dispatcher, T0));
  assert.equal(e.code, 'INVALID_TRANSITION');
  assert.deepEqual(e.details, { state: 'IN_PROGRESS', action: 'dispatch', allowedActions: ['approve_postpone', 'deny_postpone', 'merge_into'] });
  assert.match(e.message, /处置中/);
});

test('roles: an operator may not dispatch, a unit handler may not accept', () => {
  const e = thrown(() => decide(baseCase({ state: 'REGISTERED' }), 'dispatch', { unitId: 'u-water' }, operator, T0));
  assert.equal(e.code, 'FORBIDDEN');
  assert.deepEqual(e.details, { action: 'dispatch' });
  assert.equal(thrown(() => decide(baseCase(), 'accept', {}, handler, T0)).code, 'FORBIDDEN');
  assert.equal(thrown(() => decide(inProgress(), 'supervise', { note: 'n', level: 'urge' }, dispatcher, T0)).code, 'FORBIDDEN');
  assert.equal(decide(inProgress(), 'supervise', { note: '请加快', level: 'leader' }, centreLeader, T0).to, 'IN_PROGRESS');
  // second-level dispatch is for unit leaders only
  assert.equal(thrown(() => decide(inProgress(), 'second_dispatch', { subUnitId: 'u-water-team1' }, handler, T0)).code, 'FORBIDDEN');
});

test('unit scope: only the assigned unit signs and returns; its sub-unit may dispose', () => {
  const dispatched = baseCase({ state: 'DISPATCHED', assignedUnitId: 'u-water', dispatchedBy: 'disp1' });
  assert.equal(thrown(() => decide(dispatched, 'sign', {}, otherHandler, T0)).code, 'FORBIDDEN');
  assert.deepEqual(allowedActions(dispatched, otherHandler), []);
  const sub = decide(dispatched, 'second_dispatch', { subUnitId: 'u-water-team1' }, unitLeader, T0);
  assert.deepEqual(sub.effects, [{ kind: 'stop_clock', clock: 'sign' }]);
  const cv = applyDecision(dispatched, sub, T0);
  assert.equal(cv.subUnitId, 'u-water-team1');
  assert.equal(thrown(() => decide(cv, 'return', { reason: 'r', basis: 'b' }, subHandler, T0)).code, 'FORBIDDEN');
  assert.equal(decide(cv, 'dispose', { result: '已修复', photos: ['p1'] }, subHandler, T0).to, 'DISPOSED');
  assert.equal(thrown(() => decide(cv, 'dispose', { result: '已修复', photos: ['p1'] }, otherHandler, T0)).code, 'FORBIDDEN');
});

test('region scope: centre staff act only on cases in the regions they cover (unlocated cases are open to all)', () => {
  const elsewhere = actor('disp9', ['dispatcher'], { regionIds: ['d2'] });
  const cv = baseCase({ state: 'REGISTERED' });
  assert.equal(thrown(() => decide(cv, 'dispatch', { unitId: 'u-water' }, elsewhere, T0)).code, 'FORBIDDEN');
  assert.equal(decide({ ...cv, regionPath: [] }, 'dispatch', { unitId: 'u-water' }, elsewhere, T0).to, 'DISPATCHED');
  assert.equal(thrown(() => decide(cv, 'dispatch', { unitId: 'u-water' }, actor('x', ['dispatcher']), T0)).code, 'FORBIDDEN');
});

test('dispose needs a result and, by default, a photo', () => {
  assert.equal(thrown(() => decide(inProgress(), 'dispose', { photos: ['p'] } as never, handler, T0)).field, 'result');
  const e = thrown(() => decide(inProgress(), 'dispose', { result: '已清理', photos: [] }, handler, T0));
  assert.equal(e.field, 'photos');
  const d = decide(inProgress(), 'dispose', { result: '已清理', photos: [] }, handler, T0 + 5 * HOUR, { requirePhotosOnDispose: false });
  assert.equal(d.to, 'DISPOSED');
  assert.equal(d.patch.everOverdue, true); // disposed after the handling deadline
});

test('close: special closures from any open state stop the running clocks; normal cannot skip the check', () => {
  const cv = inProgress({ pendingRequest: { kind: 'hang', reason: 'r', requestedBy: 'h1', requestedAt: T0 } });
  assert.equal(thrown(() => decide(cv, 'close', { closureType: 'normal', reason: 'x' }, shiftLeader, T0)).field, 'closureType');
  const d = decide(cv, 'close', { closureType: 'special', reason: '市政府统一改造' }, shiftLeader, T0);
  assert.equal(d.to, 'ARCHIVED');
  assert.equal(d.patch.pendingRequest, null);
  assert.equal(d.history.details.withdrawnRequest, 'hang');
  assert.deepEqual(d.effects, [{ kind: 'stop_clock', clock: 'handle' }, { kind: 'set_closure', closureType: 'special' }]);
  assert.equal(thrown(() => decide(baseCase({ state: 'CANCELLED' }), 'close', { closureType: 'special', reason: 'x' }, shiftLeader, T0)).code, 'INVALID_TRANSITION');
  const pending = baseCase({ state: 'CLOSED_PENDING_CALLBACK', everOverdue: true });
  assert.equal(thrown(() => decide(pending, 'close', { closureType: 'normal', reason: '联系不上' }, shiftLeader, T0)).field, 'closureType');
  assert.equal(decide(pending, 'close', { closureType: 'overdue', reason: '联系不上' }, shiftLeader, T0).to, 'ARCHIVED');
});

test('reopen an archived case, and a pending request dies when the unit returns the case', () => {
  const archived = baseCase({ state: 'ARCHIVED', assignedUnitId: 'u-water' });
  const d = decide(archived, 'reopen', { reason: '问题复发' }, shiftLeader, T0);
  assert.equal(d.to, 'IN_PROGRESS');
  assert.deepEqual(counters(d.effects), ['reopen']);
  assert.equal(thrown(() => decide(baseCase({ state: 'ARCHIVED' }), 'reopen', { reason: 'x' }, shiftLeader, T0)).code, 'INVALID_TRANSITION');
  const withPending = inProgress({ pendingRequest: { kind: 'postpone', extra: { amount: 1, unit: 'work_days' }, reason: 'r', requestedBy: 'h1', requestedAt: T0 } });
  const ret = decide(withPending, 'return', { reason: 'r', basis: 'b' }, handler, T0);
  assert.equal(ret.patch.pendingRequest, null);
  assert.equal(ret.history.details.withdrawnRequest, 'postpone');
});

test('decide is pure: it does not modify the case view and depends only on its arguments', () => {
  const cv = Object.freeze(inProgress());
  const a = decide(cv, 'dispose', { result: 'done', photos: ['p'] }, handler, T0);
  const b = decide(cv, 'dispose', { result: 'done', photos: ['p'] }, handler, T0);
  assert.deepEqual(a, b);
  assert.equal(thrown(() => decide(cv, 'dispose', { result: 'done', photos: ['p'] }, handler, Number.NaN)).field, 'nowMs');
  assert.equal(thrown(() => decide(cv, 'fly' as never, {} as never, handler, T0)).field, 'action');
  assert.equal(thrown(() => decide(cv, 'sign', {}, handler, T0, { maxReturns: -1 })).field, 'policy.maxReturns');
});

test('a request body typed as the ActionInput union can be passed straight through', () => {
  const req: ActionInput = { action: 'return', reason: '非本单位职责', basis: '清单第3条' };
  const d = decide(inProgress(), req.action, req, handler, T0);
  assert.equal(d.to, 'DISPUTED');
  assert.equal(d.history.reason, '非本单位职责');
  assert.deepEqual(Object.keys(d.history.details).sort(), ['basis', 'disputeOwner', 'returnNo', 'unitId']);
});

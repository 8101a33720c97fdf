import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DESK_SETTINGS, parseDeskSettings } from './settings.ts';
import { checkClaim, decideResult } from './rules.ts';
import { appealDeadline, appealUnit, checkAppealDecision, checkExclusionReview, periodOf } from '../appeal/rules.ts';
import { raiseReason } from '../supervision/rules.ts';
import { compileCalendar } from '../deadline/work-calendar.ts';
import type { Role } from '../policy/permissions.ts';

const seat = (id = 's1', roles: Role[] = ['operator']) => ({ userId: id, roles, unitIds: [], regionIds: ['C'] });
const S = structuredClone(DEFAULT_DESK_SETTINGS);
const field = (fn: () => unknown) => { try { fn(); } catch (e) { return (e as { field?: string }).field; } return undefined; };

test('desk settings: defaults parse; bad values name their field', () => {
  assert.deepEqual(parseDeskSettings(structuredClone(DEFAULT_DESK_SETTINGS)), DEFAULT_DESK_SETTINGS);
  assert.equal(field(() => parseDeskSettings({ ...S, callback: { ...S.callback, maxAttempts: 0 } })), 'callback.maxAttempts');
  assert.equal(field(() => parseDeskSettings({ ...S, supervision: { ...S.supervision, importantUrgencies: ['x'] } })), 'supervision.importantUrgencies');
  assert.equal(field(() => parseDeskSettings({ ...S, extra: 1 })), 'extra');
});

test('callbacks: one seat per claim, retries spaced, the last unreachable attempt is final', () => {
  assert.doesNotThrow(() => checkClaim(null, seat(), 0));
  assert.equal(field(() => checkClaim(null, { ...seat(), roles: ['unit_handler'] }, 0)), 'taskId');
  assert.equal(field(() => checkClaim({ state: 'claimed', attempts: 0, claimedBy: 's2', nextAttemptAt: null }, seat(), 0)), 'taskId');
  assert.equal(field(() => checkClaim({ state: 'waiting', attempts: 1, claimedBy: null, nextAttemptAt: 10 }, seat(), 5)), 'nextAttemptAt');
  const mine = { state: 'claimed' as const, attempts: 0, claimedBy: 's1', nextAttemptAt: null };
  assert.deepEqual(decideResult(mine, seat(), { result: 'unreachable' }, 0, S), { kind: 'retry', attempt: 1, nextAttemptAt: 120 * 60_000 });
  assert.deepEqual(decideResult({ ...mine, attempts: 2 }, seat(), { result: 'unreachable' }, 0, S), { kind: 'unreachable', attempt: 3 });
  assert.deepEqual(decideResult(mine, seat(), { result: 'basically_satisfied' }, 0, S), { kind: 'answered', satisfied: true });
  assert.equal(field(() => decideResult(mine, seat(), { result: 'unsatisfied' }, 0, S)), 'note');
  assert.equal(field(() => decideResult(mine, seat(), { result: 'meh' }, 0, S)), 'result');
  assert.equal(field(() => decideResult(mine, seat('s2'), { result: 'satisfied' }, 0, S)), 'taskId');
});

test('appeals: the unit must be concerned; deadline N work days after the month; the appellant does not decide', () => {
  const leader = { userId: 'l', roles: ['unit_leader'] as Role[], unitIds: ['U1'], regionIds: [] };
  const c = { assignedUnitId: 'U2', subUnitId: null, assistingUnitIds: [], lastReturnedByUnitId: null };
  assert.equal(field(() => appealUnit(leader, c, undefined)), 'unitId');
  assert.equal(appealUnit(leader, { ...c, lastReturnedByUnitId: 'U1' }, undefined), 'U1');
  const cal = compileCalendar({ utcOffsetMinutes: 480, workPeriods: [{ start: '09:00', end: '17:00' }], weekendDays: [0, 6], holidays: [], makeUpWorkdays: [] });
  assert.equal(periodOf(Date.UTC(2026, 10, 30, 17, 0), 480), '2026-12'); // 01:00 on 1 December in the city
  // November 2026 ends on a Monday (30th); five work days: Tue 1 … Mon 7 December, 17:00 city time
  assert.equal(new Date(appealDeadline(cal, '2026-11', 5)).toISOString(), '2026-12-07T09:00:00.000Z');
  assert.equal(field(() => checkAppealDecision({ ...leader, userId: 'x', roles: ['centre_leader'] }, { state: 'open', filedBy: 'x' }, 'accept')), 'filedBy');
  assert.equal(field(() => checkExclusionReview(seat('r', ['shift_leader']), { state: 'requested', requestedBy: 'r' }, 'approve')), 'requestedBy');
});

test('supervision: raise when unanswered past due, or overdue again after the answer; never past city', () => {
  const n = { state: 'open' as const, tier: 'unit' as const, unitId: 'U', dueAt: 100, answeredAt: null };
  const c = { open: true, overdue: false, handleDueAt: 50 };
  assert.equal(raiseReason(n, c, 99), null);
  assert.equal(raiseReason(n, c, 100), 'unanswered');
  assert.equal(raiseReason({ ...n, tier: 'city' }, c, 200), null);
  const answered = { ...n, state: 'answered' as const, answeredAt: 80 };
  assert.equal(raiseReason(answered, { ...c, overdue: true, handleDueAt: 50 }, 200), null, 'overdue before the answer: not again');
  assert.equal(raiseReason(answered, { ...c, overdue: true, handleDueAt: 150 }, 200), 'overdue_again');
});

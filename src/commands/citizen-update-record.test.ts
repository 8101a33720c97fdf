/** Which state change a citizen's update makes (pure part of recordCitizenUpdate). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { citizenEffect, REOPEN_WINDOW_DAYS } from './citizen-update-record.ts';

const NOW = Date.UTC(2026, 10, 25, 2);
const DAY = 86_400_000;
const own = { filedByClient: true, linked: false, now: NOW };
const row = (state: string, over: Partial<{ assigned_unit_id: string | null; closed_at: number | null }> = {}) =>
  ({ state, assigned_unit_id: 'U-1', closed_at: NOW - DAY, ...over });

test('"still there" from the reporter\'s client: an unsatisfied callback, or a reopen of a recent archived case', () => {
  assert.deepEqual(citizenEffect(row('CLOSED_PENDING_CALLBACK'), 'not_fixed', '还在', own)?.input.action, 'callback');
  assert.equal(citizenEffect(row('CLOSED_PENDING_CALLBACK'), 'not_fixed', '还在', own)?.role, 'operator');
  const reopen = citizenEffect(row('ARCHIVED'), 'not_fixed', '还在', own);
  assert.equal(reopen?.input.action, 'reopen');
  assert.equal(reopen?.role, 'shift_leader');
  assert.match((reopen?.input as { reason: string }).reason, /还在/);
});

test('nothing else changes state: "fixed", comments, other clients, duplicates, rejected, old or never-dispatched cases', () => {
  assert.equal(citizenEffect(row('IN_PROGRESS'), 'fixed', '', own), null);
  assert.equal(citizenEffect(row('CLOSED_PENDING_CALLBACK'), 'fixed', '', own), null);
  assert.equal(citizenEffect(row('IN_PROGRESS'), 'not_fixed', '', own), null);
  assert.equal(citizenEffect(row('ARCHIVED'), null, '', own), null);
  assert.equal(citizenEffect(row('ARCHIVED'), 'not_fixed', '', { ...own, filedByClient: false }), null);
  assert.equal(citizenEffect(row('ARCHIVED'), 'not_fixed', '', { ...own, linked: true }), null);
  assert.equal(citizenEffect(row('CANCELLED'), 'not_fixed', '', own), null);
  assert.equal(citizenEffect(row('ARCHIVED', { assigned_unit_id: null }), 'not_fixed', '', own), null);
  assert.equal(citizenEffect(row('ARCHIVED', { closed_at: NOW - (REOPEN_WINDOW_DAYS + 1) * DAY }), 'not_fixed', '', own), null);
});

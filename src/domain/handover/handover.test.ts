import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAcknowledgeHandover, checkClose, summarizeShift } from './handover.ts';
import type { Actor } from '../policy/scope.ts';

const leader = (id: string, regionIds = ['S1']): Actor => ({ userId: id, roles: ['shift_leader'], regionIds, unitIds: [] });

test('the summary puts 非常紧急 first, then the nearest deadline', () => {
  const c = (id: number, urgency: string, dueAt: number | null) => ({ id, caseNo: `N${id}`, state: 'dispatched', urgency, alertLevel: 'normal', dueAt });
  const s = summarizeShift({ open: 3, openCapped: false, overdue: 1, warning: 0, urgent: [c(1, 'urgent', 5), c(2, 'very_urgent', 9), c(3, 'urgent', 2)], nextDue: [], ringing: [] }, 100);
  assert.deepEqual(s.urgent.map((x) => x.id), [2, 3, 1]);
});

test('closing: only a shift leader; label, notes, region and next leader are checked by name', () => {
  assert.deepEqual(checkClose(leader('a'), { shiftLabel: ' 白班 ', notes: 'x' }, null), { shiftLabel: '白班', notes: 'x', regionId: 'S1' });
  assert.throws(() => checkClose({ ...leader('a'), roles: ['operator'] }, { shiftLabel: 'x', notes: '' }, null), (e: { field?: string }) => e.field === 'role');
  assert.throws(() => checkClose(leader('a'), { shiftLabel: '  ', notes: '' }, null), (e: { field?: string }) => e.field === 'shiftLabel');
  assert.throws(() => checkClose(leader('a'), { shiftLabel: 'x', notes: '', regionId: 'S9' }, null), (e: { field?: string }) => e.field === 'regionId');
  assert.throws(() => checkClose(leader('a'), { shiftLabel: 'x', notes: '', nextLeaderId: 'a' }, leader('a')), (e: { field?: string }) => e.field === 'nextLeaderId');
  assert.throws(() => checkClose(leader('a'), { shiftLabel: 'x', notes: '', nextLeaderId: 'b' }, { ...leader('b'), roles: ['operator'] }), (e: { field?: string }) => e.field === 'nextLeaderId');
});

test('acknowledging: the named next leader only, never the closer, once', () => {
  const h = { closedBy: 'a', nextLeaderId: 'b', regionId: 'S1', acknowledgedAt: null };
  checkAcknowledgeHandover(leader('b'), h);
  assert.throws(() => checkAcknowledgeHandover(leader('a'), h), (e: { field?: string }) => e.field === 'nextLeaderId');
  assert.throws(() => checkAcknowledgeHandover(leader('c'), h), (e: { field?: string }) => e.field === 'nextLeaderId');
  assert.throws(() => checkAcknowledgeHandover(leader('b'), { ...h, acknowledgedAt: 5 }), (e: { code?: string }) => e.code === 'CONFLICT');
  checkAcknowledgeHandover(leader('c'), { ...h, nextLeaderId: null });
  assert.throws(() => checkAcknowledgeHandover(leader('c', ['S2']), { ...h, nextLeaderId: null }), (e: { field?: string }) => e.field === 'regionId');
});

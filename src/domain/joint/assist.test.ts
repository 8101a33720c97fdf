import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.ts';
import type { Actor } from '../policy/scope.ts';
import {
  allowedAssistActions, assertAssistsSettled, assertMayAddAssists, assistDueAt, assistPart, assistSpecsOf, checkAssistSpecs, decideAssist,
  DEFAULT_INSTRUCTION, type AssistTask,
} from './assist.ts';

const T = Date.UTC(2026, 10, 25, 2, 0, 0);
const units = new Map([
  ['lead', { id: 'lead', active: true }], ['u1', { id: 'u1', active: true }], ['u2', { id: 'u2', active: true }], ['off', { id: 'off', active: false }],
]);
const task = (over: Partial<AssistTask> = {}): AssistTask => ({
  id: 7, caseId: 1, unitId: 'u1', instruction: '清运', limit: null, dueAt: T + 3_600_000, state: 'dispatched', dispatchedAt: T, dispatchedBy: 'disp',
  signedAt: null, signedBy: null, doneAt: null, doneBy: null, result: null, photoIds: [], returnReason: null, returnBasis: null, returnedAt: null,
  returnCount: 0, ruling: null, closedAt: null, previousTaskId: null, ...over,
});
const handler: Actor = { userId: 'h1', roles: ['unit_handler'], unitIds: ['u1'], regionIds: [] };
const otherUnit: Actor = { userId: 'h2', roles: ['unit_handler'], unitIds: ['u2'], regionIds: [] };
const dispatcher: Actor = { userId: 'd1', roles: ['dispatcher'], unitIds: [], regionIds: ['street'] };
const farDispatcher: Actor = { userId: 'd2', roles: ['dispatcher'], unitIds: [], regionIds: ['elsewhere'] };
const facts = { state: 'IN_PROGRESS', leadUnitId: 'lead', regionPath: ['city', 'district', 'street'] };

const fieldOf = (f: () => unknown): string | undefined => {
  try { f(); } catch (e) { assert.ok(e instanceof DomainError, String(e)); return e.field ?? e.code; }
  assert.fail('expected a DomainError');
};

describe('joint action: the specs of a request', () => {
  test('assists with instructions, or plain unit ids with the default instruction', () => {
    assert.deepEqual(assistSpecsOf({ assists: [{ unitId: 'u1', instruction: ' 清运 ', limit: { amount: 2, unit: 'work_hours' } }] }),
      [{ unitId: 'u1', instruction: '清运', limit: { amount: 2, unit: 'work_hours' } }]);
    assert.deepEqual(assistSpecsOf({ assistingUnitIds: ['u2'] }), [{ unitId: 'u2', instruction: DEFAULT_INSTRUCTION, limit: null }]);
    assert.equal(assistSpecsOf({}), undefined);
    assert.equal(fieldOf(() => assistSpecsOf({ assists: [{ unitId: 'u1' }], assistingUnitIds: ['u2'] })), 'assistingUnitIds');
    assert.equal(fieldOf(() => assistSpecsOf({ assists: [{ unitId: '' }] })), 'assists[0].unitId');
    assert.equal(fieldOf(() => assistSpecsOf({ assists: [{ unitId: 'u1', limit: { amount: -1, unit: 'work_hours' } }] })), 'assists[0].limit.amount');
  });

  test('unknown, inactive, the lead, twice, already open: refused naming the entry', () => {
    const check = (ids: string[], open: string[] = []) => checkAssistSpecs(ids.map((unitId) => ({ unitId, instruction: 'x', limit: null })), { leadUnitId: 'lead', units, openUnitIds: open });
    assert.equal(fieldOf(() => check(['nope'])), 'assists[0].unitId');
    assert.equal(fieldOf(() => check(['u1', 'off'])), 'assists[1].unitId');
    assert.equal(fieldOf(() => check(['lead'])), 'assists[0].unitId');
    assert.equal(fieldOf(() => check(['u1', 'u1'])), 'assists[1].unitId');
    assert.equal(fieldOf(() => check(['u2', 'u1'], ['u1'])), 'assists[1].unitId');
    check(['u1', 'u2']);
  });
});

describe('joint action: a task\'s lifecycle', () => {
  test('the unit signs, completes with result and photos; its part is counted', () => {
    const s = decideAssist(task(), 'sign', {}, handler, facts, T + 600_000);
    assert.equal(s.patch.state, 'signed');
    assert.equal(s.patch.signedBy, 'h1');
    assert.equal(s.topic, 'assist.signed');
    const signed = task({ ...s.patch });
    assert.equal(fieldOf(() => decideAssist(signed, 'complete', { result: ' ', photos: ['p'] }, handler, facts, T)), 'result');
    assert.equal(fieldOf(() => decideAssist(signed, 'complete', { result: '完成', photos: [] }, handler, facts, T)), 'photos');
    const late = T + 7_200_000;
    const c = decideAssist(signed, 'complete', { result: '完成', photos: ['p1'] }, handler, facts, late);
    assert.equal(c.patch.state, 'done');
    assert.deepEqual(c.attachmentIds, ['p1']);
    assert.equal(c.details.overdue, true, 'done after its deadline');
    assert.deepEqual(assistPart(task({ ...s.patch, ...c.patch }), late + 1), { signMs: 600_000, doneMs: 7_200_000, overdue: true });
  });

  test('only the task\'s own unit acts on it; the centre rules and waives', () => {
    assert.equal(fieldOf(() => decideAssist(task(), 'sign', {}, otherUnit, facts, T)), 'taskId');
    assert.equal(fieldOf(() => decideAssist(task(), 'sign', {}, dispatcher, facts, T)), 'FORBIDDEN');
    assert.equal(fieldOf(() => decideAssist(task(), 'waive', { reason: 'x' }, handler, facts, T)), 'FORBIDDEN');
    assert.equal(fieldOf(() => decideAssist(task(), 'waive', { reason: 'x' }, farDispatcher, facts, T)), 'FORBIDDEN');
    assert.equal(decideAssist(task(), 'waive', { reason: '无需协办' }, dispatcher, facts, T).patch.state, 'waived');
    assert.deepEqual(allowedAssistActions(task(), handler, facts), ['sign', 'return']);
    assert.deepEqual(allowedAssistActions(task({ state: 'signed' }), handler, facts), ['return', 'complete']);
    assert.deepEqual(allowedAssistActions(task({ state: 'returned' }), dispatcher, facts), ['rule', 'waive']);
    assert.deepEqual(allowedAssistActions(task(), otherUnit, facts), []);
    assert.deepEqual(allowedAssistActions(task(), handler, { ...facts, state: 'ARCHIVED' }), []);
  });

  test('a return needs reason and basis; the ruling keeps (buck-passing), waives or reassigns', () => {
    assert.equal(fieldOf(() => decideAssist(task(), 'return', { reason: '非本单位' }, handler, facts, T)), 'basis');
    const r = decideAssist(task(), 'return', { reason: '非本单位', basis: '清单' }, handler, facts, T);
    assert.equal(r.patch.state, 'returned');
    const returned = task({ ...r.patch });
    assert.equal(fieldOf(() => decideAssist(returned, 'sign', {}, handler, facts, T)), 'INVALID_TRANSITION');
    const keep = decideAssist(returned, 'rule', { outcome: 'keep', ruling: '仍由你单位' }, dispatcher, facts, T);
    assert.equal(keep.patch.state, 'dispatched');
    assert.equal(keep.buckPassing, true);
    assert.equal(decideAssist(returned, 'rule', { outcome: 'waive', ruling: '免除' }, dispatcher, facts, T).patch.state, 'waived');
    const re = decideAssist(returned, 'rule', { outcome: 'reassign', ruling: '改派', unitId: 'u2' }, dispatcher, facts, T);
    assert.equal(re.patch.state, 'reassigned');
    assert.deepEqual(re.reassignTo, { unitId: 'u2', instruction: '清运', limit: null });
    assert.equal(fieldOf(() => decideAssist(returned, 'rule', { outcome: 'reassign', ruling: '改派', unitId: 'u1' }, dispatcher, facts, T)), 'unitId');
    assert.equal(fieldOf(() => decideAssist(returned, 'rule', { outcome: 'maybe', ruling: 'x' }, dispatcher, facts, T)), 'outcome');
    assert.equal(fieldOf(() => decideAssist(task({ returnCount: 2 }), 'return', { reason: 'a', basis: 'b' }, handler, facts, T)), 'reason');
  });
});

describe('joint action: the bundle', () => {
  test('a task is due by its own limit but never after the case', () => {
    assert.equal(assistDueAt(T + 10, T + 20), T + 10);
    assert.equal(assistDueAt(T + 30, T + 20), T + 20);
    assert.equal(assistDueAt(null, T + 20), T + 20);
    assert.equal(assistDueAt(T + 30, null), T + 30);
  });

  test('the lead disposes only when every task is done or waived; the error names the open ones', () => {
    assertAssistsSettled([{ id: 1, unitId: 'u1', state: 'done' }, { id: 2, unitId: 'u2', state: 'waived' }, { id: 3, unitId: 'u2', state: 'reassigned' }]);
    try {
      assertAssistsSettled([{ id: 1, unitId: 'u1', state: 'done' }, { id: 2, unitId: 'u2', state: 'returned' }], (id) => `单位${id}`);
      assert.fail('expected a refusal');
    } catch (e) {
      assert.ok(e instanceof DomainError);
      assert.equal(e.code, 'INVALID_TRANSITION');
      assert.equal(e.field, 'assists');
      assert.deepEqual(e.details?.openAssists, [{ taskId: 2, unitId: 'u2', state: 'returned' }]);
      assert.match(e.message, /单位u2/);
    }
  });

  test('the centre adds tasks only while the case is handled, and to a unit-led case', () => {
    assertMayAddAssists(dispatcher, facts);
    assert.equal(fieldOf(() => assertMayAddAssists(dispatcher, { ...facts, state: 'REGISTERED' })), 'assists');
    assert.equal(fieldOf(() => assertMayAddAssists(dispatcher, { ...facts, leadUnitId: null })), 'assists');
    assert.equal(fieldOf(() => assertMayAddAssists(handler, facts)), 'FORBIDDEN');
  });
});

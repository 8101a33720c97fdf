import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from './decide.ts';
import { allowedActions, refusal, resolvePolicy } from './allowed.ts';
import { ACTION_NAMES, ruleOf } from './transitions.ts';
import { STATE_NAMES, isOpen } from './states.ts';
import { ROLE_NAMES } from '../policy/permissions.ts';
import { DomainError } from '../errors.ts';
import { T0, actor, baseCase } from './case.fixtures.ts';
import type { Actor } from '../policy/scope.ts';
import type { Action, ActionInputs, CaseView } from './types.ts';

/** A valid input for every action, so that any refusal comes from the table, never from the input. */
const VALID: { [A in Action]: ActionInputs[A] } = {
  accept: {},
  reject: { reason: '重复上报', rejectKind: 'duplicate', duplicateOfCaseId: 'C1' },
  request_verify: {},
  verify: { outcome: 'confirmed' },
  register: {},
  dispatch: { unitId: 'u-water' },
  reassign: { unitId: 'u-roads', reason: 'wrong unit' },
  recall: { reason: 'dispatched by mistake' },
  sign: {},
  second_dispatch: { subUnitId: 'u-sub2' },
  return: { reason: '非本单位职责', basis: '清单第3条' },
  rule_dispute: { unitId: 'u-roads', ruling: '改派' },
  request_postpone: { extra: { amount: 1, unit: 'work_days' }, reason: '待配件' },
  approve_postpone: {},
  deny_postpone: { reason: '理由不足' },
  request_hang: { reason: '涉及诉讼' },
  approve_hang: {},
  deny_hang: { reason: '可以处置' },
  resume: {},
  dispose: { result: '已处置', photos: ['p1'] },
  send_check: {},
  check_pass: {},
  check_fail: { reason: '未处置完' },
  callback: { satisfied: true },
  close: { closureType: 'special', reason: '统一改造' },
  reopen: { reason: '复发' },
  supervise: { note: '请加快', level: 'urge' }, // 'urge' is open to every role that may supervise
  self_fix: { result: '已现场清理', photos: ['p1'] },
  merge_into: { masterCaseId: 99, reason: '同一问题' },
  split: { reason: '不是同一问题' },
  // levels of platform
  escalate: { reason: '本级无法解决' }, assign_down: { toRegionId: 's1', reason: '属地处置' }, accept_transfer: {}, refuse_transfer: { reason: '不属本级' },
};

/** The master a merge names, as the command would load it. */
const RELATED = {
  master: { id: 99, caseNo: '20261125000099', state: 'IN_PROGRESS' as const, masterCaseId: null, matterClass: '06' },
  transferTarget: { regionId: 's1', known: true, level: 'street', platform: true, path: ['s1', 'd1'] }, // 下派 to street s1
};

const VARIANTS: Partial<CaseView>[] = [
  {},
  { pendingRequest: { kind: 'postpone', extra: { amount: 1, unit: 'work_days' }, reason: 'r', requestedBy: 'h', requestedAt: T0 } },
  { pendingRequest: { kind: 'hang', reason: 'r', requestedBy: 'h', requestedAt: T0 } },
  { returnCount: 2, postponeCount: 1 },
  { trustedChannel: true },
  { verificationRequired: true },
  { assignedUnitId: null, dispatchedBy: null },
  { subUnitId: 'u-sub' },
  { lastReturnedByUnitId: 'u-water', returnCount: 1 },
  { regionPath: [] },
  { needsCallback: false, handleDueAt: T0 - 1, everOverdue: true },
  { channel: 'patrol', trustedChannel: true, reportedBy: 'me' },
  { channel: 'patrol', trustedChannel: true, reportedBy: 'someone-else' },
  { masterCaseId: 5 },
  // given to a grid member instead of a unit; a dispute with its owner; admitted matters; several commanders
  { assignedUnitId: null, assignedUserId: 'me', admittedForGridMembers: true },
  { disputeOwner: { regionId: 's1' }, handlePausedAt: T0 - 1, lastReturnedByUnitId: 'u-water', returnCount: 1 },
  { admittedForGridMembers: true },
  { commandActorIds: ['disp0', 'me'] },
  { channel: 'patrol', trustedChannel: true, reportedBy: 'me', admittedForGridMembers: true },
  // levels of platform: at street s1 (may escalate to d1), at district d1 (may assign down), a transfer waiting for d1
  { platformRegionId: 's1', platformLevel: 'street', superiorPlatformId: 'd1', hasLowerPlatform: false },
  { platformRegionId: 'd1', platformLevel: 'district', superiorPlatformId: 'city', hasLowerPlatform: true },
  {
    platformRegionId: 's1', platformLevel: 'street', superiorPlatformId: 'd1', hasLowerPlatform: false,
    pendingTransfer: { id: 1, kind: 'escalate', fromRegionId: 's1', toRegionId: 'd1', reason: 'r', requestedBy: 'other', requestedAt: T0 },
  },
];

const actorsFor = (role: (typeof ROLE_NAMES)[number]): Actor[] => [
  actor('me', [role], { unitIds: ['u-water'], regionIds: ['d1'] }),
  actor('me', [role], { unitIds: ['u-roads'], regionIds: ['d2'] }),
  actor('me', [role], { unitIds: ['u-sub'], regionIds: ['s1'] }),
  actor('disp1', [role], { unitIds: ['u-water'], regionIds: ['d1'] }),
];
const MIXED = [
  actor('disp1', ['dispatcher', 'inspector'], { regionIds: ['d1'] }), actor('x', [], {}),
  actor('me', ['grid_member', 'operator'], { regionIds: ['s1'] }), actor('me', ['dispatcher', 'shift_leader'], { regionIds: ['d1'] }),
  actor('me', ['dispatcher'], { regionIds: ['c1'] }),
];

test('allowedActions agrees with decide for every state × action × role (and scope, caps, duties)', () => {
  const policy = resolvePolicy();
  const everAllowed = new Set<Action>();
  let checked = 0;
  for (const state of STATE_NAMES) {
    for (const variant of VARIANTS) {
      const cv = baseCase({ assignedUnitId: 'u-water', dispatchedBy: 'disp1', regionPath: ['d1', 's1'], ...variant, state });
      for (const who of [...ROLE_NAMES.flatMap(actorsFor), ...MIXED]) {
        const allowed = allowedActions(cv, who);
        for (const action of ACTION_NAMES) {
          const where = `${state} ${JSON.stringify(variant)} ${who.userId}:${who.roles.join('+')}:${who.unitIds} ${action}`;
          let error: unknown = null;
          let to: string | null = null;
          try {
            to = decide(cv, action, VALID[action] as never, who, T0, policy, RELATED).to;
          } catch (e) {
            error = e;
          }
          checked++;
          assert.equal(allowed.includes(action), error === null, `${where}: ${String(error)}`);
          if (error === null) {
            everAllowed.add(action);
            assert.ok(ruleOf(action).to.includes(to as never), `${where} → ${to}`);
            if (action === 'supervise') assert.equal(to, state);
          } else {
            assert.ok(error instanceof DomainError, `${where}: ${String(error)}`);
            assert.notEqual(error.code, 'VALIDATION_FAILED', `${where}: ${error.message}`);
            assert.equal(error.code, refusal(cv, action, who, policy)?.code, where);
          }
        }
      }
    }
  }
  assert.deepEqual([...everAllowed].sort(), [...ACTION_NAMES].sort(), 'every table row is reachable');
  assert.ok(checked > 100_000, `checked ${checked}`);
});

test('no open state is a dead end, and CANCELLED is final', () => {
  const ALL = [...ROLE_NAMES.flatMap(actorsFor)];
  for (const state of STATE_NAMES) {
    const cv = baseCase({ state, assignedUnitId: 'u-water', dispatchedBy: 'disp1' });
    const moves = new Set(ALL.flatMap((a) => allowedActions(cv, a)));
    if (state === 'CANCELLED') assert.equal(moves.size, 0);
    else assert.ok(moves.size > 0, state);
    if (isOpen(state)) assert.ok(moves.has('close') && moves.has('supervise'), state);
  }
});

test('an actor with no roles may do nothing; admin may do everything the state allows', () => {
  const cv = baseCase({ state: 'IN_PROGRESS', assignedUnitId: 'u-water', dispatchedBy: 'disp1' });
  assert.deepEqual(allowedActions(cv, actor('nobody', [])), []);
  assert.deepEqual(allowedActions(cv, actor('adm', ['admin'], { regionIds: [] })), [
    'second_dispatch', 'return', 'request_postpone', 'request_hang', 'dispose', 'close', 'supervise', 'merge_into',
  ]);
});

test('operators may urge (催办) but only leaders may supervise (督办) or escalate to a leader', () => {
  const cv = baseCase({ state: 'IN_PROGRESS' });
  const op = actor('op9', ['operator'], { regionIds: ['d1'] });
  const leader = actor('sl9', ['shift_leader'], { regionIds: ['d1'] });
  assert.equal(decide(cv, 'supervise', { note: '群众来电催促', level: 'urge' }, op, T0).to, 'IN_PROGRESS');
  assert.throws(
    () => decide(cv, 'supervise', { note: '督办', level: 'supervise' }, op, T0),
    (e: unknown) => e instanceof DomainError && e.code === 'FORBIDDEN' && e.field === 'level',
  );
  assert.equal(decide(cv, 'supervise', { note: '领导督办', level: 'leader' }, leader, T0).history.action, 'supervise');
});

test('allowedActions (the yes/no fast path) answers exactly what refusal answers, for every state and role', () => {
  const policy = resolvePolicy();
  for (const state of STATE_NAMES) {
    for (const role of ROLE_NAMES) {
      for (const who of [actor('u1', [role], { unitIds: ['u-water'] }), actor('u2', [role], { regionIds: [] })]) {
        const cv: CaseView = baseCase({ state, assignedUnitId: 'u-water', dispatchedBy: 'someone-else' });
        const slow = ACTION_NAMES.filter((a) => refusal(cv, a, who, policy) === null);
        assert.deepEqual(allowedActions(cv, who), slow, `${state} × ${role}`);
        assert.deepEqual(allowedActions(cv, who), slow, `${state} × ${role} (cached roles)`);
      }
    }
  }
});

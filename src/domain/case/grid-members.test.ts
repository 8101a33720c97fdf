/**
 * Grid members (domain.md §6): they may only be given matters on the admission list (网格事项准入), and the system
 * enforces it — in what it offers (allowedActions) as in what it accepts (decide). A case of an admitted matter
 * may be given to a grid member covering its place as its handler, instead of a unit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from './decide.ts';
import { allowedActions } from './allowed.ts';
import { T0, actor, applyDecision, baseCase, dispatcher, gridMember, handler, inspector, shiftLeader, thrown } from './case.fixtures.ts';
import type { CaseView, GridMemberFacts } from './types.ts';

const verifying = (admitted: boolean): CaseView => baseCase({ state: 'VERIFYING', admittedForGridMembers: admitted });

test('a grid member is offered verify only for admitted matters, and decide agrees', () => {
  assert.equal(allowedActions(verifying(true), gridMember).includes('verify'), true);
  assert.equal(allowedActions(verifying(false), gridMember).includes('verify'), false);
  const e = thrown(() => decide(verifying(false), 'verify', { outcome: 'confirmed' }, gridMember, T0));
  assert.equal(e.code, 'FORBIDDEN');
  assert.equal(e.field, 'matterCode');
  assert.equal(decide(verifying(true), 'verify', { outcome: 'confirmed' }, gridMember, T0).to, 'REGISTERED');
  // an inspector verifies any matter, also one who is a grid member too
  assert.equal(allowedActions(verifying(false), inspector).includes('verify'), true);
  const both = actor('gm2', ['grid_member', 'inspector'], { regionIds: ['c1'] });
  assert.equal(decide(verifying(false), 'verify', { outcome: 'confirmed' }, both, T0).to, 'REGISTERED');
  // a grid member who is also an operator still verifies only as a grid member
  const gmOp = actor('gm3', ['grid_member', 'operator'], { regionIds: ['c1'] });
  assert.equal(allowedActions(verifying(false), gmOp).includes('verify'), false);
});

test('self-fix on patrol follows the admission list as well', () => {
  const cv = (admitted: boolean) => baseCase({ state: 'REGISTERED', channel: 'patrol', trustedChannel: true, reportedBy: 'gm1', admittedForGridMembers: admitted });
  assert.equal(allowedActions(cv(true), gridMember).includes('self_fix'), true);
  assert.equal(allowedActions(cv(false), gridMember).includes('self_fix'), false);
  assert.equal(thrown(() => decide(cv(false), 'self_fix', { result: '已清理', photos: ['p'] }, gridMember, T0)).field, 'matterCode');
});

const member = (over: Partial<GridMemberFacts> = {}): GridMemberFacts => ({ userId: 'gm1', roles: ['grid_member'], regionIds: ['c1'], active: true, ...over });

test('dispatch to a grid member: admitted matter, a grid member covering the place, no unit', () => {
  const registered = baseCase({ state: 'REGISTERED', admittedForGridMembers: true });
  const d = decide(registered, 'dispatch', { gridMemberId: 'gm1' }, dispatcher, T0, {}, { gridMember: member() });
  assert.equal(d.to, 'DISPATCHED');
  assert.equal(d.patch.assignedUserId, 'gm1');
  assert.equal(d.patch.assignedUnitId, null);
  assert.deepEqual(d.patch.assistingUnitIds, []);
  assert.equal(d.history.details.gridMemberId, 'gm1');
  assert.deepEqual(d.effects, [{ kind: 'start_clock', clock: 'sign' }, { kind: 'start_clock', clock: 'handle' }]);
  // a unit dispatch clears a former grid member
  assert.equal(decide({ ...registered, assignedUserId: 'gm1' }, 'dispatch', { unitId: 'u-water' }, dispatcher, T0).patch.assignedUserId, null);

  const refused = thrown(() => decide({ ...registered, admittedForGridMembers: false }, 'dispatch', { gridMemberId: 'gm1' }, dispatcher, T0, {}, { gridMember: member() }));
  assert.equal(refused.code, 'FORBIDDEN');
  assert.equal(refused.field, 'gridMemberId');
  assert.equal(thrown(() => decide(registered, 'dispatch', { gridMemberId: 'gm1' }, dispatcher, T0, {}, { gridMember: member({ regionIds: ['c9'] }) })).field, 'gridMemberId');
  assert.equal(thrown(() => decide(registered, 'dispatch', { gridMemberId: 'gm1' }, dispatcher, T0, {}, { gridMember: member({ roles: ['inspector'] }) })).field, 'gridMemberId');
  assert.equal(thrown(() => decide(registered, 'dispatch', { gridMemberId: 'gm1' }, dispatcher, T0, {}, { gridMember: member({ active: false }) })).field, 'gridMemberId');
  assert.equal(thrown(() => decide(registered, 'dispatch', { gridMemberId: 'gm1' }, dispatcher, T0)).field, 'gridMemberId');
  assert.equal(thrown(() => decide(registered, 'dispatch', { gridMemberId: 'gm1', unitId: 'u-water' }, dispatcher, T0, {}, { gridMember: member() })).field, 'gridMemberId');
  assert.equal(thrown(() => decide(registered, 'dispatch', { gridMemberId: 'gm1', assistingUnitIds: ['u-roads'] }, dispatcher, T0, {}, { gridMember: member() })).field, 'assistingUnitIds');
  assert.equal(thrown(() => decide(registered, 'dispatch', {} as never, dispatcher, T0)).field, 'unitId');
  assert.equal(thrown(() => decide({ ...registered, regionPath: [] }, 'dispatch', { gridMemberId: 'gm1' }, dispatcher, T0, {}, { gridMember: member() })).field, 'gridMemberId');
});

test('the grid member given the case signs, disposes or returns it; nobody else on the unit side may', () => {
  let cv = baseCase({ state: 'DISPATCHED', assignedUnitId: null, assignedUserId: 'gm1', dispatchedBy: 'disp1', commandActorIds: ['disp1'], admittedForGridMembers: true });
  assert.deepEqual(allowedActions(cv, gridMember).sort(), ['return', 'sign']);
  const otherMember = actor('gm9', ['grid_member'], { regionIds: ['c1'] });
  assert.deepEqual(allowedActions(cv, otherMember), []);
  assert.equal(thrown(() => decide(cv, 'sign', {}, otherMember, T0)).code, 'FORBIDDEN');
  assert.equal(thrown(() => decide(cv, 'sign', {}, handler, T0)).code, 'FORBIDDEN');
  cv = applyDecision(cv, decide(cv, 'sign', {}, gridMember, T0), T0);
  assert.deepEqual(allowedActions(cv, gridMember).sort(), ['dispose', 'return']);
  const done = decide(cv, 'dispose', { result: '已清理', photos: ['p1'] }, gridMember, T0);
  assert.equal(done.to, 'DISPOSED');
  // a returned grid-member case goes back to the same grid member with its paused clock
  const ret = decide(cv, 'return', { reason: '需执法力量', basis: '清单第9条' }, gridMember, T0);
  cv = applyDecision(cv, ret, T0);
  const ruled = decide(cv, 'rule_dispute', { gridMemberId: 'gm1', ruling: '仍由网格员处置' }, dispatcher, T0, {}, { gridMember: member() });
  assert.ok(ruled.effects.some((e) => e.kind === 'resume_clock'));
  const toUnit = decide(cv, 'rule_dispute', { unitId: 'u-water', ruling: '改派单位' }, dispatcher, T0);
  assert.equal(toUnit.patch.assignedUserId, null);
  assert.ok(toUnit.effects.some((e) => e.kind === 'start_clock' && e.clock === 'handle'));
  // closed and archived, the case can be reopened for the grid member
  const archived = { ...cv, state: 'ARCHIVED' as const };
  assert.equal(decide(archived, 'reopen', { reason: '复发' }, shiftLeader, T0).to, 'IN_PROGRESS');
});

/**
 * A named verifier (issue 8, 派发核实 to a named inspector or grid member): request_verify may name `verifierId` — an
 * active inspector or grid member covering the case's place — and then only they (or an administrator) may verify.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from './decide.ts';
import { allowedActions } from './allowed.ts';
import { T0, actor, admin, applyDecision, baseCase, dispatcher, gridMember, inspector, thrown } from './case.fixtures.ts';
import type { GridMemberFacts } from './types.ts';

const accepted = baseCase({ state: 'ACCEPTED' });
const facts = (over: Partial<GridMemberFacts> = {}): GridMemberFacts => ({ userId: 'insp1', roles: ['inspector'], regionIds: ['s1'], active: true, ...over });
const otherInspector = actor('insp2', ['inspector'], { regionIds: ['s1'] });

test('request_verify without verifierId names nobody: any inspector in scope verifies (as before)', () => {
  const d = decide(accepted, 'request_verify', {}, dispatcher, T0);
  assert.equal(d.patch.verifierUserId, null);
  assert.equal('verifierId' in d.history.details, false);
  const cv = applyDecision(accepted, d, T0);
  assert.equal(allowedActions(cv, otherInspector).includes('verify'), true);
});

test('request_verify names the verifier; only they may verify, and verifying clears the name', () => {
  const d = decide(accepted, 'request_verify', { verifierId: 'insp1', note: '请就近核实' }, dispatcher, T0, {}, { verifier: facts() });
  assert.equal(d.to, 'VERIFYING');
  assert.equal(d.patch.verifierUserId, 'insp1');
  assert.deepEqual(d.history.details, { note: '请就近核实', verifierId: 'insp1' });
  const cv = applyDecision(accepted, d, T0);
  assert.equal(allowedActions(cv, otherInspector).includes('verify'), false);
  const e = thrown(() => decide(cv, 'verify', { outcome: 'confirmed' }, otherInspector, T0));
  assert.equal(e.code, 'FORBIDDEN');
  assert.equal(e.field, 'verifierId');
  assert.equal(allowedActions(cv, inspector).includes('verify'), true);
  const v = decide(cv, 'verify', { outcome: 'confirmed' }, inspector, T0);
  assert.equal(v.to, 'REGISTERED');
  assert.equal(v.patch.verifierUserId, null);
  // an administrator may act for the named verifier (as the existing rules let them act for anyone)
  assert.equal(decide(cv, 'verify', { outcome: 'confirmed' }, admin, T0).to, 'REGISTERED');
});

test('a grid member covering the place may be named too', () => {
  const admitted = { ...accepted, admittedForGridMembers: true };
  const d = decide(admitted, 'request_verify', { verifierId: 'gm1' }, dispatcher, T0, {}, { verifier: facts({ userId: 'gm1', roles: ['grid_member'], regionIds: ['c1'] }) });
  const cv = applyDecision(admitted, d, T0);
  assert.equal(cv.verifierUserId, 'gm1');
  assert.equal(allowedActions(cv, gridMember).includes('verify'), true);
  assert.equal(allowedActions(cv, inspector).includes('verify'), false);
});

test('a wrong verifierId is refused naming the field', () => {
  const bad = (verifier: GridMemberFacts | undefined, id = 'insp1') =>
    thrown(() => decide(accepted, 'request_verify', { verifierId: id }, dispatcher, T0, {}, { verifier }));
  for (const e of [
    bad(undefined), // unknown user
    bad(facts(), 'someone-else'), // not the user loaded
    bad(facts({ roles: ['dispatcher'] })), // wrong role
    bad(facts({ active: false })), // inactive
    bad(facts({ regionIds: ['s9'] })), // does not cover the place
    bad(facts({ roles: ['grid_member'] })), // a grid member, and the matter is not on the admission list
  ]) {
    assert.equal(e.code, 'VALIDATION_FAILED');
    assert.equal(e.field, 'verifierId');
  }
});

test('leaving VERIFYING any other way (cancellation, close) clears the named verifier too', () => {
  const cv = baseCase({ state: 'VERIFYING', verifierUserId: 'insp1' });
  const lead = actor('sl9', ['shift_leader', 'dispatcher', 'operator', 'centre_leader'], { regionIds: ['d1'] });
  const acts = allowedActions(cv, lead).filter((a) => a !== 'verify');
  for (const a of acts) {
    try {
      const d = decide(cv, a, { reason: 'x', closureType: 'invalid', rejectKind: 'invalid' } as never, lead, T0);
      if (d.to !== 'VERIFYING') assert.equal(d.patch.verifierUserId, null, a);
    } catch { /* input of another shape: not what this test is about */ }
  }
});

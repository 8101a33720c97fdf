/**
 * Separation of duties (domain.md §4: 监督 and 指挥 are separate axes): nobody who dispatched a case or ruled its
 * dispute — not only the last one — may judge its closure: pass or fail its check, or close it (any closure type).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from './decide.ts';
import { allowedActions } from './allowed.ts';
import { T0, actor, applyDecision, baseCase, dispatcher, handler, inspector, thrown } from './case.fixtures.ts';

test('every dispatcher and every ruler is kept on the case, in order, once each', () => {
  let cv = baseCase({ state: 'REGISTERED' });
  const d = decide(cv, 'dispatch', { unitId: 'u-water' }, dispatcher, T0);
  assert.deepEqual(d.patch.commandActorIds, ['disp1']);
  cv = applyDecision(cv, d, T0);
  cv = applyDecision(cv, decide(cv, 'return', { reason: 'r', basis: 'b' }, handler, T0), T0);
  const ruler = actor('disp2', ['dispatcher'], { regionIds: ['d1'] });
  const r = decide(cv, 'rule_dispute', { unitId: 'u-roads', ruling: '改派' }, ruler, T0);
  assert.deepEqual(r.patch.commandActorIds, ['disp1', 'disp2']);
  assert.equal(r.patch.dispatchedBy, 'disp2');
  cv = applyDecision(cv, r, T0);
  assert.deepEqual(cv.commandActorIds, ['disp1', 'disp2']);
  // ruling again by someone already on the list does not repeat them
  cv = { ...cv, state: 'DISPUTED', returnCount: 1 };
  assert.deepEqual(decide(cv, 'rule_dispute', { unitId: 'u-water', ruling: '回原单位' }, dispatcher, T0).patch.commandActorIds, ['disp1', 'disp2']);
});

test('the original dispatcher may not fail or pass the check after someone else ruled the dispute', () => {
  const both = actor('disp1', ['dispatcher', 'inspector'], { regionIds: ['d1'] });
  const cv = baseCase({ state: 'CHECKING', assignedUnitId: 'u-roads', dispatchedBy: 'disp2', commandActorIds: ['disp1', 'disp2'] });
  assert.equal(thrown(() => decide(cv, 'check_fail', { reason: '未处置完' }, both, T0)).code, 'SEPARATION_OF_DUTIES');
  assert.equal(thrown(() => decide(cv, 'check_pass', {}, both, T0)).code, 'SEPARATION_OF_DUTIES');
  assert.equal(allowedActions(cv, both).includes('check_fail'), false);
  assert.equal(decide(cv, 'check_pass', {}, inspector, T0).to, 'CLOSED_PENDING_CALLBACK');
});

test('a shift leader who dispatched a case may not close it, whatever the closure type', () => {
  const sl = actor('sl1', ['dispatcher', 'shift_leader'], { regionIds: ['d1'] });
  const other = actor('sl2', ['shift_leader'], { regionIds: ['d1'] });
  const cv = baseCase({ state: 'IN_PROGRESS', assignedUnitId: 'u-water', dispatchedBy: 'sl1', commandActorIds: ['sl1'] });
  for (const closureType of ['erroneous', 'special'] as const) {
    const e = thrown(() => decide(cv, 'close', { closureType, reason: '派错单位' }, sl, T0));
    assert.equal(e.code, 'SEPARATION_OF_DUTIES', closureType);
  }
  assert.equal(allowedActions(cv, sl).includes('close'), false);
  assert.equal(decide(cv, 'close', { closureType: 'erroneous', reason: '派错单位' }, other, T0).to, 'ARCHIVED');
  const pending = { ...cv, state: 'CLOSED_PENDING_CALLBACK' as const };
  assert.equal(thrown(() => decide(pending, 'close', { closureType: 'normal', reason: '联系不上' }, sl, T0)).code, 'SEPARATION_OF_DUTIES');
  // a ruler is on the list too
  const ruled = { ...cv, dispatchedBy: 'disp1', commandActorIds: ['disp1', 'sl1'] };
  assert.equal(thrown(() => decide(ruled, 'close', { closureType: 'special', reason: 'x' }, sl, T0)).code, 'SEPARATION_OF_DUTIES');
});

test('a case view without the list (older callers) still knows its last dispatcher', () => {
  const both = actor('disp1', ['dispatcher', 'inspector'], { regionIds: ['d1'] });
  const cv = baseCase({ state: 'CHECKING', assignedUnitId: 'u-water', dispatchedBy: 'disp1' });
  delete (cv as { commandActorIds?: string[] }).commandActorIds;
  assert.equal(thrown(() => decide(cv, 'check_pass', {}, both, T0)).code, 'SEPARATION_OF_DUTIES');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIONS, ACTION_NAMES, TRANSITIONS, isAction } from './transitions.ts';
import { STATES, STATE_NAMES, isOpen, isState, stateLabel } from './states.ts';
import { ROLE_PERMISSIONS, hasPermission } from '../policy/permissions.ts';
import type { State } from './states.ts';

const HAN = /\p{Script=Han}/u;

test('the table has one row per action, valid states, and bilingual labels', () => {
  assert.equal(new Set(ACTION_NAMES).size, ACTION_NAMES.length);
  assert.equal(ACTION_NAMES.length, 30 + 4); // + the 4 level actions (level-transitions.ts)
  for (const row of TRANSITIONS) {
    assert.ok(row.from.length > 0 && row.to.length > 0, row.action);
    for (const s of [...row.from, ...row.to]) assert.ok(isState(s), `${row.action}: ${s}`);
    // CANCELLED is final, except for a duplicate linked to a master, which may be split off again (guarded).
    if (row.action === 'split') assert.ok(row.guard, 'split is guarded by the link to a master');
    else assert.ok(!row.from.includes('CANCELLED'), `${row.action} leaves CANCELLED`);
    assert.ok(HAN.test(row.zh) && /[A-Za-z]/.test(row.en), row.action);
    assert.ok(row.roles.length > 0, row.action);
  }
  assert.deepEqual(ACTIONS.map((a) => a.action), ACTION_NAMES);
  for (const s of STATES) assert.ok(HAN.test(s.zh) && s.en.length > 0, s.state);
  assert.deepEqual(stateLabel('HUNG'), { zh: '已挂账', en: 'Hung' });
  assert.deepEqual([isAction('return'), isAction('fly'), isAction(undefined)], [true, false, false]);
});

test('isOpen: only ARCHIVED and CANCELLED are closed', () => {
  assert.deepEqual(STATE_NAMES.filter((s) => !isOpen(s)), ['ARCHIVED', 'CANCELLED']);
  for (const s of STATES) assert.equal(s.open, isOpen(s.state));
});

test('every role that may act on a case holds case.transition', () => {
  for (const row of TRANSITIONS)
    for (const role of row.roles) assert.ok(hasPermission([role], 'case.transition'), `${role} (${row.action})`);
  assert.equal(ROLE_PERMISSIONS.admin.includes('case.transition'), true);
});

test('every state is reachable from REPORTED, and ARCHIVED from every open state', () => {
  const edges = TRANSITIONS.flatMap((r) => r.from.flatMap((f) => r.to.map((t) => [f, t] as const)));
  const reach = (start: State): Set<State> => {
    const seen = new Set<State>([start]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [f, t] of edges) {
        if (seen.has(f) && !seen.has(t)) {
          seen.add(t);
          grew = true;
        }
      }
    }
    return seen;
  };
  assert.deepEqual([...reach('REPORTED')].sort(), [...STATE_NAMES].sort());
  for (const s of STATE_NAMES.filter(isOpen)) assert.ok(reach(s).has('ARCHIVED'), s);
});

test('the lifecycle edges of domain.md §4', () => {
  const moves = (action: string) => TRANSITIONS.find((r) => r.action === action)!;
  assert.deepEqual(moves('return').from, ['DISPATCHED', 'IN_PROGRESS']);
  assert.deepEqual(moves('return').to, ['DISPUTED']);
  assert.deepEqual(moves('rule_dispute').to, ['DISPATCHED']);
  assert.deepEqual(moves('check_pass').to, ['CLOSED_PENDING_CALLBACK', 'ARCHIVED']);
  assert.deepEqual(moves('verify').to, ['REGISTERED', 'CANCELLED']);
  assert.deepEqual(moves('register').from, ['REPORTED', 'ACCEPTED']);
  assert.deepEqual([moves('check_pass').judgesClosure, moves('check_fail').judgesClosure], [true, true]);
  assert.deepEqual(moves('close').from, STATE_NAMES.filter(isOpen));
  assert.deepEqual([moves('self_fix').from, moves('self_fix').to], [['REGISTERED'], ['ARCHIVED']]);
});

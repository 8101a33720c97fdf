import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  caseFacts, contributions, factsDelta, flagMask, flagsOf, formulaFor, parsePeriod, parseTerms, score, indicatorValues, sumsOf,
  DEFAULT_FORMULA, COLUMN_INDEX, type FactCase, type FactHistory,
} from './index.ts';
import { DomainError } from '../errors.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 3, 0, 0); // 2026-11-03 08:00 in Shanghai
const base: FactCase = {
  id: 1, state: 'ARCHIVED', channel: 'patrol', matterCode: '06010', urgency: 'normal', gridId: 'g1', communityId: 'c1', streetId: 's1',
  districtId: 'd1', assignedUnitId: 'u1', assignedUserId: null, createdBy: 'insp', createdAt: T0, closureType: 'normal', closedAt: T0 + 6 * H,
  handleDueAt: T0 + 9 * H, handlePausedAt: null, returnCount: 0, postponeCount: 0, reworkCount: 0, unsatisfiedCount: 0,
};
const h = (action: string, from: string | null, to: string, at: number, details: Record<string, unknown> = {}, actorId = 'x'): FactHistory =>
  ({ action, fromState: from, toState: to, at, details, actorId });
const happy: FactHistory[] = [
  h('create', null, 'REPORTED', T0), h('register', 'REPORTED', 'REGISTERED', T0 + 0.1 * H), h('dispatch', 'REGISTERED', 'DISPATCHED', T0 + 0.2 * H),
  h('sign', 'DISPATCHED', 'IN_PROGRESS', T0 + 0.3 * H), h('dispose', 'IN_PROGRESS', 'DISPOSED', T0 + 4 * H, { late: false, dueAt: T0 + 9 * H }),
  h('send_check', 'DISPOSED', 'CHECKING', T0 + 5 * H), h('check_pass', 'CHECKING', 'ARCHIVED', T0 + 6 * H, { closureType: 'normal' }, 'checker'),
];

test('a case handled and closed on time counts everywhere it should, in the day it was reported', () => {
  const f = caseFacts(base, happy, T0 + 7 * H, 480);
  assert.equal(f.day, 20261103);
  for (const fl of ['reported', 'valid', 'dispatched', 'dispatched_right', 'to_handle', 'handled', 'handled_on_time', 'closed', 'closed_on_time', 'signed_on_time', 'checked'] as const) {
    assert.ok(f.flags.has(fl), fl);
  }
  assert.ok(!f.flags.has('rework') && !f.flags.has('overdue_open'));
  assert.equal(f.durations.handle, Math.round(3.8 * 60));
  assert.equal(f.reporterId, 'insp');
  assert.equal(f.checkerId, 'checker');
  assert.equal(flagMask(flagsOf(flagMask(f.flags))), flagMask(f.flags));
});

test('a late disposal is handled but not on time; rework and returns are counted; buck-passing counts the ruling', () => {
  const hist = [...happy.slice(0, 3), h('return', 'DISPATCHED', 'DISPUTED', T0 + H, { unitId: 'u1' }), h('rule_dispute', 'DISPUTED', 'DISPATCHED', T0 + 2 * H, { unitId: 'u1', buckPassing: true }),
    h('sign', 'DISPATCHED', 'IN_PROGRESS', T0 + 2.5 * H), h('dispose', 'IN_PROGRESS', 'DISPOSED', T0 + 3 * H, { late: false }),
    h('send_check', 'DISPOSED', 'CHECKING', T0 + 4 * H), h('check_fail', 'CHECKING', 'IN_PROGRESS', T0 + 5 * H),
    h('dispose', 'IN_PROGRESS', 'DISPOSED', T0 + 10 * H, { late: true, dueAt: T0 + 9 * H })];
  const f = caseFacts({ ...base, state: 'DISPOSED', closureType: null, closedAt: null, returnCount: 1, reworkCount: 1 }, hist, T0 + 11 * H, 480);
  assert.ok(f.flags.has('handled') && !f.flags.has('handled_on_time'));
  assert.ok(f.flags.has('rework') && f.flags.has('returned') && !f.flags.has('dispatched_right'));
  assert.equal(f.counts.buck_passing, 1);
  assert.equal(f.explain.late, true);
});

test('open past the deadline is overdue pending; hung is out of to-handle and never overdue', () => {
  const hist = happy.slice(0, 4);
  const open = caseFacts({ ...base, state: 'IN_PROGRESS', closureType: null, closedAt: null }, hist, T0 + 10 * H, 480);
  assert.ok(open.flags.has('overdue_open') && open.flags.has('to_handle'));
  const hung = caseFacts({ ...base, state: 'HUNG', closureType: null, closedAt: null }, [...hist, h('approve_hang', 'IN_PROGRESS', 'HUNG', T0 + H)], T0 + 10 * H, 480);
  assert.ok(hung.flags.has('hung') && !hung.flags.has('to_handle') && !hung.flags.has('overdue_open'));
});

test('an approved exclusion leaves all scores; revoking it brings the case back; an accepted appeal leaves that unit only', () => {
  const ex = caseFacts(base, [...happy, h('exclusion_approved', 'ARCHIVED', 'ARCHIVED', T0 + 8 * H, { reason: '无理' })], T0 + 9 * H, 480);
  assert.ok(ex.flags.has('excluded') && !ex.flags.has('to_handle') && !ex.flags.has('handled'));
  const back = caseFacts(base, [...happy, h('exclusion_approved', 'ARCHIVED', 'ARCHIVED', T0 + 8 * H), h('exclusion_revoked', 'ARCHIVED', 'ARCHIVED', T0 + 9 * H)], T0 + 9 * H, 480);
  assert.ok(!back.flags.has('excluded') && back.flags.has('handled'));
  const ap = caseFacts(base, [...happy, h('appeal_accepted', 'ARCHIVED', 'ARCHIVED', T0 + 8 * H, { unitId: 'u1' })], T0 + 9 * H, 480);
  assert.equal(ap.unitId, null);
  const c = contributions(ap);
  const unitRow = c.get('20261103|unit|u1')!;
  assert.equal(unitRow[COLUMN_INDEX.get('appeal_accepted')!], 1);
  assert.equal(unitRow[COLUMN_INDEX.get('to_handle')!], 0);
  assert.equal(c.get('20261103|street|s1')![COLUMN_INDEX.get('to_handle')!], 1);
});

test('callbacks: the latest seat result counts; a public rating only without one; unreachable does not count', () => {
  const cb = caseFacts(base, [...happy, h('callback_attempt', 'ARCHIVED', 'ARCHIVED', T0 + 7 * H, { result: 'unreachable' }),
    h('public_rating', 'ARCHIVED', 'ARCHIVED', T0 + 7 * H, { result: 'unsatisfied' }), h('callback', 'ARCHIVED', 'ARCHIVED', T0 + 8 * H, { satisfied: true, result: 'basically_satisfied' })], T0 + 9 * H, 480);
  assert.ok(cb.flags.has('called_back') && cb.flags.has('satisfied'));
  assert.equal(cb.explain.callbackResult, 'basically_satisfied');
  const un = caseFacts(base, [...happy, h('callback_attempt', 'ARCHIVED', 'ARCHIVED', T0 + 7 * H, { result: 'unreachable' })], T0 + 9 * H, 480);
  assert.ok(!un.flags.has('called_back'));
});

test('the delta of the same facts is empty (recounting twice changes nothing); a change moves only its share', () => {
  const a = caseFacts(base, happy, T0 + 7 * H, 480);
  assert.equal(factsDelta(a, a).size, 0);
  const b = caseFacts({ ...base, state: 'IN_PROGRESS', closureType: null, closedAt: null }, happy.slice(0, 4), T0 + 7 * H, 480);
  const d = factsDelta(b, a);
  const city = d.get('20261103|city|')!;
  assert.equal(city[COLUMN_INDEX.get('handled')!], 1);
  assert.equal(city[COLUMN_INDEX.get('to_handle')!], 0);
});

test('indicators and the default score', () => {
  const v = contributions(caseFacts(base, happy, T0 + 7 * H, 480)).get('20261103|unit|u1')!;
  const ind = indicatorValues(sumsOf(v));
  assert.equal(ind.disposal_rate, 1);
  assert.equal(ind.rework_rate, 0);
  assert.equal(score(DEFAULT_FORMULA.terms, sumsOf(v)).score, 100);
});

test('formulas: weights must add to 100, indicators must exist; versions apply from their month on', () => {
  const err = (f: () => unknown, field: string) => assert.throws(f, (e: unknown) => e instanceof DomainError && e.field === field);
  err(() => parseTerms([{ indicator: 'disposal_rate', weight: 50 }]), 'terms');
  err(() => parseTerms([{ indicator: 'nope', weight: 100 }]), 'terms[0].indicator');
  err(() => parseTerms([{ indicator: 'disposal_rate', weight: -1 }]), 'terms[0].weight');
  assert.equal(parseTerms([{ indicator: 'rework_rate', weight: 100 }])[0].use, 'one_minus_rate');
  const v1 = { ...DEFAULT_FORMULA, id: 1, effectiveFrom: '2026-12' };
  assert.equal(formulaFor('2026-11', [v1]).id, 0);
  assert.equal(formulaFor('2026-12', [v1]).id, 1);
  assert.equal(formulaFor('2027-03', [v1, { ...v1, id: 2, effectiveFrom: '2027-02' }]).id, 2);
});

test('periods: month, week, quarter, custom; unknown periods name the field', () => {
  assert.deepEqual([parsePeriod({ period: 'month', value: '2026-02' }).fromDay, parsePeriod({ period: 'month', value: '2026-02' }).toDay], [20260201, 20260228]);
  const w = parsePeriod({ period: 'week', value: '2026-W01' });
  assert.deepEqual([w.fromDay, w.toDay], [20251229, 20260104]);
  assert.equal(parsePeriod({ period: 'quarter', value: '2026-Q4' }).scoreMonth, '2026-12');
  assert.throws(() => parsePeriod({ period: 'year', value: '2026' }), (e: unknown) => e instanceof DomainError && e.field === 'period');
  assert.throws(() => parsePeriod({ period: 'custom', from: '2026-01-05', to: '2026-01-01' }), (e: unknown) => e instanceof DomainError && e.field === 'to');
});

/**
 * Property tests: the fast deadline code against a deliberately simple, slow reference that walks the calendar
 * day by day (and period by period) with `Date` objects and "YYYY-MM-DD" strings, sharing no code with
 * `src/domain/deadline` except the calendar data. Random starts over 2026 (minute, exact-ms and edge times such
 * as opening, lunch and close), random limits, both day-counting settings. fast-check with fixed seeds, so a
 * failure reproduces; every property also counts its cases and disagreements and asserts 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  addLimit,
  buildCalendarData,
  compileCalendar,
  extendDeadline,
  parseCalendarImport,
  resumeDeadline,
  warningAt,
  withDayCounting,
  withWorkPeriods,
  workMsBetween,
  type DayCounting,
  type LimitUnit,
  type WorkCalendar,
  type WorkCalendarData,
} from './index.ts';

const raw = JSON.parse(readFileSync(new URL('../../../resources/calendar-cn-2026.json', import.meta.url), 'utf8'));
const DATA = buildCalendarData([parseCalendarImport(raw)]);
const LEGAL = compileCalendar(DATA);
const ELAPSED = withDayCounting(LEGAL, 'elapsed_work_time');
const UTILITY_PERIODS = [{ start: '08:00', end: '18:00' }];
const SUMMER_PERIODS = [{ start: '08:30', end: '12:00' }, { start: '14:30', end: '18:00' }];

const H = 3_600_000;
const D = 86_400_000;
const RUNS = 1000; // per unit kind and setting (the brief asks for ≥ ~500)

// ---------------------------------------------------------------------------------------------------------------
// The reference: slow and literal. Local time is UTC+8 (the data's utcOffsetMinutes is checked below).

interface Ref {
  off: Set<string>;
  makeUp: Set<string>;
  weekend: number[];
  periods: [number, number][]; // ms after local midnight
  offsetMs: number;
}

function reference(data: WorkCalendarData, periods = data.workPeriods): Ref {
  const toMs = (s: string): number => (Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5))) * 60_000;
  return {
    off: new Set(data.holidays.map((h) => h.date)),
    makeUp: new Set(data.makeUpWorkdays),
    weekend: [...data.weekendDays],
    periods: periods.map((p) => [toMs(p.start), toMs(p.end)]),
    offsetMs: data.utcOffsetMinutes * 60_000,
  };
}

/** "YYYY-MM-DD" of the local day containing instant t. */
function localDate(r: Ref, t: number): string {
  return new Date(t + r.offsetMs).toISOString().slice(0, 10);
}
/** The instant local day `date` starts. */
function midnight(r: Ref, date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - r.offsetMs;
}
function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + D).toISOString().slice(0, 10);
}
function isWork(r: Ref, date: string): boolean {
  if (r.makeUp.has(date)) return true;
  if (r.off.has(date)) return false;
  return !r.weekend.includes(new Date(`${date}T00:00:00Z`).getUTCDay());
}
function closeOfBusiness(r: Ref, date: string): number {
  return midnight(r, date) + r.periods[r.periods.length - 1][1];
}
function dayWork(r: Ref): number {
  return r.periods.reduce((s, [a, b]) => s + b - a, 0);
}

/** The earliest instant at which `amount` ms of work time has passed since `from` (amount > 0). */
function walkWork(r: Ref, from: number, amount: number): number {
  let left = amount;
  for (let date = localDate(r, from); ; date = nextDate(date)) {
    if (!isWork(r, date)) continue;
    for (const [a, b] of r.periods) {
      const s = Math.max(from, midnight(r, date) + a);
      const e = midnight(r, date) + b;
      if (e <= s) continue;
      if (left <= e - s) return s + left;
      left -= e - s;
    }
  }
}

/** Work ms between two instants a ≤ b, summing day by day. */
function workBetween(r: Ref, a: number, b: number): number {
  let sum = 0;
  for (let date = localDate(r, a); midnight(r, date) < b; date = nextDate(date)) {
    if (!isWork(r, date)) continue;
    for (const [p, q] of r.periods) {
      const s = Math.max(a, midnight(r, date) + p);
      const e = Math.min(b, midnight(r, date) + q);
      if (e > s) sum += e - s;
    }
  }
  return sum;
}

/** The day rule, read literally from domain.md §5 and the decisions in deadline.ts. */
function refDayRule(r: Ref, start: number, amount: number, unit: 'work_days' | 'natural_days'): number {
  const k = Math.floor(amount);
  const f = amount - k;
  const startDate = localDate(r, start);
  let wholeEnd: number; // D(k)
  let date = startDate; // the last day reached by counting
  if (k === 0) {
    wholeEnd = midnight(r, nextDate(startDate));
  } else if (unit === 'work_days') {
    let counted = 0;
    while (counted < k) {
      date = nextDate(date);
      if (isWork(r, date)) counted++;
    }
    wholeEnd = closeOfBusiness(r, date);
  } else {
    for (let i = 0; i < k; i++) date = nextDate(date);
    const nominal = date;
    while (!isWork(r, date)) date = nextDate(date);
    wholeEnd = closeOfBusiness(r, date);
    if (f > 0 && nominal !== date) return wholeEnd; // the kth day was off: the fraction adds nothing
  }
  if (f === 0) return wholeEnd;
  // The fraction: f of the next work day's work time, counted from its opening.
  let next = nextDate(date);
  while (!isWork(r, next)) next = nextDate(next);
  return walkWork(r, midnight(r, next), Math.round(f * dayWork(r)));
}

function refDeadline(r: Ref, rule: DayCounting, start: number, amount: number, unit: LimitUnit): number {
  switch (unit) {
    case 'natural_minutes':
      return start + Math.round(amount * 60_000);
    case 'natural_hours':
      return start + Math.round(amount * H);
    case 'work_hours':
      return walkWork(r, start, Math.round(amount * H));
    case 'natural_days':
      return rule === 'elapsed_work_time' ? start + Math.round(amount * D) : refDayRule(r, start, amount, unit);
    case 'work_days':
      return rule === 'elapsed_work_time'
        ? walkWork(r, start, Math.round(amount * dayWork(r)))
        : refDayRule(r, start, amount, unit);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Generators.

const Y2026 = Date.parse('2026-01-01T00:00:00Z') - 8 * H;
const EDGE_MINUTES = [0, 8 * 60 + 59, 9 * 60, 10 * 60, 11 * 60 + 59, 12 * 60, 12 * 60 + 30, 13 * 60 + 30, 17 * 60 + 29,
  17 * 60 + 30, 18 * 60, 23 * 60 + 59];
/** A start instant in 2026: edge times of day, any minute, or any millisecond. */
const startArb = fc
  .tuple(
    fc.integer({ min: 0, max: 364 }),
    fc.oneof(
      fc.constantFrom(...EDGE_MINUTES).map((m) => m * 60_000),
      fc.integer({ min: 0, max: 1439 }).map((m) => m * 60_000),
      fc.integer({ min: 0, max: D - 1 }),
    ),
  )
  .map(([day, ms]) => Y2026 + day * D + ms);
/** Day amounts: mostly whole 1–20, some halves and quarters. */
const dayAmountArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 }).map((q) => q / 4) },
);
const hourAmountArb = fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 400 }).map((q) => q / 4));

const fmt = (ms: number): string => new Date(ms + 8 * H).toISOString().replace('T', ' ').slice(0, 23);

/** Runs a property over `RUNS` cases; returns [cases, disagreements] and fails listing the first disagreements. */
function compare(
  name: string,
  seed: number,
  arb: fc.Arbitrary<[number, number]>,
  check: (start: number, amount: number) => string | null,
): { cases: number; disagreements: number } {
  let cases = 0;
  const bad: string[] = [];
  fc.assert(
    fc.property(arb, ([start, amount]) => {
      cases++;
      const problem = check(start, amount);
      if (problem) bad.push(`${fmt(start)} + ${amount}: ${problem}`);
      return true; // collect rather than shrink, to report the disagreement count
    }),
    { seed, numRuns: RUNS },
  );
  assert.equal(bad.length, 0, `${name}: ${bad.length}/${cases} disagreements, e.g.\n${bad.slice(0, 8).join('\n')}`);
  return { cases, disagreements: bad.length };
}

const SETTINGS: [DayCounting, WorkCalendar][] = [
  ['next_day_close_of_business', LEGAL],
  ['elapsed_work_time', ELAPSED],
];
const UNITS: [LimitUnit, fc.Arbitrary<number>][] = [
  ['work_days', dayAmountArb],
  ['natural_days', dayAmountArb],
  ['work_hours', hourAmountArb],
  ['natural_hours', hourAmountArb],
  ['natural_minutes', fc.integer({ min: 1, max: 600 })],
];

test('the reference reads the same data (UTC+8, default periods)', () => {
  assert.equal(DATA.utcOffsetMinutes, 480);
  const r = reference(DATA);
  assert.equal(dayWork(r), 7 * H);
  // Spot checks of the reference itself against hand-worked cases (so the oracle is not trusted blindly).
  const at = (s: string): number => Date.parse(`${s.replace(' ', 'T')}:00+08:00`);
  assert.equal(fmt(refDeadline(r, 'next_day_close_of_business', at('2026-09-30 16:00'), 3, 'work_days')), '2026-10-10 17:30:00.000');
  assert.equal(fmt(refDeadline(r, 'next_day_close_of_business', at('2026-10-12 10:00'), 5, 'natural_days')), '2026-10-19 17:30:00.000');
  assert.equal(fmt(refDeadline(r, 'next_day_close_of_business', at('2026-10-12 10:00'), 0.5, 'work_days')), '2026-10-13 14:00:00.000');
  assert.equal(fmt(refDeadline(r, 'elapsed_work_time', at('2026-10-12 10:00'), 1, 'work_days')), '2026-10-13 10:00:00.000');
  assert.equal(fmt(refDeadline(r, 'next_day_close_of_business', at('2026-10-16 10:00'), 1.5, 'natural_days')), '2026-10-19 17:30:00.000');
  assert.equal(workBetween(r, at('2026-09-30 16:00'), at('2026-10-08 10:00')), 2.5 * H);
});

const totals: Record<string, { cases: number; disagreements: number }> = {};

let seed = 2026;
for (const [rule, cal] of SETTINGS) {
  for (const [unit, amountArb] of UNITS) {
    const s = seed++;
    test(`oracle: addLimit, ${unit}, ${rule} (${RUNS} random cases, seed ${s})`, () => {
      const r = reference(DATA);
      totals[`${unit} / ${rule}`] = compare(`${unit} ${rule}`, s, fc.tuple(startArb, amountArb), (start, amount) => {
        const got = addLimit(cal, start, { amount, unit });
        const want = refDeadline(r, rule, start, amount, unit);
        return got === want ? null : `got ${fmt(got)}, reference ${fmt(want)}`;
      });
    });
  }
}

for (const [name, periods] of [['utility 08:00–18:00', UTILITY_PERIODS], ['summer hours', SUMMER_PERIODS]] as const) {
  for (const unit of ['work_days', 'natural_days', 'work_hours'] as const) {
    const s = seed++;
    test(`oracle: addLimit on a unit's own work periods (${name}), ${unit}, day rule (seed ${s})`, () => {
      const cal = withWorkPeriods(LEGAL, periods.map((p) => ({ ...p })));
      const r = reference(DATA, periods);
      const arb = fc.tuple(startArb, unit === 'work_hours' ? hourAmountArb : dayAmountArb);
      totals[`${unit} / ${name}`] = compare(`${unit} ${name}`, s, arb, (start, amount) => {
        const got = addLimit(cal, start, { amount, unit });
        const want = refDeadline(r, 'next_day_close_of_business', start, amount, unit);
        return got === want ? null : `got ${fmt(got)}, reference ${fmt(want)}`;
      });
    });
  }
}

for (const unit of ['work_days', 'natural_days'] as const) {
  const s = seed++;
  test(`oracle: warningAt under the day rule = 80 % of the reference work time between start and due, ${unit}`, () => {
    const r = reference(DATA);
    totals[`warning ${unit} / day rule`] = compare(`warning ${unit}`, s, fc.tuple(startArb, dayAmountArb), (start, amount) => {
      const dueAt = refDeadline(r, 'next_day_close_of_business', start, amount, unit);
      const want = walkWork(r, start, Math.round(0.8 * workBetween(r, start, dueAt)));
      const got = warningAt(LEGAL, start, { amount, unit });
      return got === want ? null : `warning ${fmt(got)}, reference ${fmt(want)}`;
    });
  });
}

test('day rule invariants: whole work days end at close of business of a work day after the start day; monotone', () => {
  const r = reference(DATA);
  fc.assert(
    fc.property(startArb, fc.integer({ min: 1, max: 20 }), (start, n) => {
      for (const unit of ['work_days', 'natural_days'] as const) {
        const dueAt = addLimit(LEGAL, start, { amount: n, unit });
        const dueDate = localDate(r, dueAt - 1);
        assert.ok(isWork(r, dueDate), `${unit}: ${dueDate} is a work day`);
        assert.equal(dueAt, closeOfBusiness(r, dueDate), `${unit}: at close of business`);
        assert.ok(dueDate > localDate(r, start), 'after the start day');
        assert.ok(addLimit(LEGAL, start, { amount: n + 0.5, unit }) >= dueAt, 'monotone in the amount');
        assert.ok(addLimit(LEGAL, start, { amount: n - 0.5 || 0.25, unit }) <= dueAt, 'monotone in the amount');
        const warn = warningAt(LEGAL, start, { amount: n, unit });
        assert.ok(start <= warn && warn <= dueAt, 'start ≤ warning ≤ deadline');
      }
      // The start time within the day does not matter.
      const dayStart = midnight(r, localDate(r, start));
      assert.equal(addLimit(LEGAL, start, { amount: n, unit: 'work_days' }), addLimit(LEGAL, dayStart, { amount: n, unit: 'work_days' }));
      assert.equal(addLimit(LEGAL, start, { amount: n, unit: 'work_days' }), addLimit(LEGAL, dayStart + D - 1, { amount: n, unit: 'work_days' }));
    }),
    { seed: 77, numRuns: 500 },
  );
});

test('extension and pause are consistent with the day rule', () => {
  fc.assert(
    fc.property(startArb, fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 10 }), startArb, fc.integer({ min: 0, max: 30 * D }),
      (start, n, m, pause, pauseLen) => {
        const limit = { amount: n, unit: 'work_days' as const };
        const dueAt = addLimit(LEGAL, start, limit);
        // +M work days from a deadline = the deadline of N + M work days.
        assert.equal(extendDeadline(LEGAL, dueAt, { amount: m, unit: 'work_days' }), addLimit(LEGAL, start, { amount: n + m, unit: 'work_days' }));
        // Work-day extension is the same under both settings (N work days of work time from the deadline).
        assert.equal(extendDeadline(LEGAL, dueAt, { amount: m, unit: 'work_days' }), extendDeadline(ELAPSED, dueAt, { amount: m, unit: 'work_days' }));
        // A warning extended with its deadline stays before it.
        const warn = warningAt(LEGAL, start, limit);
        assert.ok(extendDeadline(LEGAL, warn, { amount: m, unit: 'work_days' }) <= extendDeadline(LEGAL, dueAt, { amount: m, unit: 'work_days' }));
        // Pause/resume keeps the remaining work time exactly.
        const resume = pause + pauseLen;
        const newDue = resumeDeadline(LEGAL, 'work_days', dueAt, pause, resume);
        const left = workMsBetween(LEGAL, pause, dueAt);
        assert.equal(workMsBetween(LEGAL, resume, newDue), left);
        assert.ok(resumeDeadline(LEGAL, 'work_days', warn, pause, resume) <= newDue, 'warning stays before the deadline');
        if (left > 0 && workMsBetween(LEGAL, pause, resume) === 0) assert.equal(newDue, dueAt, 'no work time paused: unchanged');
        // Natural days: the wall time is kept.
        const nDue = addLimit(LEGAL, start, { amount: n, unit: 'natural_days' });
        assert.equal(resumeDeadline(LEGAL, 'natural_days', nDue, pause, resume) - resume, nDue - pause);
      }),
    { seed: 99, numRuns: 500 },
  );
});

test('work hours and natural hours/minutes are identical under both settings', () => {
  fc.assert(
    fc.property(startArb, hourAmountArb, fc.constantFrom<LimitUnit>('work_hours', 'natural_hours', 'natural_minutes'), (start, amount, unit) => {
      assert.equal(addLimit(LEGAL, start, { amount, unit }), addLimit(ELAPSED, start, { amount, unit }));
      assert.equal(warningAt(LEGAL, start, { amount, unit }), warningAt(ELAPSED, start, { amount, unit }));
    }),
    { seed: 5, numRuns: 500 },
  );
});

test('summary of the oracle comparison', () => {
  const rows = Object.entries(totals);
  const cases = rows.reduce((s, [, v]) => s + v.cases, 0);
  const disagreements = rows.reduce((s, [, v]) => s + v.disagreements, 0);
  for (const [k, v] of rows) console.log(`oracle ${k}: ${v.cases} cases, ${v.disagreements} disagreements`);
  console.log(`oracle total: ${cases} cases, ${disagreements} disagreements`);
  assert.ok(rows.length >= 18, 'every oracle property ran');
  assert.equal(disagreements, 0);
});

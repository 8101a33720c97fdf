import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DomainError } from '../errors.ts';
import {
  addLimit,
  buildCalendarData,
  compileCalendar,
  deadlineLevel,
  extendDeadline,
  parseCalendarImport,
  remainingMs,
  resumeDeadline,
  warningAt,
  workMsBetween,
  type LimitUnit,
} from './index.ts';

const HOUR = 3_600_000;
const MIN = 60_000;
const raw = JSON.parse(readFileSync(new URL('../../../resources/calendar-cn-2026.json', import.meta.url), 'utf8'));
// These are the tests of the earlier behaviour, unchanged: it is kept as the 'elapsed_work_time' setting (N work
// days = N × a day's work time from the start instant; N natural days = N × 24 h). The default day rule is tested
// in deadline-day-rule.test.ts and against an oracle in deadline-oracle.test.ts.
const cal = compileCalendar(buildCalendarData([parseCalendarImport(raw)], { dayCounting: 'elapsed_work_time' }));

const at = (s: string): number => {
  const [d, t = '00:00'] = s.split(' ');
  const [y, mo, da] = d.split('-').map(Number);
  const [h, mi] = t.split(':').map(Number);
  return Date.UTC(y, mo - 1, da, h, mi) - 8 * HOUR;
};
const fmt = (ms: number): string => new Date(ms + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

test('1 work day from Wed 2026-09-30 16:00 skips National Day and ends Thu 10-08 16:00', () => {
  // 10-01..10-07 are in daysOff; 10-08 (Thursday) is not, so it is the next work day.
  assert.equal(fmt(addLimit(cal, at('2026-09-30 16:00'), { amount: 1, unit: 'work_days' })), '2026-10-08 16:00');
  // Two work days: Fri 10-09 16:00; three: the make-up Saturday 10-10 16:00; four: Mon 10-12.
  assert.equal(fmt(addLimit(cal, at('2026-09-30 16:00'), { amount: 2, unit: 'work_days' })), '2026-10-09 16:00');
  assert.equal(fmt(addLimit(cal, at('2026-09-30 16:00'), { amount: 3, unit: 'work_days' })), '2026-10-10 16:00');
  assert.equal(fmt(addLimit(cal, at('2026-09-30 16:00'), { amount: 4, unit: 'work_days' })), '2026-10-12 16:00');
});

test('work days: same clock time on the next work day; half days; start outside hours', () => {
  assert.equal(fmt(addLimit(cal, at('2026-10-12 10:00'), { amount: 1, unit: 'work_days' })), '2026-10-13 10:00');
  // 0.5 work day = 3.5 h: 10:00–12:00 (2 h) then 13:30–15:00.
  assert.equal(fmt(addLimit(cal, at('2026-10-12 10:00'), { amount: 0.5, unit: 'work_days' })), '2026-10-12 15:00');
  // Started Sunday: the unit gets all of Monday.
  assert.equal(fmt(addLimit(cal, at('2026-10-18 11:00'), { amount: 1, unit: 'work_days' })), '2026-10-19 17:30');
  // 15 work days across the Spring Festival (02-15..23 off, 02-14 and 02-28 make-up Saturdays):
  // 02-09..13 (5), Sat 02-14 (6), 02-24..27 (10), Sat 02-28 (11), 03-02..05 (15) → all of Thu 03-05.
  assert.equal(fmt(addLimit(cal, at('2026-02-09 09:00'), { amount: 15, unit: 'work_days' })), '2026-03-05 17:30');
});

test('4 work hours from Friday 16:00 lands on Monday', () => {
  // Fri 10-16 16:00–17:30 = 1.5 h; Mon 10-19 09:00–11:30 = 2.5 h.
  assert.equal(fmt(addLimit(cal, at('2026-10-16 16:00'), { amount: 4, unit: 'work_hours' })), '2026-10-19 11:30');
});

test('a start on Sunday starts on Monday 09:00', () => {
  const sunday = at('2026-10-18 15:00');
  assert.equal(fmt(addLimit(cal, sunday, { amount: 1, unit: 'work_hours' })), '2026-10-19 10:00');
  assert.equal(workMsBetween(cal, sunday, at('2026-10-19 09:00')), 0);
  assert.equal(fmt(addLimit(cal, sunday, { amount: 1, unit: 'natural_minutes' })), '2026-10-18 15:01');
});

test('work hours: lunch break, end of period, evening start', () => {
  assert.equal(fmt(addLimit(cal, at('2026-10-12 11:00'), { amount: 2, unit: 'work_hours' })), '2026-10-12 14:30');
  assert.equal(fmt(addLimit(cal, at('2026-10-12 16:30'), { amount: 1, unit: 'work_hours' })), '2026-10-12 17:30');
  assert.equal(fmt(addLimit(cal, at('2026-10-12 20:00'), { amount: 1, unit: 'work_hours' })), '2026-10-13 10:00');
  assert.equal(fmt(addLimit(cal, at('2026-10-12 09:00'), { amount: 0.25, unit: 'work_hours' })), '2026-10-12 09:15');
});

test('natural units ignore the calendar', () => {
  const start = at('2026-09-30 16:00');
  assert.equal(fmt(addLimit(cal, start, { amount: 2, unit: 'natural_hours' })), '2026-09-30 18:00');
  assert.equal(fmt(addLimit(cal, start, { amount: 24, unit: 'natural_hours' })), '2026-10-01 16:00');
  assert.equal(fmt(addLimit(cal, start, { amount: 3, unit: 'natural_days' })), '2026-10-03 16:00');
  assert.equal(fmt(addLimit(cal, start, { amount: 30, unit: 'natural_minutes' })), '2026-09-30 16:30');
  assert.equal(fmt(addLimit(cal, start, { amount: 1.5, unit: 'natural_hours' })), '2026-09-30 17:30');
});

test('invalid limits name the field', () => {
  const fieldOf = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof DomainError);
      return e.field;
    }
    assert.fail('expected a validation error');
  };
  const t = at('2026-10-12 10:00');
  assert.equal(fieldOf(() => addLimit(cal, t, { amount: 0, unit: 'work_hours' })), 'limit.amount');
  assert.equal(fieldOf(() => addLimit(cal, t, { amount: -1, unit: 'natural_hours' })), 'limit.amount');
  assert.equal(fieldOf(() => addLimit(cal, t, { amount: 1, unit: 'weeks' as LimitUnit })), 'limit.unit');
  assert.equal(fieldOf(() => addLimit(cal, Number.NaN, { amount: 1, unit: 'work_hours' })), 'startMs');
  assert.equal(fieldOf(() => extendDeadline(cal, t, { amount: 0, unit: 'work_days' })), 'extra.amount');
  assert.equal(fieldOf(() => warningAt(cal, t, { amount: 1, unit: 'work_days' }, 1.5)), 'ratio');
  assert.equal(fieldOf(() => resumeDeadline(cal, 'work_hours', t, t, t - 1)), 'resumedAtMs');
});

test('warningAt fires at 80 % of the limit in its own kind of time', () => {
  // 4 work hours from Fri 16:00: 80 % = 3.2 h = 3 h 12 min → 1.5 h Friday + 1 h 42 min Monday = 10:42.
  const start = at('2026-10-16 16:00');
  assert.equal(fmt(warningAt(cal, start, { amount: 4, unit: 'work_hours' })), '2026-10-19 10:42');
  // 10 natural hours: 8 h later, ignoring the weekend.
  assert.equal(fmt(warningAt(cal, start, { amount: 10, unit: 'natural_hours' })), '2026-10-17 00:00');
  // Custom ratio; ratio 1 equals the deadline.
  assert.equal(fmt(warningAt(cal, start, { amount: 4, unit: 'work_hours' }, 0.5)), '2026-10-19 09:30');
  const due = addLimit(cal, start, { amount: 2, unit: 'work_days' });
  assert.equal(warningAt(cal, start, { amount: 2, unit: 'work_days' }, 1), due);
});

test('deadlineLevel: normal, warning, overdue at the deadline', () => {
  assert.equal(deadlineLevel(99, 100, 200), 'normal');
  assert.equal(deadlineLevel(100, 100, 200), 'warning');
  assert.equal(deadlineLevel(199, 100, 200), 'warning');
  assert.equal(deadlineLevel(200, 100, 200), 'overdue');
  assert.equal(deadlineLevel(500, 100, 200), 'overdue');
});

test('resumeDeadline: natural limits shift by the wall time suspended', () => {
  const due = at('2026-10-12 12:00');
  const resumed = resumeDeadline(cal, 'natural_hours', due, at('2026-10-12 10:00'), at('2026-10-14 09:30'));
  assert.equal(fmt(resumed), '2026-10-14 11:30');
});

test('resumeDeadline: work limits re-add the remaining work time from the resume moment', () => {
  // Due Mon 10-12 15:30; hung Mon 11:00 with 1 h + 2 h = 3 h left; resumed Thu 10-15 17:00 → 0.5 h Thu, 2.5 h Fri.
  const due = at('2026-10-12 15:30');
  const resumed = resumeDeadline(cal, 'work_hours', due, at('2026-10-12 11:00'), at('2026-10-15 17:00'));
  assert.equal(fmt(resumed), '2026-10-16 11:30');
  // Hung on 09-30 17:00 with 0.5 h (09-30) + 1 h (10-08) left, resumed during the holiday: the 1.5 h are
  // re-added from the next work period, Thu 10-08 09:00.
  const due2 = at('2026-10-08 10:00');
  assert.equal(fmt(resumeDeadline(cal, 'work_days', due2, at('2026-09-30 17:00'), at('2026-10-05 12:00'))), '2026-10-08 10:30');
  // Hung and resumed inside the same non-work stretch: nothing changes.
  assert.equal(resumeDeadline(cal, 'work_days', due2, at('2026-10-02 09:00'), at('2026-10-06 12:00')), due2);
  // Already overdue by 1 work hour when hung: still overdue by 1 work hour after resuming.
  const late = resumeDeadline(cal, 'work_hours', at('2026-10-12 10:00'), at('2026-10-12 11:00'), at('2026-10-14 16:00'));
  assert.equal(fmt(late), '2026-10-14 15:00');
  // No suspension time: unchanged.
  assert.equal(resumeDeadline(cal, 'work_hours', due, at('2026-10-12 11:00'), at('2026-10-12 11:00')), due);
});

test('extendDeadline adds from the current deadline', () => {
  const due = at('2026-09-30 16:00');
  // 10-08, 09, 10 (make-up Saturday), 12, 13, 14, 15.
  assert.equal(fmt(extendDeadline(cal, due, { amount: 7, unit: 'work_days' })), '2026-10-15 16:00');
  assert.equal(fmt(extendDeadline(cal, due, { amount: 2, unit: 'natural_days' })), '2026-10-02 16:00');
  assert.equal(fmt(extendDeadline(cal, at('2026-10-12 12:00'), { amount: 1, unit: 'work_hours' })), '2026-10-12 14:30');
});

test('remainingMs is in the limit\'s own time and negative when overdue', () => {
  const due = at('2026-10-19 11:30');
  assert.equal(remainingMs(cal, 'work_hours', at('2026-10-16 16:00'), due), 4 * HOUR);
  assert.equal(remainingMs(cal, 'work_hours', at('2026-10-19 12:30'), due), -30 * MIN);
  assert.equal(remainingMs(cal, 'natural_hours', at('2026-10-16 16:00'), due), (2 * 24 + 19.5) * HOUR);
  assert.equal(remainingMs(cal, 'natural_minutes', at('2026-10-19 12:00'), due), -30 * MIN);
  // Overdue during the lunch break with no work time since the 12:00 deadline: 0, not -0.
  assert.ok(Object.is(remainingMs(cal, 'work_hours', at('2026-10-19 13:00'), at('2026-10-19 12:00')), 0), 'no -0');
});

test('property: for random starts and limits, workMsBetween(start, addLimit(start, n work hours)) == n h', () => {
  let seed = 20260930;
  const r = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  const lo = at('2025-11-01 00:00');
  for (let i = 0; i < 2000; i++) {
    const start = lo + Math.floor(r() * 450 * 86_400_000);
    const n = Math.round(r() * 400) / 4 + 0.25; // 0.25 … 100.25 h, quarter-hour steps
    const due = addLimit(cal, start, { amount: n, unit: 'work_hours' });
    assert.ok(due > start);
    assert.equal(workMsBetween(cal, start, due), n * HOUR, `start ${fmt(start)}, ${n} work hours`);
    const days = Math.ceil(r() * 20) / 2; // 0.5 … 10 work days
    const due2 = addLimit(cal, start, { amount: days, unit: 'work_days' });
    assert.equal(workMsBetween(cal, start, due2), days * 7 * HOUR, `start ${fmt(start)}, ${days} work days`);
  }
});

test('the setting is needed: under the default day rule the elapsed-time expectations above do not hold', () => {
  const legal = compileCalendar(buildCalendarData([parseCalendarImport(raw)]));
  assert.equal(legal.dayCounting, 'next_day_close_of_business');
  assert.equal(cal.dayCounting, 'elapsed_work_time');
  assert.equal(cal.data.dayCounting, 'elapsed_work_time');
  const start = at('2026-10-12 10:00');
  assert.equal(fmt(addLimit(cal, start, { amount: 1, unit: 'work_days' })), '2026-10-13 10:00');
  assert.equal(fmt(addLimit(legal, start, { amount: 1, unit: 'work_days' })), '2026-10-13 17:30');
  assert.equal(fmt(addLimit(cal, start, { amount: 3, unit: 'natural_days' })), '2026-10-15 10:00');
  assert.equal(fmt(addLimit(legal, start, { amount: 3, unit: 'natural_days' })), '2026-10-15 17:30');
});

/**
 * The day rule (the default 'next_day_close_of_business' setting, domain.md §5) on the official 2026 calendar:
 * edge cases worked out by hand. Default periods 09:00–12:00 and 13:30–17:30 (7 work hours a day).
 *
 * 2026 facts used below (resources/calendar-cn-2026.json): 01-01..03 off, Sun 01-04 make-up; Sat 02-14 make-up,
 * 02-15..23 off, Sat 02-28 make-up; 06-19..21 off; 09-25..27 off; Sun 09-20 make-up, 10-01..07 off, Sat 10-10
 * make-up. Mon 10-12 .. Fri 10-16 is a plain week.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DomainError } from '../errors.ts';
import {
  addLimit,
  buildCalendarData,
  compileCalendar,
  describeDeadline,
  extendDeadline,
  pauseClock,
  parseCalendarImport,
  remainingMs,
  resumeClock,
  resumeDeadline,
  warningAt,
  warningBetween,
  withDayCounting,
  withWorkPeriods,
  workMsBetween,
  type LimitUnit,
  type TimeLimit,
} from './index.ts';

const HOUR = 3_600_000;
const MIN = 60_000;
const raw = JSON.parse(readFileSync(new URL('../../../resources/calendar-cn-2026.json', import.meta.url), 'utf8'));
const data = buildCalendarData([parseCalendarImport(raw)]);
const cal = compileCalendar(data); // default setting
const elapsed = withDayCounting(cal, 'elapsed_work_time');

const at = (s: string): number => {
  const [d, t = '00:00'] = s.split(' ');
  const [y, mo, da] = d.split('-').map(Number);
  const [h, mi] = t.split(':').map(Number);
  return Date.UTC(y, mo - 1, da, h, mi) - 8 * HOUR;
};
const fmt = (ms: number): string => new Date(ms + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
const wd = (amount: number): TimeLimit => ({ amount, unit: 'work_days' });
const nd = (amount: number): TimeLimit => ({ amount, unit: 'natural_days' });
const due = (start: string, limit: TimeLimit, c = cal): string => fmt(addLimit(c, at(start), limit));

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DomainError, `expected DomainError, got ${String(e)}`);
    return e.field;
  }
  assert.fail('expected a validation error');
};

test('the legal reading is the default setting', () => {
  assert.equal(cal.dayCounting, 'next_day_close_of_business');
  assert.equal(cal.data.dayCounting, 'next_day_close_of_business');
  assert.equal(compileCalendar({ ...data, dayCounting: 'elapsed_work_time' }).dayCounting, 'elapsed_work_time');
  assert.equal(fieldOf(() => compileCalendar({ ...data, dayCounting: 'n_times_day' as never })), 'dayCounting');
  assert.equal(fieldOf(() => withDayCounting(cal, 'legal' as never, 'settings.dayCounting')), 'settings.dayCounting');
});

test('1 work day: the start day never counts, whatever the time of day', () => {
  // Monday 10-12: before opening, at opening, morning, lunch break, afternoon, at close, after close, late night.
  for (const time of ['00:00', '07:00', '09:00', '10:00', '12:00', '12:30', '13:30', '16:00', '17:30', '19:00', '23:59']) {
    assert.equal(due(`2026-10-12 ${time}`, wd(1)), '2026-10-13 17:30', `start Mon ${time}`);
  }
  // The elapsed setting differs exactly here (the review's finding): 10:00 → 10:00, before opening → same day,
  // lunch break → 12:00 the next day.
  assert.equal(due('2026-10-12 10:00', wd(1), elapsed), '2026-10-13 10:00');
  assert.equal(due('2026-10-12 07:00', wd(1), elapsed), '2026-10-12 17:30');
  assert.equal(due('2026-10-12 12:30', wd(1), elapsed), '2026-10-13 12:00');
  // Midnight belongs to the day it starts: Tuesday 00:00 counts from Wednesday.
  assert.equal(due('2026-10-13 00:00', wd(1)), '2026-10-14 17:30');
});

test('N = 1, 2, 5, 15 work days in a plain week and across weekends', () => {
  assert.equal(due('2026-10-12 10:00', wd(2)), '2026-10-14 17:30');
  assert.equal(due('2026-10-12 10:00', wd(5)), '2026-10-19 17:30', 'Tue–Fri + Mon');
  // Tue 13 … Fri 16 (4), 19–23 (9), 26–30 (14), Mon 11-02 (15).
  assert.equal(due('2026-10-12 10:00', wd(15)), '2026-11-02 17:30');
  assert.equal(due('2026-10-16 15:00', wd(1)), '2026-10-19 17:30', 'Friday afternoon → Monday');
  assert.equal(due('2026-10-16 19:00', wd(2)), '2026-10-20 17:30');
});

test('starts on a weekend, a holiday and a make-up working day (调休上班)', () => {
  assert.equal(due('2026-10-17 10:00', wd(1)), '2026-10-19 17:30', 'Saturday');
  assert.equal(due('2026-10-18 23:00', wd(1)), '2026-10-19 17:30', 'Sunday night');
  assert.equal(due('2026-10-03 10:00', wd(1)), '2026-10-08 17:30', 'inside the National Day break');
  assert.equal(due('2026-10-07 22:00', wd(1)), '2026-10-08 17:30', 'last evening of the break');
  // A make-up day is a work day: a start on it does not count; it counts when it follows the start day.
  assert.equal(due('2026-10-10 12:30', wd(1)), '2026-10-12 17:30', 'start on make-up Saturday 10-10');
  assert.equal(due('2026-10-09 10:00', wd(1)), '2026-10-10 17:30', 'Friday → make-up Saturday');
  assert.equal(due('2026-01-04 10:00', wd(1)), '2026-01-05 17:30', 'start on make-up Sunday 01-04');
  assert.equal(due('2026-01-03 10:00', wd(1)), '2026-01-04 17:30', 'holiday Saturday → make-up Sunday');
  assert.equal(due('2025-12-31 16:00', wd(1)), '2026-01-04 17:30', '元旦 01-01..03 then make-up Sunday');
  assert.equal(due('2026-09-19 10:00', wd(1)), '2026-09-20 17:30', 'Saturday → make-up Sunday 09-20');
});

test('the day before a holiday', () => {
  assert.equal(due('2026-06-18 10:00', wd(1)), '2026-06-22 17:30', '端午 06-19..21');
  assert.equal(due('2026-06-18 10:00', wd(2)), '2026-06-23 17:30');
  assert.equal(due('2026-09-24 16:00', wd(1)), '2026-09-28 17:30', '中秋 09-25..27');
  assert.equal(due('2026-04-03 09:00', wd(1)), '2026-04-07 17:30', '清明 04-04..06');
  assert.equal(due('2026-04-30 08:00', wd(5)), '2026-05-11 17:30', '劳动节: 05-06, 07, 08, Sat 09 (make-up), Mon 11');
});

test('the last work day before the National Day break, N = 1, 2, 3, 4, 5, 15', () => {
  for (const time of ['08:00', '10:00', '12:30', '16:00', '18:00']) {
    assert.equal(due(`2026-09-30 ${time}`, wd(1)), '2026-10-08 17:30', `09-30 ${time}`);
  }
  assert.equal(due('2026-09-30 16:00', wd(2)), '2026-10-09 17:30');
  assert.equal(due('2026-09-30 16:00', wd(3)), '2026-10-10 17:30', 'the make-up Saturday counts');
  assert.equal(due('2026-09-30 16:00', wd(4)), '2026-10-12 17:30');
  assert.equal(due('2026-09-30 16:00', wd(5)), '2026-10-13 17:30');
  // 10-08, 09, 10, 12–16 (8), 19–23 (13), 26, 27 (15).
  assert.equal(due('2026-09-30 16:00', wd(15)), '2026-10-27 17:30');
});

test('the last work day before the Spring Festival break (make-up Saturday 02-14), N = 1, 2, 5, 15', () => {
  assert.equal(due('2026-02-13 10:00', wd(1)), '2026-02-14 17:30', 'Friday → make-up Saturday');
  assert.equal(due('2026-02-14 10:00', wd(1)), '2026-02-24 17:30', '02-15..23 off');
  assert.equal(due('2026-02-14 10:00', wd(2)), '2026-02-25 17:30');
  assert.equal(due('2026-02-14 10:00', wd(5)), '2026-02-28 17:30', '24–27 and make-up Saturday 28');
  // 24–27 (4), 28 (5), 03-02..06 (10), 03-09..13 (15).
  assert.equal(due('2026-02-14 10:00', wd(15)), '2026-03-13 17:30');
  // The old test's case under the day rule: from Mon 02-09 09:00, 15 work days.
  // 10–13 (4), 14 (5), 24–27 (9), 28 (10), 03-02..06 (15).
  assert.equal(due('2026-02-09 09:00', wd(15)), '2026-03-06 17:30');
});

test('natural days: Nth calendar day at close of business, a day off moves to the next work day', () => {
  assert.equal(due('2026-10-12 10:00', nd(1)), '2026-10-13 17:30');
  assert.equal(due('2026-10-12 23:00', nd(3)), '2026-10-15 17:30');
  assert.equal(due('2026-10-12 10:00', nd(5)), '2026-10-19 17:30', 'Saturday → Monday');
  assert.equal(due('2026-10-12 10:00', nd(6)), '2026-10-19 17:30', 'Sunday → Monday');
  assert.equal(due('2026-10-12 10:00', nd(7)), '2026-10-19 17:30', 'Monday itself');
  assert.equal(due('2026-10-12 10:00', nd(15)), '2026-10-27 17:30');
  assert.equal(due('2026-09-30 16:00', nd(1)), '2026-10-08 17:30', 'holiday → the day after the break');
  assert.equal(due('2026-09-30 16:00', nd(7)), '2026-10-08 17:30');
  assert.equal(due('2026-09-30 16:00', nd(8)), '2026-10-08 17:30');
  assert.equal(due('2026-09-30 16:00', nd(10)), '2026-10-10 17:30', 'make-up Saturday is a work day');
  assert.equal(due('2026-09-30 16:00', nd(11)), '2026-10-12 17:30');
  assert.equal(due('2026-09-24 09:00', nd(7)), '2026-10-08 17:30', '12345 "general 7 days" over the break');
  assert.equal(due('2026-02-13 10:00', nd(1)), '2026-02-14 17:30');
  assert.equal(due('2026-02-13 10:00', nd(2)), '2026-02-24 17:30');
  // Elapsed setting: 24 h × N from the start instant, whatever the calendar (the earlier behaviour).
  assert.equal(due('2026-09-30 16:00', nd(3), elapsed), '2026-10-03 16:00');
});

test('fractions: half of the next work day, counted from its opening', () => {
  assert.equal(due('2026-10-12 10:00', wd(0.5)), '2026-10-13 14:00', '09:00–12:00 + 13:30–14:00');
  assert.equal(due('2026-10-12 07:00', wd(0.5)), '2026-10-13 14:00', 'start time does not matter');
  assert.equal(due('2026-10-16 16:00', wd(0.5)), '2026-10-19 14:00');
  assert.equal(due('2026-09-30 16:00', wd(0.5)), '2026-10-08 14:00');
  assert.equal(due('2026-10-12 10:00', wd(1.5)), '2026-10-14 14:00');
  assert.equal(due('2026-10-12 10:00', wd(0.25)), '2026-10-13 10:45', '1.75 h of work time');
  assert.equal(due('2026-10-12 10:00', wd(3 / 7)), '2026-10-13 12:00', 'exactly the morning: at 12:00');
  // Natural days: the fraction of the next work day after D(k) when day k is a work day; nothing when it is off.
  assert.equal(due('2026-10-12 10:00', nd(0.5)), '2026-10-13 14:00');
  assert.equal(due('2026-10-15 10:00', nd(1.5)), '2026-10-19 14:00', 'D(1) Fri 17:30, then half of Monday');
  assert.equal(due('2026-10-16 10:00', nd(1.5)), '2026-10-19 17:30', 'D(1) = D(2) = Monday 17:30');
  assert.equal(due('2026-10-16 10:00', nd(1)), '2026-10-19 17:30');
});

test('work hours: unchanged, and the same under both settings', () => {
  const cases: [string, number, string][] = [
    ['2026-10-12 11:00', 2, '2026-10-12 14:30'], // across lunch
    ['2026-10-12 16:30', 1, '2026-10-12 17:30'], // ends at close, not next morning
    ['2026-10-12 20:00', 1, '2026-10-13 10:00'], // night start
    ['2026-10-16 16:00', 4, '2026-10-19 11:30'], // over the weekend
    ['2026-09-30 16:00', 4, '2026-10-08 11:30'], // over the National Day break
    ['2026-02-13 17:00', 8, '2026-02-24 09:30'], // 0.5 Fri, 7 on make-up Sat 02-14, 0.5 on 02-24
    ['2026-10-12 12:15', 0.25, '2026-10-12 13:45'], // lunch start
  ];
  for (const [start, hours, expected] of cases) {
    const limit: TimeLimit = { amount: hours, unit: 'work_hours' };
    assert.equal(due(start, limit), expected, `${start} + ${hours} wh`);
    assert.equal(due(start, limit, elapsed), expected, `${start} + ${hours} wh (elapsed setting)`);
  }
  assert.equal(due('2026-10-17 10:00', { amount: 2, unit: 'natural_hours' }), '2026-10-17 12:00');
  assert.equal(due('2026-10-17 10:00', { amount: 30, unit: 'natural_minutes' }), '2026-10-17 10:30');
});

test('warnings under the day rule: 80 % of the work time between start and deadline', () => {
  // 1 work day from Mon 10:00: due Tue 17:30, 6 + 7 = 13 work hours, 80 % = 10 h 24 min → 6 h Mon, 4 h 24 Tue →
  // Tue 14:54.
  assert.equal(fmt(warningAt(cal, at('2026-10-12 10:00'), wd(1))), '2026-10-13 14:54');
  // Started after close: exactly 7 h between, 80 % = 5 h 36 min → Tue 16:06.
  assert.equal(fmt(warningAt(cal, at('2026-10-12 19:00'), wd(1))), '2026-10-13 16:06');
  // 7 natural days from 09-30 16:00: due 10-08 17:30, 1.5 + 7 = 8.5 h, 80 % = 6 h 48 min → 10-08 15:48.
  assert.equal(fmt(warningAt(cal, at('2026-09-30 16:00'), nd(7))), '2026-10-08 15:48');
  // Ratio 1 is the deadline, 0 the start; custom ratio.
  const start = at('2026-10-12 10:00');
  assert.equal(warningAt(cal, start, wd(2), 1), addLimit(cal, start, wd(2)));
  assert.equal(warningAt(cal, start, wd(2), 0), start);
  assert.equal(fmt(warningAt(cal, start, wd(1), 0.5)), '2026-10-13 09:30', '6.5 h: 6 h Mon + 0.5 h Tue');
  // warningBetween is what warningAt uses; for other units it is the ratio of the limit as before.
  assert.equal(warningBetween(cal, 'work_days', start, addLimit(cal, start, wd(3))), warningAt(cal, start, wd(3)));
  const wh: TimeLimit = { amount: 4, unit: 'work_hours' };
  assert.equal(fmt(warningAt(cal, at('2026-10-16 16:00'), wh)), '2026-10-19 10:42', 'unchanged for work hours');
  assert.equal(warningBetween(cal, 'work_hours', at('2026-10-16 16:00'), addLimit(cal, at('2026-10-16 16:00'), wh)), at('2026-10-19 10:42'));
  assert.equal(fmt(warningAt(cal, at('2026-10-16 16:00'), { amount: 10, unit: 'natural_hours' })), '2026-10-17 00:00');
  // Elapsed setting: 80 % of N days of work time from the start (unchanged): 5.6 h from Mon 10:00 → 17:06.
  assert.equal(fmt(warningAt(elapsed, start, wd(1))), '2026-10-12 17:06');
  assert.equal(fieldOf(() => warningBetween(cal, 'work_days', start, start, 2)), 'ratio');
});

test('extendDeadline: +N work days from a close-of-business deadline = close of business N work days on', () => {
  const d = addLimit(cal, at('2026-09-30 16:00'), wd(1)); // 10-08 17:30
  assert.equal(fmt(extendDeadline(cal, d, wd(1))), '2026-10-09 17:30');
  assert.equal(fmt(extendDeadline(cal, d, wd(2))), '2026-10-10 17:30', 'make-up Saturday');
  assert.equal(fmt(extendDeadline(cal, d, wd(7))), '2026-10-16 17:30', '09, 10, 12, 13, 14, 15, 16');
  assert.equal(extendDeadline(cal, d, wd(7)), addLimit(cal, at('2026-09-30 16:00'), wd(8)), 'N + M work days');
  assert.equal(fmt(extendDeadline(cal, at('2026-09-30 17:30'), wd(1))), '2026-10-08 17:30');
  // Provincial complaint hotline: 15 work days, one extension of 7.
  const hotline = addLimit(cal, at('2026-09-30 10:00'), wd(15));
  assert.equal(fmt(extendDeadline(cal, hotline, wd(7))), fmt(addLimit(cal, at('2026-09-30 10:00'), wd(22))));
  // A fraction counts from the next work day's opening; a warning instant keeps its time of day.
  assert.equal(fmt(extendDeadline(cal, d, wd(0.5))), '2026-10-09 14:00');
  assert.equal(fmt(extendDeadline(cal, at('2026-10-13 14:54'), wd(1))), '2026-10-14 14:54');
  // Natural days: N × 24 h from the deadline, a day off moves to the next work day's close.
  assert.equal(fmt(extendDeadline(cal, at('2026-10-16 17:30'), nd(2))), '2026-10-19 17:30', 'Sunday → Monday');
  assert.equal(fmt(extendDeadline(cal, at('2026-10-13 17:30'), nd(2))), '2026-10-15 17:30');
  assert.equal(fmt(extendDeadline(cal, at('2026-09-30 17:30'), nd(1))), '2026-10-08 17:30');
  // Elapsed setting: unchanged (2 natural days = 48 h, even into the holiday).
  assert.equal(fmt(extendDeadline(elapsed, at('2026-09-30 16:00'), nd(2))), '2026-10-02 16:00');
  assert.equal(fmt(extendDeadline(cal, at('2026-10-12 12:00'), { amount: 1, unit: 'work_hours' })), '2026-10-12 14:30');
});

test('pause and resume keep the remaining work time (work days, day rule)', () => {
  const dueAt = at('2026-10-16 17:30'); // e.g. 4 work days from Mon 10-12
  const paused = pauseClock(cal, 'work_days', dueAt, at('2026-10-14 10:00'));
  assert.deepEqual(paused, { unit: 'work_days', remainingMs: 20 * HOUR }, '6 h Wed + 7 h Thu + 7 h Fri');
  // Resumed at the same time of day: the deadline stays at close of business.
  assert.equal(fmt(resumeClock(cal, paused, at('2026-10-19 10:00'))), '2026-10-21 17:30');
  // Resumed at 15:00: 2.5 h Mon, 7 h Tue, 7 h Wed, 3.5 h Thu → Thu 14:00.
  assert.equal(fmt(resumeClock(cal, paused, at('2026-10-19 15:00'))), '2026-10-22 14:00');
  // Paused after close, resumed on a weekend: whole days are kept → close of business.
  assert.equal(fmt(resumeDeadline(cal, 'work_days', dueAt, at('2026-10-14 18:00'), at('2026-10-17 11:00'))), '2026-10-20 17:30');
  // Paused before the National Day break, resumed inside it: the remaining time starts on 10-08.
  const d2 = addLimit(cal, at('2026-09-29 10:00'), wd(2)); // 09-30 + 10-08 → 10-08 17:30
  assert.equal(fmt(d2), '2026-10-08 17:30');
  assert.equal(remainingMs(cal, 'work_days', at('2026-09-30 09:00'), d2), 14 * HOUR);
  assert.equal(fmt(resumeDeadline(cal, 'work_days', d2, at('2026-09-30 09:00'), at('2026-10-05 12:00'))), '2026-10-09 17:30');
  // Overdue when paused: stays overdue by the same work time.
  const late = pauseClock(cal, 'work_days', at('2026-10-13 17:30'), at('2026-10-14 10:00'));
  assert.equal(late.remainingMs, -HOUR);
  // 1 work hour before Mon 10:00 is Mon 09:00 — or Friday's close, the same work-clock position and earlier.
  assert.equal(fmt(resumeClock(cal, late, at('2026-10-19 10:00'))), '2026-10-16 17:30');
  assert.equal(fmt(resumeClock(cal, late, at('2026-10-19 11:00'))), '2026-10-19 10:00');
  // A zero-length pause changes nothing; resumeDeadline is resumeClock(pauseClock(…)).
  assert.equal(resumeDeadline(cal, 'work_days', dueAt, at('2026-10-14 10:00'), at('2026-10-14 10:00')), dueAt);
  assert.equal(
    resumeDeadline(cal, 'work_days', dueAt, at('2026-10-14 10:00'), at('2026-10-19 15:00')),
    resumeClock(cal, paused, at('2026-10-19 15:00')),
  );
});

test('pause and resume: natural units keep the remaining wall time', () => {
  const dueAt = at('2026-10-16 17:30');
  const p = pauseClock(cal, 'natural_days', dueAt, at('2026-10-15 10:00'));
  assert.deepEqual(p, { unit: 'natural_days', remainingMs: 31.5 * HOUR });
  // Not moved off the Saturday again (documented choice): exactly the wall time remains.
  assert.equal(fmt(resumeClock(cal, p, at('2026-10-16 10:00'))), '2026-10-17 17:30');
  const h = pauseClock(cal, 'natural_hours', at('2026-10-12 12:00'), at('2026-10-12 10:00'));
  assert.equal(fmt(resumeClock(cal, h, at('2026-10-14 09:30'))), '2026-10-14 11:30');
  assert.equal(fieldOf(() => resumeClock(cal, { unit: 'weeks' as LimitUnit, remainingMs: 1 }, 0)), 'paused.unit');
  assert.equal(fieldOf(() => resumeClock(cal, { unit: 'work_days', remainingMs: Number.NaN }, 0)), 'paused.remainingMs');
  assert.equal(fieldOf(() => pauseClock(cal, 'work_days', 0, Number.NaN)), 'pausedAtMs');
});

test('describeDeadline explains the counting', () => {
  const d = describeDeadline(cal, at('2026-09-30 16:00'), wd(3));
  assert.equal(d.counting, 'days_from_next_day');
  assert.equal(d.dayCounting, 'next_day_close_of_business');
  assert.equal(d.startDay, '2026-09-30');
  assert.equal(d.countingFromDay, '2026-10-01');
  assert.deepEqual(d.nthDay, { n: 3, day: '2026-10-10', isWorkDay: true });
  assert.equal(d.dueDay, '2026-10-10');
  assert.equal(fmt(d.dueAtMs), '2026-10-10 17:30');
  assert.equal(d.warnAtMs, warningAt(cal, at('2026-09-30 16:00'), wd(3)));
  assert.equal(d.workMsAvailable, 1.5 * HOUR + 3 * 7 * HOUR);
  assert.equal(d.movedOffDayOff, false);

  const n = describeDeadline(cal, at('2026-10-12 10:00'), nd(5));
  assert.deepEqual(n.nthDay, { n: 5, day: '2026-10-17', isWorkDay: false });
  assert.equal(n.movedOffDayOff, true);
  assert.equal(n.dueDay, '2026-10-19');

  const h = describeDeadline(cal, at('2026-10-12 10:00'), { amount: 2, unit: 'work_hours' });
  assert.equal(h.counting, 'elapsed_work_time');
  assert.equal(h.countingFromDay, '2026-10-12');
  assert.equal(h.nthDay, null);
  assert.equal(h.dueDay, '2026-10-12');

  const e = describeDeadline(elapsed, at('2026-10-12 10:00'), wd(1));
  assert.equal(e.counting, 'elapsed_work_time');
  assert.equal(e.dueDay, '2026-10-13');
  assert.equal(describeDeadline(cal, at('2026-10-12 10:00'), { amount: 1, unit: 'natural_hours' }).counting, 'elapsed_wall_time');
});

test('withWorkPeriods: a unit keeping other hours shares the holidays and make-up days', () => {
  const utility = withWorkPeriods(cal, [{ start: '08:00', end: '18:00' }]);
  assert.equal(utility.dayWorkMs, 10 * HOUR);
  assert.deepEqual(utility.data.workPeriods, [{ start: '08:00', end: '18:00' }]);
  assert.equal(utility.dayCounting, cal.dayCounting);
  assert.equal(utility.exceptionDays, cal.exceptionDays, 'day structures are shared, not recomputed');
  assert.equal(fmt(addLimit(utility, at('2026-10-12 10:00'), wd(1))), '2026-10-13 18:00');
  assert.equal(fmt(addLimit(utility, at('2026-09-30 16:00'), wd(1))), '2026-10-08 18:00', 'same holidays');
  assert.equal(fmt(addLimit(utility, at('2026-10-09 16:00'), wd(1))), '2026-10-10 18:00', 'same make-up days');
  assert.equal(fmt(addLimit(utility, at('2026-10-12 10:00'), wd(0.5))), '2026-10-13 13:00');
  assert.equal(fmt(addLimit(utility, at('2026-10-12 16:00'), { amount: 4, unit: 'work_hours' })), '2026-10-13 10:00');
  assert.equal(fmt(addLimit(utility, at('2026-10-12 10:00'), nd(5))), '2026-10-19 18:00');
  // The base calendar is untouched.
  assert.equal(fmt(addLimit(cal, at('2026-10-12 10:00'), wd(1))), '2026-10-13 17:30');
  assert.equal(cal.dayWorkMs, 7 * HOUR);
  // Validated like compileCalendar, with the caller's field name.
  assert.equal(fieldOf(() => withWorkPeriods(cal, [{ start: '18:00', end: '08:00' }], 'unitHours.U7')), 'unitHours.U7[0].end');
  assert.equal(fieldOf(() => withWorkPeriods(cal, [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '18:00' }])), 'workPeriods[1].start');
  assert.equal(fieldOf(() => withWorkPeriods(cal, [])), 'workPeriods');
  // A 24-hour duty unit: close of business is 24:00, i.e. the next midnight, and belongs to the day that ends.
  const duty = withWorkPeriods(cal, [{ start: '00:00', end: '24:00' }]);
  assert.equal(fmt(addLimit(duty, at('2026-10-12 10:00'), wd(1))), '2026-10-14 00:00');
  assert.equal(describeDeadline(duty, at('2026-10-12 10:00'), wd(1)).dueDay, '2026-10-13');
  assert.equal(workMsBetween(duty, at('2026-10-12 10:00'), addLimit(duty, at('2026-10-12 10:00'), wd(1))), 38 * HOUR);
  // Summer hours with a long lunch, on the elapsed setting too.
  const summer = withWorkPeriods(elapsed, [{ start: '08:30', end: '12:00' }, { start: '14:30', end: '18:00' }]);
  assert.equal(summer.dayCounting, 'elapsed_work_time');
  assert.equal(fmt(addLimit(summer, at('2026-10-12 10:00'), wd(1))), '2026-10-13 10:00');
  assert.equal(fmt(addLimit(withDayCounting(summer, 'next_day_close_of_business'), at('2026-10-12 10:00'), wd(1))), '2026-10-13 18:00');
  assert.equal(remainingMs(summer, 'work_days', at('2026-10-12 12:30'), at('2026-10-12 15:00')), 30 * MIN);
});

/**
 * Deadlines from time limits (domain.md §5): due time, warning time, level, pause/suspension (挂账, DISPUTED) and
 * postponement (延期). Pure: every instant is an argument (epoch ms).
 *
 * How a limit is counted depends on its unit and on the calendar's `dayCounting` setting (`DayCounting`):
 *
 * - natural_minutes / natural_hours: wall time from the start instant (民法典 art. 201 ¶2: a period in hours starts
 *   at the stated time). The same under both settings.
 * - work_hours: that much work time, counted only inside the work periods of work days, from the start instant. A
 *   start outside work time effectively starts at the next work period start (Sunday 10:00 + 1 work hour = Monday
 *   10:00). The same under both settings.
 * - work_days and natural_days under `'next_day_close_of_business'` (the default; the day rule, 民法典 art. 201 ¶1
 *   "开始的当日不计入，自下一日开始计算", art. 203, 行政许可法 art. 82 "期限以工作日计算，不含法定节假日"):
 *   - the start day never counts, whatever the time of the start (before opening, in the lunch break, after close,
 *     on a day off: all the same);
 *   - N work days end at close of business of the Nth work day after the start day. Close of business = the end of
 *     the last work period of the calendar (17:30 by default; 24:00 = the next midnight);
 *   - N natural days end on the Nth calendar day after the start day. DECISION: its "close of business" is the end
 *     of the last work period on that day, the same time of day as for a work day. Source: art. 203 ¶2 "期间的最后
 *     一日的截止时间为二十四时；有业务时间的，停止业务活动的时间为截止时间" — a city body has business hours, so its
 *     day ends when its last work period ends; one time of day for both units also keeps work days and natural
 *     days comparable. If the Nth day is a day off (weekend or holiday) the deadline moves to close of business of
 *     the next work day (art. 203 ¶1 "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日"; a
 *     make-up working day is a work day, so it can be that day);
 *   - fractions (0.5 work days): DECISION: with D(k) the whole-day deadline of k days (D(0) = the end of the start
 *     day) the fraction f of amount k + f is counted in work time from D(k): D(k + f) = the instant when f × the
 *     work time between D(k) and D(k + 1) has elapsed. For work days that is "f of the next work day's work time,
 *     counted from its opening" (0.5 work days started any time on Monday = Tuesday 09:00 + 3.5 h = 14:00 with the
 *     default periods; 1.5 = all of Tuesday and Wednesday until 14:00). For natural days it is f of the work time
 *     of the next work day after D(k) when k = 0 or the kth calendar day is a work day, and nothing when the kth
 *     day is a day off (D(k) has then already moved to the close of the next work day, which is also D(k + 1)).
 *     D is non-decreasing in the amount.
 * - work_days and natural_days under `'elapsed_work_time'` (the earlier behaviour, kept as a setting): N work days =
 *   N × one day's work time from the start instant (started at 10:00, 1 work day ends at 10:00 on the next work
 *   day); N natural days = N × 24 h of wall time.
 * - The deadline is the earliest instant the limit is used up: a limit used up exactly at a period's end falls due
 *   at that end (e.g. 17:30), not at the next morning's start. A case is overdue at ≥ the deadline.
 * - Amounts are converted to whole milliseconds by rounding.
 */
import { invalidAs } from '../errors.ts';
import type {
  DeadlineExplanation,
  DeadlineLevel,
  LimitUnit,
  PausedClock,
  TimeLimit,
  WorkCalendar,
} from './deadline.types.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, formatLocalDate } from './local-date.ts';
import {
  addWorkMs,
  closeOfBusinessMs,
  dayStartMs,
  firstWorkDayFrom,
  isWorkDayNumber,
  localDayOf,
  nthWorkDayAfter,
  workMsBetween,
} from './work-calendar.ts';

const NATURAL_MS: Record<string, number> = { natural_minutes: MINUTE_MS, natural_hours: HOUR_MS, natural_days: DAY_MS };

const UNITS: readonly LimitUnit[] = ['natural_minutes', 'natural_hours', 'natural_days', 'work_hours', 'work_days'];

export function isLimitUnit(value: unknown): value is LimitUnit {
  return typeof value === 'string' && (UNITS as readonly string[]).includes(value);
}

/** Whether the unit counts work time on the calendar (work_hours, work_days). */
export function isWorkUnit(unit: LimitUnit): boolean {
  return unit === 'work_hours' || unit === 'work_days';
}

/**
 * Whether a limit in `unit` is counted by the day rule on this calendar (work_days and natural_days under
 * `'next_day_close_of_business'`).
 */
export function countsByDays(cal: WorkCalendar, unit: LimitUnit): boolean {
  return cal.dayCounting === 'next_day_close_of_business' && (unit === 'work_days' || unit === 'natural_days');
}

function requireUnit(unit: unknown, field: string): asserts unit is LimitUnit {
  if (!isLimitUnit(unit)) throw invalidAs(field, { key: 'field.one_of', params: { allowed: UNITS.join(', ') } }, `must be one of ${UNITS.join(', ')}`);
}

function requireInstant(value: number, field: string): void {
  if (!Number.isFinite(value)) throw invalidAs(field, { key: 'calendar.finite_epoch_millisecond_number' }, 'must be a finite epoch-millisecond number');
}

function requireRatio(ratio: number): void {
  if (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1)) throw invalidAs('ratio', { key: 'calendar.between_0_and_1' }, 'must be between 0 and 1');
}

/** Validates a limit; errors name `${field}.amount` or `${field}.unit`. */
export function validateLimit(limit: TimeLimit, field = 'limit'): void {
  if (typeof limit !== 'object' || limit === null) throw invalidAs(field, { key: 'field.object_2' }, 'must be an object { amount, unit }');
  if (typeof limit.amount !== 'number' || !Number.isFinite(limit.amount) || limit.amount <= 0) {
    throw invalidAs(`${field}.amount`, { key: 'field.number_greater_than_0' }, 'must be a number greater than 0');
  }
  requireUnit(limit.unit, `${field}.unit`);
}

/**
 * The nominal length of a limit in ms of its own kind of time: wall ms for natural units, work ms for work units
 * (work_days: amount × one day's work time). Under the day rule the actual time a unit gets also depends on the
 * start (the rest of the start day comes on top); use `workMsBetween(start, addLimit(…))` for that.
 */
export function limitMs(cal: WorkCalendar, limit: TimeLimit): number {
  validateLimit(limit);
  const unitMs =
    limit.unit === 'work_hours' ? HOUR_MS : limit.unit === 'work_days' ? cal.dayWorkMs : NATURAL_MS[limit.unit];
  return Math.round(limit.amount * unitMs);
}

function addInOwnTime(cal: WorkCalendar, unit: LimitUnit, startMs: number, ms: number): number {
  return isWorkUnit(unit) ? addWorkMs(cal, startMs, ms) : startMs + ms;
}

/** Day rule, natural_days: close of business of calendar day `day`, or of the next work day when it is a day off. */
function naturalDayEnd(cal: WorkCalendar, day: number): number {
  return closeOfBusinessMs(cal, firstWorkDayFrom(cal, day));
}

/** Day rule: D(k), the deadline of k whole days counted from the day after `startDay` (D(0) = end of startDay). */
function wholeDaysEnd(cal: WorkCalendar, unit: LimitUnit, startDay: number, k: number): number {
  if (k === 0) return dayStartMs(cal, startDay + 1);
  return unit === 'work_days'
    ? closeOfBusinessMs(cal, nthWorkDayAfter(cal, startDay, k))
    : naturalDayEnd(cal, startDay + k);
}

/** Day rule (see the top of this file): the deadline of `amount` work or natural days started on `startDay`. */
function dayRuleDeadline(cal: WorkCalendar, unit: LimitUnit, startDay: number, amount: number): number {
  if (unit === 'work_days') {
    // D(k + f) = the work clock at the end of the start day, advanced by (k + f) days of work time.
    return addWorkMs(cal, dayStartMs(cal, startDay + 1), Math.round(amount * cal.dayWorkMs));
  }
  const k = Math.floor(amount);
  const f = amount - k;
  const end = wholeDaysEnd(cal, unit, startDay, k);
  if (f === 0) return end;
  const next = wholeDaysEnd(cal, unit, startDay, k + 1);
  return addWorkMs(cal, end, Math.round(f * workMsBetween(cal, end, next)));
}

/** The deadline of `limit` started at `startMs` (see the rules at the top of this file). */
export function addLimit(cal: WorkCalendar, startMs: number, limit: TimeLimit): number {
  requireInstant(startMs, 'startMs');
  validateLimit(limit);
  if (countsByDays(cal, limit.unit)) return dayRuleDeadline(cal, limit.unit, localDayOf(cal, startMs), limit.amount);
  return addInOwnTime(cal, limit.unit, startMs, limitMs(cal, limit));
}

/**
 * The warning moment given the start and the deadline: `ratio` of the time between them, in the limit's own kind
 * of time, counted from the start. For a limit counted by the day rule (work_days, natural_days under
 * `'next_day_close_of_business'`) DECISION: it is `ratio` of the WORK time between the start instant and the
 * deadline — the deadline is at close of business, so the warning falls in office hours too, and the rest of
 * the start day (which the unit has in practice) is part of the span. E.g. 1 work day from Mon 10:00 (default
 * periods): due Tue 17:30, 13.5 work hours between, 80 % = 10.8 h → Tue 14:48. For the other units it is
 * `ratio` of the work time (work_hours) or wall time (natural units) between start and deadline, which is the same
 * as `ratio` of the limit.
 */
export function warningBetween(
  cal: WorkCalendar,
  unit: LimitUnit,
  startMs: number,
  dueAtMs: number,
  ratio = 0.8,
): number {
  requireUnit(unit, 'unit');
  requireInstant(startMs, 'startMs');
  requireInstant(dueAtMs, 'dueAtMs');
  requireRatio(ratio);
  if (dueAtMs <= startMs) return dueAtMs;
  if (isWorkUnit(unit) || countsByDays(cal, unit)) {
    return addWorkMs(cal, startMs, Math.round(ratio * workMsBetween(cal, startMs, dueAtMs)));
  }
  return startMs + Math.round(ratio * (dueAtMs - startMs));
}

/**
 * The moment `ratio` (0–1, default 0.8) of the limit is used up (yellow). Under the day rule: `ratio` of the work
 * time between the start and the deadline (see `warningBetween`); otherwise `ratio` of the limit in its own kind
 * of time (unchanged). `ratio` 1 gives the deadline.
 */
export function warningAt(cal: WorkCalendar, startMs: number, limit: TimeLimit, ratio = 0.8): number {
  requireInstant(startMs, 'startMs');
  requireRatio(ratio);
  validateLimit(limit);
  if (countsByDays(cal, limit.unit)) return warningBetween(cal, limit.unit, startMs, addLimit(cal, startMs, limit), ratio);
  return addInOwnTime(cal, limit.unit, startMs, Math.round(limitMs(cal, limit) * ratio));
}

/** normal before the warning, warning from it, overdue at or after the deadline. */
export function deadlineLevel(nowMs: number, warnAtMs: number, dueAtMs: number): DeadlineLevel {
  if (nowMs >= dueAtMs) return 'overdue';
  if (nowMs >= warnAtMs) return 'warning';
  return 'normal';
}

/**
 * Pauses a clock at `pausedAtMs` (挂账, or the handling clock while a returned case waits for the centre's
 * ruling): the time left until `dueAtMs` in the limit's own kind of time — work ms for work_hours and work_days
 * (under both settings), wall ms for natural units. Negative when already overdue. Works for a warning instant
 * too (pause it with the same instants).
 *
 * DECISION for the day rule: a work-day deadline keeps the WORK time that remained (not a count of whole days),
 * so the suspended work time is exactly "not counted in the limit" (行政许可法 art. 45: "所需时间不计算在本节
 * 规定的期限内"). Paused and resumed at the same time of day (or both outside work time), a deadline at close of
 * business stays at a close of business, as many work days later as the pause took; resumed at another time of
 * day it moves by that offset too (paused Wed 10:00 with the deadline Fri 17:30: 6 + 7 + 7 = 20 work hours left;
 * resumed Mon 15:00 → 2.5 h Mon, 7 h Tue, 7 h Wed, 3.5 h Thu → Thu 14:00). A natural-day deadline keeps its
 * remaining wall time and is NOT moved again off a day off: the move of art. 203 applies when a deadline is computed
 * (`addLimit`, `extendDeadline`); re-applying it to a shifted deadline would depend on where the pause fell and
 * could put a paused warning after its paused deadline.
 */
export function pauseClock(cal: WorkCalendar, unit: LimitUnit, dueAtMs: number, pausedAtMs: number): PausedClock {
  requireUnit(unit, 'unit');
  requireInstant(dueAtMs, 'dueAtMs');
  requireInstant(pausedAtMs, 'pausedAtMs');
  const left = isWorkUnit(unit) ? workMsBetween(cal, pausedAtMs, dueAtMs) : dueAtMs - pausedAtMs;
  return { unit, remainingMs: left === 0 ? 0 : left };
}

/**
 * Resumes a paused clock at `resumedAtMs`: the new deadline is the earliest instant at which the remaining time
 * (in the limit's own kind of time) has elapsed again from the resume instant. For work units a remaining 0 gives
 * the resume instant; an overdue clock stays overdue by the same work time.
 */
export function resumeClock(cal: WorkCalendar, paused: PausedClock, resumedAtMs: number): number {
  if (typeof paused !== 'object' || paused === null) throw invalidAs('paused', { key: 'calendar.object_4' }, 'must be an object { unit, remainingMs }');
  requireUnit(paused.unit, 'paused.unit');
  if (!Number.isFinite(paused.remainingMs)) throw invalidAs('paused.remainingMs', { key: 'calendar.finite_number' }, 'must be a finite number');
  requireInstant(resumedAtMs, 'resumedAtMs');
  return addInOwnTime(cal, paused.unit, resumedAtMs, paused.remainingMs);
}

/**
 * The new deadline after a suspension from `suspendedAtMs` to `resumedAtMs` = `resumeClock(pauseClock(…))`:
 * natural units shift the deadline by the wall time suspended; work units re-add, from the resume moment, the
 * work time that remained at suspension (if the case was already overdue, it stays overdue by the same work
 * time). Same for both day-counting settings (see `pauseClock` for the day rule).
 */
export function resumeDeadline(
  cal: WorkCalendar,
  unit: LimitUnit,
  dueAtMs: number,
  suspendedAtMs: number,
  resumedAtMs: number,
): number {
  requireUnit(unit, 'unit');
  requireInstant(dueAtMs, 'dueAtMs');
  requireInstant(suspendedAtMs, 'suspendedAtMs');
  requireInstant(resumedAtMs, 'resumedAtMs');
  if (resumedAtMs < suspendedAtMs) throw invalidAs('resumedAtMs', { key: 'calendar.not_before_suspendedatms' }, 'must not be before suspendedAtMs');
  return resumeClock(cal, pauseClock(cal, unit, dueAtMs, suspendedAtMs), resumedAtMs);
}

/**
 * The deadline after an approved postponement (延期): `extra` is added from the current deadline.
 * - work_days (both settings): N work days of work time are added to the current deadline. A deadline at close of
 *   business (as the day rule makes it) therefore moves to close of business of the Nth following work day — the
 *   day rule applied from the current deadline — and a fraction counts from the next work day's opening. An
 *   instant elsewhere in the day (a warning, or a deadline a pause moved) keeps its time of day, N work days on,
 *   so a warning extended with its deadline stays before it.
 * - natural_days under the day rule: N × 24 h, then a day off moves it to close of business of the next work day
 *   (art. 203); for a deadline at close of business that is the day rule applied from the current deadline.
 * - other units: that much time in the unit's own kind of time (unchanged).
 */
export function extendDeadline(cal: WorkCalendar, dueAtMs: number, extra: TimeLimit): number {
  requireInstant(dueAtMs, 'dueAtMs');
  validateLimit(extra, 'extra');
  const shifted = addInOwnTime(cal, extra.unit, dueAtMs, limitMs(cal, extra));
  if (!countsByDays(cal, extra.unit) || extra.unit === 'work_days') return shifted;
  const day = localDayOf(cal, shifted);
  return isWorkDayNumber(cal, day) ? shifted : naturalDayEnd(cal, day);
}

/**
 * Time left until the deadline in the limit's own kind of time, for display: wall ms for natural units, work ms
 * for work units; negative when overdue. Note that for work units it is 0 both at the deadline and while overdue
 * outside work time: use `deadlineLevel` for the overdue flag, not the sign of this number.
 */
export function remainingMs(cal: WorkCalendar, unit: LimitUnit, nowMs: number, dueAtMs: number): number {
  requireUnit(unit, 'unit');
  requireInstant(nowMs, 'nowMs');
  requireInstant(dueAtMs, 'dueAtMs');
  const left = isWorkUnit(unit) ? workMsBetween(cal, nowMs, dueAtMs) : dueAtMs - nowMs;
  return left === 0 ? 0 : left; // no -0
}

/**
 * What the UI needs to explain a deadline: how it was counted, the start day, the first counted day, the Nth day
 * and the day the deadline falls on (see `DeadlineExplanation`).
 */
export function describeDeadline(
  cal: WorkCalendar,
  startMs: number,
  limit: TimeLimit,
  ratio = 0.8,
): DeadlineExplanation {
  const dueAtMs = addLimit(cal, startMs, limit);
  const warnAtMs = warningAt(cal, startMs, limit, ratio);
  const startDay = localDayOf(cal, startMs);
  const byDays = countsByDays(cal, limit.unit);
  // A work-unit or day-rule deadline is the end of some work time, so the day it belongs to is that of the
  // instant just before it (a period ending at 24:00 belongs to the day that ends then).
  const dueDay = byDays || isWorkUnit(limit.unit) ? localDayOf(cal, dueAtMs - 1) : localDayOf(cal, dueAtMs);
  let nthDay: DeadlineExplanation['nthDay'] = null;
  let movedOffDayOff = false;
  if (byDays) {
    const n = Math.ceil(limit.amount);
    const day = limit.unit === 'work_days' ? nthWorkDayAfter(cal, startDay, n) : startDay + n;
    const isWork = isWorkDayNumber(cal, day);
    nthDay = { n, day: formatLocalDate(day), isWorkDay: isWork };
    movedOffDayOff = limit.unit === 'natural_days' && !isWork;
  }
  return {
    limit: { amount: limit.amount, unit: limit.unit },
    dayCounting: cal.dayCounting,
    counting: byDays ? 'days_from_next_day' : isWorkUnit(limit.unit) ? 'elapsed_work_time' : 'elapsed_wall_time',
    startMs,
    dueAtMs,
    warnAtMs,
    startDay: formatLocalDate(startDay),
    countingFromDay: formatLocalDate(byDays ? startDay + 1 : startDay),
    dueDay: formatLocalDate(dueDay),
    nthDay,
    movedOffDayOff,
    workMsAvailable: workMsBetween(cal, startMs, dueAtMs),
  };
}

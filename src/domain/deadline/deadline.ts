/**
 * Deadlines from time limits (domain.md §5): due time, warning time, level, suspension (挂账) and
 * postponement (延期).
 *
 * Rules:
 * - Natural units (natural_minutes / natural_hours / natural_days) add wall time and ignore the calendar.
 *   A natural day is 24 h (China has no daylight saving time; `utcOffsetMinutes` is fixed).
 * - work_hours: that much work time, counted only inside the work periods of work days. A start outside work
 *   time effectively starts at the next work period start (Sunday 10:00 + 1 work hour = Monday 10:00).
 * - work_days: N × (work ms of one work day) of work time. Started at 10:00 on a work day, 1 work day ends at
 *   10:00 on the next work day; started outside work time (e.g. Sunday, or 18:00), 1 work day ends at the end of
 *   the next work day's last period, i.e. the unit gets one full work day. Fractions work the same way
 *   (0.5 work days = half of one day's work time).
 * - The deadline is the earliest instant the limit is used up: a limit used up exactly at a period's end falls
 *   due at that end (e.g. 17:30), not at the next morning's start. A case is overdue at ≥ the deadline.
 * - Amounts are converted to whole milliseconds by rounding.
 */
import { invalid } from '../errors.ts';
import type { DeadlineLevel, LimitUnit, TimeLimit, WorkCalendar } from './deadline.types.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './local-date.ts';
import { addWorkMs, workMsBetween } from './work-calendar.ts';

const NATURAL_MS: Record<string, number> = { natural_minutes: MINUTE_MS, natural_hours: HOUR_MS, natural_days: DAY_MS };

const UNITS: readonly LimitUnit[] = ['natural_minutes', 'natural_hours', 'natural_days', 'work_hours', 'work_days'];

export function isLimitUnit(value: unknown): value is LimitUnit {
  return typeof value === 'string' && (UNITS as readonly string[]).includes(value);
}

/** Whether the unit counts work time on the calendar (work_hours, work_days). */
export function isWorkUnit(unit: LimitUnit): boolean {
  return unit === 'work_hours' || unit === 'work_days';
}

function requireUnit(unit: unknown, field: string): asserts unit is LimitUnit {
  if (!isLimitUnit(unit)) throw invalid(field, `must be one of ${UNITS.join(', ')}`);
}

function requireInstant(value: number, field: string): void {
  if (!Number.isFinite(value)) throw invalid(field, 'must be a finite epoch-millisecond number');
}

/** Validates a limit; errors name `${field}.amount` or `${field}.unit`. */
export function validateLimit(limit: TimeLimit, field = 'limit'): void {
  if (typeof limit !== 'object' || limit === null) throw invalid(field, 'must be an object { amount, unit }');
  if (typeof limit.amount !== 'number' || !Number.isFinite(limit.amount) || limit.amount <= 0) {
    throw invalid(`${field}.amount`, 'must be a number greater than 0');
  }
  requireUnit(limit.unit, `${field}.unit`);
}

/** The length of a limit in ms of its own kind of time (wall ms for natural units, work ms for work units). */
export function limitMs(cal: WorkCalendar, limit: TimeLimit): number {
  validateLimit(limit);
  const unitMs =
    limit.unit === 'work_hours' ? HOUR_MS : limit.unit === 'work_days' ? cal.dayWorkMs : NATURAL_MS[limit.unit];
  return Math.round(limit.amount * unitMs);
}

function addInOwnTime(cal: WorkCalendar, unit: LimitUnit, startMs: number, ms: number): number {
  return isWorkUnit(unit) ? addWorkMs(cal, startMs, ms) : startMs + ms;
}

/** The deadline of `limit` started at `startMs` (see the rules at the top of this file). */
export function addLimit(cal: WorkCalendar, startMs: number, limit: TimeLimit): number {
  requireInstant(startMs, 'startMs');
  return addInOwnTime(cal, limit.unit, startMs, limitMs(cal, limit));
}

/** The moment `ratio` (0–1, default 0.8) of the limit is used up, in the limit's own kind of time (yellow). */
export function warningAt(cal: WorkCalendar, startMs: number, limit: TimeLimit, ratio = 0.8): number {
  requireInstant(startMs, 'startMs');
  if (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1)) throw invalid('ratio', 'must be between 0 and 1');
  return addInOwnTime(cal, limit.unit, startMs, Math.round(limitMs(cal, limit) * ratio));
}

/** normal before the warning, warning from it, overdue at or after the deadline. */
export function deadlineLevel(nowMs: number, warnAtMs: number, dueAtMs: number): DeadlineLevel {
  if (nowMs >= dueAtMs) return 'overdue';
  if (nowMs >= warnAtMs) return 'warning';
  return 'normal';
}

/**
 * The new deadline after a suspension (挂账: the clock stops while the case is hung) from `suspendedAtMs` to
 * `resumedAtMs`. Natural units shift the deadline by the wall time suspended. Work units re-add, from the resume
 * moment, the work time that remained at suspension (if the case was already overdue, it stays overdue by the
 * same work time).
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
  if (resumedAtMs < suspendedAtMs) throw invalid('resumedAtMs', 'must not be before suspendedAtMs');
  if (!isWorkUnit(unit)) return dueAtMs + (resumedAtMs - suspendedAtMs);
  return addWorkMs(cal, resumedAtMs, workMsBetween(cal, suspendedAtMs, dueAtMs));
}

/** The deadline after an approved postponement (延期): `extra` is added from the current deadline. */
export function extendDeadline(cal: WorkCalendar, dueAtMs: number, extra: TimeLimit): number {
  requireInstant(dueAtMs, 'dueAtMs');
  validateLimit(extra, 'extra');
  return addInOwnTime(cal, extra.unit, dueAtMs, limitMs(cal, extra));
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

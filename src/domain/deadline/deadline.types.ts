/**
 * Types of the work calendar and time limits (处置时限 / 环节时限, domain.md §5).
 * All instants are epoch milliseconds (UTC); local calendar days are "YYYY-MM-DD" strings.
 */

/** Kinds of time a limit is counted in: natural (wall) time, or work time on a work calendar. */
export type LimitUnit = 'natural_minutes' | 'natural_hours' | 'natural_days' | 'work_hours' | 'work_days';

/** A time limit, e.g. { amount: 4, unit: 'work_hours' }. `amount` > 0 and may be fractional (0.5 work days). */
export interface TimeLimit {
  amount: number;
  unit: LimitUnit;
}

/** A work period of a work day in local time, "HH:MM" (end may be "24:00"); start < end. */
export interface WorkPeriod {
  start: string;
  end: string;
}

/** The data a city configures; compile it once with `compileCalendar` and reuse the result. */
export interface WorkCalendarData {
  /** Offset of local time from UTC in minutes; 480 for China (no daylight saving time). */
  utcOffsetMinutes: number;
  /** Local work periods of every work day, ascending and non-overlapping (e.g. 09:00–12:00, 13:30–17:30). */
  workPeriods: WorkPeriod[];
  /** Weekly rest days, 0 = Sunday … 6 = Saturday. */
  weekendDays: number[];
  /** Local days off (法定节假日, including the weekend days inside a holiday period). */
  holidays: { date: string; name?: string }[];
  /** Local weekend days that are working days (调休上班). */
  makeUpWorkdays: string[];
}

/**
 * A validated calendar with precomputed lookup structures. Treat it as opaque and immutable: the fields below
 * are internal to `src/domain/deadline` and may change.
 */
export interface WorkCalendar {
  /** A defensive copy of the data it was compiled from (normalised: sorted, de-duplicated). */
  readonly data: Readonly<WorkCalendarData>;
  /** Local offset in ms. */
  readonly offsetMs: number;
  /** Work ms of one work day (sum of the work periods). */
  readonly dayWorkMs: number;
  /** Period starts and ends as ms after local midnight, and the work ms before each period within the day. */
  readonly periodStart: Float64Array;
  readonly periodEnd: Float64Array;
  readonly workBeforePeriod: Float64Array;
  /** weekWork[dow] = 1 when the weekday `dow` (0 = Sunday) is a regular work day. */
  readonly weekWork: Uint8Array;
  /** Regular work days per week (≥ 1). */
  readonly weekWorkCount: number;
  /** blockPrefix[r] = regular work days among the first r days of a 7-day block starting on a Thursday (day 0). */
  readonly blockPrefix: Int32Array;
  /** blockNth[i] = offset (0–6) in such a block of its i-th regular work day. */
  readonly blockNth: Int32Array;
  /** Days (since 1970-01-01, local) whose status differs from the weekly pattern, ascending. */
  readonly exceptionDays: Int32Array;
  /** +1 for a make-up workday on a weekend day, −1 for a holiday on a regular work day. */
  readonly exceptionDelta: Int8Array;
  /** exceptionCum[i] = sum of exceptionDelta[0..i-1] (length = exceptions + 1). */
  readonly exceptionCum: Int32Array;
}

/** Display level of a deadline: yellow warning before, red overdue at the deadline (domain.md §5). */
export type DeadlineLevel = 'normal' | 'warning' | 'overdue';

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

/**
 * How a limit in days (work_days, natural_days) is counted — a city setting (domain.md §5, docs/decisions.md
 * "Deadlines"). Work hours and natural minutes/hours are counted the same way under both settings.
 *
 * - `'next_day_close_of_business'` (the default, the legal reading of 民法典 arts. 201/203 and of administrative
 *   limits such as 行政许可法 art. 82): the start day does not count, whatever the time of day; the limit ends at
 *   close of business (the end of the last work period) of the Nth work day (work_days) or of the Nth calendar day
 *   (natural_days; a day off moves it to the close of business of the next work day).
 * - `'elapsed_work_time'` (the earlier behaviour, for cities whose practice is so): N work days = N × one work
 *   day's work time counted from the start instant (started at 10:00, 1 work day ends at 10:00 on the next work
 *   day); N natural days = N × 24 h of wall time from the start instant.
 */
export type DayCounting = 'next_day_close_of_business' | 'elapsed_work_time';

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
  /** How limits in days are counted; default `'next_day_close_of_business'` (see `DayCounting`). */
  dayCounting?: DayCounting;
}

/**
 * A validated calendar with precomputed lookup structures. Treat it as opaque and immutable: the fields below
 * are internal to `src/domain/deadline` and may change.
 */
export interface WorkCalendar {
  /** A defensive copy of the data it was compiled from (normalised: sorted, de-duplicated, `dayCounting` set). */
  readonly data: Readonly<WorkCalendarData>;
  /** The day-counting setting (`data.dayCounting`, defaulted). */
  readonly dayCounting: DayCounting;
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

/**
 * A paused clock (e.g. the handling clock while a returned case waits for the centre's ruling): the time that
 * remained at the pause, in the limit's own kind of time — work ms for work_hours / work_days, wall ms for natural
 * units. Negative when the clock was already overdue. Store it while paused; `resumeClock` turns it back into a
 * deadline.
 */
export interface PausedClock {
  unit: LimitUnit;
  remainingMs: number;
}

/** What the UI needs to explain a deadline (`describeDeadline`). Days are local "YYYY-MM-DD". */
export interface DeadlineExplanation {
  limit: TimeLimit;
  /** The calendar's day-counting setting. */
  dayCounting: DayCounting;
  /** How this deadline was counted: days by the day rule, or time elapsed from the start instant. */
  counting: 'days_from_next_day' | 'elapsed_work_time' | 'elapsed_wall_time';
  startMs: number;
  dueAtMs: number;
  warnAtMs: number;
  /** Local day of the start instant. */
  startDay: string;
  /**
   * The first day counted: the day after the start under the day rule (whatever the time of the start); for
   * elapsed counting the start day itself.
   */
  countingFromDay: string;
  /** The local day the deadline falls on (for a deadline at 24:00, the day that ends then). */
  dueDay: string;
  /**
   * work_days under the day rule: the Nth work day after the start day, N = ⌈amount⌉ (the deadline is at its close
   * of business for a whole N). natural_days under the day rule: the Nth calendar day after the start day, before
   * any move off a day off. Otherwise null.
   */
  nthDay: { n: number; day: string; isWorkDay: boolean } | null;
  /** natural_days under the day rule: true when the Nth calendar day was a day off and the deadline moved. */
  movedOffDayOff: boolean;
  /** Work ms between the start instant and the deadline (what the unit actually gets in office hours). */
  workMsAvailable: number;
}

/**
 * The work calendar: which local days are work days, and how much work time lies between two instants.
 *
 * Rules (domain.md §5):
 * - A work day is a local calendar day that is a regular weekday (not in `weekendDays`) and not a holiday, or a
 *   make-up workday (调休上班). Work time is the time inside the work periods of work days.
 * - Work time is measured by a monotone "work clock" G(t): the work ms from a fixed origin up to instant t.
 *   It stands still outside work periods, so a start outside work time behaves exactly like a start at the next
 *   work period start.
 * - Adding work time returns the EARLIEST instant at which the work clock has advanced by the amount. So a limit
 *   used up exactly at a period's end falls due at that end (12:00, 17:30), not at the next period's start.
 *
 * Speed: G(t) is O(log e) (e = number of calendar exceptions: holidays on weekdays, make-up days on weekends),
 * using arithmetic over the weekly pattern plus a prefix sum over the exceptions; its inverse is a galloping
 * binary search over days. Long holidays are jumped over, never walked minute by minute or day by day.
 */
import { invalidAs } from '../errors.ts';
import type { DayCounting, WorkCalendar, WorkCalendarData, WorkPeriod } from './deadline.types.ts';
import { DAY_MS, MINUTE_MS, dayOfWeek, formatLocalDate, parseLocalDate } from './local-date.ts';

const TIME_RE = /^(\d{2}):(\d{2})$/;

function parseClock(text: unknown, field: string, allow24: boolean): number {
  const m = typeof text === 'string' ? TIME_RE.exec(text) : null;
  if (!m) throw invalidAs(field, { key: 'calendar.local_time_hh_mm' }, 'must be a local time "HH:MM"');
  const h = Number(m[1]);
  const min = Number(m[2]);
  const ok = min < 60 && (h < 24 || (allow24 && h === 24 && min === 0));
  if (!ok) throw invalidAs(field, { key: 'calendar.not_valid_time_day', params: { text: String(text) } }, `${String(text)} is not a valid time of day`);
  return (h * 60 + min) * MINUTE_MS;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const DAY_COUNTINGS: readonly DayCounting[] = ['next_day_close_of_business', 'elapsed_work_time'];

/** The default day-counting setting: the legal reading (see `DayCounting`). */
export const defaultDayCounting: DayCounting = 'next_day_close_of_business';

export function isDayCounting(value: unknown): value is DayCounting {
  return typeof value === 'string' && (DAY_COUNTINGS as readonly string[]).includes(value);
}

function requireDayCounting(value: unknown, field: string): DayCounting {
  if (value === undefined) return defaultDayCounting;
  if (!isDayCounting(value)) throw invalidAs(field, { key: 'field.one_of', params: { allowed: DAY_COUNTINGS.join(', ') } }, `must be one of ${DAY_COUNTINGS.join(', ')}`);
  return value;
}

interface CompiledPeriods {
  periods: WorkPeriod[];
  periodStart: Float64Array;
  periodEnd: Float64Array;
  workBeforePeriod: Float64Array;
  dayWorkMs: number;
}

/** Validates work periods (errors name `${field}[i].start` etc.) and precomputes their ms offsets. */
function compileWorkPeriods(workPeriods: unknown, field: string): CompiledPeriods {
  if (!Array.isArray(workPeriods) || workPeriods.length === 0) {
    throw invalidAs(field, { key: 'calendar.list_at_least_one_work' }, 'must list at least one work period');
  }
  const n = workPeriods.length;
  const periodStart = new Float64Array(n);
  const periodEnd = new Float64Array(n);
  const workBeforePeriod = new Float64Array(n);
  let dayWorkMs = 0;
  workPeriods.forEach((p: unknown, i) => {
    if (!isObject(p)) throw invalidAs(`${field}[${i}]`, { key: 'calendar.object_5' }, 'must be an object { start, end }');
    const s = parseClock(p.start, `${field}[${i}].start`, false);
    const e = parseClock(p.end, `${field}[${i}].end`, true);
    if (e <= s) throw invalidAs(`${field}[${i}].end`, { key: 'calendar.after_start', params: { start: String(p.start) } }, `must be after the start ${String(p.start)}`);
    if (i > 0 && s < periodEnd[i - 1]) {
      throw invalidAs(`${field}[${i}].start`, { key: 'calendar.overlaps_or_precedes_previous_period' }, 'overlaps or precedes the previous period (periods must ascend)');
    }
    periodStart[i] = s;
    periodEnd[i] = e;
    workBeforePeriod[i] = dayWorkMs;
    dayWorkMs += e - s;
  });
  const periods = (workPeriods as WorkPeriod[]).map((p) => ({ start: p.start, end: p.end }));
  return { periods, periodStart, periodEnd, workBeforePeriod, dayWorkMs };
}

/** Validates calendar data and precomputes the structures used by every deadline computation. */
export function compileCalendar(data: WorkCalendarData): WorkCalendar {
  if (!isObject(data)) throw invalidAs('calendar', { key: 'field.object' }, 'must be an object');
  const offset = data.utcOffsetMinutes;
  if (!Number.isInteger(offset) || offset < -720 || offset > 840) {
    throw invalidAs('utcOffsetMinutes', { key: 'calendar.integer_number_minutes_between_720' }, 'must be an integer number of minutes between -720 and 840');
  }
  const dayCounting = requireDayCounting(data.dayCounting, 'dayCounting');
  const { periods, periodStart, periodEnd, workBeforePeriod, dayWorkMs } = compileWorkPeriods(
    data.workPeriods,
    'workPeriods',
  );

  // Weekly pattern.
  if (!Array.isArray(data.weekendDays)) throw invalidAs('weekendDays', { key: 'calendar.array_weekdays_0_6' }, 'must be an array of weekdays 0–6');
  const weekWork = new Uint8Array(7).fill(1);
  data.weekendDays.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 0 || d > 6) throw invalidAs(`weekendDays[${i}]`, { key: 'calendar.integer_0_sunday_6' }, 'must be an integer 0 (Sunday) … 6');
    weekWork[d] = 0;
  });
  const weekWorkCount = weekWork.reduce((a, b) => a + b, 0);
  if (weekWorkCount === 0) throw invalidAs('weekendDays', { key: 'calendar.cannot_make_every_day_week' }, 'cannot make every day of the week a rest day');
  // A block is 7 consecutive days starting at a day number divisible by 7 (always a Thursday).
  const blockPrefix = new Int32Array(8);
  const blockNth: number[] = [];
  for (let r = 0; r < 7; r++) {
    const w = weekWork[dayOfWeek(r)];
    if (w) blockNth.push(r);
    blockPrefix[r + 1] = blockPrefix[r] + w;
  }

  // Exceptions to the weekly pattern.
  if (!Array.isArray(data.holidays)) throw invalidAs('holidays', { key: 'calendar.array' }, 'must be an array');
  if (!Array.isArray(data.makeUpWorkdays)) throw invalidAs('makeUpWorkdays', { key: 'calendar.array' }, 'must be an array');
  const offDays = new Map<number, string>();
  const holidays: { date: string; name?: string }[] = [];
  data.holidays.forEach((h, i) => {
    if (!isObject(h)) throw invalidAs(`holidays[${i}]`, { key: 'calendar.object_6' }, 'must be an object { date, name? }');
    const day = parseLocalDate(h.date);
    if (day === null) throw invalidAs(`holidays[${i}].date`, { key: 'calendar.not_valid_date_yyyy_mm' }, 'not a valid date (YYYY-MM-DD)');
    if (h.name !== undefined && typeof h.name !== 'string') throw invalidAs(`holidays[${i}].name`, { key: 'field.string' }, 'must be a string');
    if (offDays.has(day)) return; // the same day listed twice is harmless (e.g. merged sources)
    offDays.set(day, `holidays[${i}]`);
    holidays.push(h.name === undefined ? { date: h.date as string } : { date: h.date as string, name: h.name });
  });
  const makeUpDays = new Set<number>();
  data.makeUpWorkdays.forEach((text, i) => {
    const day = parseLocalDate(text);
    if (day === null) throw invalidAs(`makeUpWorkdays[${i}]`, { key: 'calendar.not_valid_date_yyyy_mm' }, 'not a valid date (YYYY-MM-DD)');
    const clash = offDays.get(day);
    if (clash) throw invalidAs(`makeUpWorkdays[${i}]`, { key: 'calendar.also_holiday', params: { text: String(text), clash: String(clash) } }, `${text} is also a holiday (${clash})`);
    if (weekWork[dayOfWeek(day)]) {
      throw invalidAs(`makeUpWorkdays[${i}]`, { key: 'calendar.not_weekend_day_so_it_2', params: { text: String(text) } }, `${text} is not a weekend day, so it cannot be a make-up workday`);
    }
    makeUpDays.add(day);
  });
  const exceptions: [number, number][] = [];
  for (const day of offDays.keys()) if (weekWork[dayOfWeek(day)]) exceptions.push([day, -1]);
  for (const day of makeUpDays) exceptions.push([day, 1]);
  exceptions.sort((a, b) => a[0] - b[0]);
  const exceptionDays = Int32Array.from(exceptions, (e) => e[0]);
  const exceptionDelta = Int8Array.from(exceptions, (e) => e[1]);
  const exceptionCum = new Int32Array(exceptions.length + 1);
  for (let i = 0; i < exceptions.length; i++) exceptionCum[i + 1] = exceptionCum[i] + exceptionDelta[i];

  holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const normalised: WorkCalendarData = {
    utcOffsetMinutes: offset,
    workPeriods: periods,
    weekendDays: [...new Set(data.weekendDays)].sort((a, b) => a - b),
    holidays,
    makeUpWorkdays: [...makeUpDays].sort((a, b) => a - b).map(formatLocalDate),
    dayCounting,
  };
  return Object.freeze({
    data: Object.freeze(normalised),
    dayCounting,
    offsetMs: offset * MINUTE_MS,
    dayWorkMs,
    periodStart,
    periodEnd,
    workBeforePeriod,
    weekWork,
    weekWorkCount,
    blockPrefix,
    blockNth: Int32Array.from(blockNth),
    exceptionDays,
    exceptionDelta,
    exceptionCum,
  });
}

/** Index of the first exception with day >= `day`. */
function lowerBound(days: Int32Array, day: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid] < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Work days in [0, day) (signed: F(b) − F(a) counts the work days in [a, b) for any a ≤ b). */
function workDaysBefore(cal: WorkCalendar, day: number): number {
  const q = Math.floor(day / 7);
  return q * cal.weekWorkCount + cal.blockPrefix[day - q * 7] + cal.exceptionCum[lowerBound(cal.exceptionDays, day)];
}

/** The day d with workDaysBefore(d) = k that is a work day, i.e. the k-th work day counted from day 0. */
function nthWorkDay(cal: WorkCalendar, k: number): number {
  const c = cal.weekWorkCount;
  const weekly = (j: number): number => {
    const q = Math.floor(j / c);
    return q * 7 + cal.blockNth[j - q * c];
  };
  // Estimate from the weekly pattern, corrected once by the exceptions before the estimate.
  let est = weekly(k);
  est = weekly(k - cal.exceptionCum[lowerBound(cal.exceptionDays, est)]);
  // Bracket: workDaysBefore(lo) <= k < workDaysBefore(hi), then bisect for the smallest such hi.
  let lo = est;
  let hi = est + 1;
  for (let step = 7; workDaysBefore(cal, lo) > k; step *= 2) lo -= step;
  for (let step = 7; workDaysBefore(cal, hi) <= k; step *= 2) hi += step;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (workDaysBefore(cal, mid) > k) hi = mid;
    else lo = mid;
  }
  return hi - 1;
}

/** The work clock: work ms from the origin (local 1970-01-01 00:00) to `t`; non-decreasing in t. */
function workClock(cal: WorkCalendar, t: number): number {
  const local = t + cal.offsetMs;
  const day = Math.floor(local / DAY_MS);
  let ms = workDaysBefore(cal, day) * cal.dayWorkMs;
  if (isWorkDayNumber(cal, day)) {
    const tod = local - day * DAY_MS;
    const { periodStart, periodEnd } = cal;
    for (let i = 0; i < periodStart.length && tod > periodStart[i]; i++) {
      ms += (tod < periodEnd[i] ? tod : periodEnd[i]) - periodStart[i];
    }
  }
  return ms;
}

/** The earliest instant t with workClock(t) >= position. */
function instantAtWork(cal: WorkCalendar, position: number): number {
  const w = cal.dayWorkMs;
  let k = Math.floor(position / w);
  let rem = position - k * w;
  if (rem === 0) {
    // Reached exactly when the previous work day's last period ends.
    k -= 1;
    rem = w;
  }
  const day = nthWorkDay(cal, k);
  const { periodStart, periodEnd, workBeforePeriod } = cal;
  let i = 0;
  while (i < periodStart.length - 1 && rem > workBeforePeriod[i] + (periodEnd[i] - periodStart[i])) i++;
  return day * DAY_MS + periodStart[i] + (rem - workBeforePeriod[i]) - cal.offsetMs;
}

function requireInstant(value: number, field: string): void {
  if (!Number.isFinite(value)) throw invalidAs(field, { key: 'calendar.finite_epoch_millisecond_number' }, 'must be a finite epoch-millisecond number');
}

/** Whether the local day "YYYY-MM-DD" is a work day. */
export function isWorkDay(cal: WorkCalendar, localDate: string): boolean {
  const day = parseLocalDate(localDate);
  if (day === null) throw invalidAs('localDate', { key: 'calendar.not_valid_date_yyyy_mm' }, 'not a valid date (YYYY-MM-DD)');
  return isWorkDayNumber(cal, day);
}

/** Whether the instant `t` lies inside a work period of a work day. */
export function isWorkTime(cal: WorkCalendar, t: number): boolean {
  requireInstant(t, 't');
  const local = t + cal.offsetMs;
  const day = Math.floor(local / DAY_MS);
  if (!isWorkDayNumber(cal, day)) return false;
  const tod = local - day * DAY_MS;
  for (let i = 0; i < cal.periodStart.length; i++) {
    if (tod >= cal.periodStart[i] && tod < cal.periodEnd[i]) return true;
  }
  return false;
}

/** Work ms elapsed from `fromMs` to `toMs` (negative when `toMs` < `fromMs`). */
export function workMsBetween(cal: WorkCalendar, fromMs: number, toMs: number): number {
  requireInstant(fromMs, 'fromMs');
  requireInstant(toMs, 'toMs');
  return workClock(cal, toMs) - workClock(cal, fromMs);
}

/**
 * The earliest instant at which `ms` of work time has elapsed since `startMs` (ms is rounded to whole ms; a
 * negative `ms` goes back in work time). `ms` = 0 returns `startMs` unchanged.
 */
export function addWorkMs(cal: WorkCalendar, startMs: number, ms: number): number {
  requireInstant(startMs, 'startMs');
  if (!Number.isFinite(ms)) throw invalidAs('ms', { key: 'calendar.finite_number' }, 'must be a finite number');
  const delta = Math.round(ms);
  if (delta === 0) return startMs;
  return instantAtWork(cal, workClock(cal, startMs) + delta);
}

/**
 * The same calendar (same holidays, make-up workdays, weekend, offset and day counting) with other work periods,
 * e.g. for a unit that keeps other hours (a utility working 08:00–18:00). Validated like `compileCalendar`'s
 * periods; errors name `${field}[i].start` etc. Cheap: the day structures are shared, not recomputed.
 */
export function withWorkPeriods(cal: WorkCalendar, workPeriods: WorkPeriod[], field = 'workPeriods'): WorkCalendar {
  const { periods, periodStart, periodEnd, workBeforePeriod, dayWorkMs } = compileWorkPeriods(workPeriods, field);
  return Object.freeze({
    ...cal,
    data: Object.freeze({ ...cal.data, workPeriods: periods }),
    dayWorkMs,
    periodStart,
    periodEnd,
    workBeforePeriod,
  });
}

/** The same calendar with another day-counting setting (see `DayCounting`). */
export function withDayCounting(cal: WorkCalendar, dayCounting: DayCounting, field = 'dayCounting'): WorkCalendar {
  const rule = requireDayCounting(dayCounting, field);
  return Object.freeze({ ...cal, data: Object.freeze({ ...cal.data, dayCounting: rule }), dayCounting: rule });
}

// ---- Local days, for the day rule (`deadline.ts`). Days are integers: days since 1970-01-01, local. ----

/** The local day of instant `t`. */
export function localDayOf(cal: WorkCalendar, t: number): number {
  return Math.floor((t + cal.offsetMs) / DAY_MS);
}

/** The instant local day `day` begins (local midnight). */
export function dayStartMs(cal: WorkCalendar, day: number): number {
  return day * DAY_MS - cal.offsetMs;
}

/** Close of business of local day `day`: the end of its last work period (local 24:00 = the next midnight). */
export function closeOfBusinessMs(cal: WorkCalendar, day: number): number {
  return day * DAY_MS + cal.periodEnd[cal.periodEnd.length - 1] - cal.offsetMs;
}

/** Whether local day number `day` is a work day. */
export function isWorkDayNumber(cal: WorkCalendar, day: number): boolean {
  const i = lowerBound(cal.exceptionDays, day);
  if (i < cal.exceptionDays.length && cal.exceptionDays[i] === day) return cal.exceptionDelta[i] > 0;
  return cal.weekWork[dayOfWeek(day)] === 1;
}

/** The first work day on or after local day `day`. */
export function firstWorkDayFrom(cal: WorkCalendar, day: number): number {
  return nthWorkDay(cal, workDaysBefore(cal, day));
}

/** The n-th work day (n ≥ 1) strictly after local day `day` (the day itself does not count). */
export function nthWorkDayAfter(cal: WorkCalendar, day: number, n: number): number {
  return nthWorkDay(cal, workDaysBefore(cal, day + 1) + n - 1);
}

/**
 * Importing the yearly public-holiday arrangement (国务院办公厅关于 YYYY 年部分节假日安排的通知) in the format of
 * `resources/calendar-cn-2026.json`, and merging several years into `WorkCalendarData`.
 *
 * Format: { source?: string, year: number, weekend: ["Saturday", "Sunday"],
 *           holidays: [{ name, daysOff: [YYYY-MM-DD…], makeUpWorkdays: [YYYY-MM-DD…] }] }
 * Validation is strict (unknown fields are rejected) and every error names the field, e.g.
 * `holidays[2].daysOff[1]: not a valid date`. Dates must fall in `year`; a date cannot be listed twice, nor be
 * both a day off and a make-up workday; a make-up workday must be a weekend day (调休 moves weekend days only).
 */
import { invalidAs } from '../errors.ts';
import type { DayCounting, WorkCalendarData, WorkPeriod } from './deadline.types.ts';
import { dayOfWeek, parseLocalDate, yearOfDay } from './local-date.ts';
import { compileCalendar } from './work-calendar.ts';

export interface CalendarImport {
  year: number;
  holidays: { date: string; name: string }[];
  makeUpWorkdays: string[];
  weekendDays: number[];
}

/**
 * The default work periods: 09:00–12:00 and 13:30–17:30 (7 work hours), the usual office hours of Chinese
 * government bodies. Only a default: each city configures its own (summer hours, 24-hour duty units, …).
 */
export const defaultWorkPeriods: readonly Readonly<WorkPeriod>[] = Object.freeze([
  Object.freeze({ start: '09:00', end: '12:00' }),
  Object.freeze({ start: '13:30', end: '17:30' }),
]);

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rejectUnknown(obj: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw invalidAs(prefix + key, { key: 'field.unknown' }, 'unknown field');
  }
}

function requireArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw invalidAs(field, { key: 'calendar.array' }, 'must be an array');
  return value;
}

/** Validates one year's arrangement and returns it flattened and sorted. */
export function parseCalendarImport(json: unknown): CalendarImport {
  if (!isObject(json)) throw invalidAs('calendar', { key: 'calendar.json_object' }, 'must be a JSON object');
  rejectUnknown(json, ['source', 'year', 'weekend', 'holidays'], '');
  if (json.source !== undefined && typeof json.source !== 'string') throw invalidAs('source', { key: 'field.string' }, 'must be a string');
  const year = json.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1900 || year > 9999) {
    throw invalidAs('year', { key: 'calendar.integer_year_between_1900_and' }, 'must be an integer year between 1900 and 9999');
  }

  const weekendDays: number[] = [];
  requireArray(json.weekend, 'weekend').forEach((name, i) => {
    const d = typeof name === 'string' ? DAY_NAMES.indexOf(name) : -1;
    if (d < 0) throw invalidAs(`weekend[${i}]`, { key: 'field.one_of', params: { allowed: DAY_NAMES.join(', ') } }, `must be one of ${DAY_NAMES.join(', ')}`);
    if (weekendDays.includes(d)) throw invalidAs(`weekend[${i}]`, { key: 'calendar.listed_twice', params: { name: String(name) } }, `${String(name)} is listed twice`);
    weekendDays.push(d);
  });
  // The State Council's arrangement always sits on a weekly rest (国务院关于职工工作时间的规定 art. 7: 星期六和星期日为
  // 周休息日); an empty list is a mistake, and it would turn every other year's make-up workdays (weekend days by
  // definition) into plain weekdays, which `compileCalendar` rejects — after the import was written (the fault
  // seen on POST calendar/import {"year":2031,"weekend":[],"holidays":[]}).
  if (weekendDays.length === 0) throw invalidAs('weekend', { key: 'calendar.list_at_least_one_weekly' }, 'must list at least one weekly rest day');
  if (weekendDays.length === 7) throw invalidAs('weekend', { key: 'calendar.cannot_make_every_day_week' }, 'cannot make every day of the week a rest day');

  const seen = new Map<string, string>(); // date → field path where it was first listed
  const holidays: { date: string; name: string }[] = [];
  const makeUpWorkdays: string[] = [];
  const checkDate = (value: unknown, field: string): string => {
    const day = parseLocalDate(value);
    if (day === null) throw invalidAs(field, { key: 'calendar.not_valid_date_yyyy_mm' }, 'not a valid date (YYYY-MM-DD)');
    if (yearOfDay(day) !== year) throw invalidAs(field, { key: 'calendar.not_in_year', params: { value: String(value), year: String(year) } }, `${String(value)} is not in year ${year}`);
    const first = seen.get(value as string);
    if (first) throw invalidAs(field, { key: 'calendar.already_listed_at', params: { value: String(value), first: String(first) } }, `${String(value)} is already listed at ${first}`);
    seen.set(value as string, field);
    return value as string;
  };

  requireArray(json.holidays, 'holidays').forEach((h, i) => {
    const at = `holidays[${i}]`;
    if (!isObject(h)) throw invalidAs(at, { key: 'calendar.object' }, 'must be an object { name, daysOff, makeUpWorkdays }');
    rejectUnknown(h, ['name', 'daysOff', 'makeUpWorkdays'], `${at}.`);
    if (typeof h.name !== 'string' || h.name.trim() === '') throw invalidAs(`${at}.name`, { key: 'field.required' }, 'must be a non-empty string');
    const name = h.name;
    const off = requireArray(h.daysOff, `${at}.daysOff`);
    if (off.length === 0) throw invalidAs(`${at}.daysOff`, { key: 'calendar.list_at_least_one_day' }, 'must list at least one day');
    off.forEach((d, j) => holidays.push({ date: checkDate(d, `${at}.daysOff[${j}]`), name }));
    const makeUp = h.makeUpWorkdays === undefined ? [] : requireArray(h.makeUpWorkdays, `${at}.makeUpWorkdays`);
    makeUp.forEach((d, j) => {
      const field = `${at}.makeUpWorkdays[${j}]`;
      const date = checkDate(d, field);
      if (!weekendDays.includes(dayOfWeek(parseLocalDate(date) as number))) {
        throw invalidAs(field, { key: 'calendar.not_weekend_day_so_it', params: { date: String(date) } }, `${date} is not a weekend day, so it cannot be a make-up workday`);
      }
      makeUpWorkdays.push(date);
    });
  });

  holidays.sort((a, b) => (a.date < b.date ? -1 : 1));
  makeUpWorkdays.sort();
  weekendDays.sort((a, b) => a - b);
  return { year, holidays, makeUpWorkdays, weekendDays };
}

export interface BuildCalendarOptions {
  /** Default 480 (China Standard Time, no daylight saving time). */
  utcOffsetMinutes?: number;
  /** Default `defaultWorkPeriods`. */
  workPeriods?: WorkPeriod[];
  /** Overrides the weekend of the imports (needed only if they disagree). */
  weekendDays?: number[];
  /** Local additions (a city's own days off), merged with the imported ones. */
  extraHolidays?: { date: string; name?: string }[];
  /** How limits in days are counted; default `'next_day_close_of_business'` (see `DayCounting`). */
  dayCounting?: DayCounting;
}

/**
 * Merges several years' imports into calendar data for `compileCalendar`. Years must be distinct; the imports
 * must agree on the weekend unless `opts.weekendDays` is given.
 */
export function buildCalendarData(imports: CalendarImport[], opts: BuildCalendarOptions = {}): WorkCalendarData {
  if (!Array.isArray(imports)) throw invalidAs('imports', { key: 'calendar.array' }, 'must be an array');
  const years = new Map<number, number>();
  imports.forEach((imp, i) => {
    const prev = years.get(imp.year);
    if (prev !== undefined) throw invalidAs(`imports[${i}].year`, { key: 'calendar.already_imported_imports', params: { year: String(imp.year), prev: String(prev) } }, `${imp.year} is already imported (imports[${prev}])`);
    years.set(imp.year, i);
  });
  let weekendDays = opts.weekendDays;
  if (weekendDays === undefined) {
    weekendDays = imports.length > 0 ? imports[0].weekendDays : [0, 6];
    const key = weekendDays.join(',');
    imports.forEach((imp, i) => {
      if (imp.weekendDays.join(',') !== key) {
        throw invalidAs(`imports[${i}].weekendDays`, { key: 'calendar.differs_from_imports_0_pass' }, 'differs from imports[0]; pass opts.weekendDays to choose one');
      }
    });
  }
  const holidays: { date: string; name?: string }[] = imports.flatMap((imp) => imp.holidays.map((h) => ({ ...h })));
  for (const h of opts.extraHolidays ?? []) holidays.push({ ...h });
  holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return {
    utcOffsetMinutes: opts.utcOffsetMinutes ?? 480,
    workPeriods: (opts.workPeriods ?? defaultWorkPeriods).map((p) => ({ start: p.start, end: p.end })),
    weekendDays: [...weekendDays],
    holidays,
    makeUpWorkdays: imports.flatMap((imp) => imp.makeUpWorkdays).sort(),
    ...(opts.dayCounting === undefined ? {} : { dayCounting: opts.dayCounting }),
  };
}

/**
 * The calendar data after importing one year's arrangement into `current`, validated completely — a pure
 * function the application runs BEFORE it writes anything, so an import that would leave an unusable calendar is
 * rejected with nothing stored. It mirrors what the import writes: every holiday and make-up workday of
 * `imp.year` in `current` (local additions included) is replaced by the import's, and the weekend becomes the
 * import's (the weekend is one setting for all years). Rejected (errors name the field):
 * - `weekend`: the new weekend would make a make-up workday of another year a regular weekday;
 * - anything `compileCalendar` rejects in the merged data (its error, e.g. `makeUpWorkdays[3]`).
 * `imp` must come from `parseCalendarImport`; `current` is the live calendar's `data`.
 */
export function applyCalendarImport(current: WorkCalendarData, imp: CalendarImport): WorkCalendarData {
  if (typeof imp !== 'object' || imp === null) throw invalidAs('calendar', { key: 'calendar.parsed_import' }, 'must be a parsed import');
  if (typeof current !== 'object' || current === null) throw invalidAs('current', { key: 'calendar.calendar_data' }, 'must be calendar data');
  const prefix = `${imp.year}-`;
  const otherMakeUp = current.makeUpWorkdays.filter((d) => !d.startsWith(prefix));
  for (const date of otherMakeUp) {
    const day = parseLocalDate(date);
    if (day !== null && !imp.weekendDays.includes(dayOfWeek(day))) {
      throw invalidAs('weekend', { key: 'calendar.would_make_make_up_workday', params: { date: String(date) } }, `would make the make-up workday ${date} of another year a regular weekday; import the same weekend`);
    }
  }
  const holidays = [
    ...current.holidays.filter((h) => !h.date.startsWith(prefix)).map((h) => ({ ...h })),
    ...imp.holidays.map((h) => ({ ...h })),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const next: WorkCalendarData = {
    ...current,
    workPeriods: current.workPeriods.map((p) => ({ start: p.start, end: p.end })),
    weekendDays: [...imp.weekendDays],
    holidays,
    makeUpWorkdays: [...otherMakeUp, ...imp.makeUpWorkdays].sort(),
  };
  compileCalendar(next); // throws on anything the live calendar could not be built from
  return next;
}

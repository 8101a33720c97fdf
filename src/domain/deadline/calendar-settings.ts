/**
 * A city's work-time settings (domain.md §5, docs/decisions.md "Deadlines"): the work periods of a work day, the
 * weekly rest days, how limits in days are counted, and the units that keep other hours. Pure: the reference cache
 * reads the stored values through these functions (leniently: a bad value is reported and its default used), and
 * the settings command validates a change through them (strictly: the first error names its field) before
 * anything is written.
 *
 * Stored as settings rows:
 *   work_periods       [{ start: "09:00", end: "12:00" }, …]
 *   weekend_days       [0, 6]                      (0 = Sunday … 6 = Saturday)
 *   day_counting       "next_day_close_of_business" | "elapsed_work_time"
 *   unit_work_periods  { "<unitId>": { workPeriods: [{ start, end }, …], everyDay?: true } }
 *                      (a bare list of periods is read as { workPeriods: list })
 */
import { invalidAs } from '../errors.ts';
import type { DayCounting, WorkCalendar, WorkCalendarData, WorkPeriod } from './deadline.types.ts';
import { compileCalendar, defaultDayCounting, isDayCounting, withDayCounting, withWorkPeriods } from './work-calendar.ts';

/**
 * The work time of a unit that keeps other hours than the city (a utility on 08:00–18:00, a repair team on duty
 * round the clock). Its work periods replace the city's on the same work days and holidays; `everyDay` makes every
 * day of the year a work day for it (值班单位, 全年无休: no weekend, no public holiday), e.g. a 24-hour emergency
 * repair team whose limits in work hours must not stop at a weekend.
 */
export interface UnitWorkTime {
  workPeriods: WorkPeriod[];
  everyDay: boolean;
}

export interface CalendarSettings {
  workPeriods: WorkPeriod[];
  weekendDays: number[];
  dayCounting: DayCounting;
  /** By unit id. */
  unitWorkPeriods: Record<string, UnitWorkTime>;
}

/** A change of the settings; an omitted field keeps its value. `unitWorkPeriods` replaces the whole list. */
export interface CalendarSettingsChange {
  workPeriods?: unknown;
  weekendDays?: unknown;
  dayCounting?: unknown;
  /** [{ unitId, workPeriods, everyDay? }, …] */
  unitWorkPeriods?: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const DAY_COUNTINGS: readonly DayCounting[] = ['next_day_close_of_business', 'elapsed_work_time'];

/** A day-counting setting, or an error naming `field`. */
export function parseDayCounting(value: unknown, field = 'dayCounting'): DayCounting {
  if (!isDayCounting(value)) throw invalidAs(field, { key: 'field.one_of', params: { allowed: DAY_COUNTINGS.join(', ') } }, `must be one of ${DAY_COUNTINGS.join(', ')}`);
  return value;
}

/**
 * Weekly rest days: integers 0 (Sunday) … 6, each once, at least one (the State Council's rule on working hours,
 * 国务院关于职工工作时间的规定 art. 7, always keeps a weekly rest; the yearly import refuses an empty weekend too) and
 * not all seven.
 */
export function parseWeekendDays(value: unknown, field = 'weekendDays'): number[] {
  if (!Array.isArray(value)) throw invalidAs(field, { key: 'calendar.list_weekdays_0_sunday_6' }, 'must be a list of weekdays 0 (Sunday) … 6 (Saturday)');
  const seen = new Set<number>();
  value.forEach((d, i) => {
    if (!Number.isInteger(d) || (d as number) < 0 || (d as number) > 6) throw invalidAs(`${field}[${i}]`, { key: 'calendar.integer_0_sunday_6_saturday' }, 'must be an integer 0 (Sunday) … 6 (Saturday)');
    if (seen.has(d as number)) throw invalidAs(`${field}[${i}]`, { key: 'calendar.listed_twice_2', params: { d: String(d) } }, `${String(d)} is listed twice`);
    seen.add(d as number);
  });
  if (seen.size === 0) throw invalidAs(field, { key: 'calendar.list_at_least_one_weekly' }, 'must list at least one weekly rest day');
  if (seen.size === 7) throw invalidAs(field, { key: 'calendar.cannot_make_every_day_week' }, 'cannot make every day of the week a rest day');
  return [...seen].sort((a, b) => a - b);
}

/**
 * Work periods, validated exactly as the calendar validates them (ascending, non-overlapping "HH:MM", end may be
 * "24:00"); errors name `${field}[i].start` etc. `base` is any compiled calendar (only its periods are replaced).
 */
export function parseWorkPeriods(base: WorkCalendar, value: unknown, field = 'workPeriods'): WorkPeriod[] {
  return withWorkPeriods(base, value as WorkPeriod[], field).data.workPeriods.map((p) => ({ start: p.start, end: p.end }));
}

/** One unit's entry: `{ workPeriods, everyDay? }`, or a bare list of periods. Errors name `${field}.workPeriods[i]…`. */
export function parseUnitWorkTime(base: WorkCalendar, value: unknown, field: string): UnitWorkTime {
  if (Array.isArray(value)) return { workPeriods: parseWorkPeriods(base, value, field), everyDay: false };
  if (!isObject(value)) throw invalidAs(field, { key: 'calendar.object_2' }, 'must be an object { workPeriods, everyDay? }');
  for (const key of Object.keys(value)) {
    if (key !== 'workPeriods' && key !== 'everyDay') throw invalidAs(`${field}.${key}`, { key: 'field.unknown' }, 'unknown field');
  }
  if (value.everyDay !== undefined && typeof value.everyDay !== 'boolean') throw invalidAs(`${field}.everyDay`, { key: 'field.true_or_false' }, 'must be true or false');
  return { workPeriods: parseWorkPeriods(base, value.workPeriods, `${field}.workPeriods`), everyDay: value.everyDay === true };
}

/**
 * The calendar of a unit that keeps its own hours: the city calendar (same offset, day counting, weekend, holidays
 * and make-up workdays) with the unit's work periods; with `everyDay`, every day is a work day (no weekend, no
 * holidays). Compile it once per reference version and reuse it.
 */
export function unitCalendar(city: WorkCalendar, unit: UnitWorkTime, field = 'workPeriods'): WorkCalendar {
  if (!unit.everyDay) return withWorkPeriods(city, unit.workPeriods, field);
  return compileCalendar({
    ...city.data, workPeriods: unit.workPeriods.map((p) => ({ start: p.start, end: p.end })), weekendDays: [], holidays: [], makeUpWorkdays: [],
  });
}

/**
 * The calendar data with another weekend, or an error naming `field` when the calendar's days do not allow it (a
 * make-up workday (调休上班) must fall on a weekend day, so a weekend that turns one into a weekday is refused).
 */
function withWeekend(current: WorkCalendarData, weekendDays: number[], field: string): WorkCalendarData {
  const next = { ...current, weekendDays };
  try {
    compileCalendar(next);
  } catch (err) {
    const m = /^makeUpWorkdays\[\d+\]: (.*)$/.exec((err as Error).message);
    if (m) throw invalidAs(field, { key: 'calendar.would_make_make_up_workday_2', params: { value: String(m[1]) } }, `would make a make-up workday a regular weekday (${m[1]}); import that year again with the new weekend first`);
    throw err;
  }
  return next;
}

export interface AppliedCalendarSettings {
  /** The city calendar's data after the change (compiled once to check it). */
  data: WorkCalendarData;
  settings: CalendarSettings;
  /** The stored values to write, by settings key: only those the change names. */
  writes: Partial<Record<'work_periods' | 'weekend_days' | 'day_counting' | 'unit_work_periods', unknown>>;
}

/**
 * Validates a change of the settings against the live calendar, completely, before anything is written; the first
 * error names its field (e.g. `workPeriods[1].start`, `unitWorkPeriods[0].unitId`, `weekendDays`).
 * `current` is the live city calendar's data; `currentUnits` the live per-unit settings; `unitExists` says whether
 * a unit id is known.
 */
export function applyCalendarSettings(
  current: WorkCalendarData, currentUnits: Record<string, UnitWorkTime>, change: CalendarSettingsChange, unitExists: (id: string) => boolean,
): AppliedCalendarSettings {
  if (!isObject(change)) throw invalidAs('settings', { key: 'field.object' }, 'must be an object');
  const writes: AppliedCalendarSettings['writes'] = {};
  let data: WorkCalendarData = { ...current, dayCounting: current.dayCounting ?? defaultDayCounting };
  let city = compileCalendar(data);
  if (change.dayCounting !== undefined) {
    const dayCounting = parseDayCounting(change.dayCounting, 'dayCounting');
    city = withDayCounting(city, dayCounting);
    data = { ...data, dayCounting };
    writes.day_counting = dayCounting;
  }
  if (change.workPeriods !== undefined) {
    const workPeriods = parseWorkPeriods(city, change.workPeriods, 'workPeriods');
    data = { ...data, workPeriods };
    writes.work_periods = workPeriods;
  }
  if (change.weekendDays !== undefined) {
    const weekendDays = parseWeekendDays(change.weekendDays, 'weekendDays');
    data = withWeekend(data, weekendDays, 'weekendDays');
    writes.weekend_days = weekendDays;
  }
  city = compileCalendar(data);
  let units = currentUnits;
  if (change.unitWorkPeriods !== undefined) {
    if (!Array.isArray(change.unitWorkPeriods)) throw invalidAs('unitWorkPeriods', { key: 'calendar.list' }, 'must be a list of { unitId, workPeriods, everyDay? }');
    units = {};
    change.unitWorkPeriods.forEach((entry: unknown, i) => {
      const at = `unitWorkPeriods[${i}]`;
      if (!isObject(entry)) throw invalidAs(at, { key: 'calendar.object_3' }, 'must be an object { unitId, workPeriods, everyDay? }');
      const { unitId, ...rest } = entry;
      if (typeof unitId !== 'string' || unitId === '') throw invalidAs(`${at}.unitId`, { key: 'field.unit_id' }, 'must be a unit id');
      if (!unitExists(unitId)) throw invalidAs(`${at}.unitId`, { key: 'field.unknown_unit', params: { unitId: String(unitId) } }, `unknown unit "${unitId}"`);
      if (units[unitId]) throw invalidAs(`${at}.unitId`, { key: 'calendar.unit_listed_twice', params: { unitId: String(unitId) } }, `unit "${unitId}" is listed twice`);
      const u = parseUnitWorkTime(city, rest, at);
      unitCalendar(city, u, `${at}.workPeriods`);
      units[unitId] = u;
    });
    writes.unit_work_periods = Object.fromEntries(Object.entries(units).map(([id, u]) => [id, u.everyDay ? u : { workPeriods: u.workPeriods }]));
  }
  return {
    data,
    settings: {
      workPeriods: data.workPeriods.map((p) => ({ start: p.start, end: p.end })), weekendDays: [...data.weekendDays],
      dayCounting: data.dayCounting ?? defaultDayCounting, unitWorkPeriods: units,
    },
    writes,
  };
}

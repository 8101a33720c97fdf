/**
 * One day of the work calendar changed by hand (the administrator clicks a day): made a public holiday (法定节假日),
 * a make-up working day (调休上班) or a normal day again, always with a reason. Pure: the change is checked against
 * the live calendar and the calendar it would make must compile, before anything is written.
 */
import { DomainError, invalidAs, refield } from '../errors.ts';
import type { WorkCalendarData } from './deadline.types.ts';
import { dayOfWeek, parseLocalDate } from './local-date.ts';
import { compileCalendar } from './work-calendar.ts';

export const DAY_KINDS = ['holiday', 'workday', 'normal'] as const;
export type DayKind = (typeof DAY_KINDS)[number];

export interface CalendarDayChange {
  date: string;
  kind: DayKind;
  /** Why: a holiday's name (国庆节), a make-up day's reason (国庆节调休), or why a day is normal again. */
  reason: string;
}

export interface AppliedCalendarDay {
  change: CalendarDayChange;
  /** What the day was: a holiday, a make-up workday, or normal (a regular work day or weekend). */
  previous: DayKind;
  next: WorkCalendarData;
}

export const MAX_DAY_REASON = 100;

/** The kind a date has in the calendar data. */
export function dayKindOf(data: Pick<WorkCalendarData, 'holidays' | 'makeUpWorkdays'>, date: string): DayKind {
  if (data.holidays.some((h) => h.date === date)) return 'holiday';
  return data.makeUpWorkdays.includes(date) ? 'workday' : 'normal';
}

export function applyCalendarDay(current: WorkCalendarData, input: { date?: unknown; kind?: unknown; reason?: unknown }): AppliedCalendarDay {
  const day = parseLocalDate(input.date);
  if (day === null) throw invalidAs('date', { key: 'field.invalid' }, 'not a valid date (YYYY-MM-DD)');
  const date = input.date as string;
  if (typeof input.kind !== 'string' || !(DAY_KINDS as readonly string[]).includes(input.kind)) {
    throw invalidAs('kind', { key: 'field.one_of', params: { allowed: DAY_KINDS.join(', ') } }, `must be one of ${DAY_KINDS.join(', ')}`);
  }
  const kind = input.kind as DayKind;
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason === '') throw invalidAs('reason', { key: 'field.required' }, 'is required: say why the day changes');
  if (reason.length > MAX_DAY_REASON) throw invalidAs('reason', { key: 'field.too_long', params: { limit: MAX_DAY_REASON } }, `at most ${MAX_DAY_REASON} characters`);
  const previous = dayKindOf(current, date);
  if (kind === 'normal' && previous === 'normal') throw invalidAs('kind', { key: 'calendar.unchanged', params: { date } }, `${date} already is a normal day`);
  if (kind === 'workday' && !current.weekendDays.includes(dayOfWeek(day))) {
    throw invalidAs('kind', { key: 'calendar.makeup_not_weekend', params: { date } }, `${date} is not a weekend day, so it cannot be a make-up workday`);
  }
  const holidays = current.holidays.filter((h) => h.date !== date).map((h) => ({ ...h }));
  const makeUpWorkdays = current.makeUpWorkdays.filter((d) => d !== date);
  if (kind === 'holiday') holidays.push({ date, name: reason });
  if (kind === 'workday') makeUpWorkdays.push(date);
  const next: WorkCalendarData = {
    ...current,
    workPeriods: current.workPeriods.map((p) => ({ ...p })),
    weekendDays: [...current.weekendDays],
    holidays: holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    makeUpWorkdays: makeUpWorkdays.sort(),
  };
  try {
    compileCalendar(next);
  } catch (err) {
    throw err instanceof DomainError ? refield(err, 'date') : invalidAs('date', { key: 'field.invalid' }, (err as Error).message);
  }
  return { change: { date, kind, reason }, previous, next };
}

/** Schemas of the work calendar API: the calendar of a year, the deadline calculator, the city's work-time settings. */
import { Type } from 'typebox';
import { LIMIT_UNITS, Nullable, StrEnum } from './reference.schema.ts';

export const DAY_COUNTINGS = ['next_day_close_of_business', 'elapsed_work_time'] as const;

// "HH:MM" is checked by the domain (the calendar's own rule), which names the field as workPeriods[i].start.
export const WorkPeriodDto = Type.Object({
  start: Type.String({ maxLength: 5, description: 'Local start "HH:MM"' }),
  end: Type.String({ maxLength: 5, description: 'Local end "HH:MM" ("24:00" = midnight)' }),
}, { additionalProperties: false, description: 'A work period of a work day, local time' });

const WorkPeriods = (description: string) => Type.Array(WorkPeriodDto, { minItems: 1, maxItems: 12, description });
const DayCounting = StrEnum(DAY_COUNTINGS, 'How limits in days are counted: next_day_close_of_business (default, the legal day rule: the start '
  + 'day does not count, N days end at close of business of the Nth day) or elapsed_work_time (N × a day\'s work time from the start instant)');
const WeekendDays = Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { maxItems: 7, description: 'Weekly rest days, 0 = Sunday … 6 = Saturday' });

export const SettingProblemDto = Type.Object({
  setting: Type.String({ description: 'The settings row (work_periods, weekend_days, day_counting, unit_work_periods, calendar_days, hotline_feedback_limits)' }),
  message: Type.String({ description: 'What is wrong with the stored value, naming the field' }),
  usingDefault: Type.Unknown({ description: 'What is used instead' }),
}, { description: 'A stored setting that could not be used: the platform runs on the default and says so here' });

export const CalendarDto = Type.Object({
  year: Type.Integer(), utcOffsetMinutes: Type.Integer(),
  workPeriods: Type.Array(Type.Object({ start: Type.String(), end: Type.String() }), { description: 'Local work periods of a work day (the city\'s)' }),
  weekendDays: Type.Array(Type.Integer(), { description: '0 = Sunday … 6 = Saturday' }),
  dayCounting: Type.String({ description: 'How limits in days are counted (next_day_close_of_business | elapsed_work_time)' }),
  holidays: Type.Array(Type.Object({ date: Type.String(), name: Type.Union([Type.String(), Type.Null()]) })),
  makeUpWorkdays: Type.Array(Type.String()),
  days: Type.Array(Type.Object({
    date: Type.String(), kind: Type.String({ description: 'holiday | workday (a make-up working day)' }),
    name: Nullable(Type.String({ description: 'A holiday\'s name, or the reason a day was set by hand' })),
  }), { description: 'The year\'s exceptions as stored, with their names and reasons' }),
  problems: Type.Optional(Type.Array(SettingProblemDto, { description: 'Only for callers with calendar.manage: stored calendar settings that could not be used' })),
});

export const DeadlineQuery = Type.Object({
  start: Type.String({ format: 'date-time', description: 'Start instant, ISO 8601 with offset, e.g. 2026-09-30T10:00:00+08:00' }),
  amount: Type.Number({ exclusiveMinimum: 0, maximum: 10000, description: 'Amount of time' }),
  unit: StrEnum(LIMIT_UNITS, 'Unit: work time follows the calendar, natural time does not'),
  unitId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Handling unit: its own work periods when it keeps other hours (default: the city calendar)' })),
}, { additionalProperties: false });

export const DeadlineDto = Type.Object({
  start: Type.String(), limit: Type.Object({ amount: Type.Number(), unit: Type.String() }),
  deadline: Type.String({ description: 'ISO 8601 (UTC)' }), warningAt: Type.String({ description: 'When 80 % is used up (yellow)' }),
  startsInWorkTime: Type.Boolean({ description: 'False: work time starts counting at the next work period' }),
  calendar: Type.Object({
    unitId: Nullable(Type.String({ description: 'The unit whose calendar was used, null for the city\'s' })),
    workPeriods: Type.Array(Type.Object({ start: Type.String(), end: Type.String() })),
    dayCounting: Type.String(),
  }, { description: 'The calendar the deadline was computed on' }),
});

export const UnitWorkTimeDto = Type.Object({
  unitId: Type.String({ minLength: 1, maxLength: 64, description: 'The unit' }),
  unitName: Type.Optional(Type.String({ description: 'Its name (answers only)' })),
  workPeriods: WorkPeriods('The unit\'s work periods, replacing the city\'s for its clocks'),
  everyDay: Type.Optional(Type.Boolean({ description: 'On duty every day (全年无休): no weekend and no public holiday for this unit; default false' })),
}, { additionalProperties: false });

export const CalendarSettingsDto = Type.Object({
  workPeriods: Type.Array(Type.Object({ start: Type.String(), end: Type.String() }), { description: 'The city\'s work periods' }),
  weekendDays: Type.Array(Type.Integer(), { description: '0 = Sunday … 6 = Saturday' }),
  dayCounting: Type.String({ description: 'next_day_close_of_business | elapsed_work_time' }),
  unitWorkPeriods: Type.Array(Type.Object({
    unitId: Type.String(), unitName: Type.String(), workPeriods: Type.Array(Type.Object({ start: Type.String(), end: Type.String() })), everyDay: Type.Boolean(),
  }), { description: 'Units that keep other hours (their sub-units inherit them)' }),
  problems: Type.Array(SettingProblemDto, { description: 'Stored calendar settings that could not be used (their defaults apply)' }),
  referenceVersion: Type.Integer({ description: 'Bumped by every change of reference data' }),
});

export const CalendarSettingsBody = Type.Object({
  workPeriods: Type.Optional(WorkPeriods('The city\'s work periods of a work day, ascending, not overlapping (e.g. 09:00–12:00, 13:30–17:30)')),
  weekendDays: Type.Optional(WeekendDays),
  dayCounting: Type.Optional(DayCounting),
  unitWorkPeriods: Type.Optional(Type.Array(UnitWorkTimeDto, { maxItems: 1000, description: 'Replaces the whole list of units that keep other hours ([] = none)' })),
}, { additionalProperties: false, description: 'A change of the work-time settings: an omitted field keeps its value' });

export const CalendarDayParams = Type.Object({
  date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'The local day, YYYY-MM-DD' }),
});

export const CalendarDayBody = Type.Object({
  kind: StrEnum(['holiday', 'workday', 'normal'] as const, 'holiday (法定节假日: no work), workday (调休上班: a weekend day worked), normal (the weekly pattern again)'),
  reason: Type.String({ maxLength: 100, description: 'Why (required): a holiday\'s name (国庆节), a make-up day\'s reason (国庆节调休), or why a day is normal again' }),
}, { additionalProperties: false });

export const CalendarDayDto = Type.Object({
  date: Type.String(), kind: Type.String(), reason: Type.String(),
  previous: Type.String({ description: 'What the day was: holiday | workday | normal' }),
  referenceVersion: Type.Integer(),
});

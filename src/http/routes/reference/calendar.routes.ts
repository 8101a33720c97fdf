/**
 * The live work calendar (domain.md §5): one year's work days, holidays and make-up workdays, and a deadline
 * computed on it — the quickest way to check an imported calendar before cases depend on it — and the city's
 * work-time settings (work periods, weekend, day counting, units that keep other hours), read and changed here.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { invalidAs } from '../../../domain/errors.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import { addLimit, isWorkTime, warningAt } from '../../../domain/deadline/index.ts';
import { updateCalendarSettings } from '../../../commands/calendar-settings-update.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { CalendarDayBody, CalendarDayDto, CalendarDayParams, CalendarDto, CalendarSettingsBody, CalendarSettingsDto, DeadlineDto, DeadlineQuery } from './calendar.schema.ts';
import { setCalendarDay } from '../../../commands/calendar-day-set.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };
const READ = { permission: 'case.read' } as const;
const MANAGE = { permission: 'calendar.manage' } as const;

/** The settings rows the calendar reads (problems with others, e.g. the hotline's limits, are shown where those are managed). */
const CALENDAR_SETTINGS: ReadonlySet<string> = new Set(['work_periods', 'weekend_days', 'day_counting', 'unit_work_periods', 'calendar_days']);

export async function calendarRoutes(app: App, ctx: AppContext): Promise<void> {
  const calendarProblems = () => ctx.ref.current().problems.filter((p) => CALENDAR_SETTINGS.has(p.setting));
  const settingsView = () => {
    const d = ctx.ref.current();
    const s = d.calendarSettings;
    return {
      workPeriods: s.workPeriods.map((p) => ({ start: p.start, end: p.end })), weekendDays: [...s.weekendDays], dayCounting: s.dayCounting,
      unitWorkPeriods: Object.entries(s.unitWorkPeriods).map(([unitId, u]) => ({
        unitId, unitName: d.units.get(unitId)?.name ?? unitId, workPeriods: u.workPeriods.map((p) => ({ start: p.start, end: p.end })), everyDay: u.everyDay,
      })).sort((a, b) => a.unitId.localeCompare(b.unitId)),
      problems: calendarProblems(),
      referenceVersion: d.version,
    };
  };

  app.get('/api/v1/calendar', {
    config: READ,
    schema: {
      tags: ['calendar'], summary: 'One year of the work calendar: work periods, weekend, day counting, holidays (法定节假日) and make-up workdays (调休上班)',
      description: 'Callers who may manage the calendar also get `problems`: stored settings that could not be used (their defaults apply).',
      querystring: Type.Object({
        year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 9999, description: 'Year; default the current local year' })),
      }, { additionalProperties: false }),
      response: { 200: CalendarDto, ...ERRORS },
    },
  }, async (req) => {
    const cal = ctx.ref.current().calendar;
    const d = cal.data;
    const year = req.query.year ?? new Date(ctx.clock.now() + d.utcOffsetMinutes * 60_000).getUTCFullYear();
    const inYear = (date: string) => date.startsWith(`${year}-`);
    return {
      year, utcOffsetMinutes: d.utcOffsetMinutes,
      workPeriods: d.workPeriods.map((p) => ({ start: p.start, end: p.end })),
      weekendDays: [...d.weekendDays],
      dayCounting: cal.dayCounting,
      holidays: d.holidays.filter((h) => inYear(h.date)).map((h) => ({ date: h.date, name: h.name ?? null })),
      makeUpWorkdays: d.makeUpWorkdays.filter(inYear),
      days: await ctx.store.admin.listCalendarDays(year),
      ...(hasPermission(principalOf(req).roles, 'calendar.manage') ? { problems: calendarProblems() } : {}),
    };
  });

  app.get('/api/v1/calendar/deadline', {
    config: READ,
    schema: {
      tags: ['calendar'],
      summary: 'The deadline of a time limit started at an instant, on the live calendar (and its yellow-warning time)',
      description: 'With `unitId`, on the calendar of that unit (its own work periods, when it keeps other hours).',
      querystring: DeadlineQuery,
      response: { 200: DeadlineDto, ...ERRORS },
    },
  }, async (req) => {
    const { amount, unit, unitId } = req.query;
    const start = Date.parse(req.query.start);
    if (!Number.isFinite(start)) throw invalidAs('start', { key: 'calendar.not_valid_iso_8601_instant' }, 'is not a valid ISO 8601 instant');
    if (unitId !== undefined && !ctx.ref.current().units.has(unitId)) throw invalidAs('unitId', { key: 'field.unknown_unit', params: { unitId: String(unitId) } }, `unknown unit "${unitId}"`);
    const cal = ctx.ref.calendarFor(unitId);
    const limit = { amount, unit };
    return {
      start: new Date(start).toISOString(), limit,
      deadline: new Date(addLimit(cal, start, limit)).toISOString(),
      warningAt: new Date(warningAt(cal, start, limit)).toISOString(),
      startsInWorkTime: isWorkTime(cal, start),
      calendar: { unitId: unitId ?? null, workPeriods: cal.data.workPeriods.map((p) => ({ start: p.start, end: p.end })), dayCounting: cal.dayCounting },
    };
  });

  app.put('/api/v1/calendar/days/:date', {
    config: MANAGE,
    schema: {
      tags: ['calendar'],
      summary: 'Set one day by hand: a public holiday, a make-up working day (a weekend day) or normal again — with a reason',
      description: 'Checked against the live calendar before anything is written (400 names the field: `kind` when a weekday would be a '
        + 'make-up day, `reason` when it is missing). One transaction: the day, the reference version and a `calendar.day_changed` event '
        + '(from, to, reason, by). New clocks use it at once; running clocks keep their deadlines.',
      params: CalendarDayParams,
      body: CalendarDayBody,
      response: { 200: CalendarDayDto, ...ERRORS },
    },
  }, async (req) => setCalendarDay(ctx, { date: req.params.date, ...req.body }, principalOf(req).userId));

  app.get('/api/v1/calendar/settings', {
    config: MANAGE,
    schema: {
      tags: ['calendar'],
      summary: 'The work-time settings in force: work periods, weekend, day counting, units that keep other hours — and the stored values that could not be used',
      response: { 200: CalendarSettingsDto, ...ERRORS },
    },
  }, async () => settingsView());

  app.put('/api/v1/calendar/settings', {
    config: MANAGE,
    schema: {
      tags: ['calendar'],
      summary: 'Change the work-time settings (an omitted field keeps its value); new clocks use them at once',
      description: 'Validated whole before anything is written (400 names the field, e.g. `workPeriods[1].start`, `unitWorkPeriods[0].unitId`, '
        + '`weekendDays` when a make-up workday would become a weekday). One transaction: the settings rows, the reference version and a '
        + '`calendar.settings_changed` event. Running clocks keep their deadlines.',
      body: CalendarSettingsBody,
      response: { 200: CalendarSettingsDto, ...ERRORS },
    },
  }, async (req) => {
    const { unitWorkPeriods, ...rest } = req.body;
    const change = {
      ...rest,
      // The console sends back what it read (with the unit's name); the name is not a setting.
      ...(unitWorkPeriods ? { unitWorkPeriods: unitWorkPeriods.map(({ unitName: _name, ...u }) => u) } : {}),
    };
    await updateCalendarSettings(ctx, change, principalOf(req).userId);
    return settingsView();
  });
}

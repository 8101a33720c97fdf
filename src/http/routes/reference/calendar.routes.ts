/**
 * The live work calendar (domain.md §5): one year's work days, holidays and make-up workdays, and a deadline
 * computed on it — the quickest way to check an imported calendar before cases depend on it.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { invalid } from '../../../domain/errors.ts';
import { addLimit, isWorkTime, warningAt } from '../../../domain/deadline/index.ts';
import { ErrorResponse } from '../common.schema.ts';
import { LIMIT_UNITS, StrEnum } from './reference.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };
const READ = { permission: 'case.read' } as const;

export async function calendarRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/calendar', {
    config: READ,
    schema: {
      tags: ['calendar'], summary: 'One year of the work calendar: work periods, weekend, holidays (法定节假日) and make-up workdays (调休上班)',
      querystring: Type.Object({
        year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 9999, description: 'Year; default the current local year' })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          year: Type.Integer(), utcOffsetMinutes: Type.Integer(),
          workPeriods: Type.Array(Type.Object({ start: Type.String(), end: Type.String() }), { description: 'Local work periods of a work day' }),
          weekendDays: Type.Array(Type.Integer(), { description: '0 = Sunday … 6 = Saturday' }),
          holidays: Type.Array(Type.Object({ date: Type.String(), name: Type.Union([Type.String(), Type.Null()]) })),
          makeUpWorkdays: Type.Array(Type.String()),
        }),
        ...ERRORS,
      },
    },
  }, async (req) => {
    const d = ctx.ref.current().calendar.data;
    const year = req.query.year ?? new Date(ctx.clock.now() + d.utcOffsetMinutes * 60_000).getUTCFullYear();
    const inYear = (date: string) => date.startsWith(`${year}-`);
    return {
      year, utcOffsetMinutes: d.utcOffsetMinutes,
      workPeriods: d.workPeriods.map((p) => ({ start: p.start, end: p.end })),
      weekendDays: [...d.weekendDays],
      holidays: d.holidays.filter((h) => inYear(h.date)).map((h) => ({ date: h.date, name: h.name ?? null })),
      makeUpWorkdays: d.makeUpWorkdays.filter(inYear),
    };
  });

  app.get('/api/v1/calendar/deadline', {
    config: READ,
    schema: {
      tags: ['calendar'], summary: 'The deadline of a time limit started at an instant, on the live calendar (and its yellow-warning time)',
      querystring: Type.Object({
        start: Type.String({ format: 'date-time', description: 'Start instant, ISO 8601 with offset, e.g. 2026-09-30T10:00:00+08:00' }),
        amount: Type.Number({ exclusiveMinimum: 0, maximum: 10000, description: 'Amount of time' }),
        unit: StrEnum(LIMIT_UNITS, 'Unit: work time follows the calendar, natural time does not'),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          start: Type.String(), limit: Type.Object({ amount: Type.Number(), unit: Type.String() }),
          deadline: Type.String({ description: 'ISO 8601 (UTC)' }), warningAt: Type.String({ description: 'When 80 % is used up (yellow)' }),
          startsInWorkTime: Type.Boolean({ description: 'False: work time starts counting at the next work period' }),
        }),
        ...ERRORS,
      },
    },
  }, async (req) => {
    const { amount, unit } = req.query;
    const start = Date.parse(req.query.start);
    if (!Number.isFinite(start)) throw invalid('start', 'is not a valid ISO 8601 instant');
    const cal = ctx.ref.current().calendar;
    const limit = { amount, unit };
    return {
      start: new Date(start).toISOString(), limit,
      deadline: new Date(addLimit(cal, start, limit)).toISOString(),
      warningAt: new Date(warningAt(cal, start, limit)).toISOString(),
      startsInWorkTime: isWorkTime(cal, start),
    };
  });
}

/** importCalendar: one year's holidays and make-up working days replace that year's rows; deadlines use them at once. */
import { parseCalendarImport, type CalendarImport } from '../domain/deadline/index.ts';
import type { AppContext } from '../core/context.ts';
import { bumpReferenceVersion } from '../core/reference.ts';
import type { DbOrTrx } from '../storage/db.ts';
import { appendOutbox } from '../storage/repositories/outbox.repository.ts';
import { writeSetting } from '../storage/repositories/reference.repository.ts';

export async function writeCalendarYear(trx: DbOrTrx, cal: CalendarImport): Promise<void> {
  await trx.deleteFrom('calendar_days').where('date', '>=', `${cal.year}-01-01`).where('date', '<=', `${cal.year}-12-31`).execute();
  const rows = [
    ...cal.holidays.map((h) => ({ date: h.date, kind: 'holiday' as const, name: h.name })),
    ...cal.makeUpWorkdays.map((d) => ({ date: d, kind: 'workday' as const, name: '调休上班' })),
  ];
  if (rows.length) await trx.insertInto('calendar_days').values(rows).execute();
  await writeSetting(trx, 'weekend_days', cal.weekendDays);
}

export async function importCalendar(ctx: AppContext, json: unknown, actorId: string | null) {
  const cal = parseCalendarImport(json);
  await ctx.db.transaction().execute(async (trx) => {
    await writeCalendarYear(trx, cal);
    await bumpReferenceVersion(trx);
    await appendOutbox(trx, {
      topic: 'calendar.imported', caseId: null, unitIds: [], regionIds: [],
      payload: { year: cal.year, holidays: cal.holidays.length, makeUpWorkdays: cal.makeUpWorkdays.length, by: actorId }, at: ctx.clock.now(),
    });
  });
  await ctx.ref.load();
  return { year: cal.year, holidays: cal.holidays.length, makeUpWorkdays: cal.makeUpWorkdays.length };
}

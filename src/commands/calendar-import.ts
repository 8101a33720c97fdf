/**
 * importCalendar: one year's holidays and make-up working days replace that year's rows, and the weekly rest days
 * are set; deadlines use them at once. Everything is validated before anything is written — the import as a whole
 * (parseCalendarImport) and the calendar it would make together with the other years (compileCalendar) — so a
 * refused import leaves nothing behind.
 */
import { applyCalendarImport, parseCalendarImport } from '../domain/deadline/index.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function importCalendar(ctx: AppContext, json: unknown, actorId: string | null) {
  const cal = parseCalendarImport(json);
  // The calendar this import would make (the other years' days, this year's new ones, the new weekly pattern) must
  // compile before anything is written.
  applyCalendarImport(ctx.ref.current().calendar.data, cal);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.admin.replaceCalendarYear(cal.year, cal);
    await tx.admin.writeCalendarSetting('weekend_days', cal.weekendDays);
    await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('calendar.imported', {
      year: cal.year, holidays: cal.holidays.length, makeUpWorkdays: cal.makeUpWorkdays.length, by: actorId,
    }, now));
  });
  await ctx.ref.load();
  return { year: cal.year, holidays: cal.holidays.length, makeUpWorkdays: cal.makeUpWorkdays.length };
}

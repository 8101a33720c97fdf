/**
 * importCalendar: one year's holidays and make-up working days replace that year's rows, and the weekly rest days
 * are set; deadlines use them at once. Everything is validated before anything is written — the import as a whole
 * (parseCalendarImport) and the calendar it would make together with the other years (compileCalendar) — so a
 * refused import leaves nothing behind.
 */
import { compileCalendar, parseCalendarImport } from '../domain/deadline/index.ts';
import { DomainError } from '../domain/errors.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function importCalendar(ctx: AppContext, json: unknown, actorId: string | null) {
  const cal = parseCalendarImport(json);
  // The calendar this import would make: the other years' days, this year's new ones, the new weekly pattern.
  const current = ctx.ref.current().calendar.data;
  const inYear = (d: string) => d.startsWith(`${cal.year}-`);
  try {
    compileCalendar({
      ...current,
      weekendDays: cal.weekendDays,
      holidays: [...current.holidays.filter((h) => !inYear(h.date)), ...cal.holidays],
      makeUpWorkdays: [...current.makeUpWorkdays.filter((d) => !inYear(d)), ...cal.makeUpWorkdays],
    });
  } catch (err) {
    if (err instanceof DomainError) throw new DomainError(err.code, `calendar: ${err.message}; nothing was imported`, { field: err.field, details: err.details });
    throw err;
  }
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

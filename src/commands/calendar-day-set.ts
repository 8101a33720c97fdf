/**
 * setCalendarDay: an administrator makes one day a public holiday, a make-up working day or a normal day again, with
 * a reason. Checked by the domain against the live calendar (applyCalendarDay: the calendar it would make must
 * compile) before anything is written; then ONE transaction: the day's row, the reference version and a
 * `calendar.day_changed` event carrying what it was, what it is, the reason and who. New clocks use it at once.
 */
import { applyCalendarDay } from '../domain/deadline/index.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function setCalendarDay(ctx: AppContext, input: { date: string; kind: string; reason: string }, actorId: string | null) {
  const { change, previous } = applyCalendarDay(ctx.ref.current().calendar.data, input);
  const now = ctx.clock.now();
  const referenceVersion = await ctx.store.transaction(async (tx) => {
    await tx.admin.setCalendarDay(change.date, change.kind === 'normal' ? null : { kind: change.kind, name: change.reason });
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('calendar.day_changed', {
      date: change.date, from: previous, to: change.kind, reason: change.reason, referenceVersion: version, by: actorId,
    }, now));
    return version;
  });
  await ctx.ref.load();
  return { ...change, previous, referenceVersion };
}

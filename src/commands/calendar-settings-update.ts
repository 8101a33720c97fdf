/**
 * updateCalendarSettings: a city's work time — the work periods of a work day, the weekly rest days, how limits in
 * days are counted, and the units that keep other hours (domain.md §5). The change is validated whole by the domain
 * (applyCalendarSettings, against the live calendar and unit register) before anything is written; then, in ONE
 * transaction, the changed settings rows, the reference version and a `calendar.settings_changed` event. New clocks
 * use the settings at once (this node reloads now, the others within seconds); running clocks keep their deadlines.
 */
import { applyCalendarSettings, type CalendarSettingsChange } from '../domain/deadline/calendar-settings.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function updateCalendarSettings(ctx: AppContext, change: CalendarSettingsChange, actorId: string | null) {
  const ref = ctx.ref.current();
  const applied = applyCalendarSettings(ref.calendar.data, ref.calendarSettings.unitWorkPeriods, change, (id) => ref.units.has(id));
  const keys = Object.keys(applied.writes) as (keyof typeof applied.writes)[];
  if (keys.length > 0) {
    const now = ctx.clock.now();
    await ctx.store.transaction(async (tx) => {
      for (const key of keys) await tx.admin.writeCalendarSetting(key, applied.writes[key]);
      const version = await tx.settings.bumpReferenceVersion();
      await tx.outbox.append(configEvent('calendar.settings_changed', { changed: keys, referenceVersion: version, by: actorId }, now));
    });
    await ctx.ref.load();
  }
  return { changed: keys };
}

/**
 * replaceRecurrenceSettings: the city's recurrence rule (radius, N in M days) and the sizes of 每月一题 and 未诉先办
 * replace the stored ones as a whole. Validated before anything is written; one transaction with the settings row,
 * the reference version and a `decide.settings_replaced` event. New reports are judged by them at once; problems
 * already found stay until a rebuild (`rebuildDecisionSupport`) recomputes them all.
 */
import { parseRecurrenceSettings, type RecurrenceSettings } from '../domain/recurrence/settings.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replaceRecurrenceSettings(ctx: AppContext, input: unknown, actorId: string | null): Promise<RecurrenceSettings> {
  const settings = parseRecurrenceSettings(input);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.settings.write('recurrence_settings', settings);
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('decide.settings_replaced', { referenceVersion: version, by: actorId, actorId }, now));
  });
  await ctx.ref.load();
  return ctx.ref.current().recurrence;
}

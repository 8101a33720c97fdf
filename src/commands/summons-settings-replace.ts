/**
 * replaceSummonsSettings: the city's summons limits (per kind of whistle) and check-in radius replace the stored ones
 * as a whole. Validated before anything is written; one transaction with the settings row, the reference version and
 * a `summons.settings_replaced` event. New summonses use them at once (open ones keep the deadline they were given).
 */
import { parseSummonsSettings, type SummonsSettings } from '../domain/summons/settings.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replaceSummonsSettings(ctx: AppContext, input: unknown, actorId: string | null): Promise<SummonsSettings> {
  const settings = parseSummonsSettings(input);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.settings.write('summons_settings', settings);
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('summons.settings_replaced', { referenceVersion: version, by: actorId }, now));
  });
  await ctx.ref.load();
  return ctx.ref.current().summons;
}

/**
 * replaceDeskSettings: the city's callback retries, appeal window and supervision answer limits replace the stored
 * ones as a whole (domain/callback/settings.ts). Validated before anything is written; one transaction with the
 * settings row, the reference version and a `desks.settings_replaced` event.
 */
import { parseDeskSettings, type DeskSettings } from '../domain/callback/settings.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replaceDeskSettings(ctx: AppContext, input: unknown, actorId: string | null): Promise<DeskSettings> {
  const settings = parseDeskSettings(input);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.settings.write('desk_settings', settings);
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('desks.settings_replaced', { referenceVersion: version, by: actorId, actorId }, now));
  });
  await ctx.ref.load();
  return ctx.ref.current().desks;
}

/**
 * replaceVitalSettings: the lines of the city's vital signs and the crowd tiers (issue 11 parts 6–7;
 * src/domain/sensing/vital-settings.ts) replace the stored ones as a whole. Validated first (field named); one
 * transaction with the settings row, the reference version and a config event; the big screen uses them at once.
 */
import { parseVitalSettings, type VitalSettings } from '../domain/sensing/vital-settings.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replaceVitalSettings(ctx: AppContext, input: unknown, actorId: string | null): Promise<VitalSettings> {
  const settings = parseVitalSettings(input);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.settings.write('sensing_vital_settings', settings);
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('sensing_vital_settings.replaced', { referenceVersion: version, actorId }, now));
  });
  await ctx.ref.load();
  return ctx.ref.current().vitalSettings;
}

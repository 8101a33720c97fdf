/**
 * replaceEmergencySettings: which urgencies ring and each level's minutes to acknowledge (settings row
 * emergency_alerting) replace the stored ones. Validated before anything is written; one transaction with the
 * reference version and an `emergency.settings_replaced` event; every node reloads it.
 */
import { parseEmergencyPolicy, type EmergencyPolicy } from '../domain/alerting/emergency.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replaceEmergencySettings(ctx: AppContext, input: unknown, actorId: string | null): Promise<EmergencyPolicy> {
  const policy = parseEmergencyPolicy(input, 'body');
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.settings.write('emergency_alerting', policy);
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('emergency.settings_replaced', { referenceVersion: version, by: actorId }, now));
  });
  await ctx.ref.load();
  return ctx.ref.current().emergencyAlerting;
}

/**
 * replaceEmergencyWords: the city's emergency words for the seat (src/domain/hotline/emergency.ts) replace the stored
 * ones as a whole. Validated before anything is written; one transaction with the settings row, the reference
 * version and a `hotline.emergency_words_replaced` event. The seats' suggestions use them at once.
 */
import { parseEmergencyWords, type EmergencyWords } from '../domain/hotline/emergency.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replaceEmergencyWords(ctx: AppContext, input: unknown, actorId: string | null): Promise<EmergencyWords> {
  const words = parseEmergencyWords(input);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.settings.write('emergency_words', words);
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('hotline.emergency_words_replaced', { referenceVersion: version, by: actorId }, now));
  });
  await ctx.ref.load();
  return ctx.ref.current().emergencyWords;
}

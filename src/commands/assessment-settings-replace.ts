/**
 * replaceAssessmentSettings: the city's assessment settings (whether units are ranked) replace the stored ones as a
 * whole. Validated first; one transaction with the settings row, the reference version and an
 * `assessment.settings_replaced` event; the cache reloads.
 */
import { parseAssessmentSettings, type AssessmentSettings } from '../domain/assessment/settings.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replaceAssessmentSettings(ctx: AppContext, input: unknown, actorId: string | null): Promise<AssessmentSettings> {
  const settings = parseAssessmentSettings(input);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.settings.write('assessment_settings', settings);
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('assessment.settings_replaced', { referenceVersion: version, by: actorId, actorId }, now));
  });
  await ctx.ref.load();
  return ctx.ref.current().assessment;
}

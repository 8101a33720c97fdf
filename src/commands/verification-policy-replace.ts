/**
 * replaceVerificationPolicy: which reports wait for an on-site verification (src/domain/case/verification-policy.ts)
 * replaces the stored policy as a whole. Validated before anything is written; one transaction with the settings
 * row, the reference version and a `verification_policy.replaced` event. Cases in ACCEPTED follow it at once.
 */
import { parseVerificationPolicy, type VerificationPolicy } from '../domain/case/verification-policy.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replaceVerificationPolicy(ctx: AppContext, input: unknown, actorId: string | null): Promise<VerificationPolicy> {
  const policy = parseVerificationPolicy(input);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.settings.write('verification_policy', policy);
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('verification_policy.replaced', { referenceVersion: version, by: actorId }, now));
  });
  await ctx.ref.load();
  return ctx.ref.current().verificationPolicy;
}

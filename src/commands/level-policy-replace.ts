/**
 * replaceLevelPolicy: which level of platform handles a new case (src/domain/levels) replaces the stored policy as a
 * whole. Validated before anything is written; one transaction with the settings row, the reference version and a
 * `levels.policy_replaced` event. New cases use it at once; existing cases keep their platform.
 */
import { parseLevelPolicy, type LevelPolicy } from '../domain/levels/levels.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replaceLevelPolicy(ctx: AppContext, input: unknown, actorId: string | null): Promise<LevelPolicy> {
  const policy = parseLevelPolicy(input);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.settings.write('platform_levels', policy);
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('levels.policy_replaced', { referenceVersion: version, by: actorId }, now));
  });
  await ctx.ref.load();
  return ctx.ref.current().levelPolicy;
}

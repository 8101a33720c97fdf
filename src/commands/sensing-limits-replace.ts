/**
 * replaceSensingLimits: the city's limits for sensing's data plane (issue 11; src/domain/sensing/reading-limits.ts) —
 * future skew, oldest reading, batch size, flood control, retention, offline factor. The fields sent replace the
 * stored ones (the rest keep their value); validated first, naming the field. One transaction with the settings row,
 * the reference version and a config event; the ingester and the jobs read them from the reference cache.
 */
import { parseSensingLimits, type SensingLimits } from '../domain/sensing/reading-limits.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replaceSensingLimits(ctx: AppContext, input: unknown, actorId: string | null): Promise<SensingLimits> {
  const limits = parseSensingLimits(input, 'body', ctx.ref.current().sensingLimits);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.settings.write('sensing_limits', limits);
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('sensing_limits.replaced', { referenceVersion: version, actorId, limits }, now));
  });
  await ctx.ref.load();
  return ctx.ref.current().sensingLimits;
}

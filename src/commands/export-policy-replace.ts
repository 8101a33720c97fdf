/**
 * replaceExportPolicy: the city's export limits (approval threshold, ceiling, how long files are kept) replace the
 * stored ones as a whole. Validated first; one transaction with the settings row, the reference version and an
 * `export.policy_replaced` event; the cache reloads.
 */
import { parseExportPolicy, type ExportPolicy } from '../domain/export/export.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replaceExportPolicy(ctx: AppContext, input: unknown, actorId: string | null): Promise<ExportPolicy> {
  const policy = parseExportPolicy(input);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.settings.write('export_policy', policy);
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('export.policy_replaced', { referenceVersion: version, by: actorId, actorId }, now));
  });
  await ctx.ref.load();
  return ctx.ref.current().exportPolicy;
}

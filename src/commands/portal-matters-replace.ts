/**
 * replacePortalMatters: which matters the citizen portal offers (src/domain/catalog/portal-matters.ts) replaces the
 * stored setting as a whole. Validated before anything is written; one transaction with the settings row, the
 * reference version and a `portal_matters.replaced` event (payload.actorId).
 */
import { parsePortalMatters, type PortalMatters } from '../domain/catalog/portal-matters.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replacePortalMatters(ctx: AppContext, input: unknown, actorId: string | null): Promise<PortalMatters> {
  const setting = parsePortalMatters(input);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.settings.write('portal_matters', setting);
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('portal_matters.replaced', { referenceVersion: version, actorId, by: actorId }, now));
  });
  await ctx.ref.load();
  return ctx.ref.current().portalMatters;
}

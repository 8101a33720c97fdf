/** Stops a webhook: no new deliveries are fanned out, and pending ones are marked failed when next due. */
import { notFound } from '../domain/errors.ts';
import type { AppContext } from '../runtime/context.ts';
import { type SubscriptionRow } from '../storage/repositories/webhook.repository.ts';

export async function deactivateWebhook(ctx: AppContext, id: string): Promise<SubscriptionRow> {
  const row = await ctx.store.webhooks.findSubscription(id);
  if (!row) throw notFound('webhook', id);
  if (row.active) await ctx.store.webhooks.setSubscriptionActive(id, false);
  return { ...row, active: 0 };
}

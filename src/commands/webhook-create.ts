/** Registers a department system's webhook. The secret is returned once here; it is stored to sign deliveries. */
import { invalidAs } from '../domain/errors.ts';
import { newId, randomToken } from '../security/tokens.ts';
import type { AppContext } from '../runtime/context.ts';
import { toJson } from '../storage/codec.ts';
import { type SubscriptionRow } from '../storage/repositories/webhook.repository.ts';
import { CASE_TOPICS, WEBHOOK_TOPICS, webhookUrlProblem } from '../intake/department/webhook.policy.ts';

export interface CreateWebhookInput { name: string; url: string; topics?: string[]; unitIds?: string[] }

export async function createWebhook(ctx: AppContext, input: CreateWebhookInput, actorId: string | null): Promise<{ row: SubscriptionRow; secret: string }> {
  const name = input.name.trim();
  if (!name || name.length > 100) throw invalidAs('name', { key: 'field.1_100_characters' }, 'must be 1–100 characters');
  const problem = webhookUrlProblem(input.url);
  if (problem) throw invalidAs('url', problem, problem.message);
  const topics = input.topics?.length ? [...new Set(input.topics)] : [...CASE_TOPICS];
  topics.forEach((t, i) => {
    if (!(WEBHOOK_TOPICS as readonly string[]).includes(t)) throw invalidAs(`topics[${i}]`, { key: 'webhook-create.unknown_topic_one', params: { t: String(t), allowed: WEBHOOK_TOPICS.join(', ') } }, `unknown topic "${t}" (one of ${WEBHOOK_TOPICS.join(', ')})`);
  });
  const ref = ctx.ref.current();
  const unitIds = input.unitIds?.length ? [...new Set(input.unitIds)] : null;
  unitIds?.forEach((u, i) => { if (!ref.units.has(u)) throw invalidAs(`unitIds[${i}]`, { key: 'field.unknown_unit_2', params: { u: String(u) } }, `unknown unit "${u}"`); });
  const secret = `whsec_${randomToken(32)}`;
  const row: SubscriptionRow = {
    id: newId('whk'), name, url: input.url, secret, topics: toJson(topics), unit_ids: unitIds ? toJson(unitIds) : null, active: 1,
    created_by: actorId, created_at: ctx.clock.now(),
    // A new subscription receives changes from now on, not the whole history.
    cursor: await ctx.store.outbox.lastId(),
  };
  await ctx.store.webhooks.insertSubscription(row);
  return { row, secret };
}

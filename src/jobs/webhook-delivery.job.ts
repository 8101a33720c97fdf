/**
 * Webhook delivery for department systems, in two idempotent steps.
 * (a) Fan-out: each active subscription tails the outbox from its cursor (≤ 500 rows per run), inserts one
 *     pending delivery per matching event (unique per subscription and outbox row) and advances the cursor, in
 *     one transaction per subscription, claimed with FOR UPDATE SKIP LOCKED on PostgreSQL.
 * (b) Send: due deliveries (≤ 50 per run, 5 at a time) are claimed and their attempt recorded before the POST,
 *     so two workers never send the same one; 2xx → delivered, anything else → retried with backoff, dead after
 *     MAX_ATTEMPTS. A receiver may still see a delivery twice (a crash between its 2xx and our write): it
 *     de-duplicates by X-CityOps-Delivery / the event id.
 */
import type { AppContext } from '../runtime/context.ts';
import { fromJson } from '../storage/codec.ts';
import { type DeliveryRow, type SubscriptionRow } from '../storage/repositories/webhook.repository.ts';
import { MAX_ATTEMPTS, advanceCursor, backoffMs, matchesSubscription, signWebhook } from '../intake/department/webhook.policy.ts';

export interface WebhookRunResult { fannedOut: number; attempted: number; delivered: number; retrying: number; dead: number; failed: number }

export interface WebhookRunOptions {
  now?: number;
  fetchImpl?: typeof fetch;
  /** Jitter source, [0, 1). */
  random?: () => number;
  fanOutBatch?: number;
  sendLimit?: number;
  concurrency?: number;
  timeoutMs?: number;
}

/** A claimed delivery whose worker died is tried again after this long (longer than the request timeout). */
const LEASE_MS = 60_000;

export async function runWebhookDelivery(ctx: AppContext, opts: WebhookRunOptions = {}): Promise<WebhookRunResult> {
  const now = opts.now ?? ctx.clock.now();
  const res: WebhookRunResult = { fannedOut: 0, attempted: 0, delivered: 0, retrying: 0, dead: 0, failed: 0 };
  for (const id of await ctx.store.webhooks.activeSubscriptionIds()) res.fannedOut += await fanOut(ctx, id, now, opts.fanOutBatch ?? 500);
  await send(ctx, now, opts, res);
  return res;
}

/** The in-process schedule (registry.ts): never overlaps itself; a failure is logged and the next tick retries. */
export function scheduleWebhookDelivery(ctx: AppContext, intervalMs: number): NodeJS.Timeout {
  let running = false;
  return setInterval(() => {
    if (running) return;
    running = true;
    runWebhookDelivery(ctx)
      .then((r) => { if (r.attempted > 0) ctx.log.info(r, `webhooks: ${r.delivered} delivered, ${r.retrying} to retry, ${r.dead} dead`); })
      .catch((err) => ctx.log.error(err, 'webhook delivery failed'))
      .finally(() => { running = false; });
  }, intervalMs);
}

async function fanOut(ctx: AppContext, subscriptionId: string, now: number, batch: number): Promise<number> {
  return ctx.store.transaction(async (tx) => {
    const sub = await tx.webhooks.claimSubscription(subscriptionId);
    if (!sub) return 0; // deactivated meanwhile, or another worker is fanning it out
    const cursor = Number(sub.cursor);
    const rows = await tx.outbox.readAfter(cursor, batch);
    if (rows.length === 0) return 0;
    const filter = { topics: fromJson<string[]>(sub.topics, []), unitIds: fromJson<string[] | null>(sub.unit_ids, null) };
    const deliveries = rows.filter((r) => matchesSubscription(r, filter)).map((r) => ({
      subscription_id: sub.id, outbox_id: r.id, topic: r.topic, status: 'pending' as const, attempts: 0,
      next_attempt_at: now, last_status_code: null, last_error: null, created_at: now, delivered_at: null,
    }));
    const n = deliveries.length ? await tx.webhooks.insertDeliveries(deliveries) : 0;
    const next = advanceCursor(cursor, rows, now);
    if (next !== cursor) await tx.webhooks.setCursor(sub.id, next);
    return n;
  });
}

async function send(ctx: AppContext, now: number, opts: WebhookRunOptions, res: WebhookRunResult): Promise<void> {
  const claimed = await ctx.store.transaction((tx) => tx.webhooks.claimDueDeliveries(now, now + LEASE_MS, opts.sendLimit ?? 50));
  if (claimed.length === 0) return;
  const outbox = await ctx.store.webhooks.outboxRowsById([...new Set(claimed.map((d) => d.outbox_id))]);
  const subs = new Map<string, SubscriptionRow | undefined>();
  for (const id of new Set(claimed.map((d) => d.subscription_id))) subs.set(id, await ctx.store.webhooks.findSubscription(id));
  const queue = [...claimed];
  const worker = async () => {
    for (let d = queue.shift(); d; d = queue.shift()) {
      try {
        await deliverOne(ctx, d, subs.get(d.subscription_id), outbox.get(d.outbox_id), now, opts, res);
      } catch (err) {
        ctx.log.error(err, `webhook delivery ${d.id} could not be recorded`); // its lease expires; it is retried
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 5, claimed.length) }, worker));
}

async function deliverOne(
  ctx: AppContext, d: DeliveryRow, sub: SubscriptionRow | undefined, event: { topic: string; payload: string; created_at: number } | undefined,
  now: number, opts: WebhookRunOptions, res: WebhookRunResult,
): Promise<void> {
  if (!sub || !sub.active || !event) {
    res.failed++;
    const error = !event ? 'outbox event no longer exists' : 'subscription deactivated';
    await ctx.store.webhooks.recordAttempt(d.id, { status: 'failed', nextAttemptAt: null, statusCode: null, error, deliveredAt: null });
    return;
  }
  res.attempted++;
  const body = JSON.stringify({ id: d.outbox_id, topic: event.topic, at: new Date(event.created_at).toISOString(), data: JSON.parse(event.payload) });
  const timestamp = Math.floor(now / 1000);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 5000);
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const r = await (opts.fetchImpl ?? fetch)(sub.url, {
      method: 'POST', body, signal: controller.signal, redirect: 'manual',
      headers: {
        'Content-Type': 'application/json', 'User-Agent': 'CityOps-Webhooks/1', 'X-CityOps-Event': event.topic,
        'X-CityOps-Delivery': String(d.id), 'X-CityOps-Timestamp': String(timestamp),
        'X-CityOps-Signature': signWebhook(sub.secret, timestamp, body),
      },
    });
    statusCode = r.status;
    await r.body?.cancel().catch(() => {}); // the answer's body is not used; free the connection
    if (r.status < 200 || r.status > 299) error = `HTTP ${r.status}`;
  } catch (err) {
    error = controller.signal.aborted ? `timeout after ${opts.timeoutMs ?? 5000} ms` : String((err as Error)?.message ?? err).slice(0, 500);
  } finally {
    clearTimeout(timer);
  }
  if (error === null) {
    res.delivered++;
    await ctx.store.webhooks.recordAttempt(d.id, { status: 'delivered', nextAttemptAt: null, statusCode, error: null, deliveredAt: ctx.clock.now() });
  } else if (d.attempts >= MAX_ATTEMPTS) {
    res.dead++;
    await ctx.store.webhooks.recordAttempt(d.id, { status: 'dead', nextAttemptAt: null, statusCode, error, deliveredAt: null });
  } else {
    res.retrying++;
    const next = now + backoffMs(d.attempts, (opts.random ?? Math.random)());
    await ctx.store.webhooks.recordAttempt(d.id, { status: 'pending', nextAttemptAt: next, statusCode, error, deliveredAt: null });
  }
}

/**
 * Department systems: webhook subscriptions, their delivery log, and the sender's lookup of its own pushed case.
 * Claims use FOR UPDATE SKIP LOCKED on PostgreSQL so several workers never take the same row; SQLite has one writer.
 */
import type { Insertable, Selectable } from 'kysely';
import type { Conn } from '../db.ts';
import type { WebhookDeliveryTable, WebhookSubscriptionTable } from '../schema.ts';
import type { CaseRow } from './case.repository.ts';

export type SubscriptionRow = Selectable<WebhookSubscriptionTable>;
export type DeliveryRow = Selectable<WebhookDeliveryTable>;
export type DeliveryStatus = WebhookDeliveryTable['status'];

export async function insertSubscription({ db }: Conn, row: Insertable<WebhookSubscriptionTable>): Promise<void> {
  await db.insertInto('webhook_subscriptions').values(row).execute();
}

export async function listSubscriptions({ db }: Conn): Promise<SubscriptionRow[]> {
  return db.selectFrom('webhook_subscriptions').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function findSubscription({ db }: Conn, id: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setSubscriptionActive({ db }: Conn, id: string, active: boolean): Promise<void> {
  await db.updateTable('webhook_subscriptions').set({ active: active ? 1 : 0 }).where('id', '=', id).execute();
}

export async function activeSubscriptionIds({ db }: Conn): Promise<string[]> {
  const rows = await db.selectFrom('webhook_subscriptions').select('id').where('active', '=', 1).orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** Locks one active subscription for its fan-out; undefined when inactive or another worker holds it. */
export async function claimSubscription({ db: trx, dialect }: Conn, id: string): Promise<SubscriptionRow | undefined> {
  let q = trx.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).where('active', '=', 1);
  if (dialect === 'postgres') q = q.forUpdate().skipLocked();
  return q.executeTakeFirst();
}

export async function setCursor({ db: trx }: Conn, id: string, cursor: number): Promise<void> {
  await trx.updateTable('webhook_subscriptions').set({ cursor }).where('id', '=', id).execute();
}

/** One row per (subscription, outbox row): a repeat is ignored by the unique key. Returns how many were new. */
export async function insertDeliveries({ db: trx }: Conn, rows: Insertable<WebhookDeliveryTable>[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < rows.length; i += 200) {
    const r = await trx.insertInto('webhook_deliveries').values(rows.slice(i, i + 200))
      .onConflict((oc) => oc.columns(['subscription_id', 'outbox_id']).doNothing()).executeTakeFirst();
    n += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return n;
}

/**
 * Takes up to `limit` due deliveries and marks the attempt before anything is sent: attempts + 1 and a lease
 * (`next_attempt_at = leaseUntil`), committed with the claim. Another worker skips them; if this one dies
 * mid-send, the delivery is tried again when the lease runs out.
 */
export async function claimDueDeliveries({ db: trx, dialect }: Conn, now: number, leaseUntil: number, limit: number): Promise<DeliveryRow[]> {
  let q = trx.selectFrom('webhook_deliveries').selectAll().where('status', '=', 'pending').where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at').orderBy('id').limit(limit);
  if (dialect === 'postgres') q = q.forUpdate().skipLocked();
  const rows = await q.execute();
  if (rows.length === 0) return [];
  await trx.updateTable('webhook_deliveries').set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: leaseUntil }))
    .where('id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), outbox_id: Number(r.outbox_id), attempts: r.attempts + 1, next_attempt_at: leaseUntil }));
}

export async function recordAttempt({ db }: Conn, id: number, r: {
  status: DeliveryStatus; nextAttemptAt: number | null; statusCode: number | null; error: string | null; deliveredAt: number | null;
}): Promise<void> {
  await db.updateTable('webhook_deliveries').set({
    status: r.status, next_attempt_at: r.nextAttemptAt, last_status_code: r.statusCode, last_error: r.error, delivered_at: r.deliveredAt,
  }).where('id', '=', id).execute();
}

export async function listDeliveries({ db }: Conn, subscriptionId: string, opts: { status?: DeliveryStatus; beforeId?: number; limit: number }): Promise<DeliveryRow[]> {
  let q = db.selectFrom('webhook_deliveries').selectAll().where('subscription_id', '=', subscriptionId);
  if (opts.status) q = q.where('status', '=', opts.status);
  if (opts.beforeId) q = q.where('id', '<', opts.beforeId);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

/** The outbox rows behind claimed deliveries (payload and time), by id. */
export async function outboxRowsById({ db }: Conn, ids: number[]): Promise<Map<number, { topic: string; payload: string; created_at: number }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('outbox').select(['id', 'topic', 'payload', 'created_at']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [Number(r.id), { topic: r.topic, payload: r.payload, created_at: Number(r.created_at) }]));
}

/** A sender's case by the sender's own id (the first one, should a sender reuse an id under other Idempotency-Keys). */
export async function findCaseBySender({ db }: Conn, createdBy: string, externalId: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('created_by', '=', createdBy).where('external_id', '=', externalId)
    .orderBy('id').limit(1).executeTakeFirst();
}

/** Per subscription: how many deliveries are in each status (read through the (subscription_id, outbox_id) key). */
export async function deliveryCounts({ db }: Conn, subscriptionIds: string[]): Promise<Map<string, Record<DeliveryStatus, number>>> {
  const out = new Map<string, Record<DeliveryStatus, number>>();
  for (const id of subscriptionIds) out.set(id, { pending: 0, delivered: 0, failed: 0, dead: 0 });
  if (subscriptionIds.length === 0) return out;
  const rows = await db.selectFrom('webhook_deliveries').select(['subscription_id', 'status', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('subscription_id', 'in', subscriptionIds).groupBy(['subscription_id', 'status']).execute();
  for (const r of rows) {
    const c = out.get(r.subscription_id);
    if (c && r.status in c) c[r.status] = Number(r.n);
  }
  return out;
}

/** Per subscription: its newest delivery that failed an attempt (an error or a non-2xx answer), if any. */
export async function lastFailures({ db }: Conn, subscriptionIds: string[]): Promise<Map<string, DeliveryRow>> {
  const out = new Map<string, DeliveryRow>();
  for (const id of subscriptionIds) {
    const row = await db.selectFrom('webhook_deliveries').selectAll().where('subscription_id', '=', id)
      .where((eb) => eb.or([eb('last_error', 'is not', null), eb('status', '=', 'dead')]))
      .orderBy('outbox_id', 'desc').limit(1).executeTakeFirst();
    if (row) out.set(id, row);
  }
  return out;
}

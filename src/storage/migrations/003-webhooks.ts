import type { Dialect } from '../db.ts';
import { serialId, type AnyDb } from './ddl.ts';

/**
 * Department systems (issue 3 §4): outgoing webhook subscriptions and their delivery log. A subscription tails
 * the outbox from its own cursor; each (subscription, outbox row) becomes at most one delivery (unique key), so
 * a re-run of the fan-out never duplicates.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull()) // kept in clear: it is needed to sign every delivery
    .addColumn('topics', 'text', (c) => c.notNull()) // JSON array
    .addColumn('unit_ids', 'text') // JSON array or NULL (no unit filter)
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('cursor', 'bigint', (c) => c.notNull().defaultTo(0)) // last outbox id fanned out
    .execute();

  await serialId(db.schema.createTable('webhook_deliveries'), dialect)
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    .addColumn('outbox_id', 'bigint', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | delivered | failed | dead
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .addUniqueConstraint('webhook_deliveries_sub_outbox', ['subscription_id', 'outbox_id'])
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();

  // GET /api/v1/department/cases/:externalId looks a sender's case up by its own id.
  await db.schema.createIndex('cases_sender_external_id').on('cases').columns(['created_by', 'external_id']).execute();
}

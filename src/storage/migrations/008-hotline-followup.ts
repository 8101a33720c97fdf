import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * Hotline follow-up (issue 3 §1): a case filed from a 12345 call carries the call's feedback deadline (Beijing
 * 接诉即办: 2 h / 24 h / 7 d / 15 d), and a work order can be retried with an Idempotency-Key without a second
 * call row or case (unique per operator and key; NULL keys are not indexed).
 */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('cases').addColumn('feedback_due_at', 'bigint').execute();
  await db.schema.alterTable('hotline_calls').addColumn('idempotency_key', 'text').execute();
  await db.schema.alterTable('hotline_calls').addColumn('request_hash', 'text').execute();
  await db.schema.createIndex('hotline_calls_idem').unique().on('hotline_calls').columns(['created_by', 'idempotency_key'])
    .where(sql.ref('idempotency_key'), 'is not', null).execute();
}

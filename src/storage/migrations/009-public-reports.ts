import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * The citizen portal (issue 4, /portal): one row per case reported there, holding the hash of the private tracking
 * code handed to the citizen once (the code itself is never stored), and the citizen's rating of the result
 * (满意 / 基本满意 / 不满意, once, after the case is closed). `request_hash` fingerprints a report sent with an
 * Idempotency-Key (its fields and the photos' content), so a retry carrying the same photos again is recognised.
 *
 * `public_report_secret` (settings) is a random key generated here once per installation: the tracking code of a
 * report sent with an Idempotency-Key is derived from it and the key, so a retried report answers the same code
 * without the code being stored.
 */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await db.schema.createTable('public_reports')
    .addColumn('case_id', 'bigint', (c) => c.primaryKey())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('rating', 'text')
    .addColumn('rating_comment', 'text')
    .addColumn('rated_at', 'bigint')
    .execute();
  const secret = JSON.stringify(crypto.randomBytes(32).toString('hex'));
  await sql`INSERT INTO settings (key, value) VALUES ('public_report_secret', ${secret})`.execute(db);
}

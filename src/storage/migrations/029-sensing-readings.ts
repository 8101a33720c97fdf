import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import { serialId, type AnyDb } from './ddl.ts';

/**
 * City sensing, the data plane (issue 11 parts 1–2; docs/issue-11/ingestion.md):
 * - `readings`: every accepted reading, one row per device and instant (values as JSON text). The unique
 *   (device_id, at) makes a broker's redelivery after a crash (QoS 1: at least once) a no-op instead of a duplicate.
 *   The serial id is the rollup job's cursor (arrival order) and the retention's boundary (no index on `at` to keep
 *   the insert path to two b-trees).
 * - `reading_rollups`: per device, measurement and minute (res 60000) or hour (res 3600000): count, sum, min, max, so
 *   a year of a device stays queryable without its raw readings.
 * - `device_history`: the device's own history (created, edited, imported, credential rotated, state changes with
 *   their source); the device page shows it.
 * - `device_ingest_stats`: what ingestion accepted and refused per device, by reason, with the last refusal.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await serialId(db.schema.createTable('readings'), dialect)
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('vals', 'text', (c) => c.notNull())
    .execute();
  await sql`CREATE UNIQUE INDEX readings_device_at ON readings (device_id, at)`.execute(db);

  await db.schema.createTable('reading_rollups')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('res', 'integer', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('mkey', 'text', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addColumn('sum', 'double precision', (c) => c.notNull())
    .addColumn('min', 'double precision', (c) => c.notNull())
    .addColumn('max', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('reading_rollups_pk', ['device_id', 'res', 'bucket', 'mkey'])
    .execute();
  await sql`CREATE INDEX reading_rollups_bucket ON reading_rollups (res, bucket)`.execute(db);

  await serialId(db.schema.createTable('device_history'), dialect)
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text')
    .addColumn('detail', 'text')
    .addColumn('actor_id', 'text')
    .execute();
  await sql`CREATE INDEX device_history_device ON device_history (device_id, at)`.execute(db);

  await db.schema.createTable('device_ingest_stats')
    .addColumn('device_id', 'text', (c) => c.primaryKey())
    .addColumn('accepted', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('by_reason', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('last_reason', 'text')
    .addColumn('last_field', 'text')
    .addColumn('last_message', 'text')
    .addColumn('last_rejected_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await sql`CREATE INDEX devices_last_seen ON devices (state, last_seen_at)`.execute(db);
  await sql`INSERT INTO job_cursors (name, cursor, updated_at) VALUES ('reading_rollups', 0, 0)`.execute(db);
}

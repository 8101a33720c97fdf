import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import { serialId, type AnyDb } from './ddl.ts';

/**
 * Field resources (issue 9 §4, docs/issue-9/field-resources.md):
 * - `field_duty`: a person's on-duty sessions from the phone view (上岗 / 下岗); an open session has no end.
 * - `field_latest`: one row per resource (a person `user:<id>`, a vehicle `vehicle:<code>`): on duty or not, and the
 *   latest accepted position with its grid and regions. Upserted by the position writer; read by every node's
 *   in-memory index (rows changed since its last look, by `updated_at`).
 * - `field_track`: every accepted position, kept `retentionDays` (settings `field_limits`); grid placed on arrival
 *   so coverage per shift is a plain range read.
 * - `rosters`: 值班表 entries: person, unit and/or centre region, role on duty, start, end.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await serialId(db.schema.createTable('field_duty'), dialect)
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('region_id', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute();
  await sql`CREATE INDEX field_duty_user ON field_duty (user_id, started_at)`.execute(db);
  await sql`CREATE UNIQUE INDEX field_duty_open ON field_duty (user_id) WHERE ended_at IS NULL`.execute(db);

  await db.schema.createTable('field_latest')
    .addColumn('resource_id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('unit_id', 'text')
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('on_duty', 'integer', (c) => c.notNull())
    .addColumn('duty_since', 'bigint')
    .addColumn('lon', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('at', 'bigint')
    .addColumn('grid_id', 'text')
    .addColumn('community_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('district_id', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX field_latest_updated ON field_latest (updated_at)`.execute(db);

  await serialId(db.schema.createTable('field_track'), dialect)
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('accuracy_m', 'double precision')
    .addColumn('grid_id', 'text')
    .execute();
  await sql`CREATE INDEX field_track_resource ON field_track (resource_id, at)`.execute(db);
  await sql`CREATE INDEX field_track_at ON field_track (at)`.execute(db);

  await serialId(db.schema.createTable('rosters'), dialect)
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('region_id', 'text')
    .addColumn('duty_role', 'text', (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX rosters_user ON rosters (user_id, start_at)`.execute(db);
  await sql`CREATE INDEX rosters_start ON rosters (start_at)`.execute(db);
}

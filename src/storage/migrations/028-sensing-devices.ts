import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * City sensing, the registry (issue 11 part 1; docs/issue-11/): device types with their measurements, and devices
 * with place, attachment, owner unit, state and credential. Readings, rules and alarms have migrations of their own.
 */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await db.schema.createTable('device_types')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('measurements', 'text', (c) => c.notNull())
    .addColumn('scenario', 'text')
    .addColumn('heartbeat_seconds', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type_id', 'text', (c) => c.notNull().references('device_types.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('vendor', 'text')
    .addColumn('model', 'text')
    .addColumn('lon', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('grid_id', 'text')
    .addColumn('community_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('district_id', 'text')
    .addColumn('attachment_kind', 'text')
    .addColumn('attachment_id', 'text')
    .addColumn('scenario', 'text')
    .addColumn('owner_unit_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint')
    .addColumn('secret_hash', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await sql`CREATE INDEX devices_type ON devices (type_id)`.execute(db);
  await sql`CREATE INDEX devices_street ON devices (street_id, state)`.execute(db);
  await sql`CREATE INDEX devices_scenario ON devices (scenario) WHERE scenario IS NOT NULL`.execute(db);
  await sql`CREATE INDEX devices_attachment ON devices (attachment_kind, attachment_id) WHERE attachment_id IS NOT NULL`.execute(db);
}

import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import { serialId, type AnyDb } from './ddl.ts';

/**
 * City sensing, the control plane (issue 11 parts 3–5; docs/issue-11/rules-alarms-video.md): versioned rules (the
 * head row holds the version in force; every save appends an immutable version), alarms from rules and from camera
 * analytics with their own append-only history, and the camera registry.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema.createTable('sensing_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scope_kind', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await sql`CREATE INDEX sensing_rules_enabled ON sensing_rules (enabled)`.execute(db);
  await db.schema.createTable('sensing_rule_versions')
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('sensing_rule_versions_pk', ['rule_id', 'version'])
    .execute();

  await db.schema.createTable('alarms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull()) // iot | video
    .addColumn('device_id', 'text', (c) => c.notNull()) // a device, or a camera for video
    .addColumn('device_type_id', 'text')
    .addColumn('vendor', 'text')
    .addColumn('ai_model', 'text')
    .addColumn('rule_id', 'text')
    .addColumn('rule_version', 'integer')
    .addColumn('rule_name', 'text')
    .addColumn('detection_type', 'text')
    .addColumn('confidence', 'double precision')
    .addColumn('external_id', 'text')
    .addColumn('matter_code', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // raised | cleared
    .addColumn('review', 'text', (c) => c.notNull()) // pending | below_threshold | submitting | case | linked | rejected
    .addColumn('false_alarm', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('false_by', 'text')
    .addColumn('false_at', 'bigint')
    .addColumn('case_id', 'bigint')
    .addColumn('place_key', 'text')
    .addColumn('lon', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('grid_id', 'text')
    .addColumn('community_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('district_id', 'text')
    .addColumn('owner_unit_id', 'text')
    .addColumn('scenario', 'text')
    .addColumn('values', 'text', (c) => c.notNull())
    .addColumn('snapshot_attachment_id', 'text')
    .addColumn('snapshot_url', 'text')
    .addColumn('raised_at', 'bigint', (c) => c.notNull())
    .addColumn('last_raised_at', 'bigint', (c) => c.notNull())
    .addColumn('cleared_at', 'bigint')
    .addColumn('repeat_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await sql`CREATE INDEX alarms_device_rule ON alarms (device_id, rule_id, raised_at)`.execute(db);
  await sql`CREATE INDEX alarms_device_matter ON alarms (device_id, matter_code, raised_at) WHERE case_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX alarms_place ON alarms (place_key, matter_code, raised_at) WHERE place_key IS NOT NULL`.execute(db);
  await sql`CREATE INDEX alarms_open ON alarms (source, state) WHERE state = 'raised'`.execute(db);
  await sql`CREATE INDEX alarms_review ON alarms (review, raised_at)`.execute(db);
  await sql`CREATE INDEX alarms_case ON alarms (case_id) WHERE case_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX alarms_raised ON alarms (raised_at)`.execute(db);
  await sql`CREATE INDEX alarms_snapshot ON alarms (snapshot_attachment_id) WHERE snapshot_attachment_id IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX alarms_external ON alarms (source, external_id) WHERE external_id IS NOT NULL`.execute(db);

  await serialId(db.schema.createTable('alarm_history'), dialect)
    .addColumn('alarm_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX alarm_history_alarm ON alarm_history (alarm_id, id)`.execute(db);

  await db.schema.createTable('cameras')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('direction', 'double precision') // degrees from north, clockwise; null = dome (all round)
    .addColumn('stream_url', 'text')
    .addColumn('grid_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('district_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX cameras_position ON cameras (lon, lat)`.execute(db);
}

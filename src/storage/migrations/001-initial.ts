import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import { serialId, type AnyDb } from './ddl.ts';

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('regions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text')
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('geometry', 'text')
    .addColumn('area_class', 'text')
    .addColumn('fallback_unit_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('regions_parent').on('regions').column('parent_id').execute();

  await db.schema
    .createTable('grids')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('area_m2', 'double precision', (c) => c.notNull())
    .addColumn('area_class', 'text')
    .addColumn('min_lon', 'double precision', (c) => c.notNull())
    .addColumn('min_lat', 'double precision', (c) => c.notNull())
    .addColumn('max_lon', 'double precision', (c) => c.notNull())
    .addColumn('max_lat', 'double precision', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('grids_community').on('grids').column('community_id').execute();

  await db.schema
    .createTable('units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text')
    .addColumn('region_id', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('unit_ids', 'text', (c) => c.notNull())
    .addColumn('region_ids', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('unit_ids', 'text', (c) => c.notNull())
    .addColumn('region_ids', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();

  await db.schema
    .createTable('matter_types')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('class_code', 'text', (c) => c.notNull())
    .addColumn('class_name', 'text', (c) => c.notNull())
    .addColumn('registration_condition', 'text')
    .addColumn('closure_condition', 'text')
    .addColumn('local', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('matter_types_pk', ['kind', 'code'])
    .execute();

  await serialId(db.schema.createTable('time_limits'), dialect)
    .addColumn('matter_code', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('area_class', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('amount', 'double precision', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('basis', 'text')
    .addUniqueConstraint('time_limits_key', ['matter_code', 'stage', 'urgency', 'area_class'])
    .execute();

  await db.schema
    .createTable('parts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('part_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('grid_id', 'text')
    .addColumn('owner_unit_id', 'text')
    .addColumn('maintainer_unit_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('parts_grid').on('parts').column('grid_id').execute();

  await db.schema
    .createTable('rule_versions')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('note', 'text')
    .addColumn('rule_count', 'integer', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('rules')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('matter_code', 'text')
    .addColumn('matter_class', 'text')
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('part_owner_unit_id', 'text')
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('assisting_unit_ids', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('rules_pk', ['version', 'id'])
    .execute();

  await serialId(db.schema.createTable('admission_list'), dialect)
    .addColumn('matter_code', 'text')
    .addColumn('matter_class', 'text')
    .execute();

  await db.schema
    .createTable('calendar_days')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await serialId(db.schema.createTable('cases'), dialect)
    .addColumn('case_no', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('trusted', 'integer', (c) => c.notNull())
    .addColumn('needs_callback', 'integer', (c) => c.notNull())
    .addColumn('matter_kind', 'text', (c) => c.notNull())
    .addColumn('matter_code', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('lon', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('grid_id', 'text')
    .addColumn('community_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('district_id', 'text')
    .addColumn('area_class', 'text')
    .addColumn('part_id', 'text')
    .addColumn('reporter_name', 'text')
    .addColumn('reporter_phone', 'text')
    .addColumn('assigned_unit_id', 'text')
    .addColumn('assisting_unit_ids', 'text', (c) => c.notNull())
    .addColumn('sub_unit_id', 'text')
    .addColumn('routed_unit_id', 'text')
    .addColumn('routing_outcome', 'text')
    .addColumn('rule_id', 'text')
    .addColumn('rule_version', 'integer')
    .addColumn('dispatched_by', 'text')
    .addColumn('dispatched_at', 'bigint')
    .addColumn('return_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('postpone_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rework_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unsatisfied_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('supervision_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_returned_by_unit_id', 'text')
    .addColumn('pending_request', 'text')
    .addColumn('ever_overdue', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('closure_type', 'text')
    .addColumn('closed_at', 'bigint')
    .addColumn('handle_limit_amount', 'double precision')
    .addColumn('handle_limit_unit', 'text')
    .addColumn('handle_started_at', 'bigint')
    .addColumn('handle_warn_at', 'bigint')
    .addColumn('handle_due_at', 'bigint')
    .addColumn('stage', 'text')
    .addColumn('stage_limit_unit', 'text')
    .addColumn('stage_warn_at', 'bigint')
    .addColumn('stage_due_at', 'bigint')
    .addColumn('suspended_at', 'bigint')
    .addColumn('alert_level', 'text', (c) => c.notNull().defaultTo('normal'))
    .addColumn('next_alert_at', 'bigint')
    .addColumn('idempotency_key', 'text')
    .addColumn('external_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // The sweep reads only cases whose next threshold has come: a partial index keeps it small.
  await sql`CREATE INDEX cases_next_alert ON cases (next_alert_at) WHERE next_alert_at IS NOT NULL`.execute(db);
  // Lists are newest first by id (ids grow with time), filtered by state or unit; every index costs each insert.
  await db.schema.createIndex('cases_state_id').on('cases').columns(['state', 'id']).execute();
  await db.schema.createIndex('cases_unit_state').on('cases').columns(['assigned_unit_id', 'state']).execute();
  await db.schema.createIndex('cases_grid').on('cases').columns(['grid_id', 'created_at']).execute();

  await serialId(db.schema.createTable('case_history'), dialect)
    .addColumn('case_id', 'bigint', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('attachment_ids', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_history_case').on('case_history').column('case_id').execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'bigint')
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await serialId(db.schema.createTable('supervisions'), dialect)
    .addColumn('case_id', 'bigint', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('by_user_id', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('supervisions_case').on('supervisions').column('case_id').execute();

  await db.schema
    .createTable('unit_counters')
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('counter', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('unit_counters_pk', ['unit_id', 'counter'])
    .execute();

  await serialId(db.schema.createTable('outbox'), dialect)
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('case_id', 'bigint')
    .addColumn('unit_ids', 'text', (c) => c.notNull())
    .addColumn('region_ids', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('counters')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('idempotency')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('result_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_pk', ['scope', 'key'])
    .execute();

  // The local gazetteer (roads with house numbers, residential compounds, landmarks) for offline geocoding.
  await serialId(db.schema.createTable('places'), dialect)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('community_id', 'text')
    .addColumn('address', 'text')
    .addColumn('lon', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('places_name').on('places').column('name').execute();

  if (dialect === 'postgres') {
    await sql`CREATE SEQUENCE case_no_seq`.execute(db);
  }
}

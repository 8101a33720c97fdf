import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import { serialId, type AnyDb } from './ddl.ts';

/**
 * Summons (吹哨报到, issue 9 part 2; docs/issue-9/summons.md): the summons itself, one row per summoned department
 * (its report and the street's rating, kept for assessment), and the summons's own timeline.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await serialId(db.schema.createTable('summons'), dialect)
    .addColumn('case_id', 'bigint', (c) => c.notNull())
    .addColumn('case_no', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('place_address', 'text')
    .addColumn('place_lon', 'double precision')
    .addColumn('place_lat', 'double precision')
    .addColumn('district_id', 'text')
    .addColumn('street_id', 'text', (c) => c.notNull())
    .addColumn('community_id', 'text')
    .addColumn('issuer_unit_id', 'text')
    .addColumn('issued_by', 'text')
    .addColumn('issued_by_name', 'text')
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('report_limit_minutes', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('outcome_note', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('closed_by_name', 'text')
    .addColumn('closed_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('summons_case').on('summons').columns(['case_id', 'id']).execute();
  await db.schema.createIndex('summons_street').on('summons').columns(['street_id', 'id']).execute();
  // At most one open summons per case: a second whistle waits until the first is closed.
  await sql`CREATE UNIQUE INDEX summons_one_open ON summons (case_id) WHERE state = 'open'`.execute(db);

  await db.schema.createTable('summons_units')
    .addColumn('summons_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('overdue_at', 'bigint')
    .addColumn('reported_at', 'bigint')
    .addColumn('reported_by', 'text')
    .addColumn('reported_by_name', 'text')
    .addColumn('report_mode', 'text')
    .addColumn('report_lon', 'double precision')
    .addColumn('report_lat', 'double precision')
    .addColumn('report_distance_m', 'integer')
    .addColumn('report_note', 'text')
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rating', 'integer')
    .addColumn('rating_comment', 'text')
    .addColumn('rated_by', 'text')
    .addColumn('rated_at', 'bigint')
    .addPrimaryKeyConstraint('summons_units_pk', ['summons_id', 'unit_id'])
    .execute();
  // "Waiting for my unit" and the assessment summary read by unit; the overdue job reads what is due and unreported.
  await db.schema.createIndex('summons_units_unit').on('summons_units').columns(['unit_id', 'issued_at']).execute();
  await sql`CREATE INDEX summons_units_waiting ON summons_units (due_at) WHERE state = 'summoned' AND overdue_at IS NULL`.execute(db);

  await serialId(db.schema.createTable('summons_history'), dialect)
    .addColumn('summons_id', 'bigint', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('summons_history_summons').on('summons_history').columns(['summons_id', 'id']).execute();
}

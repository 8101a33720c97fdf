import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import { serialId, type AnyDb } from './ddl.ts';

/**
 * Issue 10 part A: assessment counting (docs/issue-10/assessment.md).
 *
 * - `assessment_facts`: one row per case, computed by the pure src/domain/assessment/facts.ts from the case and its
 *   history: the slices it counts in (day reported, unit, regions, grid, people, matter class, channel, urgency),
 *   its flags as a bit mask, counts, stage durations and the instants that explain them. Indexed (column, day,
 *   case_id) per dimension so a drill-down page is a keyset range, never a scan of the case table.
 * - `assessment_counters`: per (dimension, day, key) the sums of every case's contribution, one column per counter
 *   (the list is frozen here; src/domain/assessment/counters.ts must match it). Maintained from fact deltas by the
 *   outbox cursor job (src/jobs/assessment-count.job.ts), so indicators never read the case table.
 * - `assessment_formulas`: the score formula's versions, each with the month it takes effect from.
 * - `job_cursors` row `assessment`: where the counting job stands. It starts at 0 so every case with an outbox
 *   event is counted; `cityops assessment rebuild --month` counts a month from history directly.
 */
const FLAGS = [
  'reported', 'accepted', 'valid', 'cancelled', 'self_fixed', 'dispatched', 'dispatched_right', 'to_handle', 'handled',
  'handled_on_time', 'overdue_open', 'closed', 'closed_on_time', 'rework', 'postponed', 'returned', 'signed_on_time',
  'called_back', 'satisfied', 'resolved', 'hung', 'excluded', 'appeal_accepted', 'special_closed', 'verified',
  'verified_on_time', 'checked', 'checked_on_time',
];
const COUNTS = ['buck_passing', 'supervised', 'urged'];
const STAGES = ['dispatch', 'sign', 'handle', 'check', 'total'];
const BUCKETS = 13;
export const COUNTER_COLUMNS_022 = [
  ...FLAGS, ...COUNTS,
  ...STAGES.flatMap((s) => [`d_${s}_n`, `d_${s}_sum`, ...Array.from({ length: BUCKETS }, (_, i) => `d_${s}_b${i}`)]),
];

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema.createTable('assessment_facts')
    .addColumn('case_id', 'bigint', (c) => c.primaryKey())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('appeal_unit_id', 'text')
    .addColumn('district_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('community_id', 'text')
    .addColumn('grid_id', 'text')
    .addColumn('matter_class', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('reporter_id', 'text')
    .addColumn('verifier_id', 'text')
    .addColumn('checker_id', 'text')
    .addColumn('holder_user_id', 'text')
    .addColumn('flags', 'bigint', (c) => c.notNull())
    .addColumn('buck_passing', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('supervised', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('urged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('d_dispatch', 'integer')
    .addColumn('d_sign', 'integer')
    .addColumn('d_handle', 'integer')
    .addColumn('d_check', 'integer')
    .addColumn('d_total', 'integer')
    .addColumn('explain', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'bigint', (c) => c.notNull())
    .execute();
  for (const col of ['unit_id', 'street_id', 'district_id', 'community_id', 'grid_id']) {
    await sql.raw(`CREATE INDEX assessment_facts_${col} ON assessment_facts (${col}, day, case_id) WHERE ${col} IS NOT NULL`).execute(db);
  }
  for (const col of ['appeal_unit_id', 'reporter_id', 'verifier_id', 'checker_id', 'holder_user_id']) {
    await sql.raw(`CREATE INDEX assessment_facts_${col} ON assessment_facts (${col}, day, case_id) WHERE ${col} IS NOT NULL`).execute(db);
  }
  await sql`CREATE INDEX assessment_facts_day ON assessment_facts (day, case_id)`.execute(db);

  let t = db.schema.createTable('assessment_counters')
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull());
  for (const col of COUNTER_COLUMNS_022) t = t.addColumn(col, 'bigint', (c) => c.notNull().defaultTo(0));
  await t.addPrimaryKeyConstraint('assessment_counters_pk', ['dim', 'day', 'key']).execute();

  await serialId(db.schema.createTable('assessment_formulas'), dialect)
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('terms', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assessment_formulas_month').on('assessment_formulas').columns(['effective_from', 'id']).execute();

  await sql`INSERT INTO job_cursors (name, cursor, updated_at) VALUES ('assessment', 0, 0) ON CONFLICT (name) DO NOTHING`.execute(db);
}

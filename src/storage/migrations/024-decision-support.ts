import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import { serialId, type AnyDb } from './ddl.ts';

/**
 * Decision support (issue 10 part 5, docs/issue-10/decision-support.md). Filled by the job that tails new cases by
 * id (src/jobs/recurrence-tail.job.ts; cursor in job_cursors), so intake writes nothing more:
 * - `hotspot_days`: reports per (city day, grid, H3 res-9 cell) — the map without a matter filter;
 * - `hotspot_matter_days`: the same per matter — the map for a matter or class, and grid × matter × period tables;
 * - `trend_months`: reports per (month, community, matter) — trends and seasonality ('' = not located);
 * - `recurrence_points`: the recent reports (within the recurrence window) by (matter, H3 cell) and by part, with the
 *   recurring problem they joined: the detector's neighbour index, pruned to the window;
 * - `recurring_problems` and `recurring_problem_cases`: a place where a matter keeps coming back, and its reports;
 * - `governance_topics` (每月一题), `proactive_tasks` (未诉先办) and their one history table `decision_history`.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema.createTable('hotspot_days')
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('grid_id', 'text', (c) => c.notNull())
    .addColumn('h3', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('community_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('district_id', 'text')
    .addPrimaryKeyConstraint('hotspot_days_pk', ['day', 'grid_id', 'h3'])
    .execute();

  await db.schema.createTable('hotspot_matter_days')
    .addColumn('matter_code', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('grid_id', 'text', (c) => c.notNull())
    .addColumn('h3', 'text', (c) => c.notNull())
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('community_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('district_id', 'text')
    .addPrimaryKeyConstraint('hotspot_matter_days_pk', ['matter_code', 'day', 'grid_id', 'h3'])
    .execute();
  await sql`CREATE INDEX hotspot_matter_days_day ON hotspot_matter_days (day)`.execute(db);

  await db.schema.createTable('trend_months')
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('matter_code', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('street_id', 'text')
    .addColumn('district_id', 'text')
    .addPrimaryKeyConstraint('trend_months_pk', ['month', 'community_id', 'matter_code'])
    .execute();
  await sql`CREATE INDEX trend_months_matter ON trend_months (matter_code, month)`.execute(db);

  await db.schema.createTable('recurrence_points')
    .addColumn('case_id', 'bigint', (c) => c.primaryKey())
    .addColumn('matter_code', 'text', (c) => c.notNull())
    .addColumn('h3', 'text')
    .addColumn('part_id', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('lon', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('problem_id', 'bigint')
    .execute();
  await sql`CREATE INDEX recurrence_points_cell ON recurrence_points (matter_code, h3, at)`.execute(db);
  await sql`CREATE INDEX recurrence_points_part ON recurrence_points (matter_code, part_id, at) WHERE part_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX recurrence_points_at ON recurrence_points (at)`.execute(db);

  await serialId(db.schema.createTable('recurring_problems'), dialect)
    .addColumn('matter_code', 'text', (c) => c.notNull())
    .addColumn('part_id', 'text')
    .addColumn('lon', 'double precision')
    .addColumn('lat', 'double precision')
    .addColumn('h3', 'text')
    .addColumn('address', 'text')
    .addColumn('grid_id', 'text')
    .addColumn('community_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('district_id', 'text')
    .addColumn('first_case_id', 'bigint', (c) => c.notNull())
    .addColumn('first_at', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('case_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX recurring_problems_last ON recurring_problems (last_at)`.execute(db);
  await sql`CREATE INDEX recurring_problems_street ON recurring_problems (street_id, last_at)`.execute(db);

  await db.schema.createTable('recurring_problem_cases')
    .addColumn('case_id', 'bigint', (c) => c.primaryKey())
    .addColumn('problem_id', 'bigint', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX recurring_problem_cases_problem ON recurring_problem_cases (problem_id, at)`.execute(db);
  await sql`CREATE INDEX recurring_problem_cases_at ON recurring_problem_cases (at, problem_id)`.execute(db);

  await serialId(db.schema.createTable('governance_topics'), dialect)
    .addColumn('month', 'integer', (c) => c.notNull())
    .addColumn('problem_id', 'bigint', (c) => c.notNull())
    .addColumn('matter_code', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('month_count', 'integer', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('note', 'text')
    .addColumn('community_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('district_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await sql`CREATE UNIQUE INDEX governance_topics_month_problem ON governance_topics (month, problem_id)`.execute(db);
  await sql`CREATE INDEX governance_topics_unit ON governance_topics (unit_id, state)`.execute(db);

  await serialId(db.schema.createTable('proactive_tasks'), dialect)
    .addColumn('problem_id', 'bigint', (c) => c.notNull())
    .addColumn('matter_code', 'text', (c) => c.notNull())
    .addColumn('pattern', 'text', (c) => c.notNull())
    .addColumn('due_day', 'integer', (c) => c.notNull())
    .addColumn('explain_zh', 'text', (c) => c.notNull())
    .addColumn('explain_en', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('case_id', 'bigint')
    .addColumn('note', 'text')
    .addColumn('community_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('district_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await sql`CREATE UNIQUE INDEX proactive_tasks_problem_day ON proactive_tasks (problem_id, due_day)`.execute(db);
  await sql`CREATE INDEX proactive_tasks_state ON proactive_tasks (state, due_day)`.execute(db);

  await serialId(db.schema.createTable('decision_history'), dialect)
    .addColumn('record_kind', 'text', (c) => c.notNull())
    .addColumn('record_id', 'bigint', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX decision_history_record ON decision_history (record_kind, record_id, id)`.execute(db);
}

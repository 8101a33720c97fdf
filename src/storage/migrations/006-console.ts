import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * The web console's read side (issue 4): statistics for the big screen and the live dispatch queue.
 *
 * All four indexes are partial, so what they cost follows the open cases (or the closed ones), not the whole
 * history: a city keeps millions of archived cases and a few tens of thousands open.
 * - cases_open_stats covers the one aggregate behind GET /stats/overview and /stats/grids (open cases grouped by
 *   alert level, state, grid, unit and sub-unit): an index-only scan, no table rows read. Alert level and state
 *   lead, so a new report lands in the small, cache-hot (normal, REPORTED/REGISTERED) part of the index instead of
 *   a random grid's page (SQLite, 1,000,000 stored: +8 µs per insert, against +20 µs with the grid first). State is
 *   not first, so a list filtered by state never mistakes this index for a way to find its rows.
 * - cases_open_due orders the queue by the nearest running deadline (GET /cases?sort=due) with keyset paging. The
 *   expression is the one in case.repository.ts (DUE_AT_SQL): the stage clock, or the handling clock while it runs
 *   (dispatched, in progress, disputed), whichever ends first; a suspended (hung) case or one without a running
 *   clock sorts last (2^53 − 1).
 * - cases_late holds the cases past a warning point or a deadline (a few per cent of the open ones): the queue
 *   filtered to warning/overdue, and its total, read only those instead of scanning every open case.
 * - cases_closed_at counts today's closures; rows still open have no closed_at and cost nothing.
 * The predicates are written the way the queries write them (literal states), which both stores need in order to
 * use a partial index. Today's intake needs no index: case numbers start with the city's local date (unique index).
 */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await sql`CREATE INDEX cases_open_stats ON cases (alert_level, state, grid_id, assigned_unit_id, sub_unit_id)
    WHERE state NOT IN ('ARCHIVED', 'CANCELLED')`.execute(db);
  await sql`CREATE INDEX cases_open_due ON cases ((CASE
      WHEN suspended_at IS NOT NULL THEN 9007199254740991
      WHEN state IN ('DISPATCHED', 'IN_PROGRESS', 'DISPUTED') AND handle_due_at IS NOT NULL
        AND (stage_due_at IS NULL OR handle_due_at <= stage_due_at) THEN handle_due_at
      ELSE COALESCE(stage_due_at, 9007199254740991) END), id)
    WHERE state NOT IN ('ARCHIVED', 'CANCELLED')`.execute(db);
  await sql`CREATE INDEX cases_late ON cases (alert_level, state) WHERE alert_level IN ('warning', 'overdue')`.execute(db);
  await sql`CREATE INDEX cases_closed_at ON cases (closed_at) WHERE closed_at IS NOT NULL`.execute(db);
}

import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * The case lifecycle and its clocks as domain.md §4–§6 describe them (docs/decisions.md, "Case lifecycle and clocks"):
 * - handle_paused_at: a return pauses the holder's handling clock while the centre rules (DISPUTED); the ruling
 *   resumes it for the same holder. The handling clock therefore no longer runs in DISPUTED, so the queue's index
 *   cases_open_due (migration 006) is rebuilt with DISPUTED left out (same expression as DUE_AT_SQL).
 * - dispute_owner_region_id: the dispute's owner, the coordinators of this region (the case's street, else district).
 * - approved_extensions: approved postponements (JSON list), kept through rework and reopen.
 * - command_actor_ids: everyone who dispatched the case or ruled its dispute (JSON list): none may judge its closure.
 * - assigned_user_id (and the name it had then, for lists): the grid member a case was given to as its handler
 *   (admitted matters only), instead of a unit; a partial index serves their "to handle" list.
 * Backfill: dispatchers and rulers from the history; open disputes get their owner and the instant of their return
 * as the pause (they get no dispute clock: their ruling is due now).
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('cases').addColumn('handle_paused_at', 'bigint').execute();
  await db.schema.alterTable('cases').addColumn('dispute_owner_region_id', 'text').execute();
  await db.schema.alterTable('cases').addColumn('approved_extensions', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('cases').addColumn('command_actor_ids', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('cases').addColumn('assigned_user_id', 'text').execute();
  await db.schema.alterTable('cases').addColumn('assigned_user_name', 'text').execute();
  await sql`CREATE INDEX cases_assigned_user ON cases (assigned_user_id, id) WHERE assigned_user_id IS NOT NULL`.execute(db);

  await sql`DROP INDEX cases_open_due`.execute(db);
  await sql`CREATE INDEX cases_open_due ON cases ((CASE
      WHEN suspended_at IS NOT NULL THEN 9007199254740991
      WHEN state IN ('DISPATCHED', 'IN_PROGRESS') AND handle_due_at IS NOT NULL
        AND (stage_due_at IS NULL OR handle_due_at <= stage_due_at) THEN handle_due_at
      ELSE COALESCE(stage_due_at, 9007199254740991) END), id)
    WHERE state NOT IN ('ARCHIVED', 'CANCELLED')`.execute(db);
  await backfill(db, dialect);
}

/** The new columns of the cases stored before this migration (exported for its test; safe to run again). */
export async function backfill(db: AnyDb, dialect: Dialect): Promise<void> {
  // Everyone who dispatched or ruled, from the append-only history (the last dispatcher if the history has none).
  const agg = dialect === 'postgres' ? sql`json_agg(DISTINCT h.actor_id)::text` : sql`json_group_array(DISTINCT h.actor_id)`;
  await sql`UPDATE cases SET command_actor_ids = COALESCE((
      SELECT ${agg} FROM case_history h
      WHERE h.case_id = cases.id AND h.action IN ('dispatch', 'rule_dispute') AND h.actor_id IS NOT NULL
      HAVING COUNT(*) > 0), '[]')
    WHERE dispatched_by IS NOT NULL AND command_actor_ids = '[]'`.execute(db);
  const single = dialect === 'postgres' ? sql`json_build_array(dispatched_by)::text` : sql`json_array(dispatched_by)`;
  await sql`UPDATE cases SET command_actor_ids = ${single} WHERE dispatched_by IS NOT NULL AND command_actor_ids = '[]'`.execute(db);

  await sql`UPDATE cases SET
      dispute_owner_region_id = COALESCE(street_id, district_id),
      handle_paused_at = COALESCE((SELECT MAX(h.at) FROM case_history h WHERE h.case_id = cases.id AND h.action = 'return'), updated_at)
    WHERE state = 'DISPUTED' AND handle_paused_at IS NULL`.execute(db);
}

import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * One visibility policy (issue 12): a case is visible to the units that hold it — assigned, sub-unit, or assisting.
 * The assisting units were a JSON list on the case, which SQL cannot filter by index; they become rows here, kept in
 * step by the case repository, so the case list, its counts and the live stream agree with GET /cases/{id}.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  // Until now a new case stored its rule's assisting units in assisting_unit_ids before anyone dispatched it, which
  // would make those units see it before the lead unit does. The rule's proposal gets a column of its own; the
  // assisting units of a case are those the dispatcher named.
  await db.schema.alterTable('cases').addColumn('routed_assisting_unit_ids', 'text').execute();
  await sql`UPDATE cases SET routed_assisting_unit_ids = assisting_unit_ids, assisting_unit_ids = '[]'
    WHERE dispatched_at IS NULL AND assisting_unit_ids NOT IN ('[]', 'null', '')`.execute(db);
  await db.schema.createTable('case_assists')
    .addColumn('case_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_assists_pk', ['unit_id', 'case_id'])
    .execute();
  await db.schema.createIndex('case_assists_case').on('case_assists').column('case_id').execute();
  // Backfill from the JSON lists (only cases that have any).
  if (dialect === 'postgres') {
    await sql`INSERT INTO case_assists (case_id, unit_id)
      SELECT DISTINCT c.id, u.value FROM cases c, jsonb_array_elements_text(c.assisting_unit_ids::jsonb) AS u(value)
      WHERE c.assisting_unit_ids NOT IN ('[]', 'null', '')`.execute(db);
  } else {
    await sql`INSERT OR IGNORE INTO case_assists (case_id, unit_id)
      SELECT c.id, j.value FROM cases c, json_each(c.assisting_unit_ids) AS j
      WHERE c.assisting_unit_ids NOT IN ('[]', 'null', '')`.execute(db);
  }
}

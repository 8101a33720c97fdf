import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * Words within a unit, as one index lookup (issue 8, docs/issue-8/search.md). SQLite: the full-text index also holds
 * one token per unit involved in the case (routed to, assigned, sub-unit, assisting: `unitToken` in
 * src/domain/search/text-tokens.ts, 'zu' + the id's UTF-8 bytes in hex), so "占道经营 within U-HWS" is an intersection
 * of posting lists, not a walk over the word's (or the unit's) cases reading each row. The table becomes contentless
 * (contentless_delete=1: a row is removed by its rowid), so the triggers index what they compute — the case's
 * search_text and its unit tokens — without it being a column of `cases`. Assisting units live in case_assists, so
 * that table's writes re-index their case too.
 * PostgreSQL: the GIN index stays on the words; the unit columns the "involved" filter ORs get btree indexes, so the
 * planner can AND the unit's bitmap with the words' bitmap.
 */
export const CASE_SEARCH_DOC = (c: string) => `concat_ws(' ', ${c}.search_text,
    iif(${c}.routed_unit_id IS NULL, NULL, 'zu' || hex(${c}.routed_unit_id)),
    iif(${c}.assigned_unit_id IS NULL OR ${c}.assigned_unit_id IS ${c}.routed_unit_id, NULL, 'zu' || hex(${c}.assigned_unit_id)),
    iif(${c}.sub_unit_id IS NULL, NULL, 'zu' || hex(${c}.sub_unit_id)),
    (SELECT group_concat('zu' || hex(a.unit_id), ' ') FROM case_assists a WHERE a.case_id = ${c}.id))`;

/** Re-indexes case `id` (an SQL expression) from its current row: delete, then insert when it has words. */
const reindex = (id: string) => `DELETE FROM case_search WHERE rowid = ${id};
      INSERT INTO case_search (rowid, search_text) SELECT c.id, ${CASE_SEARCH_DOC('c')} FROM cases c WHERE c.id = ${id} AND c.search_text IS NOT NULL;`;

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`CREATE INDEX cases_routed_unit ON cases (routed_unit_id)`.execute(db);
    await sql`CREATE INDEX cases_sub_unit ON cases (sub_unit_id) WHERE sub_unit_id IS NOT NULL`.execute(db);
    return;
  }
  for (const t of ['cases_search_insert', 'cases_search_delete', 'cases_search_update_old', 'cases_search_update_new']) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(db);
  }
  await sql`DROP TABLE IF EXISTS case_search`.execute(db);
  await sql`CREATE VIRTUAL TABLE case_search USING fts5(search_text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`.execute(db);
  await sql.raw(`CREATE TRIGGER cases_search_insert AFTER INSERT ON cases WHEN new.search_text IS NOT NULL BEGIN
      INSERT INTO case_search (rowid, search_text) VALUES (new.id, ${CASE_SEARCH_DOC('new')}); END`).execute(db);
  await sql`CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN DELETE FROM case_search WHERE rowid = old.id; END`.execute(db);
  await sql.raw(`CREATE TRIGGER cases_search_update AFTER UPDATE OF search_text, routed_unit_id, assigned_unit_id, sub_unit_id ON cases
      WHEN new.search_text IS NOT old.search_text OR new.routed_unit_id IS NOT old.routed_unit_id
        OR new.assigned_unit_id IS NOT old.assigned_unit_id OR new.sub_unit_id IS NOT old.sub_unit_id BEGIN ${reindex('new.id')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER case_assists_search_insert AFTER INSERT ON case_assists BEGIN ${reindex('new.case_id')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER case_assists_search_delete AFTER DELETE ON case_assists BEGIN ${reindex('old.case_id')} END`).execute(db);
  await sql.raw(`INSERT INTO case_search (rowid, search_text) SELECT c.id, ${CASE_SEARCH_DOC('c')} FROM cases c WHERE c.search_text IS NOT NULL`).execute(db);
  await sql`INSERT INTO case_search (case_search) VALUES ('optimize')`.execute(db);
}

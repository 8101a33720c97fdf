import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * Words within a unit from short posting lists (issue 8, docs/issue-8/search.md, "Measured again"). Migration 036
 * answered "占道经营 within U-HWS" as an intersection inside the full-text index, but of long lists: each of the
 * word's pairs is in ~146,000 cases and the unit's token in 250,000, so the intersection decoded ~690,000 entries to
 * find ~3,600 (12–40 ms on the bench store, most of a deadline-sorted page). Now each case also holds, per unit
 * involved, every word token joined to the unit's token (`占道` + `zu…` → `占道zu…`: `unitWordToken` in
 * src/domain/search/text-tokens.ts), so a search within a unit reads the lists of those joined tokens, which hold
 * only that unit's cases (~1 ms). The bare unit tokens stay.
 * The table becomes `detail=none`: every query term is one token quoted alone (never a phrase of several, never
 * NEAR), so the positions FTS5 stored were never read; without them the index is about a third of its size and
 * reads faster, which pays for the joined tokens (on the bench store 70 MB before, ~60 MB after).
 * PostgreSQL: nothing (its GIN index on the words and the unit btrees of 036 stay as they are).
 */

/** The units involved in case `c` as tokens ('zu' || hex(id)), one row each, none for an empty column. */
const unitTokens = (c: string) => `SELECT t FROM (SELECT 'zu' || hex(${c}.routed_unit_id) AS t UNION SELECT 'zu' || hex(${c}.assigned_unit_id)
      UNION SELECT 'zu' || hex(${c}.sub_unit_id) UNION SELECT 'zu' || hex(a.unit_id) FROM case_assists a WHERE a.case_id = ${c}.id) WHERE t <> 'zu'`;

/**
 * What the index holds for case `c`: its word tokens (search_text: pairs of letters or digits, space-separated), the
 * units' tokens, and each word token joined to each unit's token. search_text is cut into its tokens by reading it as
 * a JSON array (no WITH clause is allowed in a trigger); quotes and backslashes, which no token holds, are escaped anyway.
 */
export const CASE_SEARCH_DOC = (c: string) => `concat_ws(' ', ${c}.search_text,
    (SELECT group_concat(t, ' ') FROM (${unitTokens(c)})),
    (SELECT group_concat(w.value || u.t, ' ')
       FROM json_each('["' || replace(replace(replace(${c}.search_text, '\\', '\\\\'), '"', '\\"'), ' ', '","') || '"]') w, (${unitTokens(c)}) u))`;

/** Re-indexes case `id` (an SQL expression) from its current row: delete, then insert when it has words. */
const reindex = (id: string) => `DELETE FROM case_search WHERE rowid = ${id};
      INSERT INTO case_search (rowid, search_text) SELECT c.id, ${CASE_SEARCH_DOC('c')} FROM cases c WHERE c.id = ${id} AND c.search_text IS NOT NULL;`;

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') return;
  for (const t of ['cases_search_insert', 'cases_search_delete', 'cases_search_update', 'case_assists_search_insert', 'case_assists_search_delete']) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(db);
  }
  await sql`DROP TABLE IF EXISTS case_search`.execute(db);
  await sql`CREATE VIRTUAL TABLE case_search USING fts5(search_text, content='', contentless_delete=1, detail=none, tokenize='unicode61 remove_diacritics 0')`.execute(db);
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

import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';
import { indexTokens } from '../../domain/search/text-tokens.ts';

/**
 * Searching cases by the words of their description, address and matter name (issue 8): each case keeps its text's character
 * pairs in `search_text` (src/domain/search/text-tokens.ts), indexed where each store indexes words —
 * SQLite: an FTS5 table over that column (external content, kept by triggers, so nothing else writes it);
 * PostgreSQL: a GIN index on to_tsvector('simple', search_text). Existing cases are indexed here, in batches.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('cases').addColumn('search_text', 'text').execute();
  if (dialect === 'sqlite') {
    await sql`CREATE VIRTUAL TABLE case_search USING fts5(search_text, content='cases', content_rowid='id', tokenize='unicode61 remove_diacritics 0')`.execute(db);
    await sql`CREATE TRIGGER cases_search_insert AFTER INSERT ON cases WHEN new.search_text IS NOT NULL BEGIN
      INSERT INTO case_search (rowid, search_text) VALUES (new.id, new.search_text); END`.execute(db);
    await sql`CREATE TRIGGER cases_search_delete AFTER DELETE ON cases WHEN old.search_text IS NOT NULL BEGIN
      INSERT INTO case_search (case_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END`.execute(db);
    await sql`CREATE TRIGGER cases_search_update_old AFTER UPDATE OF search_text ON cases WHEN old.search_text IS NOT NULL BEGIN
      INSERT INTO case_search (case_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END`.execute(db);
    await sql`CREATE TRIGGER cases_search_update_new AFTER UPDATE OF search_text ON cases WHEN new.search_text IS NOT NULL BEGIN
      INSERT INTO case_search (rowid, search_text) VALUES (new.id, new.search_text); END`.execute(db);
  }
  for (let after = 0; ;) {
    const rows = await db.selectFrom('cases').leftJoin('matter_types as m', (j) => j.onRef('m.code', '=', 'cases.matter_code').on('m.kind', '=', 'matter'))
      .select(['cases.id', 'cases.description', 'cases.address', 'm.name as matter']).where('cases.id', '>', after).orderBy('cases.id').limit(5000).execute();
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1].id);
    const values = rows.map((r) => ({ id: Number(r.id), text: indexTokens(r.description, r.address, r.matter) })).filter((r) => r.text !== null);
    if (dialect === 'postgres' && values.length) {
      await sql`UPDATE cases SET search_text = v.text FROM unnest(${values.map((v) => v.id)}::int8[], ${values.map((v) => v.text)}::text[]) AS v(id, text)
        WHERE cases.id = v.id`.execute(db);
    } else {
      for (const v of values) await db.updateTable('cases').set({ search_text: v.text }).where('id', '=', v.id).execute();
    }
  }
  if (dialect === 'postgres') {
    await sql`CREATE INDEX cases_search ON cases USING gin (to_tsvector('simple', search_text))`.execute(db);
  }
}

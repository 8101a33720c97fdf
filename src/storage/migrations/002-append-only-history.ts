import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

/** The case history is append-only (domain.md §4): the store itself refuses updates and deletes of its rows. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`CREATE TRIGGER case_history_no_update BEFORE UPDATE ON case_history BEGIN SELECT RAISE(ABORT, 'case_history is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER case_history_no_delete BEFORE DELETE ON case_history BEGIN SELECT RAISE(ABORT, 'case_history is append-only'); END`.execute(db);
  } else {
    await sql`CREATE FUNCTION case_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'case_history is append-only'; END $$`.execute(db);
    await sql`CREATE TRIGGER case_history_no_change BEFORE UPDATE OR DELETE ON case_history
      FOR EACH ROW EXECUTE FUNCTION case_history_append_only()`.execute(db);
  }
}

import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * The named verifier (issue 8, docs/issue-8/verification-assignee.md): `request_verify` may name the inspector or grid
 * member who must verify the case on site. verifier_user_id (and their name then, for lists) is set while the case is
 * VERIFYING and cleared when it leaves; a partial index serves "cases I must verify".
 */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('cases').addColumn('verifier_user_id', 'text').execute();
  await db.schema.alterTable('cases').addColumn('verifier_user_name', 'text').execute();
  await sql`CREATE INDEX cases_verifier_user ON cases (verifier_user_id, id) WHERE verifier_user_id IS NOT NULL`.execute(db);
}

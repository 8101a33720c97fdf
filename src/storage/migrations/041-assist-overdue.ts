import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * Assisting tasks past their deadline (issue 9 §1): the assist overdue job marks a signed or unsigned task once when
 * its own limit passes (src/jobs/assist-overdue.job.ts) — `overdue_at`, claimed by a conditional UPDATE — and tells
 * the assisting unit, the lead and the centre. The partial index holds only the tasks still waiting for that mark.
 */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await sql`ALTER TABLE case_assist_tasks ADD COLUMN overdue_at bigint`.execute(db);
  await sql`CREATE INDEX case_assist_tasks_waiting ON case_assist_tasks (due_at)
    WHERE overdue_at IS NULL AND due_at IS NOT NULL AND state IN ('dispatched', 'signed')`.execute(db);
}

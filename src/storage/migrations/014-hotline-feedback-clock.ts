import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * The 12345 feedback clock (接诉即办) warns and goes overdue like any other clock. It belongs to the call that filed
 * the case: the call row keeps its warning instant (80 % of the limit), its level, and when the deadline sweep must
 * look at it next (a partial index, so a sweep reads only the clocks whose threshold has come). The case keeps a copy
 * of the level for its deadlines (`deadlines.feedbackLevel`), so that case lists need not read the calls.
 *
 * Calls filed before this migration get a warning at 80 % of their natural-time limit and are looked at by the next
 * sweep, which raises what is due — unless the caller was already answered by then (see src/domain/alerts/feedback.ts).
 */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('hotline_calls').addColumn('feedback_warn_at', 'bigint').execute();
  await db.schema.alterTable('hotline_calls').addColumn('feedback_level', 'text').execute();
  await db.schema.alterTable('hotline_calls').addColumn('feedback_next_at', 'bigint').execute();
  await db.schema.alterTable('cases').addColumn('feedback_level', 'text').execute();
  await sql`CREATE INDEX hotline_calls_feedback_next ON hotline_calls (feedback_next_at) WHERE feedback_next_at IS NOT NULL`.execute(db);
  await sql`UPDATE hotline_calls SET feedback_warn_at = created_at + ((feedback_due_at - created_at) * 4) / 5, feedback_level = 'normal'
    WHERE outcome = 'case' AND feedback_due_at IS NOT NULL AND case_id IS NOT NULL`.execute(db);
  await sql`UPDATE hotline_calls SET feedback_next_at = feedback_warn_at WHERE feedback_warn_at IS NOT NULL`.execute(db);
  await sql`UPDATE cases SET feedback_level = 'normal' WHERE feedback_due_at IS NOT NULL`.execute(db);
}

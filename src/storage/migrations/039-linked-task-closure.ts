import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * Tasks that follow their case (issue 10, docs/issue-10/decision-support.md "Tasks close with their case"): a
 * 未诉先办 task (proactive_tasks) and a shop-sign inspection (shop_sign_inspections) each link one `proactive` case;
 * transitionCase moves them in the case's transaction. Both get an index on case_id (one lookup when a proactive case
 * closes, is cancelled or reopens); an inspection gets its own state (open → closed | cancelled; null when no case
 * was filed) and the instant it closed, filled here from its case for the inspections raised before.
 */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await sql`CREATE INDEX proactive_tasks_case ON proactive_tasks (case_id)`.execute(db);
  await db.schema.alterTable('shop_sign_inspections').addColumn('state', 'text').execute();
  await db.schema.alterTable('shop_sign_inspections').addColumn('closed_at', 'bigint').execute();
  await sql`CREATE INDEX shop_sign_inspections_case ON shop_sign_inspections (case_id)`.execute(db);
  await sql`UPDATE shop_sign_inspections SET
      state = (SELECT CASE WHEN c.state = 'CANCELLED' THEN 'cancelled' WHEN c.state IN ('ARCHIVED', 'CLOSED_PENDING_CALLBACK') THEN 'closed' ELSE 'open' END
               FROM cases c WHERE c.id = shop_sign_inspections.case_id),
      closed_at = (SELECT c.closed_at FROM cases c WHERE c.id = shop_sign_inspections.case_id AND c.state IN ('ARCHIVED', 'CLOSED_PENDING_CALLBACK'))
    WHERE case_id IS NOT NULL`.execute(db);
}

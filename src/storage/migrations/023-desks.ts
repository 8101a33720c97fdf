import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import { serialId, type AnyDb } from './ddl.ts';

/**
 * The assessment desks (issue 10 part 4; docs/issue-10/callbacks-appeals-supervision.md): callback tasks (回访),
 * exclusions of unreasonable requests (无理诉求), appeals of units (申诉) and supervision notices (督办单), each with its
 * own state, deadline and timeline (desk_history). What changes a case's assessment is also written to the case's
 * own history (the counting reads that), in the same transaction.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await serialId(db.schema.createTable('callback_tasks'), dialect)
    .addColumn('case_id', 'bigint', (c) => c.notNull())
    .addColumn('case_no', 'text', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // waiting | claimed | done | unreachable | rated
    .addColumn('result', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_by_name', 'text')
    .addColumn('claimed_at', 'bigint')
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('finished_by', 'text')
    .addColumn('finished_by_name', 'text')
    .addColumn('note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('callback_tasks_case').on('callback_tasks').columns(['case_id', 'id']).execute();
  await db.schema.createIndex('callback_tasks_seat').on('callback_tasks').columns(['claimed_by', 'state']).execute();
  // One task in work per case: two seats claiming the same case at once — the second insert fails.
  await sql`CREATE UNIQUE INDEX callback_tasks_active ON callback_tasks (case_id) WHERE state IN ('waiting', 'claimed')`.execute(db);

  await serialId(db.schema.createTable('exclusions'), dialect)
    .addColumn('case_id', 'bigint', (c) => c.notNull())
    .addColumn('case_no', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('district_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('community_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull()) // requested | approved | rejected | revoked
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('requested_by_name', 'text')
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_by_name', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('decision_note', 'text')
    .addColumn('revoked_by', 'text')
    .addColumn('revoked_by_name', 'text')
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoke_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('exclusions_case').on('exclusions').columns(['case_id', 'id']).execute();
  await db.schema.createIndex('exclusions_requested').on('exclusions').columns(['requested_at', 'id']).execute();
  await sql`CREATE UNIQUE INDEX exclusions_active ON exclusions (case_id) WHERE state IN ('requested', 'approved')`.execute(db);

  await serialId(db.schema.createTable('appeals'), dialect)
    .addColumn('case_id', 'bigint', (c) => c.notNull())
    .addColumn('case_no', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('district_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('community_id', 'text')
    .addColumn('period', 'text', (c) => c.notNull()) // YYYY-MM: the month the case counts in
    .addColumn('state', 'text', (c) => c.notNull()) // open | accepted | rejected
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull()) // JSON attachment ids
    .addColumn('filed_by', 'text')
    .addColumn('filed_by_name', 'text')
    .addColumn('filed_at', 'bigint', (c) => c.notNull())
    .addColumn('deadline_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_by_name', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('decision_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('appeals_case').on('appeals').columns(['case_id', 'id']).execute();
  await db.schema.createIndex('appeals_unit').on('appeals').columns(['unit_id', 'filed_at']).execute();
  await db.schema.createIndex('appeals_filed').on('appeals').columns(['filed_at', 'id']).execute();
  await sql`CREATE UNIQUE INDEX appeals_open ON appeals (case_id, unit_id) WHERE state = 'open'`.execute(db);

  await db.schema.createTable('supervision_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'bigint', (c) => c.notNull())
    .addColumn('case_no', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('district_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('community_id', 'text')
    .addColumn('level', 'text', (c) => c.notNull()) // urge | supervise | leader
    .addColumn('tier', 'text', (c) => c.notNull()) // unit | district | city
    .addColumn('state', 'text', (c) => c.notNull()) // open | answered
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text')
    .addColumn('issued_by_name', 'text')
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('answered_by_name', 'text')
    .addColumn('answered_at', 'bigint')
    .addColumn('raise_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('raised_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('supervision_notices_case').on('supervision_notices').columns(['case_id', 'issued_at']).execute();
  await db.schema.createIndex('supervision_notices_issued').on('supervision_notices').columns(['issued_at', 'id']).execute();
  // The raise job reads open notices past their deadline, and answered ones whose case may be overdue again.
  await db.schema.createIndex('supervision_notices_due').on('supervision_notices').columns(['state', 'due_at']).execute();

  await serialId(db.schema.createTable('desk_history'), dialect)
    .addColumn('kind', 'text', (c) => c.notNull()) // callback | exclusion | appeal | supervision
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'bigint', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('desk_history_record').on('desk_history').columns(['kind', 'record_id', 'id']).execute();
  await db.schema.createIndex('desk_history_case').on('desk_history').columns(['case_id', 'id']).execute();
}

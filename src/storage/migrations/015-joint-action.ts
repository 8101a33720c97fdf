import type { Dialect } from '../db.ts';
import { serialId, type AnyDb } from './ddl.ts';

/**
 * 联勤联动 (joint action, issue 9 §1): every assisting unit of a case gets its own task row — what it is asked, its
 * deadline inside the case's handling deadline (捆绑处置时限), who signed, its result and photos, and the timestamps
 * from which each unit's part is counted (time to sign, to done, overdue). The unit list on the case
 * (cases.assisting_unit_ids and its index rows case_assists, read by the visibility policy) follows the tasks.
 * A reassignment closes one task and opens another (previous_task_id), so each unit keeps its own record.
 * Cases dispatched with assisting units before this migration have no tasks: nothing blocks their disposal.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await serialId(db.schema.createTable('case_assist_tasks'), dialect)
    .addColumn('case_id', 'bigint', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('instruction', 'text', (c) => c.notNull())
    .addColumn('limit_amount', 'real')
    .addColumn('limit_unit', 'text')
    .addColumn('due_at', 'bigint')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('dispatched_at', 'bigint', (c) => c.notNull())
    .addColumn('dispatched_by', 'text')
    .addColumn('signed_at', 'bigint')
    .addColumn('signed_by', 'text')
    .addColumn('signed_by_name', 'text')
    .addColumn('done_at', 'bigint')
    .addColumn('done_by', 'text')
    .addColumn('result', 'text')
    .addColumn('photo_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('return_reason', 'text')
    .addColumn('return_basis', 'text')
    .addColumn('returned_at', 'bigint')
    .addColumn('return_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ruling', 'text')
    .addColumn('closed_at', 'bigint')
    .addColumn('previous_task_id', 'bigint')
    // Each unit's part of the bundled limit, stored when the task ends (assessment reads these, not the clock).
    .addColumn('sign_ms', 'bigint')
    .addColumn('done_ms', 'bigint')
    .addColumn('overdue', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('case_assist_tasks_case').on('case_assist_tasks').columns(['case_id', 'id']).execute();
  await db.schema.createIndex('case_assist_tasks_unit').on('case_assist_tasks').columns(['unit_id', 'state']).execute();
}

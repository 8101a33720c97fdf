import type { Dialect } from '../db.ts';
import { serialId, type AnyDb } from './ddl.ts';

/**
 * Exports (issue 10 part 6; docs/issue-10/exports-and-demo.md): export requests with their state and progress, and
 * the export audit, which is also each request's own history.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await serialId(db.schema.createTable('exports'), dialect)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('filter', 'text', (c) => c.notNull())
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_by_name', 'text')
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('total_rows', 'bigint', (c) => c.notNull())
    .addColumn('rows_written', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('decided_by', 'text')
    .addColumn('decided_by_name', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('decision_note', 'text')
    .addColumn('started_at', 'bigint')
    .addColumn('heartbeat_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('file_path', 'text')
    .addColumn('file_bytes', 'bigint')
    .addColumn('expires_at', 'bigint')
    .addColumn('error', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // "my exports" (newest first) and the job's and the leaders' queues by state
  await db.schema.createIndex('exports_by_requester').on('exports').columns(['requested_by', 'id']).execute();
  await db.schema.createIndex('exports_by_state').on('exports').columns(['state', 'id']).execute();

  await serialId(db.schema.createTable('export_history'), dialect)
    .addColumn('export_id', 'bigint')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('filter', 'text', (c) => c.notNull())
    .addColumn('rows', 'bigint')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('export_history_by_export').on('export_history').columns(['export_id', 'id']).execute();
  await db.schema.createIndex('export_history_by_time').on('export_history').columns(['at']).execute();
}

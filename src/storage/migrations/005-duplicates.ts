import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * Duplicate detection across channels (issue 3 §5): each case records the duplicate-grid cell of its point, and a
 * duplicate points at its master case. The index (matter, cell, time) keeps the duplicate check a handful of
 * index range scans whatever the size of the store. Existing rows keep NULLs (never matched as masters by cell).
 */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('cases').addColumn('dup_cell', 'text').execute();
  await db.schema.alterTable('cases').addColumn('master_case_id', 'bigint').execute();
  // Partial indexes: a case without a cell (the check is off) or without a master costs no index write.
  await db.schema.createIndex('cases_dup').on('cases').columns(['matter_code', 'dup_cell', 'created_at'])
    .where(sql.ref('dup_cell'), 'is not', null).execute();
  await db.schema.createIndex('cases_master').on('cases').columns(['master_case_id'])
    .where(sql.ref('master_case_id'), 'is not', null).execute();
}

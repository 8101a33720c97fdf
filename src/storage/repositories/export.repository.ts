/**
 * Exports (issue 10 part 6): requests with state and progress, and the export audit (also each request's history).
 * State changes are conditional UPDATEs on the expected state, so two nodes never both claim, finish or expire one
 * export.
 */
import type { Insertable, Selectable } from 'kysely';
import type { Conn } from '../db.ts';
import type { ExportHistoryTable, ExportTable } from '../export.schema.ts';

export type ExportRow = Selectable<ExportTable>;
export type ExportHistoryRow = Selectable<ExportHistoryTable>;

export async function insertExport({ db }: Conn, row: Insertable<ExportTable>): Promise<number> {
  const r = await db.insertInto('exports').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findExport({ db }: Conn, id: number): Promise<ExportRow | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  return db.selectFrom('exports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A user's own exports, newest first (keyset on id). */
export async function listMine({ db }: Conn, userId: string, opts: { beforeId?: number; limit: number }): Promise<ExportRow[]> {
  let q = db.selectFrom('exports').selectAll().where('requested_by', '=', userId);
  if (opts.beforeId !== undefined) q = q.where('id', '<', opts.beforeId);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

/** Exports in some states, newest first (leaders' approvals: state requested). */
export async function listByState({ db }: Conn, states: string[], opts: { beforeId?: number; limit: number }): Promise<ExportRow[]> {
  let q = db.selectFrom('exports').selectAll().where('state', 'in', states.length ? states : ['']);
  if (opts.beforeId !== undefined) q = q.where('id', '<', opts.beforeId);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

/** Oldest first: the job's queue. */
export async function nextInState({ db }: Conn, state: string, limit: number): Promise<ExportRow[]> {
  return db.selectFrom('exports').selectAll().where('state', '=', state).orderBy('id').limit(limit).execute();
}

/**
 * Moves an export from `from` to a new state with `patch`; false when it was not in `from` any more (someone else
 * decided, claimed or finished it first).
 */
export async function moveExport({ db }: Conn, id: number, from: string | string[], patch: Partial<Omit<Insertable<ExportTable>, 'id'>>): Promise<boolean> {
  const states = Array.isArray(from) ? from : [from];
  const r = await db.updateTable('exports').set(patch).where('id', '=', id).where('state', 'in', states).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Progress of a generating export (also its heartbeat); false when it is no longer generating. */
export async function saveProgress({ db }: Conn, id: number, rowsWritten: number, at: number): Promise<boolean> {
  const r = await db.updateTable('exports').set({ rows_written: rowsWritten, heartbeat_at: at })
    .where('id', '=', id).where('state', '=', 'generating').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Generating exports whose heartbeat stopped before `before` (their node died). */
export async function staleGenerating({ db }: Conn, before: number): Promise<ExportRow[]> {
  return db.selectFrom('exports').selectAll().where('state', '=', 'generating').where('heartbeat_at', '<', before).orderBy('id').limit(20).execute();
}

/** Ready exports past their keep time. */
export async function dueToExpire({ db }: Conn, now: number): Promise<ExportRow[]> {
  return db.selectFrom('exports').selectAll().where('state', '=', 'ready').where('expires_at', '<=', now).orderBy('id').limit(100).execute();
}

export async function appendHistory({ db }: Conn, row: Insertable<ExportHistoryTable>): Promise<void> {
  await db.insertInto('export_history').values(row).execute();
}

export async function historyOf({ db }: Conn, exportId: number): Promise<ExportHistoryRow[]> {
  return db.selectFrom('export_history').selectAll().where('export_id', '=', exportId).orderBy('id').execute();
}

/** The audit, newest first: every export anyone made (administrators read it). */
export async function auditPage({ db }: Conn, opts: { beforeId?: number; limit: number }): Promise<ExportHistoryRow[]> {
  let q = db.selectFrom('export_history').selectAll();
  if (opts.beforeId !== undefined) q = q.where('id', '<', opts.beforeId);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

/**
 * Callback tasks (回访): one per round of a case waiting for its callback. Claims and results are conditional updates
 * (on the state, the seat and the version) and the partial unique index callback_tasks_active keeps one task in work
 * per case, so that two seats never take the same call.
 */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Conn } from '../db.ts';
import type { CallbackTaskTable } from '../desks.schema.ts';

export type CallbackTaskRow = Selectable<CallbackTaskTable>;

export async function insertTask({ db }: Conn, row: Insertable<CallbackTaskTable>): Promise<number> {
  const r = await db.insertInto('callback_tasks').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findTask({ db, dialect }: Conn, id: number, opts: { forUpdate?: boolean } = {}): Promise<CallbackTaskRow | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  let q = db.selectFrom('callback_tasks').selectAll().where('id', '=', id);
  if (opts.forUpdate && dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The task in work (waiting or claimed) of a case, if any. */
export async function activeTaskOf({ db, dialect }: Conn, caseId: number, opts: { forUpdate?: boolean } = {}): Promise<CallbackTaskRow | undefined> {
  let q = db.selectFrom('callback_tasks').selectAll().where('case_id', '=', caseId).where('state', 'in', ['waiting', 'claimed']);
  if (opts.forUpdate && dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The latest task of each of these cases (the queue shows the one in work, or the last one). */
export async function latestTasksOf({ db }: Conn, caseIds: number[]): Promise<Map<number, CallbackTaskRow>> {
  const out = new Map<number, CallbackTaskRow>();
  if (caseIds.length === 0) return out;
  const rows = await db.selectFrom('callback_tasks').selectAll().where('case_id', 'in', caseIds).orderBy('id').execute();
  for (const r of rows) out.set(Number(r.case_id), r);
  return out;
}

export async function tasksOfCase({ db }: Conn, caseId: number): Promise<CallbackTaskRow[]> {
  return db.selectFrom('callback_tasks').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

export async function roundsOf({ db }: Conn, caseId: number): Promise<number> {
  const r = await db.selectFrom('callback_tasks').select((eb) => eb.fn.max('round').as('m')).where('case_id', '=', caseId).executeTakeFirst();
  return Number(r?.m ?? 0);
}

/** Optimistic write: false when someone changed the task since it was read. */
export async function updateTask({ db }: Conn, id: number, version: number, patch: Updateable<CallbackTaskTable>): Promise<boolean> {
  const r = await db.updateTable('callback_tasks').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The callbacks a seat holds now (their "mine" list). */
export async function claimedBy({ db }: Conn, userId: string, limit: number): Promise<CallbackTaskRow[]> {
  return db.selectFrom('callback_tasks').selectAll().where('claimed_by', '=', userId).where('state', '=', 'claimed').orderBy('id').limit(limit).execute();
}

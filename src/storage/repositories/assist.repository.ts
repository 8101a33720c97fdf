/** 联勤联动: the assisting units' task rows of a case (case_assist_tasks, migration 015). */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Conn } from '../db.ts';
import type { CaseAssistTaskTable } from '../schema.ts';

export type AssistTaskRow = Selectable<CaseAssistTaskTable>;
export type NewAssistTaskRow = Insertable<CaseAssistTaskTable>;
export type AssistTaskUpdate = Updateable<CaseAssistTaskTable>;

export async function insertTask({ db }: Conn, row: NewAssistTaskRow): Promise<number> {
  const r = await db.insertInto('case_assist_tasks').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Every task of a case, oldest first. */
export async function listOfCase({ db }: Conn, caseId: number): Promise<AssistTaskRow[]> {
  if (!Number.isSafeInteger(caseId)) return [];
  return db.selectFrom('case_assist_tasks').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

/** One task of a case (a task id under another case is not found). */
export async function findTask({ db }: Conn, caseId: number, taskId: number): Promise<AssistTaskRow | undefined> {
  if (!Number.isSafeInteger(caseId) || !Number.isSafeInteger(taskId)) return undefined;
  return db.selectFrom('case_assist_tasks').selectAll().where('case_id', '=', caseId).where('id', '=', taskId).executeTakeFirst();
}

/** Optimistic write: false when the task changed since it was read. */
export async function updateTask({ db }: Conn, id: number, version: number, patch: AssistTaskUpdate): Promise<boolean> {
  const r = await db.updateTable('case_assist_tasks').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Open tasks (not yet signed, or signed) whose own deadline has passed and that were not marked yet, soonest first. */
export async function dueUnmarked({ db }: Conn, now: number, limit: number): Promise<AssistTaskRow[]> {
  return db.selectFrom('case_assist_tasks').selectAll().where('overdue_at', 'is', null).where('due_at', 'is not', null)
    .where('state', 'in', ['dispatched', 'signed']).where('due_at', '<=', now).orderBy('due_at').limit(limit).execute();
}

/** Claims the overdue mark of a task once (several nodes, re-runs): true for the one caller whose UPDATE changed it. */
export async function claimOverdue({ db }: Conn, id: number, dueAt: number, now: number): Promise<boolean> {
  const r = await db.updateTable('case_assist_tasks').set({ overdue_at: now }).where('id', '=', id).where('overdue_at', 'is', null)
    .where('due_at', '=', dueAt).where('state', 'in', ['dispatched', 'signed']).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

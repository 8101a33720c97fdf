/**
 * Supervision notices (督办单): issue, answer, the raise job's claim (a conditional update on the tier and state, so
 * a raise never fires twice, whichever node runs the job), and the lists of the supervision desk.
 */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Conn } from '../db.ts';
import type { SupervisionNoticeTable } from '../desks.schema.ts';
import { deskVisible, type DeskVisibility } from './appeal.repository.ts';

export type NoticeRow = Selectable<SupervisionNoticeTable>;

export async function insertNotice({ db }: Conn, row: Insertable<SupervisionNoticeTable>): Promise<void> {
  await db.insertInto('supervision_notices').values(row).execute();
}

export async function findNotice({ db, dialect }: Conn, id: string, opts: { forUpdate?: boolean } = {}): Promise<NoticeRow | undefined> {
  let q = db.selectFrom('supervision_notices').selectAll().where('id', '=', id);
  if (opts.forUpdate && dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function noticesOfCase({ db }: Conn, caseId: number): Promise<NoticeRow[]> {
  return db.selectFrom('supervision_notices').selectAll().where('case_id', '=', caseId).orderBy('issued_at').execute();
}

export async function updateNotice({ db }: Conn, id: string, version: number, patch: Updateable<SupervisionNoticeTable>): Promise<boolean> {
  const r = await db.updateTable('supervision_notices').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Claims one raise: only the caller whose update matched the notice as it was read raises it. */
export async function claimRaise({ db }: Conn, id: string, from: { tier: string; state: string; version: number }, patch: Updateable<SupervisionNoticeTable>): Promise<boolean> {
  const r = await db.updateTable('supervision_notices').set({ ...patch, version: from.version + 1 })
    .where('id', '=', id).where('tier', '=', from.tier).where('state', '=', from.state).where('version', '=', from.version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Notices the raise job looks at: open past their deadline, and answered ones below the city tier. */
export async function raiseCandidates({ db }: Conn, now: number, limit: number): Promise<NoticeRow[]> {
  const overdue = await db.selectFrom('supervision_notices').selectAll().where('state', '=', 'open').where('due_at', '<=', now)
    .where('tier', '!=', 'city').orderBy('due_at').limit(limit).execute();
  const answered = await db.selectFrom('supervision_notices').selectAll().where('state', '=', 'answered')
    .where('tier', '!=', 'city').orderBy('due_at').limit(limit).execute();
  return [...overdue, ...answered];
}

export interface NoticeFilter { visibility: DeskVisibility; state?: string[]; tier?: string[]; raised?: boolean; unitId?: string; beforeIssuedAt?: number; limit: number }

export async function listNotices({ db }: Conn, f: NoticeFilter): Promise<NoticeRow[]> {
  let q = deskVisible(db.selectFrom('supervision_notices').selectAll(), f.visibility);
  if (f.state?.length) q = q.where('state', 'in', f.state);
  if (f.tier?.length) q = q.where('tier', 'in', f.tier);
  if (f.raised) q = q.where('raise_count', '>', 0);
  if (f.unitId) q = q.where('unit_id', '=', f.unitId);
  if (f.beforeIssuedAt !== undefined) q = q.where('issued_at', '<', f.beforeIssuedAt);
  return q.orderBy('issued_at', 'desc').limit(f.limit).execute();
}

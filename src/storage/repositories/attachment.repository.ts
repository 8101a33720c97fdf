/** Uploaded photos: their records (files live under DATA_DIR/attachments). */
import type { Selectable } from 'kysely';
import type { Conn } from '../db.ts';
import type { AttachmentTable } from '../schema.ts';

export type AttachmentRow = Selectable<AttachmentTable>;

export async function insert({ db }: Conn, row: AttachmentRow): Promise<void> {
  await db.insertInto('attachments').values(row).execute();
}

export async function find({ db }: Conn, id: string): Promise<AttachmentRow | undefined> {
  return db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Attachments never attached to a case: the given ids, or (cleanup) those older than an instant. */
export async function findUnattached({ db }: Conn, q: { ids: string[] } | { olderThan: number; limit?: number }): Promise<{ id: string; path: string }[]> {
  let sel = db.selectFrom('attachments').select(['id', 'path']).where('case_id', 'is', null);
  if ('ids' in q) {
    if (!q.ids.length) return [];
    sel = sel.where('id', 'in', q.ids);
  } else {
    // A camera's snapshot waits for its alarm's review (issue 11): kept while an alarm cites it.
    sel = sel.where('created_at', '<', q.olderThan).limit(q.limit ?? 500)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('alarms').select('alarms.id').whereRef('alarms.snapshot_attachment_id', '=', 'attachments.id'))));
  }
  return sel.execute();
}

/** Deletes the records of those still unattached; returns how many. */
export async function deleteUnattached({ db }: Conn, ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  const r = await db.deleteFrom('attachments').where('id', 'in', ids).where('case_id', 'is', null).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Attaches uploads to a case (each must be unattached or already this case's); returns how many now are. */
export async function attachToCase({ db }: Conn, caseId: number, attachmentIds: string[]): Promise<number> {
  if (attachmentIds.length === 0) return 0;
  const r = await db.updateTable('attachments').set({ case_id: caseId }).where('id', 'in', attachmentIds)
    .where((eb) => eb.or([eb('case_id', 'is', null), eb('case_id', '=', caseId)])).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The ids of a case's attachments, oldest first. */
export async function idsOfCases({ db }: Conn, caseIds: number[]): Promise<Map<number, string[]>> {
  const byCase = new Map<number, string[]>();
  if (!caseIds.length) return byCase;
  const rows = await db.selectFrom('attachments').select(['id', 'case_id']).where('case_id', 'in', caseIds).orderBy('created_at').orderBy('id').execute();
  for (const a of rows) byCase.set(Number(a.case_id), [...(byCase.get(Number(a.case_id)) ?? []), a.id]);
  return byCase;
}

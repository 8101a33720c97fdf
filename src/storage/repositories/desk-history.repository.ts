/** The timeline of every desk record (callback task, exclusion, appeal, supervision notice): append-only. */
import type { Selectable } from 'kysely';
import type { Conn } from '../db.ts';
import { toJson } from '../codec.ts';
import type { DeskHistoryTable } from '../desks.schema.ts';

export type DeskHistoryRow = Selectable<DeskHistoryTable>;
export type DeskKind = 'callback' | 'exclusion' | 'appeal' | 'supervision';

export interface DeskHistoryEntry {
  kind: DeskKind;
  recordId: string | number;
  caseId: number;
  action: string;
  actorId: string | null;
  actorName: string | null;
  at: number;
  details?: Record<string, unknown>;
}

export async function append({ db }: Conn, e: DeskHistoryEntry): Promise<void> {
  await db.insertInto('desk_history').values({
    kind: e.kind, record_id: String(e.recordId), case_id: e.caseId, action: e.action, actor_id: e.actorId, actor_name: e.actorName,
    at: e.at, details: toJson(e.details ?? {}),
  }).execute();
}

/** Every desk row of one case, oldest first (the case page's desk panel). */
export async function ofCase({ db }: Conn, caseId: number): Promise<DeskHistoryRow[]> {
  return db.selectFrom('desk_history').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

export async function ofRecord({ db }: Conn, kind: DeskKind, recordId: string | number): Promise<DeskHistoryRow[]> {
  return db.selectFrom('desk_history').selectAll().where('kind', '=', kind).where('record_id', '=', String(recordId)).orderBy('id').execute();
}

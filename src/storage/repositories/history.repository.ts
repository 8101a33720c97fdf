/**
 * The case history: the append-only record of every step (who, when, from, to, why, attachments). `historyRow` is
 * the ONE place a history row is made — commands, the new-case writers and the jobs all go through it.
 */
import type { Insertable, Selectable } from 'kysely';
import type { Conn } from '../db.ts';
import { toJson } from '../codec.ts';
import type { CaseHistoryTable } from '../schema.ts';
import { insertChunked } from './bulk.ts';

export type HistoryRow = Selectable<CaseHistoryTable>;

/** One step of a case, as commands describe it. */
export interface HistoryEntry {
  caseId: number;
  action: string;
  fromState: string | null;
  toState: string;
  /** The user or API key; null for the platform itself (e.g. the deadline sweep), which then names itself in actorName. */
  actorId: string | null;
  actorName: string | null;
  at: number;
  reason?: string | null;
  details?: Record<string, unknown>;
  attachmentIds?: readonly string[];
}

export function historyRow(e: HistoryEntry): Insertable<CaseHistoryTable> {
  return {
    case_id: e.caseId, action: e.action, from_state: e.fromState, to_state: e.toState, actor_id: e.actorId,
    actor_name: e.actorName, at: e.at, reason: e.reason ?? null, details: toJson(e.details ?? {}),
    attachment_ids: toJson(e.attachmentIds ?? []),
  };
}

export async function append({ db }: Conn, e: HistoryEntry): Promise<void> {
  await db.insertInto('case_history').values(historyRow(e)).execute();
}

export async function appendMany({ db }: Conn, entries: HistoryEntry[]): Promise<void> {
  await insertChunked(db, 'case_history', entries.map(historyRow), 500);
}

export async function listOf({ db }: Conn, caseId: number): Promise<HistoryRow[]> {
  return db.selectFrom('case_history').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

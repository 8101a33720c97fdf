/**
 * Queries behind mySociety's `servicerequestupdates` extension of the Open311 edge: the public steps of case
 * histories in a time window (GET), and what recording a client's update needs (POST).
 *
 * Speed: `case_history.at` has no index of its own (every index costs each step of every case). History ids grow
 * with time like case ids, so the window becomes an id range by the same binary search as the request list
 * (open311.repository.ts), widened by the commit-order skew, and the exact `at` test runs inside that range only.
 */
import type { Conn } from '../db.ts';
import { fromJson } from '../codec.ts';
import { cachedIdBound, ORDER_SKEW_MS } from './open311.repository.ts';

/** History actions that are public although the state stays (a citizen's update) or starts there (a linked report). */
export const PUBLIC_SAME_STATE_ACTIONS = ['citizen_update', 'linked_duplicate'] as const;
/** The actions that link a report to a master case as its duplicate. */
export const LINK_ACTIONS = ['linked_duplicate', 'merge_into'] as const;

export interface PublicHistoryRow {
  id: number;
  caseId: number;
  caseNo: string;
  channel: string;
  /** The case as it is now: its master (a linked duplicate) and closure type. */
  masterCaseId: number | null;
  closureType: string | null;
  action: string;
  fromState: string | null;
  toState: string;
  at: number;
  details: Record<string, unknown>;
  attachmentIds: string[];
}

export interface HistoryWindow { from: number; to: number; limit: number; offset: number }

const MINUTE = 60_000;
const HISTORY = { table: 'case_history', column: 'at' } as const;

/**
 * The public steps in [from, to] (epoch ms, inclusive), oldest first: every change of state, and the actions of
 * PUBLIC_SAME_STATE_ACTIONS. Internal steps that keep the state (supervision, postponement requests, …) and the
 * creation of a case (its requested_datetime says that) are not updates.
 */
export async function listPublicHistory(c: Conn, w: HistoryWindow): Promise<PublicHistoryRow[]> {
  const low = await cachedIdBound(c, Math.floor((w.from - ORDER_SKEW_MS) / MINUTE) * MINUTE, HISTORY);
  if (low === null) return [];
  const high = await cachedIdBound(c, Math.ceil((w.to + ORDER_SKEW_MS) / MINUTE) * MINUTE, HISTORY);
  let q = c.db.selectFrom('case_history as h').innerJoin('cases as c', 'c.id', 'h.case_id')
    .select(['h.id', 'h.case_id', 'h.action', 'h.from_state', 'h.to_state', 'h.at', 'h.details', 'h.attachment_ids',
      'c.case_no', 'c.channel', 'c.master_case_id', 'c.closure_type'])
    .where('h.id', '>=', low);
  if (high !== null) q = q.where('h.id', '<', high);
  const rows = await q.where('h.at', '>=', w.from).where('h.at', '<=', w.to)
    .where((eb) => eb.or([eb('h.from_state', '<>', eb.ref('h.to_state')), eb('h.action', 'in', [...PUBLIC_SAME_STATE_ACTIONS])]))
    .orderBy('h.id').limit(w.limit).offset(w.offset).execute();
  return rows.map((r) => ({
    id: Number(r.id), caseId: Number(r.case_id), caseNo: r.case_no, channel: r.channel,
    masterCaseId: r.master_case_id === null ? null : Number(r.master_case_id), closureType: r.closure_type,
    action: r.action, fromState: r.from_state, toState: r.to_state, at: Number(r.at),
    details: fromJson<Record<string, unknown>>(r.details, {}), attachmentIds: fromJson<string[]>(r.attachment_ids, []),
  }));
}

/** The reports linked to these masters now, with when each was linked (its latest link step). */
export async function findLinkedReports(c: Conn, masterIds: number[]): Promise<{ id: number; caseNo: string; masterCaseId: number; linkedAt: number }[]> {
  const out: { id: number; caseNo: string; masterCaseId: number; linkedAt: number }[] = [];
  for (let i = 0; i < masterIds.length; i += 500) {
    const dups = await c.db.selectFrom('cases').select(['id', 'case_no', 'master_case_id', 'created_at'])
      .where('master_case_id', 'in', masterIds.slice(i, i + 500)).execute();
    if (!dups.length) continue;
    const linkedAt = new Map<number, number>();
    for (let j = 0; j < dups.length; j += 500) {
      const links = await c.db.selectFrom('case_history').select(['case_id']).select((eb) => eb.fn.max('at').as('at'))
        .where('case_id', 'in', dups.slice(j, j + 500).map((d) => d.id)).where('action', 'in', [...LINK_ACTIONS]).groupBy('case_id').execute();
      for (const l of links) linkedAt.set(Number(l.case_id), Number(l.at));
    }
    for (const d of dups) {
      out.push({ id: Number(d.id), caseNo: d.case_no, masterCaseId: Number(d.master_case_id), linkedAt: linkedAt.get(Number(d.id)) ?? Number(d.created_at) });
    }
  }
  return out;
}

/** The state of a case at an instant: its last step at or before it (what a linked report was told then). */
export async function stateOfCaseAt(c: Conn, caseId: number, at: number): Promise<{ state: string; action: string; details: Record<string, unknown> } | undefined> {
  const r = await c.db.selectFrom('case_history').select(['to_state', 'action', 'details']).where('case_id', '=', caseId)
    .where('at', '<=', at).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r ? { state: r.to_state, action: r.action, details: fromJson<Record<string, unknown>>(r.details, {}) } : undefined;
}

/**
 * The id of the newest history row of a case with this action. Called in the transaction that appended it, with
 * the case row locked, so it is that row (an update's id is the id of its history row).
 */
export async function lastHistoryIdOf(c: Conn, caseId: number, action: string): Promise<number> {
  const r = await c.db.selectFrom('case_history').select('id').where('case_id', '=', caseId).where('action', '=', action)
    .orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  return Number(r.id);
}

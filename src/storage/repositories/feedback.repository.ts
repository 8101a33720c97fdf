/**
 * The 12345 feedback clocks (migration 014): the calls whose next threshold (warning, deadline) has come — a partial
 * index on hotline_calls.feedback_next_at, claimed with FOR UPDATE SKIP LOCKED on PostgreSQL so that several sweeps
 * never raise the same alert — and the steps of a case's record that may have answered its caller.
 */
import type { Conn } from '../db.ts';
import type { RecordStep } from '../../domain/alerts/feedback.ts';

export interface FeedbackClockRow {
  id: number; case_id: number | null; created_at: number; feedback_class: string | null; feedback_warn_at: number | null;
  feedback_due_at: number | null; feedback_level: string | null;
}

/** Up to `limit` calls whose feedback clock has a threshold due, oldest first; locked for this transaction on PostgreSQL. */
export async function claimDue({ db, dialect }: Conn, now: number, limit: number): Promise<FeedbackClockRow[]> {
  let q = db.selectFrom('hotline_calls')
    .select(['id', 'case_id', 'created_at', 'feedback_class', 'feedback_warn_at', 'feedback_due_at', 'feedback_level'])
    .where('feedback_next_at', 'is not', null).where('feedback_next_at', '<=', now)
    .orderBy('feedback_next_at').limit(limit);
  if (dialect === 'postgres') q = q.forUpdate().skipLocked();
  return (await q.execute()).map((r) => ({
    id: Number(r.id), case_id: r.case_id === null ? null : Number(r.case_id), created_at: Number(r.created_at), feedback_class: r.feedback_class,
    feedback_warn_at: r.feedback_warn_at === null ? null : Number(r.feedback_warn_at),
    feedback_due_at: r.feedback_due_at === null ? null : Number(r.feedback_due_at), feedback_level: r.feedback_level,
  }));
}

/** Steps of these cases since `since` that may answer a caller (callbacks, archives, cancellations). */
export async function answeringSteps({ db }: Conn, caseIds: number[], since: number): Promise<RecordStep[]> {
  if (caseIds.length === 0) return [];
  const rows = await db.selectFrom('case_history').select(['case_id', 'action', 'to_state', 'at'])
    .where('case_id', 'in', caseIds).where('at', '>=', since)
    .where((eb) => eb.or([eb('action', '=', 'callback'), eb('to_state', 'in', ['ARCHIVED', 'CANCELLED'])]))
    .execute();
  return rows.map((r) => ({ caseId: Number(r.case_id), action: r.action, toState: r.to_state, at: Number(r.at) }));
}

/** The clock's new level and next look, on the call and (the level) on its case. */
export async function setClock({ db }: Conn, callId: number, caseId: number | null, v: { level: string; nextAt: number | null }): Promise<void> {
  await db.updateTable('hotline_calls').set({ feedback_level: v.level, feedback_next_at: v.nextAt }).where('id', '=', callId).execute();
  if (caseId !== null) await db.updateTable('cases').set({ feedback_level: v.level }).where('id', '=', caseId).execute();
}

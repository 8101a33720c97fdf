/**
 * The deadline sweep's reads and writes: the cases whose next alert is due (partial index on next_alert_at),
 * claimed with FOR UPDATE SKIP LOCKED on PostgreSQL so that several workers never fire the same alert.
 */
import type { Conn } from '../db.ts';

export const SWEEP_COLUMNS = [
  'id', 'case_no', 'state', 'handle_warn_at', 'handle_due_at', 'stage', 'stage_warn_at', 'stage_due_at', 'suspended_at',
  'alert_level', 'ever_overdue', 'assigned_unit_id', 'sub_unit_id', 'assisting_unit_ids', 'district_id', 'street_id', 'community_id',
] as const;

export interface SweepRow {
  id: number; case_no: string; state: string; handle_warn_at: number | null; handle_due_at: number | null; stage: string | null;
  stage_warn_at: number | null; stage_due_at: number | null; suspended_at: number | null; alert_level: string; ever_overdue: number;
  assigned_unit_id: string | null; sub_unit_id: string | null; assisting_unit_ids: string; district_id: string | null; street_id: string | null;
  community_id: string | null;
}

/** Up to `limit` cases whose next alert instant has come, oldest first; locked for this transaction on PostgreSQL. */
export async function claimDue({ db, dialect }: Conn, now: number, limit: number): Promise<SweepRow[]> {
  let q = db.selectFrom('cases').select(SWEEP_COLUMNS).where('next_alert_at', 'is not', null).where('next_alert_at', '<=', now)
    .orderBy('next_alert_at').limit(limit);
  if (dialect === 'postgres') q = q.forUpdate().skipLocked();
  return (await q.execute()) as SweepRow[];
}

export async function setAlert(
  { db }: Conn, id: number, v: { alert_level: string; next_alert_at: number | null; ever_overdue: number },
): Promise<void> {
  await db.updateTable('cases').set(v).where('id', '=', id).execute();
}

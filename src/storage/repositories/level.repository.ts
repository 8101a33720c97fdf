/**
 * Levels of platform: the record of escalations (上报) and assignments down (下派) between platforms, and the counts
 * per platform and period (GET /api/v1/levels/stats). The case's own columns (platform_region_id, pending_transfer)
 * are written by the case repository's updateCase, in the same transaction.
 */
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Conn } from '../db.ts';
import type { CaseTransferTable } from '../schema.ts';

export type TransferRow = Selectable<CaseTransferTable>;

export async function insertTransfer({ db, dialect }: Conn, row: Insertable<CaseTransferTable>): Promise<number> {
  if (dialect === 'postgres') {
    const r = await db.insertInto('case_transfers').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }
  const r = await db.insertInto('case_transfers').values(row).executeTakeFirstOrThrow();
  return Number(r.insertId);
}

/** Records the receiver's decision on a pending transfer; false when it is no longer pending. */
export async function decideTransfer(
  { db }: Conn, id: number,
  d: { status: 'accepted' | 'refused' | 'withdrawn'; decided_by: string | null; decided_by_name: string | null; decided_at: number; decision_reason: string | null },
): Promise<boolean> {
  const r = await db.updateTable('case_transfers').set(d).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Every transfer of a case, oldest first (the case's movements between levels). */
export async function transfersOf({ db }: Conn, caseId: number): Promise<TransferRow[]> {
  return db.selectFrom('case_transfers').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

export interface TransferCountRow { regionId: string; side: 'from' | 'to'; kind: string; status: string; n: number }

/**
 * Transfers requested in [from, to), counted by platform on both sides: by sender (from_region_id) and by receiver
 * (to_region_id), each by kind and status. Two grouped scans of the requested_at index; the caller folds them.
 */
export async function transferCounts({ db }: Conn, period: { from?: number; to?: number }): Promise<TransferCountRow[]> {
  const out: TransferCountRow[] = [];
  for (const side of ['from', 'to'] as const) {
    const col = side === 'from' ? 'from_region_id' : 'to_region_id';
    let q = db.selectFrom('case_transfers').select([`${col} as regionId`, 'kind', 'status', sql<number>`COUNT(*)`.as('n')]);
    if (period.from !== undefined) q = q.where('requested_at', '>=', period.from);
    if (period.to !== undefined) q = q.where('requested_at', '<', period.to);
    const rows = await q.groupBy([col, 'kind', 'status']).execute();
    for (const r of rows) out.push({ regionId: String(r.regionId), side, kind: r.kind, status: r.status, n: Number(r.n) });
  }
  return out;
}

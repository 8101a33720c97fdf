/** Shift handovers (交接班, issue 9 §7). An acknowledgement is a conditional UPDATE: a handover is acknowledged once. */
import type { Insertable, Selectable } from 'kysely';
import type { Conn } from '../db.ts';
import type { ShiftHandoverTable } from '../alerting.schema.ts';

export type HandoverRow = Selectable<ShiftHandoverTable>;

export async function insertHandover({ db }: Conn, row: Insertable<ShiftHandoverTable>): Promise<number> {
  const r = await db.insertInto('shift_handovers').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findHandover({ db }: Conn, id: number): Promise<HandoverRow | undefined> {
  return db.selectFrom('shift_handovers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listHandovers({ db }: Conn, opts: { limit: number; beforeId?: number; pending?: boolean }): Promise<HandoverRow[]> {
  let q = db.selectFrom('shift_handovers').selectAll();
  if (opts.beforeId !== undefined) q = q.where('id', '<', opts.beforeId);
  if (opts.pending) q = q.where('acknowledged_at', 'is', null);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

export async function acknowledgeHandover(
  { db }: Conn, id: number, v: { by: string; byName: string; at: number; note: string | null },
): Promise<boolean> {
  const r = await db.updateTable('shift_handovers').set({ acknowledged_by: v.by, acknowledged_by_name: v.byName, acknowledged_at: v.at, ack_note: v.note })
    .where('id', '=', id).where('acknowledged_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

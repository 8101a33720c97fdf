/**
 * Emergency alerts (issue 9 §5). Every change is a conditional UPDATE on (id, version): an escalation or an
 * acknowledgement happens once, whichever node tries it, and a second attempt finds nothing to change.
 */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Conn } from '../db.ts';
import type { EmergencyAlertTable } from '../alerting.schema.ts';

export type EmergencyAlertRow = Selectable<EmergencyAlertTable>;

/** Raises the alert of a case; undefined when the case already has one (raised by another run). */
export async function insertAlert({ db }: Conn, row: Insertable<EmergencyAlertTable>): Promise<number | undefined> {
  const r = await db.insertInto('emergency_alerts').values(row).onConflict((oc) => oc.column('case_id').doNothing()).returning('id').executeTakeFirst();
  return r ? Number(r.id) : undefined;
}

export async function findAlert({ db }: Conn, id: number): Promise<EmergencyAlertRow | undefined> {
  return db.selectFrom('emergency_alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function alertOfCase({ db }: Conn, caseId: number): Promise<EmergencyAlertRow | undefined> {
  return db.selectFrom('emergency_alerts').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

/** Alerts whose acknowledgement limit has passed (partial index on ack_due_at). */
export async function dueAlerts({ db }: Conn, now: number, limit: number): Promise<EmergencyAlertRow[]> {
  return db.selectFrom('emergency_alerts').selectAll().where('ack_due_at', 'is not', null).where('ack_due_at', '<=', now)
    .where('state', '=', 'ringing').orderBy('ack_due_at').limit(limit).execute();
}

/** Changes an alert if nobody changed it since `version` was read; true when this call made the change. */
export async function updateAlert({ db }: Conn, id: number, version: number, patch: Updateable<EmergencyAlertTable>): Promise<boolean> {
  const r = await db.updateTable('emergency_alerts').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listAlerts({ db }: Conn, opts: { state?: string; limit: number; beforeId?: number }): Promise<EmergencyAlertRow[]> {
  let q = db.selectFrom('emergency_alerts').selectAll();
  if (opts.state) q = q.where('state', '=', opts.state);
  if (opts.beforeId !== undefined) q = q.where('id', '<', opts.beforeId);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

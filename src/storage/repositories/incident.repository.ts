/** Major incidents (重大事件指挥): the command record, its cases and its timeline. Changes are conditional on the version. */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Conn } from '../db.ts';
import type { IncidentEntryTable, MajorIncidentTable } from '../alerting.schema.ts';

export type IncidentRow = Selectable<MajorIncidentTable>;
export type IncidentEntryRow = Selectable<IncidentEntryTable>;

export async function insertIncident({ db }: Conn, row: Insertable<MajorIncidentTable>): Promise<number> {
  return Number((await db.insertInto('major_incidents').values(row).returning('id').executeTakeFirstOrThrow()).id);
}

export async function findIncident({ db, dialect }: Conn, id: number, opts: { forUpdate?: boolean } = {}): Promise<IncidentRow | undefined> {
  let q = db.selectFrom('major_incidents').selectAll().where('id', '=', id);
  if (opts.forUpdate && dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function updateIncident({ db }: Conn, id: number, version: number, patch: Updateable<MajorIncidentTable>): Promise<boolean> {
  const r = await db.updateTable('major_incidents').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listIncidents({ db }: Conn, opts: { state?: string; limit: number }): Promise<IncidentRow[]> {
  let q = db.selectFrom('major_incidents').selectAll();
  if (opts.state) q = q.where('state', '=', opts.state);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

/** Links a case; false when it was already linked. */
export async function addCase({ db }: Conn, incidentId: number, caseId: number, at: number): Promise<boolean> {
  const r = await db.insertInto('incident_cases').values({ incident_id: incidentId, case_id: caseId, added_at: at })
    .onConflict((oc) => oc.columns(['incident_id', 'case_id']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function caseIdsOf({ db }: Conn, incidentId: number): Promise<number[]> {
  const rows = await db.selectFrom('incident_cases').select('case_id').where('incident_id', '=', incidentId).orderBy('added_at').execute();
  return rows.map((r) => Number(r.case_id));
}

export async function appendEntry({ db }: Conn, e: Insertable<IncidentEntryTable>): Promise<void> {
  await db.insertInto('incident_entries').values(e).execute();
}

export async function entriesOf({ db }: Conn, incidentId: number): Promise<IncidentEntryRow[]> {
  return db.selectFrom('incident_entries').selectAll().where('incident_id', '=', incidentId).orderBy('id').limit(1000).execute();
}

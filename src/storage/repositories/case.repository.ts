/** Cases and their history: the only SQL for the case lifecycle. */
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Dialect, DbOrTrx, Trx } from '../db.ts';
import type { CaseTable, CaseHistoryTable } from '../schema.ts';

export type CaseRow = Selectable<CaseTable>;
export type NewCaseRow = Insertable<CaseTable>;
export type CaseUpdate = Updateable<CaseTable>;
export type HistoryRow = Selectable<CaseHistoryTable>;

/**
 * The next case sequence number. PostgreSQL: a sequence (no row lock, so concurrent creators never wait on each
 * other, and numbers stay unique across processes). SQLite: a counter row, updated inside the writing
 * transaction (SQLite has one writer at a time anyway).
 */
export async function nextCaseSeq(trx: Trx, dialect: Dialect): Promise<number> {
  if (dialect === 'postgres') {
    const r = await sql<{ v: number }>`SELECT nextval('case_no_seq') AS v`.execute(trx);
    return Number(r.rows[0].v);
  }
  const r = await trx
    .insertInto('counters')
    .values({ key: 'case_no', value: 1 })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(r.value);
}

export async function insertCase(trx: Trx, row: NewCaseRow): Promise<number> {
  const r = await trx.insertInto('cases').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findCase(db: DbOrTrx, id: number, opts: { forUpdate?: boolean; dialect?: Dialect } = {}): Promise<CaseRow | undefined> {
  let q = db.selectFrom('cases').selectAll().where('id', '=', id);
  if (opts.forUpdate && opts.dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findCaseByNo(db: DbOrTrx, caseNo: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('case_no', '=', caseNo).executeTakeFirst();
}

/** Optimistic write: fails (returns false) when someone else changed the case since it was read. */
export async function updateCase(trx: Trx, id: number, version: number, patch: CaseUpdate): Promise<boolean> {
  const r = await trx.updateTable('cases').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertHistory(trx: Trx, row: Insertable<CaseHistoryTable>): Promise<void> {
  await trx.insertInto('case_history').values(row).execute();
}

export async function listHistory(db: DbOrTrx, caseId: number): Promise<HistoryRow[]> {
  return db.selectFrom('case_history').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

export async function bumpUnitCounter(trx: Trx, unitId: string, counter: string, by = 1): Promise<void> {
  await trx
    .insertInto('unit_counters')
    .values({ unit_id: unitId, counter, value: by })
    .onConflict((oc) => oc.columns(['unit_id', 'counter']).doUpdateSet({ value: sql`unit_counters.value + ${by}` }))
    .execute();
}

export async function unitCounters(db: DbOrTrx, unitId: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom('unit_counters').select(['counter', 'value']).where('unit_id', '=', unitId).execute();
  return Object.fromEntries(rows.map((r) => [r.counter, Number(r.value)]));
}

export interface CaseFilter {
  state?: string[];
  assignedUnitIds?: string[];
  regionIds?: string[]; // matches district, street or community
  matterCode?: string;
  alertLevel?: string;
  createdFrom?: number;
  createdTo?: number;
  beforeId?: number; // keyset pagination: newest first
  limit: number;
}

export async function listCases(db: DbOrTrx, f: CaseFilter): Promise<CaseRow[]> {
  let q = db.selectFrom('cases').selectAll();
  if (f.state?.length) q = q.where('state', 'in', f.state);
  if (f.assignedUnitIds) {
    const units = f.assignedUnitIds;
    q = q.where((eb) => eb.or([eb('assigned_unit_id', 'in', units.length ? units : ['']), eb('sub_unit_id', 'in', units.length ? units : [''])]));
  }
  if (f.regionIds) {
    const r = f.regionIds.length ? f.regionIds : [''];
    q = q.where((eb) => eb.or([eb('district_id', 'in', r), eb('street_id', 'in', r), eb('community_id', 'in', r)]));
  }
  if (f.matterCode) q = q.where('matter_code', '=', f.matterCode);
  if (f.alertLevel) q = q.where('alert_level', '=', f.alertLevel);
  if (f.createdFrom !== undefined) q = q.where('created_at', '>=', f.createdFrom);
  if (f.createdTo !== undefined) q = q.where('created_at', '<', f.createdTo);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}

export async function insertSupervision(trx: Trx, row: { case_id: number; level: string; note: string; by_user_id: string | null; at: number }): Promise<void> {
  await trx.insertInto('supervisions').values(row).execute();
}

export async function listSupervisions(db: DbOrTrx, caseId: number) {
  return db.selectFrom('supervisions').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

/** Idempotency: the earlier result for (scope, key), if any. */
export async function findIdempotent(db: DbOrTrx, scope: string, key: string) {
  return db.selectFrom('idempotency').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
}

export async function insertIdempotent(trx: Trx, row: { scope: string; key: string; request_hash: string; result_id: string; created_at: number }): Promise<void> {
  await trx.insertInto('idempotency').values(row).execute();
}

export async function attachToCase(trx: Trx, caseId: number, attachmentIds: string[]): Promise<number> {
  if (attachmentIds.length === 0) return 0;
  const r = await trx.updateTable('attachments').set({ case_id: caseId }).where('id', 'in', attachmentIds)
    .where((eb) => eb.or([eb('case_id', 'is', null), eb('case_id', '=', caseId)])).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

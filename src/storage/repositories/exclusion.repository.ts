/** Exclusions (无理诉求): requests, reviews, revocations, and the exclusions report. */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Conn } from '../db.ts';
import type { ExclusionTable } from '../desks.schema.ts';
import { deskVisible, type DeskVisibility } from './appeal.repository.ts';

export type ExclusionRow = Selectable<ExclusionTable>;

export async function insertExclusion({ db }: Conn, row: Insertable<ExclusionTable>): Promise<number> {
  const r = await db.insertInto('exclusions').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findExclusion({ db, dialect }: Conn, id: number, opts: { forUpdate?: boolean } = {}): Promise<ExclusionRow | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  let q = db.selectFrom('exclusions').selectAll().where('id', '=', id);
  if (opts.forUpdate && dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The request or approval in force on a case (at most one: partial unique index exclusions_active). */
export async function activeExclusionOf({ db }: Conn, caseId: number): Promise<ExclusionRow | undefined> {
  return db.selectFrom('exclusions').selectAll().where('case_id', '=', caseId).where('state', 'in', ['requested', 'approved']).executeTakeFirst();
}

export async function exclusionsOfCase({ db }: Conn, caseId: number): Promise<ExclusionRow[]> {
  return db.selectFrom('exclusions').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

export async function updateExclusion({ db }: Conn, id: number, version: number, patch: Updateable<ExclusionTable>): Promise<boolean> {
  const r = await db.updateTable('exclusions').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface ExclusionFilter {
  visibility: DeskVisibility;
  state?: string[];
  unitId?: string;
  from?: number;
  to?: number;
  beforeId?: number;
  limit: number;
}

/** The exclusions report: newest request first, within the caller's scope. */
export async function listExclusions({ db }: Conn, f: ExclusionFilter): Promise<ExclusionRow[]> {
  let q = db.selectFrom('exclusions').selectAll();
  q = deskVisible(q, f.visibility);
  if (f.state?.length) q = q.where('state', 'in', f.state);
  if (f.unitId) q = q.where('unit_id', '=', f.unitId);
  if (f.from !== undefined) q = q.where('requested_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('requested_at', '<', f.to);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}

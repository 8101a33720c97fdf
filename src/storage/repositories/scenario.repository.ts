/** The scenarios' own rows (issue 11 part 6): the shop-sign registry, wind warnings and sign inspection tasks. */
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Conn } from '../db.ts';
import type { CaseVisibility } from '../../domain/policy/visibility.ts';
import type { ShopSignInspectionTable, ShopSignTable, WindWarningTable } from '../scenario.schema.ts';

export type ShopSignRow = Selectable<ShopSignTable>;
export type WindWarningRow = Selectable<WindWarningTable>;
export type SignInspectionRow = Selectable<ShopSignInspectionTable>;

export async function findSign({ db }: Conn, id: string): Promise<ShopSignRow | undefined> {
  return db.selectFrom('shop_signs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Inserts or replaces a sign; `expectedVersion` (replace) must match the stored one. Answers false on a version race. */
export async function saveSign({ db }: Conn, row: ShopSignTable, expectedVersion: number | null): Promise<boolean> {
  if (expectedVersion === null) {
    await db.insertInto('shop_signs').values(row).execute();
    return true;
  }
  const { id, created_at: _c, ...rest } = row;
  const r = await db.updateTable('shop_signs').set(rest).where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertSigns({ db }: Conn, rows: ShopSignTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('shop_signs').values(rows.slice(i, i + 500)).onConflict((oc) => oc.column('id').doNothing()).execute();
}

/** Signs visible to the caller (their regions), by id, a page at a time; `regionId` narrows to a district/street/community. */
export async function listSigns({ db }: Conn, v: CaseVisibility, opts: { limit: number; afterId?: string; regionId?: string; dueBefore?: number }): Promise<ShopSignRow[]> {
  let q = db.selectFrom('shop_signs').selectAll();
  if (!v.all) {
    const r = v.regionIds.length ? v.regionIds : [''];
    q = q.where((eb) => eb.or([eb('district_id', 'in', r), eb('street_id', 'in', r), eb('community_id', 'in', r)]));
  }
  if (opts.regionId) { const id = opts.regionId; q = q.where((eb) => eb.or([eb('district_id', '=', id), eb('street_id', '=', id), eb('community_id', '=', id)])); }
  if (opts.afterId) q = q.where('id', '>', opts.afterId);
  return q.orderBy('id').limit(opts.limit).execute();
}

/** Signs whose next periodic inspection is due by `now` (never inspected counts from its registration). */
export async function signsDue({ db }: Conn, now: number, limit: number): Promise<ShopSignRow[]> {
  return db.selectFrom('shop_signs').selectAll()
    .where(sql<number>`coalesce(last_inspected_at, created_at) + cast(inspect_every_days as bigint) * 86400000`, '<=', now)
    .orderBy('id').limit(limit).execute();
}

/** Signs in a region (district, street or community) or all when the region is the city. */
export async function signsIn({ db }: Conn, regionId: string | null): Promise<ShopSignRow[]> {
  let q = db.selectFrom('shop_signs').selectAll();
  if (regionId) q = q.where((eb) => eb.or([eb('district_id', '=', regionId), eb('street_id', '=', regionId), eb('community_id', '=', regionId)]));
  return q.orderBy('id').execute();
}

export async function countSigns({ db }: Conn): Promise<number> {
  const r = await db.selectFrom('shop_signs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function markInspected({ db }: Conn, id: string, at: number): Promise<void> {
  await db.updateTable('shop_signs').set({ last_inspected_at: at, updated_at: at }).where('id', '=', id).execute();
}

export async function insertWindWarning({ db }: Conn, row: Insertable<WindWarningTable>): Promise<number> {
  const r = await db.insertInto('wind_warnings').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function setWindWarningSigns({ db }: Conn, id: number, signs: number): Promise<void> {
  await db.updateTable('wind_warnings').set({ signs }).where('id', '=', id).execute();
}

export async function listWindWarnings({ db }: Conn, limit: number): Promise<WindWarningRow[]> {
  return db.selectFrom('wind_warnings').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

export async function findInspection({ db }: Conn, key: string): Promise<SignInspectionRow | undefined> {
  return db.selectFrom('shop_sign_inspections').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function insertInspection({ db }: Conn, row: ShopSignInspectionTable): Promise<void> {
  await db.insertInto('shop_sign_inspections').values(row).onConflict((oc) => oc.column('key').doNothing()).execute();
}

export async function inspectionsOf({ db }: Conn, signId: string, limit: number): Promise<SignInspectionRow[]> {
  return db.selectFrom('shop_sign_inspections').selectAll().where('sign_id', '=', signId).orderBy('created_at', 'desc').limit(limit).execute();
}

export async function recentInspections({ db }: Conn, limit: number): Promise<SignInspectionRow[]> {
  return db.selectFrom('shop_sign_inspections').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
}

/** The shop-sign inspections whose case is `caseId` (a wind inspection and a periodic one never share a case; one row). */
export async function inspectionsOfCase({ db }: Conn, caseId: number): Promise<SignInspectionRow[]> {
  return db.selectFrom('shop_sign_inspections').selectAll().where('case_id', '=', caseId).execute();
}

export async function setInspectionState({ db }: Conn, key: string, set: { state: string; closed_at: number | null }): Promise<void> {
  await db.updateTable('shop_sign_inspections').set(set).where('key', '=', key).execute();
}

/** Appeals (申诉): filing, the centre's decision, the appeals report; and the desks' shared visibility filter. */
import type { Insertable, Selectable, SelectQueryBuilder, Updateable } from 'kysely';
import type { Conn } from '../db.ts';
import type { AppealTable } from '../desks.schema.ts';
import type { Database } from '../schema.ts';

export type AppealRow = Selectable<AppealTable>;

/**
 * Who may see desk records (appeals, exclusions, notices), as a filter: the case visibility policy applied to the
 * record's copy of the case's place and unit — centre staff by region, unit staff by the unit concerned.
 */
export type DeskVisibility = { all: true } | { all: false; regionIds: string[]; unitIds: string[] };

type DeskTable = 'appeals' | 'exclusions' | 'supervision_notices';
export function deskVisible<T extends DeskTable, O>(q: SelectQueryBuilder<Database, T, O>, v: DeskVisibility): SelectQueryBuilder<Database, T, O> {
  if (v.all) return q;
  const { regionIds, unitIds } = v;
  if (regionIds.length === 0 && unitIds.length === 0) return q.where((eb) => eb.val(1), '=', 0);
  // Every desk table has these columns; the casts tell Kysely so for the generic T.
  return q.where((eb) => {
    const ors = [];
    if (regionIds.length) {
      ors.push(eb('district_id' as never, 'in', regionIds as never), eb('street_id' as never, 'in', regionIds as never), eb('community_id' as never, 'in', regionIds as never));
    }
    if (unitIds.length) ors.push(eb('unit_id' as never, 'in', unitIds as never));
    return eb.or(ors);
  });
}

export async function insertAppeal({ db }: Conn, row: Insertable<AppealTable>): Promise<number> {
  const r = await db.insertInto('appeals').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function findAppeal({ db, dialect }: Conn, id: number, opts: { forUpdate?: boolean } = {}): Promise<AppealRow | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  let q = db.selectFrom('appeals').selectAll().where('id', '=', id);
  if (opts.forUpdate && dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function openAppealOf({ db }: Conn, caseId: number, unitId: string): Promise<AppealRow | undefined> {
  return db.selectFrom('appeals').selectAll().where('case_id', '=', caseId).where('unit_id', '=', unitId).where('state', '=', 'open').executeTakeFirst();
}

export async function appealsOfCase({ db }: Conn, caseId: number): Promise<AppealRow[]> {
  return db.selectFrom('appeals').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

export async function updateAppeal({ db }: Conn, id: number, version: number, patch: Updateable<AppealTable>): Promise<boolean> {
  const r = await db.updateTable('appeals').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface AppealFilter { visibility: DeskVisibility; state?: string[]; unitId?: string; period?: string; beforeId?: number; limit: number }

/** The appeals report: newest first, within the caller's scope. */
export async function listAppeals({ db }: Conn, f: AppealFilter): Promise<AppealRow[]> {
  let q = deskVisible(db.selectFrom('appeals').selectAll(), f.visibility);
  if (f.state?.length) q = q.where('state', 'in', f.state);
  if (f.unitId) q = q.where('unit_id', '=', f.unitId);
  if (f.period) q = q.where('period', '=', f.period);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}

/**
 * Summons (吹哨报到): the SQL of the summons, its departments, its timeline, the overdue claim and the assessment
 * summary. Changes to a department are conditional updates (on its state, its rating), so that two requests or two
 * nodes cannot both record one report, one rating or one overdue mark.
 */
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Conn } from '../db.ts';
import { toJson } from '../codec.ts';
import type { SummonsHistoryTable, SummonsTable, SummonsUnitTable } from '../summons.schema.ts';

export type SummonsRow = Selectable<SummonsTable>;
export type SummonsUnitRow = Selectable<SummonsUnitTable>;
export type SummonsHistoryRow = Selectable<SummonsHistoryTable>;

export interface SummonsHistoryEntry {
  summonsId: number;
  action: string;
  unitId?: string | null;
  actorId: string | null;
  actorName: string | null;
  at: number;
  details?: Record<string, unknown>;
}

/** Who may see summonses, as a filter: everything, or those in these regions / concerning these units. */
export type SummonsVisibility = { all: true } | { all: false; regionIds: string[]; unitIds: string[] };

export async function insertSummons({ db }: Conn, row: Insertable<SummonsTable>): Promise<number> {
  const r = await db.insertInto('summons').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function insertUnits({ db }: Conn, rows: Insertable<SummonsUnitTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('summons_units').values(rows).execute();
}

export async function findSummons({ db, dialect }: Conn, id: number, opts: { forUpdate?: boolean } = {}): Promise<SummonsRow | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  let q = db.selectFrom('summons').selectAll().where('id', '=', id);
  if (opts.forUpdate && dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function openSummonsOfCase({ db }: Conn, caseId: number): Promise<SummonsRow | undefined> {
  return db.selectFrom('summons').selectAll().where('case_id', '=', caseId).where('state', '=', 'open').executeTakeFirst();
}

export async function summonsOfCase({ db }: Conn, caseId: number): Promise<SummonsRow[]> {
  return db.selectFrom('summons').selectAll().where('case_id', '=', caseId).orderBy('id', 'desc').execute();
}

/** The departments of these summonses, in the order they were named. */
export async function unitsOf({ db }: Conn, summonsIds: number[]): Promise<SummonsUnitRow[]> {
  if (summonsIds.length === 0) return [];
  return db.selectFrom('summons_units').selectAll().where('summons_id', 'in', summonsIds).orderBy('summons_id').orderBy('position').execute();
}

/** Optimistic write of the summons row (its state and outcome). */
export async function updateSummons({ db }: Conn, id: number, version: number, patch: Updateable<SummonsTable>): Promise<boolean> {
  const r = await db.updateTable('summons').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records a department's report, only while it is still waiting (false: someone recorded it first). */
export async function recordReport({ db }: Conn, summonsId: number, unitId: string, patch: Updateable<SummonsUnitTable>): Promise<boolean> {
  const r = await db.updateTable('summons_units').set({ ...patch, state: 'reported' })
    .where('summons_id', '=', summonsId).where('unit_id', '=', unitId).where('state', '=', 'summoned').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Marks every department still waiting as absent; returns their unit ids. */
export async function markAbsent({ db }: Conn, summonsId: number): Promise<string[]> {
  const waiting = await db.selectFrom('summons_units').select('unit_id').where('summons_id', '=', summonsId).where('state', '=', 'summoned').execute();
  if (waiting.length === 0) return [];
  await db.updateTable('summons_units').set({ state: 'absent' }).where('summons_id', '=', summonsId).where('state', '=', 'summoned').execute();
  return waiting.map((w) => w.unit_id);
}

/** Records the street's rating of one department, once (false: it was rated already). */
export async function recordRating(
  { db }: Conn, summonsId: number, unitId: string, patch: { rating: number; rating_comment: string | null; rated_by: string | null; rated_at: number },
): Promise<boolean> {
  const r = await db.updateTable('summons_units').set(patch)
    .where('summons_id', '=', summonsId).where('unit_id', '=', unitId).where('rating', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Departments past their report limit, unreported and not yet marked overdue (a partial index keeps it cheap). */
export async function dueUnreported({ db }: Conn, now: number, limit: number): Promise<SummonsUnitRow[]> {
  return db.selectFrom('summons_units').selectAll().where('state', '=', 'summoned').where('overdue_at', 'is', null)
    .where('due_at', '<=', now).orderBy('due_at').limit(limit).execute();
}

/**
 * Claims one overdue mark: the conditional UPDATE succeeds for one caller only, whichever node runs the job (on
 * PostgreSQL a second UPDATE waits for the first's row lock and then no longer matches).
 */
export async function claimOverdue({ db }: Conn, summonsId: number, unitId: string, now: number): Promise<boolean> {
  const r = await db.updateTable('summons_units').set({ overdue_at: now })
    .where('summons_id', '=', summonsId).where('unit_id', '=', unitId).where('state', '=', 'summoned').where('overdue_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function appendHistory({ db }: Conn, entries: SummonsHistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insertInto('summons_history').values(entries.map((e) => ({
    summons_id: e.summonsId, action: e.action, unit_id: e.unitId ?? null, actor_id: e.actorId, actor_name: e.actorName, at: e.at,
    details: toJson(e.details ?? {}),
  }))).execute();
}

export async function historyOf({ db }: Conn, summonsId: number): Promise<SummonsHistoryRow[]> {
  return db.selectFrom('summons_history').selectAll().where('summons_id', '=', summonsId).orderBy('id').execute();
}

export interface SummonsListFilter {
  visibility: SummonsVisibility;
  state?: 'open' | 'closed';
  /** Only summonses in which one of these units is still to report ("waiting for my unit"). */
  waitingUnitIds?: string[];
  /** Only summonses naming one of these units. */
  unitIds?: string[];
  streetId?: string;
  beforeId?: number;
  limit: number;
}

export async function listSummons({ db }: Conn, f: SummonsListFilter): Promise<SummonsRow[]> {
  let q = db.selectFrom('summons').selectAll();
  const v = f.visibility;
  if (!v.all) {
    q = q.where((eb) => eb.or([
      ...(v.regionIds.length ? [eb('street_id', 'in', v.regionIds), eb('district_id', 'in', v.regionIds)] : []),
      ...(v.unitIds.length ? [
        eb('issuer_unit_id', 'in', v.unitIds),
        eb.exists(eb.selectFrom('summons_units as su').select('su.unit_id').whereRef('su.summons_id', '=', 'summons.id').where('su.unit_id', 'in', v.unitIds)),
      ] : []),
      sql<boolean>`1 = 0`,
    ]));
  }
  if (f.state) q = q.where('state', '=', f.state);
  if (f.streetId) q = q.where('street_id', '=', f.streetId);
  // An empty unit list matches nothing (and `IN ()` is not SQL).
  if (f.waitingUnitIds) {
    const units = f.waitingUnitIds;
    q = q.where('state', '=', 'open').where((eb) => (units.length ? eb.exists(eb.selectFrom('summons_units as sw').select('sw.unit_id')
      .whereRef('sw.summons_id', '=', 'summons.id').where('sw.unit_id', 'in', units).where('sw.state', '=', 'summoned')) : sql<boolean>`1 = 0`));
  }
  if (f.unitIds) {
    const units = f.unitIds;
    q = q.where((eb) => (units.length ? eb.exists(eb.selectFrom('summons_units as sn').select('sn.unit_id')
      .whereRef('sn.summons_id', '=', 'summons.id').where('sn.unit_id', 'in', units)) : sql<boolean>`1 = 0`));
  }
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}

export interface SummonsSummaryRow {
  unit_id: string;
  received: number;
  reported: number;
  late: number;
  absent: number;
  waiting: number;
  rated: number;
  rating_sum: number;
}

/** Per department, over the summonses issued in [from, to): received, reported (late among them), absent, ratings. */
export async function summary({ db }: Conn, f: { from: number; to: number; unitIds?: string[] }): Promise<SummonsSummaryRow[]> {
  let q = db.selectFrom('summons_units').select((eb) => [
    'unit_id',
    eb.fn.countAll<number>().as('received'),
    eb.fn.sum<number>(eb.case().when('state', '=', 'reported').then(1).else(0).end()).as('reported'),
    eb.fn.sum<number>(eb.case().when('state', '=', 'reported').then(eb.ref('late')).else(0).end()).as('late'),
    eb.fn.sum<number>(eb.case().when('state', '=', 'absent').then(1).else(0).end()).as('absent'),
    eb.fn.sum<number>(eb.case().when('state', '=', 'summoned').then(1).else(0).end()).as('waiting'),
    eb.fn.count<number>('rating').as('rated'),
    eb.fn.coalesce(eb.fn.sum<number>('rating'), eb.val(0)).as('rating_sum'),
  ]).where('issued_at', '>=', f.from).where('issued_at', '<', f.to);
  if (f.unitIds && f.unitIds.length === 0) return [];
  if (f.unitIds) q = q.where('unit_id', 'in', f.unitIds);
  const rows = await q.groupBy('unit_id').orderBy('unit_id').execute();
  return rows.map((r) => ({
    unit_id: r.unit_id, received: Number(r.received), reported: Number(r.reported), late: Number(r.late), absent: Number(r.absent),
    waiting: Number(r.waiting), rated: Number(r.rated), rating_sum: Number(r.rating_sum),
  }));
}

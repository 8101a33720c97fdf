/**
 * The console's statistics (issue 4): three aggregate queries, each on an index, city-wide. The caller's scope is
 * applied afterwards, in memory, to the grouped rows (src/http/routes/stats/stats.presenter.ts), so one query set
 * serves every scope and every screen.
 */
import { sql } from 'kysely';
import type { Conn } from '../db.ts';
import { fromJson } from '../codec.ts';
import { OPEN_CASES_SQL } from './case.repository.ts';

/** Open cases of one (alert level, state, grid, assigned unit, sub-unit). */
export interface OpenGroup { gridId: string | null; state: string; alertLevel: string; unitId: string | null; subUnitId: string | null; n: number }
/** Cases reported or closed today in one (grid, assigned unit, sub-unit, assisting units), by channel for the intake. */
export interface DayGroup { channel: string; gridId: string | null; unitId: string | null; subUnitId: string | null; assisting: string[]; n: number }

/** Open cases with assisting units (联勤联动), grouped with their list of assisting units. */
export interface AssistGroup extends OpenGroup { assisting: string[] }

/**
 * Every open case, grouped: an index-only scan of cases_open_stats (migration 006), whose column order is the
 * grouping order, so the store streams the groups without sorting. A few thousand groups for ~1,000 grids.
 */
export async function openCaseGroups({ db }: Conn): Promise<OpenGroup[]> {
  const rows = await db.selectFrom('cases')
    .select(['alert_level', 'state', 'grid_id', 'assigned_unit_id', 'sub_unit_id'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(sql.raw(OPEN_CASES_SQL) as never)
    .groupBy(['alert_level', 'state', 'grid_id', 'assigned_unit_id', 'sub_unit_id'])
    .execute();
  return rows.map((r) => ({ gridId: r.grid_id, state: r.state, alertLevel: r.alert_level, unitId: r.assigned_unit_id, subUnitId: r.sub_unit_id, n: Number(r.n) }));
}

/**
 * Open cases that have assisting units, grouped with the list: the visibility policy shows a case to its assisting
 * units too. Only cases in case_assists are read (joint cases are a small share of the open ones).
 */
export async function openAssistGroups({ db }: Conn): Promise<AssistGroup[]> {
  const rows = await db.selectFrom('cases')
    .select(['alert_level', 'state', 'grid_id', 'assigned_unit_id', 'sub_unit_id', 'assisting_unit_ids'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', 'in', (eb) => eb.selectFrom('case_assists').select('case_id'))
    .where(sql.raw(OPEN_CASES_SQL) as never)
    .groupBy(['alert_level', 'state', 'grid_id', 'assigned_unit_id', 'sub_unit_id', 'assisting_unit_ids'])
    .execute();
  return rows.map((r) => ({
    gridId: r.grid_id, state: r.state, alertLevel: r.alert_level, unitId: r.assigned_unit_id, subUnitId: r.sub_unit_id,
    assisting: fromJson<string[]>(r.assisting_unit_ids, []), n: Number(r.n),
  }));
}

/**
 * Cases reported on one local day. Case numbers begin with the city's local date (YYYYMMDD, decisions.md), so the
 * day is a range of the unique case-number index: `fromCaseNo` is that date, `toCaseNo` the next day's.
 */
export async function intakeGroups({ db }: Conn, fromCaseNo: string, toCaseNo: string): Promise<DayGroup[]> {
  const rows = await db.selectFrom('cases')
    .select(['channel', 'grid_id', 'assigned_unit_id', 'sub_unit_id'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('case_no', '>=', fromCaseNo).where('case_no', '<', toCaseNo)
    .groupBy(['channel', 'grid_id', 'assigned_unit_id', 'sub_unit_id'])
    .execute();
  // New cases have no assisting units yet (they come with dispatch).
  return rows.map((r) => ({ channel: r.channel, gridId: r.grid_id, unitId: r.assigned_unit_id, subUnitId: r.sub_unit_id, assisting: [], n: Number(r.n) }));
}

/** Cases closed (结案) in [from, to): closed_at is set by a closure and cleared by a reopen (index cases_closed_at). */
export async function closedGroups({ db }: Conn, from: number, to: number): Promise<DayGroup[]> {
  const rows = await db.selectFrom('cases')
    .select(['grid_id', 'assigned_unit_id', 'sub_unit_id', 'assisting_unit_ids'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('closed_at', '>=', from).where('closed_at', '<', to)
    .groupBy(['grid_id', 'assigned_unit_id', 'sub_unit_id', 'assisting_unit_ids'])
    .execute();
  return rows.map((r) => ({
    channel: '', gridId: r.grid_id, unitId: r.assigned_unit_id, subUnitId: r.sub_unit_id, assisting: fromJson<string[]>(r.assisting_unit_ids, []), n: Number(r.n),
  }));
}

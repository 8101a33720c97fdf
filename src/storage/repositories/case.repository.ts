/** Cases and their history: the only SQL for the case lifecycle. */
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Dialect, DbOrTrx, Trx } from '../db.ts';
import type { CaseTable, CaseHistoryTable } from '../schema.ts';
import { STATES } from '../../domain/case/states.ts';

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

/**
 * Open = still in the loop (domain/case/states.ts `isOpen`). Written as literal SQL, the way the partial indexes of
 * migration 006 are declared: both stores use a partial index only when the query repeats its predicate.
 */
export const OPEN_CASES_SQL = `state NOT IN ('ARCHIVED', 'CANCELLED')`;

/** Past a warning point or a deadline: the predicate of the partial index cases_late (migration 006). */
export const LATE_CASES_SQL = `alert_level IN ('warning', 'overdue')`;
const LATE_LEVELS = ['warning', 'overdue'];
const OPEN_STATES = STATES.filter((x) => x.open).map((x) => x.state);

/** Sorts after every real deadline (2^53 − 1): no running clock. */
export const NO_DEADLINE = 9007199254740991;

/**
 * The nearest running deadline, as indexed by cases_open_due (migration 006; keep the two identical): the stage
 * clock, or the handling clock while it runs (dispatched, in progress, disputed), whichever ends first; nothing runs
 * while the case is suspended (hung). Mirrors `runningDueAt` in domain/alerts/alerts.ts.
 */
export const DUE_AT_SQL = `(CASE
      WHEN suspended_at IS NOT NULL THEN ${NO_DEADLINE}
      WHEN state IN ('DISPATCHED', 'IN_PROGRESS', 'DISPUTED') AND handle_due_at IS NOT NULL
        AND (stage_due_at IS NULL OR handle_due_at <= stage_due_at) THEN handle_due_at
      ELSE COALESCE(stage_due_at, ${NO_DEADLINE}) END)`;

export interface CaseFilter {
  state?: string[];
  /** Assigned or sub-unit: a filter the caller chose. */
  assignedUnitIds?: string[];
  regionIds?: string[]; // matches district, street or community
  /** What the caller may see at all (case list scope); intersected with the filters above, never replaced by them. */
  scope?: { unitIds?: string[]; regionIds?: string[] };
  matterCode?: string;
  alertLevel?: string | string[];
  urgency?: string[];
  createdFrom?: number;
  createdTo?: number;
  beforeId?: number; // keyset pagination: newest first
  /** 'newest' (id descending, the default) or 'due' (open cases only, nearest running deadline first). */
  sort?: 'newest' | 'due';
  /** Keyset for sort 'due': the last row of the previous page. */
  after?: { dueAt: number; id: number };
  limit: number;
}

export type ListedCaseRow = CaseRow & { due_at?: number };

type CaseQuery = ReturnType<typeof casesFrom>;
const casesFrom = (db: DbOrTrx) => db.selectFrom('cases');
const orNone = (ids: string[]) => (ids.length ? ids : ['']);

/**
 * The WHERE of a list or count. `openBy`: how sort 'due' restricts to open cases — 'literal' repeats the partial
 * indexes' predicate so a page walks cases_open_due in order; 'param' (for counting) names the open states instead,
 * which reads them by cases_state_id: a count needs no order, and reading rows in deadline order is random access.
 */
function applyFilter(q: CaseQuery, f: Omit<CaseFilter, 'limit'>, openBy: 'literal' | 'param'): CaseQuery {
  if (f.state?.length) q = q.where('state', 'in', f.state);
  const byUnit = (units: string[]) => q.where((eb) => eb.or([eb('assigned_unit_id', 'in', orNone(units)), eb('sub_unit_id', 'in', orNone(units))]));
  const byRegion = (regions: string[]) => q.where((eb) => eb.or([
    eb('district_id', 'in', orNone(regions)), eb('street_id', 'in', orNone(regions)), eb('community_id', 'in', orNone(regions)),
  ]));
  if (f.scope?.unitIds) q = byUnit(f.scope.unitIds);
  if (f.scope?.regionIds) q = byRegion(f.scope.regionIds);
  if (f.assignedUnitIds) q = byUnit(f.assignedUnitIds);
  if (f.regionIds) q = byRegion(f.regionIds);
  if (f.matterCode) q = q.where('matter_code', '=', f.matterCode);
  const levels = typeof f.alertLevel === 'string' ? [f.alertLevel] : f.alertLevel ?? [];
  if (levels.length) q = q.where('alert_level', 'in', levels);
  // Only late cases wanted: say so in the words of cases_late, so both stores read that small index.
  if (levels.length && levels.every((l) => LATE_LEVELS.includes(l))) q = q.where(sql.raw(LATE_CASES_SQL) as never);
  if (f.urgency?.length) q = q.where('urgency', 'in', f.urgency);
  if (f.createdFrom !== undefined) q = q.where('created_at', '>=', f.createdFrom);
  if (f.createdTo !== undefined) q = q.where('created_at', '<', f.createdTo);
  if (f.sort === 'due') q = openBy === 'literal' ? q.where(sql.raw(OPEN_CASES_SQL) as never) : q.where('state', 'in', OPEN_STATES);
  return q;
}

export async function listCases(db: DbOrTrx, f: CaseFilter): Promise<ListedCaseRow[]> {
  let q = applyFilter(casesFrom(db), f, 'literal');
  if (f.sort === 'due') {
    const due = sql.raw(DUE_AT_SQL);
    // The range term is always there (from −1 on the first page): it lets the planner walk cases_open_due in order
    // and stop after one page, instead of sorting every matching row, when the other filters are not selective.
    const from = f.after?.dueAt ?? -1;
    q = q.where(sql`${due} >= ${from}` as never);
    if (f.after) q = q.where(sql`(${due} > ${from} OR id > ${f.after.id})` as never);
    return q.selectAll().select(sql<number>`${due}`.as('due_at')).orderBy(sql`${due}`).orderBy('id').limit(f.limit).execute() as Promise<ListedCaseRow[]>;
  }
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  return q.selectAll().orderBy('id', 'desc').limit(f.limit).execute();
}

/**
 * How many cases match (paging keys ignored), counting at most `cap` + 1 rows so that a broad filter over a large
 * store stays cheap: `capped` says the true number is larger than `cap`.
 */
export async function countCases(db: DbOrTrx, f: Omit<CaseFilter, 'limit' | 'beforeId' | 'after'>, cap: number): Promise<{ total: number; capped: boolean }> {
  const inner = applyFilter(casesFrom(db), f, 'param').select(sql<number>`1`.as('one')).limit(cap + 1);
  const r = await db.selectFrom(inner.as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const n = Number(r.n);
  return { total: Math.min(n, cap), capped: n > cap };
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

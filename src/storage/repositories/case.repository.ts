/** Cases: the SQL of the case lifecycle (reads, optimistic updates, lists and counts under the visibility policy). */
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { DbOrTrx, Conn, Dialect } from '../db.ts';
import { fromJson } from '../codec.ts';
import type { CaseTable } from '../schema.ts';
import { STATES } from '../../domain/case/states.ts';
import type { CaseVisibility } from '../../domain/policy/visibility.ts';
import { platformFiltered, type PlatformFilter } from './level-filter.ts';
import { unitWordToken } from '../../domain/search/text-tokens.ts';

export type CaseRow = Selectable<CaseTable>;
export type NewCaseRow = Insertable<CaseTable>;
export type CaseUpdate = Updateable<CaseTable>;
export type { HistoryRow } from './history.repository.ts';

/**
 * One case by id. `forUpdate` locks the row until the transaction ends (PostgreSQL; SQLite has one writer at a
 * time, and the optimistic version check of updateCase guards it).
 */
export async function findCase({ db, dialect }: Conn, id: number, opts: { forUpdate?: boolean } = {}): Promise<CaseRow | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  let q = db.selectFrom('cases').selectAll().where('id', '=', id);
  if (opts.forUpdate && dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Several cases by id, in no particular order (ids that do not exist are left out). */
export async function findCases({ db }: Conn, ids: number[]): Promise<CaseRow[]> {
  const safe = ids.filter(Number.isSafeInteger);
  if (safe.length === 0) return [];
  return db.selectFrom('cases').selectAll().where('id', 'in', safe).execute();
}

export async function findCaseByNo({ db }: Conn, caseNo: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('case_no', '=', caseNo).executeTakeFirst();
}

/**
 * Optimistic write: fails (returns false) when someone else changed the case since it was read. When the patch
 * changes the assisting units, their index rows (case_assists, read by the visibility filter) follow in the same
 * transaction.
 */
export async function updateCase(c: Conn, id: number, version: number, patch: CaseUpdate): Promise<boolean> {
  const r = await c.db.updateTable('cases').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  if (patch.assisting_unit_ids !== undefined) await setAssists(c, id, fromJson<string[]>(patch.assisting_unit_ids as string, []));
  return true;
}

/** The assisting units of a case as index rows (case_assists): what the visibility filter joins on. */
export async function setAssists({ db }: Conn, caseId: number, unitIds: string[]): Promise<void> {
  await db.deleteFrom('case_assists').where('case_id', '=', caseId).execute();
  if (unitIds.length) await db.insertInto('case_assists').values([...new Set(unitIds)].map((u) => ({ case_id: caseId, unit_id: u }))).execute();
}

/** Duplicates linked to `fromMasterId` follow a merge to `toMasterId`. */
export async function moveDuplicates({ db }: Conn, fromMasterId: number, toMasterId: number): Promise<void> {
  await db.updateTable('cases').set({ master_case_id: toMasterId }).where('master_case_id', '=', fromMasterId).execute();
}

export async function bumpUnitCounter({ db: trx }: Conn, unitId: string, counter: string, by = 1): Promise<void> {
  await trx
    .insertInto('unit_counters')
    .values({ unit_id: unitId, counter, value: by })
    .onConflict((oc) => oc.columns(['unit_id', 'counter']).doUpdateSet({ value: sql`unit_counters.value + ${by}` }))
    .execute();
}

export async function unitCounters({ db }: Conn, unitId: string): Promise<Record<string, number>> {
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
 * The nearest running deadline, as indexed by cases_open_due (migration 012; keep the two identical): the stage
 * clock, or the handling clock while it runs (dispatched, in progress — paused while disputed), whichever ends first;
 * nothing runs while the case is suspended (hung). Mirrors `runningDueAt` in domain/alerts/alerts.ts.
 */
export const DUE_AT_SQL = `(CASE
      WHEN suspended_at IS NOT NULL THEN ${NO_DEADLINE}
      WHEN state IN ('DISPATCHED', 'IN_PROGRESS') AND handle_due_at IS NOT NULL
        AND (stage_due_at IS NULL OR handle_due_at <= stage_due_at) THEN handle_due_at
      ELSE COALESCE(stage_due_at, ${NO_DEADLINE}) END)`;

export interface CaseFilter {
  state?: string[];
  /** Assigned or sub-unit: a filter the caller chose. */
  assignedUnitIds?: string[];
  /** The grid member a case was given to (a grid member's "to handle" list). */
  assignedUserIds?: string[];
  regionIds?: string[]; // matches district, street or community
  /** The unit grids the cases lie in (index cases_grid). */
  gridIds?: string[];
  /** My platform's queue (levels of platform, level-filter.ts). */
  platform?: PlatformFilter;
  /** What the caller may see at all (the visibility policy); the filters above narrow it, never widen it. */
  visibility: CaseVisibility;
  matterCode?: string;
  /** Cases reported from any of these phone numbers (a caller's history; personal data: the route checks who asks). */
  reporterPhones?: string[];
  /** Words in the description or address: every token must occur (src/domain/search/text-tokens.ts queryTokens). */
  textTokens?: string[];
  caseNo?: string;
  /** Cases any of these units is involved in: routed to, assigned, sub-unit or assisting. */
  involvedUnitIds?: string[];
  /** SQLite's deadline queue with a common word: the tokens tested on each case walked (set by listCases itself). */
  walkTokens?: string[];
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

/**
 * The visibility policy (src/domain/policy/visibility.ts) as SQL: a case in one of the regions (district, street or
 * community column), not located (for centre staff), or held by one of the units (assigned, sub-unit, or an
 * assisting unit through the index table case_assists). `canSeeCase` answers the same for a loaded case.
 */
export function visibleTo<Q extends CaseQuery>(q: Q, v: CaseVisibility): Q {
  if (v.all) return q;
  const { regionIds: r, unitIds: u } = v;
  if (!r.length && !u.length && !v.unlocated) return q.where(sql<boolean>`1 = 0`) as Q;
  return q.where((eb) => eb.or([
    ...(r.length ? [eb('district_id', 'in', r), eb('street_id', 'in', r), eb('community_id', 'in', r)] : []),
    ...(v.unlocated ? [eb.and([eb('community_id', 'is', null), eb('street_id', 'is', null), eb('district_id', 'is', null)])] : []),
    ...(u.length ? [
      eb('assigned_unit_id', 'in', u), eb('sub_unit_id', 'in', u),
      eb('id', 'in', eb.selectFrom('case_assists').select('case_assists.case_id').where('case_assists.unit_id', 'in', u)),
    ] : []),
  ])) as Q;
}
const casesFrom = (db: DbOrTrx) => db.selectFrom('cases');
const orNone = (ids: string[]) => (ids.length ? ids : ['']);

/**
 * The WHERE of a list or count. `openBy`: how sort 'due' restricts to open cases — 'literal' repeats the partial
 * indexes' predicate so a page walks cases_open_due in order; 'param' (for counting) names the open states instead,
 * which reads them by cases_state_id: a count needs no order, and reading rows in deadline order is random access.
 */
function applyFilter(q: CaseQuery, f: Omit<CaseFilter, 'limit'>, openBy: 'literal' | 'param', dialect: Dialect): CaseQuery {
  if (f.state?.length) q = q.where('state', 'in', f.state);
  const byUnit = (units: string[]) => q.where((eb) => eb.or([eb('assigned_unit_id', 'in', orNone(units)), eb('sub_unit_id', 'in', orNone(units))]));
  const byRegion = (regions: string[]) => q.where((eb) => eb.or([
    eb('district_id', 'in', orNone(regions)), eb('street_id', 'in', orNone(regions)), eb('community_id', 'in', orNone(regions)),
  ]));
  q = visibleTo(q, f.visibility);
  if (f.assignedUnitIds) q = byUnit(f.assignedUnitIds);
  if (f.regionIds) q = byRegion(f.regionIds);
  if (f.gridIds) q = q.where('grid_id', 'in', orNone(f.gridIds));
  if (f.assignedUserIds) q = q.where('assigned_user_id', 'in', orNone(f.assignedUserIds));
  if (f.platform) q = platformFiltered(q, f.platform);
  if (f.matterCode) q = q.where('matter_code', '=', f.matterCode);
  if (f.reporterPhones) q = q.where('reporter_phone', 'in', orNone(f.reporterPhones));
  if (f.caseNo !== undefined) q = q.where('case_no', '=', f.caseNo);
  if (f.textTokens) q = q.where(textMatch(f.textTokens, dialect) as never);
  if (f.involvedUnitIds) {
    const u = orNone(f.involvedUnitIds);
    q = q.where((eb) => eb.or([
      eb('assigned_unit_id', 'in', u), eb('sub_unit_id', 'in', u), eb('routed_unit_id', 'in', u),
      eb('id', 'in', eb.selectFrom('case_assists').select('case_assists.case_id').where('case_assists.unit_id', 'in', u)),
    ]));
  }
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

/**
 * Every token in the case's indexed text (migration 020): SQLite's FTS5 table answers the ids (a phrase per token,
 * all required); PostgreSQL's GIN index the same tokens through to_tsvector('simple', …). Tokens hold only letters
 * and digits, so quoting them is enough.
 */
function textMatch(tokens: string[], dialect: Dialect) {
  if (tokens.length === 0) return sql<boolean>`1 = 0`;
  if (dialect === 'sqlite') return sql<boolean>`id IN (SELECT rowid FROM case_search WHERE case_search MATCH ${ftsQuery(tokens)})`;
  return sql<boolean>`to_tsvector('simple', search_text) @@ plainto_tsquery('simple', ${tokens.join(' ')})`;
}

/**
 * The FTS5 query: every word token; with a unit filter, for one of the units every word token joined to that unit's
 * (migration 037 indexes, for each unit involved in a case, its words joined to the unit), so a search within a unit
 * reads the short lists of that unit's cases holding each word, not the word's and the unit's long lists.
 */
const ftsQuery = (tokens: string[], unitIds?: string[]) => {
  const phrase = (t: string) => `"${t.replace(/"/g, '""')}"`;
  if (!unitIds?.length) return tokens.map(phrase).join(' ');
  return unitIds.map((u) => `(${tokens.map((t) => phrase(unitWordToken(t, u))).join(' ')})`).join(' OR ');
};

/**
 * SQLite with words (migrations 020, 036, 037). The matches come from the full-text index, in id order, already narrowed to
 * the unit when the list is filtered by one (`involvedUnitIds`), so nothing walks the cases of a common word or of a
 * big unit to find the few that have both. Newest first and the capped count read the matches in that order and stop
 * as soon as they can (the count reads no case at all when nothing else filters). The deadline queue cannot come in
 * id order: with many matches (more than WALK_DUE_ABOVE: a common word, nothing else narrowing) it walks the deadline
 * index and tests each case's own tokens (`search_text LIKE`, exact since every query token is one pair of
 * characters), finding a page after a few hundred cases; otherwise it sorts the matches — ids and deadlines only,
 * then reads the page's rows — so its cost is the number of matches (≤ WALK_DUE_ABOVE when nothing else filters).
 */
const WALK_DUE_ABOVE = 10_000;

const ftsDriven = (db: DbOrTrx, tokens: string[], unitIds?: string[]) =>
  // the join's second table reads like `cases` to the filters: the FTS table's columns are rowid and search_text only.
  // CROSS JOIN keeps the matches outside (SQLite never reorders it): with another filter that has an index (a unit),
  // the planner would otherwise walk that index and run the full-text match once per case.
  db.selectFrom('case_search').crossJoin('cases').whereRef('cases.id', '=', 'case_search.rowid')
    .where(sql<boolean>`case_search MATCH ${ftsQuery(tokens, unitIds)}`) as unknown as CaseQuery;

/** The cases of these ids, read by key in that order (CROSS JOIN: the planner never walks another index instead). */
const idsDriven = (db: DbOrTrx, ids: number[]) =>
  db.selectFrom(sql`(SELECT value AS cid FROM json_each(${JSON.stringify(ids)}))`.as('m')).crossJoin('cases')
    .where(sql<boolean>`cases.id = m.cid`) as unknown as CaseQuery;

/** Filters the full-text index does not answer (it holds the words and the units involved). */
const narrowed = (f: Omit<CaseFilter, 'limit'>) => !f.visibility.all || !!(f.state?.length || f.urgency?.length || f.assignedUnitIds
  || f.assignedUserIds || f.regionIds || f.gridIds || f.matterCode || f.reporterPhones || f.caseNo !== undefined || f.alertLevel?.length
  || f.createdFrom !== undefined || f.createdTo !== undefined || f.platform);

/** The units a search may hand to the index: a non-empty list (an empty one matches nothing, which SQL answers). */
const indexedUnits = (f: Omit<CaseFilter, 'limit'>) => (f.involvedUnitIds?.length ? f.involvedUnitIds : undefined);

/** How many cases the index matches (words and units), counting at most `cap` + 1: no case row is read. */
async function ftsCount(db: DbOrTrx, tokens: string[], unitIds: string[] | undefined, cap: number): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT rowid FROM case_search WHERE case_search MATCH ${ftsQuery(tokens, unitIds)} LIMIT ${cap + 1})`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

const hasTokens = (tokens: string[]) => sql<boolean>`${sql.join(tokens.map((t) => sql`search_text LIKE ${`%${t}%`}`), sql` AND `)}`;

/** Sort 'due' from `-1` (first page) or after the previous page's last row: the keyset terms of both plans. */
function dueFrom(q: CaseQuery, f: CaseFilter, due: ReturnType<typeof sql.raw>): CaseQuery {
  // The range term is always there (from −1 on the first page): it lets the planner walk cases_open_due in order
  // and stop after one page, instead of sorting every matching row, when the other filters are not selective.
  const from = f.after?.dueAt ?? -1;
  q = q.where(sql`${due} >= ${from}` as never);
  if (f.after) q = q.where(sql`(${due} > ${from} OR cases.id > ${f.after.id})` as never);
  return q;
}

export async function listCases(c: Conn, f: CaseFilter): Promise<ListedCaseRow[]> {
  // the queue is a hot read: the read connection, so it never waits behind a transaction of the main connection
  const db = c.read ?? c.db;
  const { dialect } = c;
  if (dialect === 'sqlite' && f.textTokens?.length) {
    const rest = { ...f, textTokens: undefined };
    const units = indexedUnits(f);
    if (f.sort !== 'due') {
      let q = applyFilter(ftsDriven(db, f.textTokens, units), rest, 'literal', dialect);
      if (f.beforeId !== undefined) q = q.where(sql<boolean>`case_search.rowid < ${f.beforeId}` as never);
      return q.selectAll('cases').orderBy(sql`case_search.rowid`, 'desc').limit(f.limit).execute();
    }
    // The matches' ids, at most WALK_DUE_ABOVE + 1, from the index alone: they decide the plan and, when few, are its input
    // (the index is read once; a second MATCH would intersect the posting lists again).
    const r = await sql<{ id: number }>`SELECT rowid AS id FROM case_search WHERE case_search MATCH ${ftsQuery(f.textTokens, units)} LIMIT ${WALK_DUE_ABOVE + 1}`.execute(db);
    const many = r.rows.length > WALK_DUE_ABOVE;
    if (many && !narrowed(f)) return listCases({ db, dialect }, { ...rest, walkTokens: f.textTokens });
    // Sort the matches by deadline as ids and deadlines only (a sort of whole rows costs far more), then read the page.
    const matches = many ? ftsDriven(db, f.textTokens, units) : idsDriven(db, r.rows.map((x) => Number(x.id)));
    const due = sql.raw(DUE_AT_SQL);
    const page = await dueFrom(applyFilter(matches, rest, 'literal', dialect), f, due)
      .select(['cases.id']).select(sql<number>`${due}`.as('due_at')).orderBy(sql`${due}`).orderBy('cases.id').limit(f.limit).execute() as { id: number; due_at: number }[];
    const rows = new Map((await findCases({ db, dialect }, page.map((r) => Number(r.id)))).map((r) => [Number(r.id), r]));
    return page.flatMap((p) => { const r = rows.get(Number(p.id)); return r ? [{ ...r, due_at: p.due_at }] : []; });
  }
  let q = applyFilter(casesFrom(db), f, 'literal', dialect);
  if (f.walkTokens) q = q.where(hasTokens(f.walkTokens) as never);
  if (f.sort === 'due') {
    const due = sql.raw(DUE_AT_SQL);
    q = dueFrom(q, f, due);
    return q.selectAll().select(sql<number>`${due}`.as('due_at')).orderBy(sql`${due}`).orderBy('id').limit(f.limit).execute() as Promise<ListedCaseRow[]>;
  }
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  return q.selectAll().orderBy('id', 'desc').limit(f.limit).execute();
}

/**
 * How many cases match (paging keys ignored), counting at most `cap` + 1 rows so that a broad filter over a large
 * store stays cheap: `capped` says the true number is larger than `cap`. SQLite with words and nothing the index does
 * not answer (sort 'newest', the caller sees every case): the index alone counts.
 */
export async function countCases(c: Conn, f: Omit<CaseFilter, 'limit' | 'beforeId' | 'after'>, cap: number): Promise<{ total: number; capped: boolean }> {
  const db = c.read ?? c.db;
  const { dialect } = c;
  let n: number;
  if (dialect === 'sqlite' && f.textTokens?.length && !narrowed(f) && f.sort !== 'due') {
    n = await ftsCount(db, f.textTokens, indexedUnits(f), cap);
  } else {
    const from = dialect === 'sqlite' && f.textTokens?.length ? ftsDriven(db, f.textTokens, indexedUnits(f)) : casesFrom(db);
    const inner = applyFilter(from, dialect === 'sqlite' ? { ...f, textTokens: undefined } : f, 'param', dialect).select(sql<number>`1`.as('one')).limit(cap + 1);
    const r = await db.selectFrom(inner.as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    n = Number(r.n);
  }
  return { total: Math.min(n, cap), capped: n > cap };
}

/**
 * Active grid members whose regions include one of `regionIds` (a case's region path: covering any of them covers
 * the case), for the dispatch form. The JSON columns are matched as text; the caller checks the roles and regions
 * it reads back.
 */
export async function gridMembersCovering({ db }: Conn, regionIds: string[]): Promise<{ id: string; name: string; roles: string[]; regionIds: string[] }[]> {
  if (regionIds.length === 0) return [];
  const rows = await db.selectFrom('users').select(['id', 'display_name', 'roles', 'region_ids'])
    .where('active', '=', 1).where('roles', 'like', '%"grid_member"%')
    .where((eb) => eb.or(regionIds.map((r) => eb('region_ids', 'like', `%${JSON.stringify(r)}%`))))
    .orderBy('display_name').limit(500).execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name, roles: fromJson<string[]>(r.roles, []), regionIds: fromJson<string[]>(r.region_ids, []) }));
}

/** Active inspectors and grid members whose regions include one of these (who may be named to verify a case, issue 8). */
export async function verifiersCovering({ db }: Conn, regionIds: string[]): Promise<{ id: string; name: string; roles: string[]; regionIds: string[] }[]> {
  if (regionIds.length === 0) return [];
  const rows = await db.selectFrom('users').select(['id', 'display_name', 'roles', 'region_ids'])
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('roles', 'like', '%"inspector"%'), eb('roles', 'like', '%"grid_member"%')]))
    .where((eb) => eb.or(regionIds.map((r) => eb('region_ids', 'like', `%${JSON.stringify(r)}%`))))
    .orderBy('display_name').limit(500).execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name, roles: fromJson<string[]>(r.roles, []), regionIds: fromJson<string[]>(r.region_ids, []) }));
}

export async function insertSupervision({ db: trx }: Conn, row: { case_id: number; level: string; note: string; by_user_id: string | null; at: number }): Promise<void> {
  await trx.insertInto('supervisions').values(row).execute();
}

export async function listSupervisions({ db }: Conn, caseId: number) {
  return db.selectFrom('supervisions').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

/** Idempotency: the earlier result for (scope, key), if any. */
export async function findIdempotent({ db }: Conn, scope: string, key: string) {
  return db.selectFrom('idempotency').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
}

export async function insertIdempotent({ db: trx }: Conn, row: { scope: string; key: string; request_hash: string; result_id: string; created_at: number }): Promise<void> {
  await trx.insertInto('idempotency').values(row).execute();
}

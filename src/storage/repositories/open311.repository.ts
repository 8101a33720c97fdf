/**
 * Read-only queries behind the Open311 GeoReport v2 edge (GET requests, GET requests/{id}).
 *
 * Only the columns the public projection needs are selected: reporter name and phone are never read here, so
 * they cannot leak into a response by accident (architecture.md §3 rule 9).
 *
 * Speed: `created_at` has no index of its own (every index costs each insert). Ids grow with time (the case
 * lists rely on it too), so a time window is first turned into an id range by a binary search over the
 * primary key (~20 index probes for a million cases, cached per minute), and the exact `created_at` test then
 * runs only on rows inside that range, newest first, stopping at the page size.
 */
import type SQLite from 'better-sqlite3';
import type { DbOrTrx, Conn } from '../db.ts';
import type { CaseTable } from '../schema.ts';

type CaseColumns = CaseTable;

export const OPEN311_COLUMNS = [
  'id', 'case_no', 'state', 'channel', 'matter_code', 'description', 'address', 'lon', 'lat', 'assigned_unit_id',
  'routed_unit_id', 'created_at', 'updated_at', 'closed_at', 'handle_due_at', 'stage_due_at', 'master_case_id', 'closure_type',
] as const;

export interface Open311CaseRow {
  id: number; case_no: string; state: string; channel: string; matter_code: string; description: string;
  address: string | null; lon: number | null; lat: number | null; assigned_unit_id: string | null;
  routed_unit_id: string | null; created_at: number; updated_at: number; closed_at: number | null;
  handle_due_at: number | null; stage_due_at: number | null; master_case_id: number | null; closure_type: string | null;
}

export interface Open311Filter {
  /** Case numbers; when given, every other filter is ignored (GeoReport v2: service_request_id overrides). */
  caseNos?: string[];
  matterCodes?: string[];
  /** States to keep (`in`) or drop (`notIn`): the open/closed projection. */
  states?: { in: string[] } | { notIn: string[] };
  /** Inclusive bounds on created_at (requested_datetime), epoch ms. */
  createdFrom: number;
  createdTo?: number;
  /** Extension: only cases changed strictly after this instant. */
  updatedAfter?: number;
  limit: number;
  offset: number;
}

/**
 * How far the creation time of a case may run ahead of an older id (the time is taken before the insert, and
 * concurrent writers commit in any order). The id range is widened by this much so it never cuts off a match.
 */
export const ORDER_SKEW_MS = 10 * 60_000;

const norm = (r: Record<string, unknown>): Open311CaseRow => ({
  ...(r as unknown as Open311CaseRow),
  id: Number(r.id), created_at: Number(r.created_at), updated_at: Number(r.updated_at),
  closed_at: r.closed_at === null ? null : Number(r.closed_at),
  handle_due_at: r.handle_due_at === null ? null : Number(r.handle_due_at),
  stage_due_at: r.stage_due_at === null ? null : Number(r.stage_due_at),
  master_case_id: r.master_case_id === null || r.master_case_id === undefined ? null : Number(r.master_case_id),
  lon: r.lon === null ? null : Number(r.lon), lat: r.lat === null ? null : Number(r.lat),
  closure_type: (r.closure_type as string | null | undefined) ?? null,
});

/**
 * Why each of these cancelled cases was cancelled: the action and details of the last history row that led to
 * CANCELLED (reject → its rejectKind and referral; verify → found false). Only those two fields of the details are
 * read: a reject's reason and a verification's note are internal text.
 */
export async function findCancellations({ db }: Conn, caseIds: number[]): Promise<Map<number, { action: string; rejectKind?: string; referral?: string }>> {
  const out = new Map<number, { action: string; rejectKind?: string; referral?: string }>();
  for (let i = 0; i < caseIds.length; i += 500) {
    const rows = await db.selectFrom('case_history').select(['case_id', 'action', 'details'])
      .where('case_id', 'in', caseIds.slice(i, i + 500)).where('to_state', '=', 'CANCELLED').orderBy('id').execute();
    for (const r of rows) {
      let d: { rejectKind?: unknown; referral?: unknown } = {};
      try { d = JSON.parse(r.details) as typeof d; } catch { /* not JSON: no kind */ }
      out.set(Number(r.case_id), {
        action: r.action,
        ...(typeof d.rejectKind === 'string' ? { rejectKind: d.rejectKind } : {}),
        ...(typeof d.referral === 'string' ? { referral: d.referral } : {}),
      });
    }
  }
  return out;
}

export async function findOpen311Case({ db }: Conn, caseNo: string): Promise<Open311CaseRow | undefined> {
  const r = await db.selectFrom('cases').select(OPEN311_COLUMNS).where('case_no', '=', caseNo).executeTakeFirst();
  return r ? norm(r) : undefined;
}

/** The master cases of linked duplicates, by id (their progress is what the duplicates' reporters are told). */
export async function findOpen311Masters({ db }: Conn, rows: { master_case_id: number | null }[]): Promise<Map<number, Open311CaseRow>> {
  const ids = [...new Set(rows.flatMap((r) => (r.master_case_id === null ? [] : [r.master_case_id])))];
  if (!ids.length) return new Map();
  const found = await db.selectFrom('cases').select(OPEN311_COLUMNS).where('id', 'in', ids).execute();
  return new Map(found.map((r) => { const n = norm(r); return [n.id, n]; }));
}

/** A table whose ids grow with one of its times: cases by creation, history rows by when they happened. */
export type Timeline = { table: 'cases'; column: 'created_at' } | { table: 'case_history'; column: 'at' };
const CASES: Timeline = { table: 'cases', column: 'created_at' };

/**
 * The smallest id x such that every row with id ≥ x has its time at or after `t` and every row below x before it
 * (given ids grow with time). Returns maxId + 1 when no row is at or after `t`, null on an empty table.
 */
async function idBoundAt(db: DbOrTrx, tl: Timeline, t: number): Promise<{ id: number; beyondEnd: boolean } | null> {
  // One query builder for both tables: they share the shape (integer id, epoch-ms time) the search reads.
  const from = () => db.selectFrom(tl.table as 'cases');
  const col = tl.column as 'created_at';
  // Two statements: SQLite answers a lone min() or max() from the index, but scans the table for both at once.
  const first = await from().select((eb) => eb.fn.min('id').as('v')).executeTakeFirst();
  const last = await from().select((eb) => eb.fn.max('id').as('v')).executeTakeFirst();
  if (!first || !last || first.v === null || last.v === null) return null;
  const span = { lo: Number(first.v), hi: Number(last.v) };
  let lo = span.lo;
  let hi = span.hi + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const probe = await from().select(['id', `${col} as t`]).where('id', '>=', mid).orderBy('id').limit(1).executeTakeFirst();
    if (!probe) { hi = mid; continue; }
    if (Number(probe.t) >= t) hi = mid;
    else lo = Number(probe.id) + 1;
  }
  return { id: lo, beyondEnd: lo > Number(span.hi) };
}

// Bounds found inside the data never move (rows are not deleted, and later rows get higher ids), so they are
// cached per store and table; a bound past the newest row moves with every insert and is not cached.
const boundCache = new WeakMap<object, Map<string, number>>();
export async function cachedIdBound({ db }: Conn, t: number, tl: Timeline = CASES): Promise<number | null> {
  let m = boundCache.get(db);
  if (!m) boundCache.set(db, (m = new Map()));
  const key = `${tl.table}:${t}`;
  const hit = m.get(key);
  if (hit !== undefined) return hit;
  const b = await idBoundAt(db, tl, t);
  if (!b) return null;
  if (!b.beyondEnd) {
    if (m.size > 1000) m.clear();
    m.set(key, b.id);
  }
  return b.id;
}

const MINUTE = 60_000;

export async function listOpen311Cases(c: Conn, f: Open311Filter): Promise<Open311CaseRow[]> {
  return (await listWith(c, f, OPEN311_COLUMNS)).map(norm);
}

/**
 * What a list needs to find its cached renderings: the ids in list order, with what a rendering depends on (the
 * case's `updated_at`, and for a linked duplicate its master's, since the duplicate shows its master's progress).
 */
export interface Open311ListKey { id: number; updated_at: number; master_case_id: number | null; master_updated_at: number | null }

/**
 * The same list as listOpen311Cases, narrow: ids and versions only (with each master's version). The full
 * rows are then read only for requests not rendered yet.
 */
export async function listOpen311Keys(c: Conn, f: Open311Filter): Promise<Open311ListKey[]> {
  const page = await listWith(c, f, ['id', 'updated_at', 'master_case_id'] as const, async (q) => {
    // The masters' versions are joined to the page (after its LIMIT, so only to the rows listed).
    const query = c.db.selectFrom(q.as('l')).leftJoin('cases as m', 'm.id', 'l.master_case_id')
      .select(['l.id', 'l.updated_at', 'l.master_case_id', 'm.updated_at as master_updated_at']).orderBy('l.id', 'desc');
    if (!c.sqlite) return (await query.execute()).map((r) => [r.id, r.updated_at, r.master_case_id, r.master_updated_at]);
    // On SQLite, rows as arrays from a cached statement: a third of this query's cost went into building objects.
    const { sql, parameters } = query.compile();
    return rawStatement(c.sqlite, sql).all(...parameters) as unknown[][];
  });
  return page.map(([id, updatedAt, masterId, masterUpdatedAt]) => ({
    id: Number(id), updated_at: Number(updatedAt), master_case_id: masterId === null ? null : Number(masterId),
    master_updated_at: masterUpdatedAt === null || masterUpdatedAt === undefined ? null : Number(masterUpdatedAt),
  }));
}

/** Prepared statements in array mode, by SQL text, per SQLite connection (a handful of list shapes); not db.ts's
 * statement cache, whose statements Kysely reads as objects (array mode is a property of the statement). */
const rawStatements = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();
function rawStatement(db: SQLite.Database, sql: string): SQLite.Statement {
  let m = rawStatements.get(db);
  if (!m) rawStatements.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) {
    if (m.size >= 200) m.clear();
    m.set(sql, (st = db.prepare(sql).raw(true)));
  }
  return st;
}

export async function findOpen311CasesByIds({ db }: Conn, ids: number[]): Promise<Open311CaseRow[]> {
  const out: Open311CaseRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    out.push(...(await db.selectFrom('cases').select(OPEN311_COLUMNS).where('id', 'in', ids.slice(i, i + 500)).execute()).map(norm));
  }
  return out;
}

/** The list's page as a query: newest first, the filter applied, LIMIT/OFFSET set. */
function pageQuery(db: DbOrTrx, columns: readonly (keyof CaseColumns)[]) {
  return db.selectFrom('cases').select(columns as unknown as (typeof OPEN311_COLUMNS)[number][]);
}
type PageQuery = ReturnType<typeof pageQuery>;

/** Runs the page query (or `run(page query)`, e.g. to join to it); an empty list when nothing can match. */
async function listWith<R = Record<string, unknown>>(
  c: Conn, f: Open311Filter, columns: readonly (keyof CaseColumns)[], run: (q: PageQuery) => Promise<R[]> = (q) => q.execute() as Promise<R[]>,
): Promise<R[]> {
  const { db } = c;
  let q = pageQuery(db, columns);
  if (f.caseNos) {
    if (f.caseNos.length === 0) return [];
    q = q.where('case_no', 'in', f.caseNos);
    return run(q.orderBy('id', 'desc').limit(f.limit).offset(f.offset));
  }
  // Round outwards to whole minutes so the bounds are cache hits for a minute of requests.
  const lowT = Math.floor((f.createdFrom - ORDER_SKEW_MS) / MINUTE) * MINUTE;
  const low = await cachedIdBound(c, lowT);
  if (low === null) return [];
  q = q.where('id', '>=', low).where('created_at', '>=', f.createdFrom);
  if (f.createdTo !== undefined) {
    const highT = Math.ceil((f.createdTo + ORDER_SKEW_MS) / MINUTE) * MINUTE;
    const high = await cachedIdBound(c, highT);
    if (high !== null) q = q.where('id', '<', high);
    q = q.where('created_at', '<=', f.createdTo);
  }
  if (f.matterCodes?.length) q = q.where('matter_code', 'in', f.matterCodes);
  if (f.states) {
    const s = f.states;
    q = 'in' in s ? q.where('state', 'in', s.in) : q.where('state', 'not in', s.notIn);
  }
  if (f.updatedAfter !== undefined) q = q.where('updated_at', '>', f.updatedAfter);
  // Newest first by id (≈ by creation time): the scan walks the primary key backwards and stops at the page.
  q = q.orderBy('id', 'desc').limit(f.limit).offset(f.offset);
  return run(q);
}

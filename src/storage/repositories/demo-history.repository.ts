/**
 * The bulk path of the demo city's generated history (issue 10 part 8): cases and their history rows written in
 * batches, each batch one transaction that also moves the seeding's progress row on — conditionally, from the batch
 * it started at, so a restart resumes after the last committed batch and two nodes never write one batch twice.
 * SQLite: prepared statements on the raw connection; PostgreSQL: INSERT … SELECT FROM unnest(…) per column.
 * Only demo seeding writes cases this way: live cases go through the new-case writer.
 */
import { sql } from 'kysely';
import type { Conn } from '../db.ts';
import { fromJson } from '../codec.ts';

export const HISTORY_PROGRESS_KEY = 'demo_history';

export interface HistoryProgress {
  state: 'pending' | 'running' | 'done';
  /** The next day (index into the plan) to write. */
  nextDay: number;
  days: number;
  cases: number;
  historyRows: number;
  seed: number;
  /** The `now` the plan was made for: a resumed seeding makes the same plan. */
  planNow: number;
  totalCases: number;
  startedAt?: number;
  finishedAt?: number;
}

export interface BulkEvent {
  action: string; fromState: string | null; toState: string; actorId: string | null; actorName: string | null; at: number; reason?: string | null; details?: Record<string, unknown>;
}
export interface BulkCase { row: Record<string, unknown>; events: BulkEvent[] }

export async function readHistoryProgress({ db }: Conn): Promise<{ raw: string; value: HistoryProgress } | undefined> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', HISTORY_PROGRESS_KEY).executeTakeFirst();
  if (!r) return undefined;
  return { raw: r.value, value: fromJson<HistoryProgress>(r.value, null as never) };
}

/** Creates the progress row unless there is one (the first start of a demo city). */
export async function initHistoryProgress({ db }: Conn, p: HistoryProgress): Promise<void> {
  await db.insertInto('settings').values({ key: HISTORY_PROGRESS_KEY, value: JSON.stringify(p) }).onConflict((oc) => oc.column('key').doNothing()).execute();
}

/** Moves the progress row from exactly `fromRaw` to `to`; false when someone else moved it (roll the batch back). */
export async function moveHistoryProgress({ db }: Conn, fromRaw: string, to: HistoryProgress): Promise<{ ok: boolean; raw: string }> {
  const raw = JSON.stringify(to);
  const r = await db.updateTable('settings').set({ value: raw }).where('key', '=', HISTORY_PROGRESS_KEY).where('value', '=', fromRaw).executeTakeFirst();
  return { ok: Number(r.numUpdatedRows) === 1, raw };
}

const HIST_COLS = ['case_id', 'action', 'from_state', 'to_state', 'actor_id', 'actor_name', 'at', 'reason', 'details', 'attachment_ids'] as const;

/** Inserts a batch of cases with their history rows (in the caller's transaction). Returns the history rows written. */
export async function insertHistoryCases(c: Conn, cases: BulkCase[]): Promise<number> {
  if (cases.length === 0) return 0;
  const cols = Object.keys(cases[0].row);
  let hist = 0;
  if (c.dialect === 'sqlite') {
    const db = c.sqlite!;
    const ins = db.prepare(`INSERT INTO cases (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`);
    const h = db.prepare(`INSERT INTO case_history (${HIST_COLS.join(',')}) VALUES (${HIST_COLS.map(() => '?').join(',')})`);
    for (const k of cases) {
      const id = Number(ins.run(cols.map((col) => k.row[col] ?? null)).lastInsertRowid);
      for (const e of k.events) {
        h.run(id, e.action, e.fromState, e.toState, e.actorId, e.actorName, e.at, e.reason ?? null, JSON.stringify(e.details ?? {}), '[]');
        hist++;
      }
    }
    return hist;
  }
  // PostgreSQL: one statement for the cases (ids back in order), one for the history rows.
  const types = await columnTypes(c, cols);
  const params = cols.map((col) => sql`${cases.map((k) => k.row[col] ?? null)}::${sql.raw(types[col])}[]`);
  const ids = (await sql<{ id: string | number }>`INSERT INTO cases (${sql.raw(cols.join(','))})
    SELECT * FROM unnest(${sql.join(params)}) RETURNING id`.execute(c.db)).rows.map((r) => Number(r.id));
  const rows = cases.flatMap((k, i) => k.events.map((e) => [ids[i], e.action, e.fromState, e.toState, e.actorId, e.actorName, e.at, e.reason ?? null, JSON.stringify(e.details ?? {}), '[]']));
  for (let s = 0; s < rows.length; s += 20_000) {
    const part = rows.slice(s, s + 20_000);
    const histTypes = ['int8', 'text', 'text', 'text', 'text', 'text', 'int8', 'text', 'text', 'text'];
    const hp = HIST_COLS.map((_, ci) => sql`${part.map((r) => r[ci])}::${sql.raw(histTypes[ci])}[]`);
    await sql`INSERT INTO case_history (${sql.raw(HIST_COLS.join(','))}) SELECT * FROM unnest(${sql.join(hp)})`.execute(c.db);
  }
  hist = rows.length;
  return hist;
}

const typeCache = new Map<string, string>();
async function columnTypes(c: Conn, cols: string[]): Promise<Record<string, string>> {
  if (typeCache.size === 0) {
    const r = await sql<{ column_name: string; udt_name: string }>`SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = 'cases' AND table_schema = current_schema()`.execute(c.db);
    for (const x of r.rows) typeCache.set(x.column_name, x.udt_name);
  }
  return Object.fromEntries(cols.map((col) => [col, typeCache.get(col) ?? 'text']));
}

/** The demo city's landmarks (with their category) and road names, for the history's spots and addresses. */
export async function historyPlaces({ db }: Conn): Promise<{ landmarks: { name: string; category: string; lon: number; lat: number }[]; roads: string[] }> {
  const rows = await db.selectFrom('places').select(['kind', 'name', 'lon', 'lat', 'details']).where('kind', 'in', ['landmark', 'road']).orderBy('id').execute();
  const landmarks = rows.filter((r) => r.kind === 'landmark' && r.lon !== null && r.lat !== null)
    .map((r) => ({ name: r.name, category: String(fromJson<{ category?: string }>(r.details, {}).category ?? ''), lon: Number(r.lon), lat: Number(r.lat) }));
  return { landmarks, roads: rows.filter((r) => r.kind === 'road').map((r) => r.name) };
}

/** History cases by local month of creation (tests and the seeding's summary). */
export async function historyCountsByMonth({ db }: Conn): Promise<{ month: string; n: number }[]> {
  const r = await db.selectFrom('cases').select((eb) => [sql<string>`substr(case_no, 1, 6)`.as('month'), eb.fn.countAll<number>().as('n')])
    .where('created_by', '=', 'demo-history').groupBy(sql`substr(case_no, 1, 6)`).orderBy(sql`substr(case_no, 1, 6)`).execute();
  return r.map((x) => ({ month: x.month, n: Number(x.n) }));
}

/** The highest case id now (a batch's cases are those above the value read before it). */
export async function maxCaseId({ db }: Conn): Promise<number> {
  const r = await db.selectFrom('cases').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
  return Number(r?.m ?? 0);
}

/** The desk-related history rows of the cases above `afterCaseId` (one batch of the demo history), with each case's place. */
export async function demoDeskEvents({ db }: Conn, afterCaseId: number, actions: readonly string[]) {
  const rows = await db.selectFrom('case_history as h').innerJoin('cases as c', 'c.id', 'h.case_id')
    .select(['h.id', 'h.case_id', 'c.case_no', 'h.action', 'h.actor_id', 'h.actor_name', 'h.at', 'h.reason', 'h.details',
      'c.assigned_unit_id', 'c.last_returned_by_unit_id', 'c.district_id', 'c.street_id', 'c.community_id', 'c.closed_at'])
    .where('h.case_id', '>', afterCaseId).where('h.action', 'in', [...actions]).orderBy('h.id').execute();
  return rows.map((r) => ({
    historyId: Number(r.id), caseId: Number(r.case_id), caseNo: r.case_no, action: r.action, actorId: r.actor_id, actorName: r.actor_name, at: Number(r.at),
    reason: r.reason, details: fromJson<Record<string, unknown>>(r.details, {}), unitId: r.assigned_unit_id ?? r.last_returned_by_unit_id ?? null,
    districtId: r.district_id, streetId: r.street_id, communityId: r.community_id, closedAt: r.closed_at === null ? null : Number(r.closed_at),
  }));
}

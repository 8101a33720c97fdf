/**
 * Recurring problems (issue 10 part 5): the SQL of the detector's neighbour index (recurrence_points), of the
 * problems and their reports, and of the reads of the decision pages. The detector itself is pure
 * (src/domain/recurrence/detect.ts); the job and the rebuild call these inside their transactions.
 */
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Conn } from '../db.ts';
import type { RecurrencePointTable, RecurringProblemTable } from '../decide.schema.ts';

export type RecurringProblemRow = Selectable<RecurringProblemTable>;
export type RecurrencePointRow = Selectable<RecurrencePointTable>;

/** A report as the decision-support job reads it (by id, after its cursor). */
export interface TailCase {
  id: number; createdAt: number; matterCode: string; lon: number | null; lat: number | null; partId: string | null;
  gridId: string | null; communityId: string | null; streetId: string | null; districtId: string | null; address: string | null;
  masterCaseId: number | null;
  channel: string;
}

/** Reports with ids in (afterId, upTo], in id order. */
export async function casesAfter({ db }: Conn, afterId: number, limit: number, upTo?: number): Promise<TailCase[]> {
  let q = db.selectFrom('cases').select(['id', 'created_at', 'matter_code', 'lon', 'lat', 'part_id', 'grid_id', 'community_id', 'street_id', 'district_id', 'address', 'master_case_id', 'channel'])
    .where('id', '>', afterId);
  if (upTo !== undefined) q = q.where('id', '<=', upTo);
  const rows = await q.orderBy('id').limit(limit).execute();
  return rows.map((r) => ({
    id: Number(r.id), createdAt: Number(r.created_at), matterCode: r.matter_code, lon: r.lon === null ? null : Number(r.lon), lat: r.lat === null ? null : Number(r.lat),
    partId: r.part_id, gridId: r.grid_id, communityId: r.community_id, streetId: r.street_id, districtId: r.district_id, address: r.address,
    masterCaseId: r.master_case_id === null ? null : Number(r.master_case_id), channel: r.channel,
  }));
}

export async function maxCaseId({ db }: Conn): Promise<number> {
  const r = await db.selectFrom('cases').select(sql<number>`max(id)`.as('m')).executeTakeFirst();
  return Number(r?.m ?? 0);
}

/**
 * The stored points of a matter in [since, until] in the given H3 cells (within `box` when given: neighbours by
 * distance) or naming the part (neighbours at any distance).
 */
export async function candidates({ db }: Conn, q: {
  matterCode: string; cells: string[]; partId: string | null; since: number; until: number;
  box?: { minLon: number; maxLon: number; minLat: number; maxLat: number };
}): Promise<RecurrencePointRow[]> {
  const base = () => db.selectFrom('recurrence_points').selectAll().where('matter_code', '=', q.matterCode).where('at', '>=', q.since).where('at', '<=', q.until);
  let near = base().where('h3', 'in', q.cells);
  if (q.box) near = near.where('lon', '>=', q.box.minLon).where('lon', '<=', q.box.maxLon).where('lat', '>=', q.box.minLat).where('lat', '<=', q.box.maxLat);
  const rows = q.cells.length ? await near.execute() : [];
  if (q.partId) {
    const seen = new Set(rows.map((r) => Number(r.case_id)));
    for (const r of await base().where('part_id', '=', q.partId).execute()) if (!seen.has(Number(r.case_id))) rows.push(r);
  }
  return rows;
}

export async function insertPoints({ db }: Conn, rows: Insertable<RecurrencePointTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('recurrence_points').values(rows.slice(i, i + 500)).onConflict((oc) => oc.column('case_id').doNothing()).execute();
  }
}

export async function setPointsProblem({ db }: Conn, caseIds: number[], problemId: number): Promise<void> {
  for (let i = 0; i < caseIds.length; i += 500) {
    await db.updateTable('recurrence_points').set({ problem_id: problemId }).where('case_id', 'in', caseIds.slice(i, i + 500)).execute();
  }
}

/** Forgets reports older than the window (they can no longer be anyone's neighbour). */
export async function prunePoints({ db }: Conn, before: number): Promise<number> {
  const r = await db.deleteFrom('recurrence_points').where('at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertProblem({ db }: Conn, row: Insertable<RecurringProblemTable>): Promise<number> {
  const r = await db.insertInto('recurring_problems').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function insertProblems({ db }: Conn, rows: Insertable<RecurringProblemTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('recurring_problems').values(rows.slice(i, i + 200)).execute();
}

/** Links reports to a problem and keeps its count and time span (a report already linked is left alone). */
export async function linkCases({ db }: Conn, problemId: number, members: { caseId: number; at: number }[], now: number): Promise<void> {
  if (!members.length) return;
  let added = 0;
  for (let i = 0; i < members.length; i += 500) {
    const r = await db.insertInto('recurring_problem_cases').values(members.slice(i, i + 500).map((m) => ({ case_id: m.caseId, problem_id: problemId, at: m.at })))
      .onConflict((oc) => oc.column('case_id').doNothing()).executeTakeFirst();
    added += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  const first = Math.min(...members.map((m) => m.at));
  const last = Math.max(...members.map((m) => m.at));
  await db.updateTable('recurring_problems').set((eb) => ({
    case_count: eb('case_count', '+', added),
    first_at: sql<number>`CASE WHEN first_at < ${first} THEN first_at ELSE ${first} END`,
    last_at: sql<number>`CASE WHEN last_at > ${last} THEN last_at ELSE ${last} END`,
    updated_at: now,
  })).where('id', '=', problemId).execute();
}

/** Bulk links for the rebuild (counts written with the problems). */
export async function insertProblemCases({ db }: Conn, rows: { case_id: number; problem_id: number; at: number }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 800) await db.insertInto('recurring_problem_cases').values(rows.slice(i, i + 800)).execute();
}

export async function clearRecurrence({ db }: Conn): Promise<void> {
  await db.deleteFrom('recurrence_points').execute();
  await db.deleteFrom('recurring_problem_cases').execute();
  await db.deleteFrom('recurring_problems').execute();
}

/** The next problem id the rebuild may hand out (ids it writes itself, so links need no round trip). */
export async function nextProblemId({ db }: Conn): Promise<number> {
  const r = await db.selectFrom('recurring_problems').select(sql<number>`max(id)`.as('m')).executeTakeFirst();
  return Number(r?.m ?? 0) + 1;
}

/** After the rebuild wrote explicit ids: PostgreSQL's sequence must follow. */
export async function syncProblemSequence({ db, dialect }: Conn): Promise<void> {
  if (dialect === 'postgres') await sql`SELECT setval(pg_get_serial_sequence('recurring_problems', 'id'), GREATEST((SELECT max(id) FROM recurring_problems), 1))`.execute(db);
}

export interface ProblemFilter {
  regionIds: string[] | null;
  matterCodes?: string[];
  /** Only problems with a report since then. */
  since?: number;
  minCount?: number;
  limit: number;
  /** Problem ids to restrict to (a unit's topics), or undefined. */
  ids?: number[];
}

export async function listProblems({ db }: Conn, f: ProblemFilter): Promise<RecurringProblemRow[]> {
  let q = db.selectFrom('recurring_problems').selectAll();
  if (f.regionIds) { const r = f.regionIds.length ? f.regionIds : ['']; q = q.where((eb) => eb.or([eb('district_id', 'in', r), eb('street_id', 'in', r), eb('community_id', 'in', r)])); }
  if (f.matterCodes) q = q.where('matter_code', 'in', f.matterCodes.length ? f.matterCodes : ['']);
  if (f.since !== undefined) q = q.where('last_at', '>=', f.since);
  if (f.minCount !== undefined) q = q.where('case_count', '>=', f.minCount);
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : [-1]);
  return q.orderBy('last_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

export async function findProblem({ db }: Conn, id: number): Promise<RecurringProblemRow | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  return db.selectFrom('recurring_problems').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findProblems({ db }: Conn, ids: number[]): Promise<RecurringProblemRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('recurring_problems').selectAll().where('id', 'in', ids).execute();
}

/** A problem's reports, newest first, with what the map and the list need. */
export async function problemCases({ db }: Conn, problemId: number, limit: number) {
  return db.selectFrom('recurring_problem_cases as p').innerJoin('cases as c', 'c.id', 'p.case_id')
    .select(['c.id', 'c.case_no', 'c.state', 'c.lon', 'c.lat', 'c.created_at', 'c.address', 'c.grid_id', 'c.community_id', 'c.street_id', 'c.district_id',
      'c.assigned_unit_id', 'c.sub_unit_id', 'c.matter_code'])
    .where('p.problem_id', '=', problemId).orderBy('p.at', 'desc').limit(limit).execute();
}

/** The report times of problems (for rhythm detection). */
export async function caseTimes({ db }: Conn, problemIds: number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < problemIds.length; i += 500) {
    const rows = await db.selectFrom('recurring_problem_cases').select(['problem_id', 'at']).where('problem_id', 'in', problemIds.slice(i, i + 500)).execute();
    for (const r of rows) { const k = Number(r.problem_id); const l = out.get(k) ?? []; l.push(Number(r.at)); out.set(k, l); }
  }
  return out;
}

/** The problems with the most reports in [fromMs, toMs): 每月一题's candidates. */
export async function topProblems({ db }: Conn, fromMs: number, toMs: number, limit: number): Promise<{ problemId: number; n: number }[]> {
  const rows = await db.selectFrom('recurring_problem_cases').select(['problem_id', sql<number>`count(*)`.as('n')])
    .where('at', '>=', fromMs).where('at', '<', toMs).groupBy('problem_id').orderBy(sql`count(*)`, 'desc').orderBy('problem_id').limit(limit).execute();
  return rows.map((r) => ({ problemId: Number(r.problem_id), n: Number(r.n) }));
}

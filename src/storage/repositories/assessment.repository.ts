/**
 * Assessment storage (issue 10 part A, migration 022): per-case facts, the counters kept from their deltas, the score
 * formula's versions, and the reads behind indicators, drill-downs and a unit's live month. No read here scans the
 * case table: indicators sum counter rows of a day range; a drill-down is a keyset range of one facts index.
 */
import { sql } from 'kysely';
import type { Conn } from '../db.ts';
import { fromJson, toJson } from '../codec.ts';
import {
  COUNTER_COLUMNS, COUNTS, FLAGS, STAGES, flagMask, flagsOf, flagBit, parseSliceKey,
  type CountedFacts, type Dimension, type Explain, type FactCase, type FactHistory, type Facts, type Flag, type FormulaTerm, type FormulaVersion,
} from '../../domain/assessment/index.ts';
import type { AssessmentFactsTable } from '../assessment.schema.ts';

export type StoredFacts = CountedFacts & { caseId: number; explain: Explain };

const CASE_COLUMNS = [
  'id', 'state', 'channel', 'matter_code', 'urgency', 'grid_id', 'community_id', 'street_id', 'district_id', 'assigned_unit_id',
  'assigned_user_id', 'created_by', 'created_at', 'closure_type', 'closed_at', 'handle_due_at', 'handle_paused_at', 'return_count',
  'postpone_count', 'rework_count', 'unsatisfied_count',
] as const;

const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * SQLite, inside a transaction (the counting job's): the facts and counter upserts run one prepared statement per row.
 * Kysely's multi-row inserts differ in text with every row count, so each batch compiled and prepared a statement of
 * thousands of parameters anew; that was most of counting's cost beside intake (docs/issue-10/assessment.md §11).
 * Only on a transaction's repositories (`db.isTransaction`, which holds the write lock and the connection) do raw statements run.
 */
type RawSqlite = NonNullable<Conn['sqlite']>;
const prepared = new WeakMap<RawSqlite, Map<string, ReturnType<RawSqlite['prepare']>>>();
function statement(s: RawSqlite, text: string) {
  let m = prepared.get(s);
  if (!m) prepared.set(s, (m = new Map()));
  let st = m.get(text);
  if (!st) m.set(text, (st = s.prepare(text)));
  return st;
}
const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(',');
const COUNTERS_UPSERT = `INSERT INTO assessment_counters (dim, day, key, ${COUNTER_COLUMNS.join(',')}) VALUES (${placeholders(3 + COUNTER_COLUMNS.length)})
  ON CONFLICT (dim, day, key) DO UPDATE SET ${COUNTER_COLUMNS.map((c) => `${c} = assessment_counters.${c} + excluded.${c}`).join(', ')}`;

/** `column IN ids`: on SQLite as one statement text whatever the count (json_each), so the prepared statement is reused. */
const idIn = (c: Conn, column: string, ids: number[]) =>
  c.dialect === 'sqlite' ? sql<boolean>`${sql.ref(column)} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))` : sql<boolean>`${sql.ref(column)} IN (${sql.join(ids)})`;

/** The case rows and their history, for the pure facts function. Cases that do not exist are left out. */
export async function loadFactInputs(c: Conn, ids: number[]): Promise<Map<number, { c: FactCase; history: FactHistory[] }>> {
  const { db } = c;
  const out = new Map<number, { c: FactCase; history: FactHistory[] }>();
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const cases = await db.selectFrom('cases').select([...CASE_COLUMNS]).where(idIn(c, 'id', part)).execute();
    for (const r of cases) {
      out.set(Number(r.id), {
        c: {
          id: Number(r.id), state: r.state, channel: r.channel, matterCode: r.matter_code, urgency: r.urgency, gridId: r.grid_id,
          communityId: r.community_id, streetId: r.street_id, districtId: r.district_id, assignedUnitId: r.assigned_unit_id,
          assignedUserId: r.assigned_user_id, createdBy: r.created_by, createdAt: Number(r.created_at), closureType: r.closure_type,
          closedAt: n(r.closed_at), handleDueAt: n(r.handle_due_at), handlePausedAt: n(r.handle_paused_at), returnCount: Number(r.return_count),
          postponeCount: Number(r.postpone_count), reworkCount: Number(r.rework_count), unsatisfiedCount: Number(r.unsatisfied_count),
        },
        history: [],
      });
    }
    const hist = await db.selectFrom('case_history').select(['case_id', 'action', 'from_state', 'to_state', 'actor_id', 'at', 'details'])
      .where(idIn(c, 'case_id', part)).orderBy('case_id').orderBy('id').execute();
    for (const h of hist) {
      out.get(Number(h.case_id))?.history.push({
        action: h.action, fromState: h.from_state, toState: h.to_state, actorId: h.actor_id, at: Number(h.at),
        details: fromJson<Record<string, unknown>>(h.details, {}),
      });
    }
  }
  return out;
}

export const factsRow = (f: Facts, now: number): AssessmentFactsTable => ({
  case_id: f.caseId, day: f.day, unit_id: f.unitId, appeal_unit_id: f.appealUnitId, district_id: f.districtId, street_id: f.streetId,
  community_id: f.communityId, grid_id: f.gridId, matter_class: f.matterClass, channel: f.channel, urgency: f.urgency,
  reporter_id: f.reporterId, verifier_id: f.verifierId, checker_id: f.checkerId, holder_user_id: f.holderUserId,
  flags: flagMask(f.flags), buck_passing: f.counts.buck_passing, supervised: f.counts.supervised, urged: f.counts.urged,
  d_dispatch: f.durations.dispatch, d_sign: f.durations.sign, d_handle: f.durations.handle, d_check: f.durations.check,
  d_total: f.durations.total, explain: toJson(f.explain), computed_at: now,
});

export const storedFacts = (r: AssessmentFactsTable): StoredFacts => ({
  caseId: Number(r.case_id), day: Number(r.day), unitId: r.unit_id, appealUnitId: r.appeal_unit_id, districtId: r.district_id,
  streetId: r.street_id, communityId: r.community_id, gridId: r.grid_id, matterClass: r.matter_class, channel: r.channel,
  urgency: r.urgency, reporterId: r.reporter_id, verifierId: r.verifier_id, checkerId: r.checker_id, holderUserId: r.holder_user_id,
  flags: flagsOf(Number(r.flags)),
  counts: { buck_passing: Number(r.buck_passing), supervised: Number(r.supervised), urged: Number(r.urged) },
  durations: { dispatch: n(r.d_dispatch), sign: n(r.d_sign), handle: n(r.d_handle), check: n(r.d_check), total: n(r.d_total) },
  explain: fromJson<Explain>(r.explain, {}),
});

export async function findFacts(c: Conn, ids: number[]): Promise<Map<number, StoredFacts>> {
  const out = new Map<number, StoredFacts>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await c.db.selectFrom('assessment_facts').selectAll().where(idIn(c, 'case_id', ids.slice(i, i + 500))).execute();
    for (const r of rows) out.set(Number(r.case_id), storedFacts(r));
  }
  return out;
}

export async function saveFacts({ db, sqlite }: Conn, rows: AssessmentFactsTable[]): Promise<void> {
  if (!rows.length) return;
  const cols = Object.keys(rows[0]) as (keyof AssessmentFactsTable)[];
  const updated = cols.filter((c) => c !== 'case_id');
  if (db.isTransaction && sqlite?.inTransaction) {
    const st = statement(sqlite, `INSERT INTO assessment_facts (${cols.join(',')}) VALUES (${placeholders(cols.length)})
      ON CONFLICT (case_id) DO UPDATE SET ${updated.map((c) => `${c} = excluded.${c}`).join(', ')}`);
    for (const r of rows) st.run(cols.map((c) => r[c] ?? null));
    return;
  }
  for (let i = 0; i < rows.length; i += 200) {
    await db.insertInto('assessment_facts').values(rows.slice(i, i + 200))
      .onConflict((oc) => oc.column('case_id').doUpdateSet(Object.fromEntries(updated.map((c) => [c, sql.ref(`excluded.${c}`)])) as never))
      .execute();
  }
}

/** Adds each slice's delta to its counter row (created at zero when missing). */
export async function applyCounterDeltas({ db, sqlite }: Conn, deltas: Map<string, number[]>): Promise<void> {
  if (db.isTransaction && sqlite?.inTransaction) {
    const st = statement(sqlite, COUNTERS_UPSERT);
    for (const [k, v] of deltas) {
      const { day, dim, key } = parseSliceKey(k);
      st.run([dim, day, key, ...v]);
    }
    return;
  }
  const rows = [...deltas].map(([k, v]) => {
    const { day, dim, key } = parseSliceKey(k);
    const r: Record<string, number | string> = { dim, day, key };
    COUNTER_COLUMNS.forEach((c, i) => { r[c] = v[i]; });
    return r;
  });
  const set = Object.fromEntries(COUNTER_COLUMNS.map((c) => [c, sql`assessment_counters.${sql.ref(c)} + excluded.${sql.ref(c)}`]));
  for (let i = 0; i < rows.length; i += 200) {
    await db.insertInto('assessment_counters').values(rows.slice(i, i + 200) as never)
      .onConflict((oc) => oc.columns(['dim', 'day', 'key']).doUpdateSet(set as never)).execute();
  }
}

const SUMS = sql.join(COUNTER_COLUMNS.map((c) => sql`SUM(${sql.ref(c)}) AS ${sql.ref(c)}`));
const vectorOf = (r: Record<string, unknown>): number[] => COUNTER_COLUMNS.map((c) => Number(r[c] ?? 0));

/** Each key's sums over [fromDay, toDay] for the given dimensions (and keys, when given). */
export async function sumCounters({ db }: Conn, q: { dims: Dimension[]; fromDay: number; toDay: number; keys?: string[] }): Promise<{ dim: Dimension; key: string; vector: number[] }[]> {
  const keyFilter = q.keys ? sql`AND key IN (${sql.join(q.keys.length ? q.keys : [''])})` : sql``;
  const r = await sql<Record<string, unknown>>`SELECT dim, key, ${SUMS} FROM assessment_counters
    WHERE dim IN (${sql.join(q.dims)}) AND day >= ${q.fromDay} AND day <= ${q.toDay} ${keyFilter} GROUP BY dim, key`.execute(db);
  return r.rows.map((x) => ({ dim: x.dim as Dimension, key: String(x.key), vector: vectorOf(x) }));
}

/** One dimension's keys summed per month (YYYYMM) over [fromDay, toDay]: trends. */
export async function monthlyCounters({ db }: Conn, q: { dim: Dimension; keys: string[]; fromDay: number; toDay: number }): Promise<{ month: number; key: string; vector: number[] }[]> {
  const r = await sql<Record<string, unknown>>`SELECT CAST(day / 100 AS INTEGER) AS ym, key, ${SUMS} FROM assessment_counters
    WHERE dim = ${q.dim} AND day >= ${q.fromDay} AND day <= ${q.toDay} AND key IN (${sql.join(q.keys.length ? q.keys : [''])})
    GROUP BY CAST(day / 100 AS INTEGER), key`.execute(db);
  return r.rows.map((x) => ({ month: Number(x.ym), key: String(x.key), vector: vectorOf(x) }));
}

/** The stored counter rows of one day (rebuild compares them with the facts). */
export async function countersOfDay({ db }: Conn, day: number): Promise<Map<string, number[]>> {
  const rows = await db.selectFrom('assessment_counters').selectAll().where('day', '=', day).execute();
  return new Map(rows.map((r) => [`${r.day}|${r.dim}|${r.key}`, vectorOf(r)]));
}

export async function factsOfDay({ db }: Conn, day: number): Promise<StoredFacts[]> {
  const rows = await db.selectFrom('assessment_facts').selectAll().where('day', '=', day).execute();
  return rows.map(storedFacts);
}

/** Case ids reported on a local day, by case number (YYYYMMDD…), in chunks. */
export async function caseIdsOfDay({ db }: Conn, day: number, afterNo: string, limit: number): Promise<{ id: number; caseNo: string }[]> {
  const rows = await db.selectFrom('cases').select(['id', 'case_no'])
    .where('case_no', '>=', String(day)).where('case_no', '<', String(day + 1)).where('case_no', '>', afterNo)
    .orderBy('case_no').limit(limit).execute();
  return rows.map((r) => ({ id: Number(r.id), caseNo: r.case_no }));
}

/**
 * Serialises counting: the job's batches and rebuild's chunks hold the `assessment` cursor row (PostgreSQL: row
 * lock, waiting; SQLite: one writer anyway). Intake never touches it.
 */
export async function lockCounting({ db, dialect }: Conn): Promise<number> {
  let q = db.selectFrom('job_cursors').select('cursor').where('name', '=', 'assessment');
  if (dialect === 'postgres') q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return Number(r?.cursor ?? 0);
}

/** Which facts column a drill-down reads for a dimension (person: by the part the counter credits). */
export function drillColumn(dim: Dimension, counter: string): keyof AssessmentFactsTable | null {
  switch (dim) {
    case 'city': return null;
    case 'district': return 'district_id';
    case 'street': return 'street_id';
    case 'community': return 'community_id';
    case 'grid': return 'grid_id';
    case 'unit': return counter === 'appeal_accepted' ? 'appeal_unit_id' : 'unit_id';
    case 'matter_class': return 'matter_class';
    case 'channel': return 'channel';
    case 'urgency': return 'urgency';
    case 'person':
      if (counter === 'reported' || counter === 'valid' || counter === 'self_fixed') return 'reporter_id';
      if (counter === 'verified' || counter === 'verified_on_time') return 'verifier_id';
      if (counter === 'checked' || counter === 'checked_on_time') return 'checker_id';
      return 'holder_user_id';
  }
}

export interface DrillRow { facts: StoredFacts; caseNo: string; state: string; matterCode: string; address: string | null }

/**
 * The cases behind one number: facts of the slice whose flag (or count) is set, ordered by (day, case_id) for a
 * keyset page. `after` is the last row's "day:caseId".
 */
export interface DrillQuery { dim: Dimension; key: string; counter: string; fromDay: number; toDay: number; after?: { day: number; caseId: number }; limit: number }

export async function drillDown({ db }: Conn, q: DrillQuery): Promise<DrillRow[]> {
  const col = drillColumn(q.dim, q.counter);
  const isFlag = (FLAGS as readonly string[]).includes(q.counter);
  let sel = db.selectFrom('assessment_facts as f').innerJoin('cases as c', 'c.id', 'f.case_id')
    .selectAll('f').select(['c.case_no', 'c.state', 'c.matter_code', 'c.address'])
    .where('f.day', '>=', q.fromDay).where('f.day', '<=', q.toDay);
  if (col) sel = sel.where(`f.${col}`, '=', q.key);
  sel = isFlag
    ? sel.where(sql`(f.flags & ${flagBit(q.counter as Flag)})`, '!=', 0)
    : sel.where(sql.ref(`f.${q.counter}`), '>', 0);
  if (q.after) sel = sel.where((eb) => eb.or([eb('f.day', '>', q.after!.day), eb.and([eb('f.day', '=', q.after!.day), eb('f.case_id', '>', q.after!.caseId)])]));
  const rows = await sel.orderBy('f.day').orderBy('f.case_id').limit(q.limit).execute();
  return rows.map((r) => ({ facts: storedFacts(r as unknown as AssessmentFactsTable), caseNo: r.case_no, state: r.state, matterCode: r.matter_code, address: r.address }));
}

export const isDrillCounter = (c: string): boolean => (FLAGS as readonly string[]).includes(c) || (COUNTS as readonly string[]).includes(c);
export const STAGE_NAMES = STAGES;

// ——— formulas ———

export async function listFormulas({ db }: Conn): Promise<FormulaVersion[]> {
  const rows = await db.selectFrom('assessment_formulas').selectAll().orderBy('effective_from').orderBy('id').execute();
  return rows.map((r) => ({
    id: Number(r.id), effectiveFrom: r.effective_from, terms: fromJson<FormulaTerm[]>(r.terms, []), note: r.note,
    createdAt: Number(r.created_at), createdBy: r.created_by,
  }));
}

export async function insertFormula({ db }: Conn, v: { effectiveFrom: string; terms: FormulaTerm[]; note: string | null; createdBy: string | null; createdAt: number }): Promise<number> {
  const r = await db.insertInto('assessment_formulas').values({
    effective_from: v.effectiveFrom, terms: toJson(v.terms), note: v.note, created_by: v.createdBy, created_at: v.createdAt,
  }).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

// ——— a unit's live month ———

export interface HurtingCase { id: number; caseNo: string; state: string; matterCode: string; handleDueAt: number | null; reason: 'overdue' | 'due_soon' | 'returned' | 'rework' }

/**
 * Open cases that will hurt a unit's month next: overdue, due within `soonMs`, returned by it and awaiting the
 * ruling (ruled back = 推诿), and in rework. Read through the (assigned_unit_id, state) index.
 */
export async function hurtingCases({ db }: Conn, unitId: string, now: number, soonMs: number, limit: number): Promise<HurtingCase[]> {
  const open = await db.selectFrom('cases').select(['id', 'case_no', 'state', 'matter_code', 'handle_due_at', 'rework_count', 'handle_paused_at'])
    .where('assigned_unit_id', '=', unitId).where('state', 'in', ['DISPATCHED', 'IN_PROGRESS', 'DISPUTED'])
    .orderBy('handle_due_at').limit(2000).execute();
  const out: HurtingCase[] = [];
  for (const r of open) {
    const due = n(r.handle_due_at);
    const base = { id: Number(r.id), caseNo: r.case_no, state: r.state, matterCode: r.matter_code, handleDueAt: due };
    if (due !== null && (n(r.handle_paused_at) ?? now) > due) out.push({ ...base, reason: 'overdue' });
    else if (due !== null && due - now <= soonMs && r.state !== 'DISPUTED') out.push({ ...base, reason: 'due_soon' });
    else if (Number(r.rework_count) > 0 && r.state === 'IN_PROGRESS') out.push({ ...base, reason: 'rework' });
  }
  const returned = await db.selectFrom('cases').select(['id', 'case_no', 'state', 'matter_code', 'handle_due_at'])
    .where('state', '=', 'DISPUTED').where('last_returned_by_unit_id', '=', unitId).limit(limit).execute();
  for (const r of returned) out.push({ id: Number(r.id), caseNo: r.case_no, state: r.state, matterCode: r.matter_code, handleDueAt: n(r.handle_due_at), reason: 'returned' });
  return out.slice(0, limit);
}

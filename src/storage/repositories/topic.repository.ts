/**
 * 每月一题 (governance topics) and 未诉先办 (proactive tasks): their rows, the conditional state changes (on the
 * row's version, so two leaders cannot both move one record) and their shared history (decision_history).
 */
import type { Insertable, Selectable } from 'kysely';
import type { Conn } from '../db.ts';
import { toJson } from '../codec.ts';
import type { DecisionHistoryTable, GovernanceTopicTable, ProactiveTaskTable } from '../decide.schema.ts';

export type TopicRow = Selectable<GovernanceTopicTable>;
export type ProactiveRow = Selectable<ProactiveTaskTable>;
export type DecisionHistoryRow = Selectable<DecisionHistoryTable>;

/** Who may see decision records: the whole city, or those in these regions or given to these units. */
export type DecisionScope = { all: true } | { all: false; regionIds: string[]; unitIds: string[] };

/** New candidates (a (month, problem) pair already there is kept as it is); answers the ids inserted. */
export async function insertTopics({ db }: Conn, rows: Insertable<GovernanceTopicTable>[]): Promise<number[]> {
  if (!rows.length) return [];
  const r = await db.insertInto('governance_topics').values(rows).onConflict((oc) => oc.columns(['month', 'problem_id']).doNothing()).returning('id').execute();
  return r.map((x) => Number(x.id));
}

/** Refreshes the month's count and rank of candidates still proposed. */
export async function refreshTopicCount({ db }: Conn, month: number, problemId: number, count: number, rank: number, now: number): Promise<void> {
  await db.updateTable('governance_topics').set({ month_count: count, rank, updated_at: now })
    .where('month', '=', month).where('problem_id', '=', problemId).where('state', '=', 'proposed').execute();
}

export async function listTopics({ db }: Conn, f: { month?: number; state?: string[]; scope: DecisionScope; limit: number }): Promise<TopicRow[]> {
  let q = db.selectFrom('governance_topics').selectAll();
  if (f.month !== undefined) q = q.where('month', '=', f.month);
  if (f.state?.length) q = q.where('state', 'in', f.state);
  q = scoped(q, f.scope);
  return q.orderBy('month', 'desc').orderBy('rank').orderBy('id').limit(f.limit).execute();
}

export async function findTopic({ db, dialect }: Conn, id: number, opts: { forUpdate?: boolean } = {}): Promise<TopicRow | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  let q = db.selectFrom('governance_topics').selectAll().where('id', '=', id);
  if (opts.forUpdate && dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Moves a topic if it is still at `version`; false when someone else moved it first. */
export async function updateTopic({ db }: Conn, id: number, version: number, set: { state: string; unit_id?: string | null; note?: string | null; updated_at: number }): Promise<boolean> {
  const r = await db.updateTable('governance_topics').set((eb) => ({ ...set, version: eb('version', '+', 1) })).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertProactive({ db }: Conn, rows: Insertable<ProactiveTaskTable>[]): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const r = await db.insertInto('proactive_tasks').values(rows.slice(i, i + 500)).onConflict((oc) => oc.columns(['problem_id', 'due_day']).doNothing()).returning('id').execute();
    out.push(...r.map((x) => Number(x.id)));
  }
  return out;
}

/** Problems that already have an open (proposed or adopted) task: not proposed again until it ends. */
export async function openProactiveProblems({ db }: Conn): Promise<Set<number>> {
  const rows = await db.selectFrom('proactive_tasks').select('problem_id').where('state', 'in', ['proposed', 'adopted']).execute();
  return new Set(rows.map((r) => Number(r.problem_id)));
}

export async function listProactive({ db }: Conn, f: { state?: string[]; scope: DecisionScope; limit: number }): Promise<ProactiveRow[]> {
  let q = db.selectFrom('proactive_tasks').selectAll();
  if (f.state?.length) q = q.where('state', 'in', f.state);
  if (!f.scope.all) {
    const r = f.scope.regionIds.length ? f.scope.regionIds : [''];
    q = q.where((eb) => eb.or([eb('district_id', 'in', r), eb('street_id', 'in', r), eb('community_id', 'in', r)]));
  }
  return q.orderBy('due_day').orderBy('id').limit(f.limit).execute();
}

export async function findProactive({ db, dialect }: Conn, id: number, opts: { forUpdate?: boolean } = {}): Promise<ProactiveRow | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  let q = db.selectFrom('proactive_tasks').selectAll().where('id', '=', id);
  if (opts.forUpdate && dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function updateProactive({ db }: Conn, id: number, version: number, set: { state: string; case_id?: number | null; note?: string | null; updated_at: number }): Promise<boolean> {
  const r = await db.updateTable('proactive_tasks').set((eb) => ({ ...set, version: eb('version', '+', 1) })).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface DecisionHistoryEntry {
  kind: 'topic' | 'proactive'; recordId: number; action: string; fromState: string | null; toState: string;
  actorId: string | null; actorName: string | null; at: number; details?: Record<string, unknown>;
}

export async function appendHistory({ db }: Conn, e: DecisionHistoryEntry): Promise<void> {
  await db.insertInto('decision_history').values({
    record_kind: e.kind, record_id: e.recordId, action: e.action, from_state: e.fromState, to_state: e.toState,
    actor_id: e.actorId, actor_name: e.actorName, at: e.at, details: toJson(e.details ?? {}),
  }).execute();
}

export async function appendHistories({ db }: Conn, es: DecisionHistoryEntry[]): Promise<void> {
  for (let i = 0; i < es.length; i += 500) await insertHistory(db, es.slice(i, i + 500));
}

async function insertHistory(db: Conn['db'], es: DecisionHistoryEntry[]): Promise<void> {
  if (!es.length) return;
  await db.insertInto('decision_history').values(es.map((e) => ({
    record_kind: e.kind, record_id: e.recordId, action: e.action, from_state: e.fromState, to_state: e.toState,
    actor_id: e.actorId, actor_name: e.actorName, at: e.at, details: toJson(e.details ?? {}),
  }))).execute();
}

export async function historyOf({ db }: Conn, kind: 'topic' | 'proactive', id: number): Promise<DecisionHistoryRow[]> {
  return db.selectFrom('decision_history').selectAll().where('record_kind', '=', kind).where('record_id', '=', id).orderBy('id').execute();
}

function scoped<Q extends { where: (...a: never[]) => Q }>(q: Q, s: DecisionScope): Q {
  if (s.all) return q;
  const r = s.regionIds.length ? s.regionIds : [''];
  const u = s.unitIds.length ? s.unitIds : [''];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (q as any).where((eb: any) => eb.or([eb('district_id', 'in', r), eb('street_id', 'in', r), eb('community_id', 'in', r), eb('unit_id', 'in', u)])) as Q;
}

/** The 未诉先办 tasks whose case is `caseId` (normally one), locked on PostgreSQL: they follow the case (case-linked-tasks.ts). */
export async function proactiveOfCase({ db, dialect }: Conn, caseId: number): Promise<ProactiveRow[]> {
  let q = db.selectFrom('proactive_tasks').selectAll().where('case_id', '=', caseId);
  if (dialect === 'postgres') q = q.forUpdate();
  return q.execute();
}

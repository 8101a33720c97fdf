/**
 * Alarms (issue 11 parts 4–5): raised by rules or camera analytics, each with its own append-only history. Changes
 * are conditional UPDATEs on (id, version), so a clear, a review or a false-alarm mark happens once whichever node
 * tries it. Lists follow the one visibility policy (`alarmVisibleTo` compiles `caseVisibility` over the alarm's place
 * and its device's owner unit).
 */
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Conn } from '../db.ts';
import { toJson } from '../codec.ts';
import type { AlarmHistoryTable, AlarmTable } from '../sensing-rules.schema.ts';
import type { CaseVisibility } from '../../domain/policy/visibility.ts';

export type AlarmRow = Selectable<AlarmTable>;
export type AlarmHistoryRow = Selectable<AlarmHistoryTable>;

const CLOSED = ['ARCHIVED', 'CANCELLED'];

export async function insertAlarm({ db }: Conn, row: Insertable<AlarmTable>): Promise<void> {
  await db.insertInto('alarms').values(row).execute();
}

export async function findAlarm({ db }: Conn, id: string): Promise<AlarmRow | undefined> {
  return db.selectFrom('alarms').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAlarmByExternal({ db }: Conn, source: string, externalId: string): Promise<AlarmRow | undefined> {
  return db.selectFrom('alarms').selectAll().where('source', '=', source).where('external_id', '=', externalId).executeTakeFirst();
}

/** Changes an alarm if nobody changed it since `version` was read; true when this call made the change. */
export async function updateAlarm({ db }: Conn, id: string, version: number, patch: Updateable<AlarmTable>): Promise<boolean> {
  const r = await db.updateTable('alarms').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function appendAlarmHistory(
  { db }: Conn, e: { alarmId: string; action: string; actorId: string | null; actorName: string | null; at: number; details: Record<string, unknown> },
): Promise<void> {
  await db.insertInto('alarm_history').values({ alarm_id: e.alarmId, action: e.action, actor_id: e.actorId, actor_name: e.actorName, at: e.at, details: toJson(e.details) }).execute();
}

export async function alarmHistory({ db }: Conn, alarmId: string): Promise<AlarmHistoryRow[]> {
  return db.selectFrom('alarm_history').selectAll().where('alarm_id', '=', alarmId).orderBy('id').execute();
}

/** The newest alarm of a rule on a device (suppression: re-open it when it cleared recently). */
export async function latestAlarmOf({ db }: Conn, deviceId: string, ruleId: string): Promise<AlarmRow | undefined> {
  return db.selectFrom('alarms').selectAll().where('device_id', '=', deviceId).where('rule_id', '=', ruleId).orderBy('raised_at', 'desc').limit(1).executeTakeFirst();
}

/** Raised rule alarms (the engine's state after a restart). */
export async function openRuleAlarms({ db }: Conn): Promise<AlarmRow[]> {
  return db.selectFrom('alarms').selectAll().where('state', '=', 'raised').where('source', '=', 'iot').execute();
}

/** Alarms whose case was being made when the process stopped (made again with the same key, answered by the first case). */
export async function submittingAlarms({ db }: Conn, limit: number, storedBefore?: number): Promise<AlarmRow[]> {
  let q = db.selectFrom('alarms').selectAll().where('review', '=', 'submitting');
  if (storedBefore !== undefined) q = q.where('created_at', '<', storedBefore);
  return q.orderBy('raised_at').limit(limit).execute();
}

/** The open case an alarm of this device (camera) and matter already joined, if any. */
export async function openCaseOfDevice({ db }: Conn, deviceId: string, matterCode: string): Promise<{ caseId: number; state: string } | undefined> {
  const r = await db.selectFrom('alarms').innerJoin('cases', 'cases.id', 'alarms.case_id')
    .select(['cases.id as caseId', 'cases.state as state'])
    .where('alarms.device_id', '=', deviceId).where('alarms.matter_code', '=', matterCode).where('alarms.case_id', 'is not', null)
    .where('cases.state', 'not in', CLOSED).orderBy('alarms.raised_at', 'desc').limit(1).executeTakeFirst();
  return r ? { caseId: Number(r.caseId), state: r.state } : undefined;
}

/** The open case an alarm at this place and of this matter joined since `since`, if any. */
export async function openCaseOfPlace({ db }: Conn, placeKey: string, matterCode: string, since: number): Promise<{ caseId: number; state: string } | undefined> {
  const r = await db.selectFrom('alarms').innerJoin('cases', 'cases.id', 'alarms.case_id')
    .select(['cases.id as caseId', 'cases.state as state'])
    .where('alarms.place_key', '=', placeKey).where('alarms.matter_code', '=', matterCode).where('alarms.raised_at', '>=', since)
    .where('alarms.case_id', 'is not', null).where('cases.state', 'not in', CLOSED).orderBy('alarms.raised_at', 'desc').limit(1).executeTakeFirst();
  return r ? { caseId: Number(r.caseId), state: r.state } : undefined;
}

/** An alarm at this place and of this matter raised since `since` that is still in the making (submitting): the newcomer waits for its case. */
export async function alarmsOfCase({ db }: Conn, caseId: number): Promise<AlarmRow[]> {
  return db.selectFrom('alarms').selectAll().where('case_id', '=', caseId).orderBy('raised_at').limit(200).execute();
}

type AlarmQuery = ReturnType<typeof from>;
const from = (c: Conn) => c.db.selectFrom('alarms');

/** The visibility policy over an alarm's place (district, street, community) and its device's owner unit. */
export function alarmVisibleTo<Q extends AlarmQuery>(q: Q, v: CaseVisibility): Q {
  if (v.all) return q;
  const { regionIds: r, unitIds: u } = v;
  if (!r.length && !u.length && !v.unlocated) return q.where(sql<boolean>`1 = 0`) as Q;
  return q.where((eb) => eb.or([
    ...(r.length ? [eb('district_id', 'in', r), eb('street_id', 'in', r), eb('community_id', 'in', r)] : []),
    ...(v.unlocated ? [eb.and([eb('community_id', 'is', null), eb('street_id', 'is', null), eb('district_id', 'is', null)])] : []),
    ...(u.length ? [eb('owner_unit_id', 'in', u)] : []),
  ])) as Q;
}

export interface AlarmFilter {
  visibility: CaseVisibility;
  source?: string;
  state?: string;
  review?: string;
  falseAlarm?: boolean;
  deviceId?: string;
  caseId?: number;
  /** Keyset: alarms raised before this instant (and id) — newest first. */
  before?: { raisedAt: number; id: string };
  limit: number;
}

export async function listAlarms(c: Conn, f: AlarmFilter): Promise<AlarmRow[]> {
  let q = alarmVisibleTo(from(c).selectAll(), f.visibility);
  if (f.source) q = q.where('source', '=', f.source);
  if (f.state) q = q.where('state', '=', f.state);
  if (f.review) q = q.where('review', '=', f.review);
  if (f.falseAlarm !== undefined) q = q.where('false_alarm', '=', f.falseAlarm ? 1 : 0);
  if (f.deviceId) q = q.where('device_id', '=', f.deviceId);
  if (f.caseId !== undefined) q = q.where('case_id', '=', f.caseId);
  if (f.before) {
    const b = f.before;
    q = q.where((eb) => eb.or([eb('raised_at', '<', b.raisedAt), eb.and([eb('raised_at', '=', b.raisedAt), eb('id', '<', b.id)])]));
  }
  return q.orderBy('raised_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

export type AccuracyGroup = 'device_type_id' | 'vendor' | 'ai_model';

/** Judged alarms (not pending review, not below the confidence threshold) and false ones, per group, raised since `since`. */
export async function accuracyCounts(c: Conn, group: AccuracyGroup, since: number, v: CaseVisibility): Promise<{ key: string | null; source: string; total: number; falseAlarms: number }[]> {
  const rows = await alarmVisibleTo(from(c), v)
    .select((eb) => [
      eb.ref(group).as('key'), 'source',
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>('false_alarm').as('falseAlarms'),
    ])
    .where('raised_at', '>=', since).where('review', 'not in', ['pending', 'below_threshold', 'submitting'])
    .groupBy([group, 'source']).execute();
  return rows.map((r) => ({ key: r.key as string | null, source: r.source, total: Number(r.total), falseAlarms: Number(r.falseAlarms ?? 0) }));
}

/** Raised alarms per scenario (vital signs). */
export async function openAlarmsByScenario(c: Conn, v: CaseVisibility): Promise<{ scenario: string | null; count: number }[]> {
  const rows = await alarmVisibleTo(from(c), v).select((eb) => ['scenario', eb.fn.countAll<number>().as('count')])
    .where('state', '=', 'raised').where('review', '!=', 'rejected').groupBy('scenario').execute();
  return rows.map((r) => ({ scenario: r.scenario, count: Number(r.count) }));
}

/** Alarms raised per hour bucket since `since` (vital signs' trend). */
export async function alarmsRaisedSince(c: Conn, since: number, v: CaseVisibility): Promise<number[]> {
  const rows = await alarmVisibleTo(from(c), v).select('raised_at').where('raised_at', '>=', since).where('review', '!=', 'below_threshold').limit(100_000).execute();
  return rows.map((r) => Number(r.raised_at));
}

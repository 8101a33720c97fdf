/** Counts behind the city's vital signs (issue 11 part 7), under the one visibility policy. */
import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../schema.ts';
import type { Conn } from '../db.ts';
import type { CaseVisibility } from '../../domain/policy/visibility.ts';
import { alarmVisibleTo } from './alarm.repository.ts';
import { visibleTo } from './case.repository.ts';

/** Devices (points) of a scenario with a raised rule alarm. */
export async function raisedDevicesOfScenario(c: Conn, scenario: string, v: CaseVisibility): Promise<number> {
  const r = await alarmVisibleTo(c.db.selectFrom('alarms'), v)
    .select(sql<number>`count(distinct device_id)`.as('n'))
    .where('state', '=', 'raised').where('source', '=', 'iot').where('scenario', '=', scenario).where('false_alarm', '=', 0).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Registered devices and those online, in the regions the caller sees (devices without a place count for everyone). */
export async function deviceOnline(c: Conn, v: CaseVisibility): Promise<{ total: number; online: number }> {
  let q = c.db.selectFrom('devices').select((eb) => ['state', eb.fn.countAll<number>().as('n')]).groupBy('state');
  if (!v.all) {
    const r = v.regionIds.length ? v.regionIds : [''];
    q = q.where((eb) => eb.or([eb('district_id', 'in', r), eb('street_id', 'in', r), eb('community_id', 'in', r), eb('district_id', 'is', null)]));
  }
  const rows = await q.execute();
  let total = 0, online = 0;
  for (const r of rows) { total += Number(r.n); if (r.state === 'online') online += Number(r.n); }
  return { total, online };
}

/** Cases created in each window [from, to), the caller's cases only. */
export async function casesCreatedIn(c: Conn, windows: { from: number; to: number }[], v: CaseVisibility): Promise<number[]> {
  const out: number[] = [];
  for (const w of windows) {
    const r = await visibleTo(c.db.selectFrom('cases'), v).select((eb) => eb.fn.countAll<number>().as('n'))
      .where('created_at', '>=', w.from).where('created_at', '<', w.to).executeTakeFirst();
    out.push(Number(r?.n ?? 0));
  }
  return out;
}

/** The devices the caller sees here: those in their regions, and devices without a place (as deviceOnline). */
const devicesVisible = (v: CaseVisibility) => (eb: ExpressionBuilder<Database, 'devices'>) => {
  if (v.all) return eb.lit(true);
  const r = v.regionIds.length ? v.regionIds : [''];
  return eb.or([eb('district_id', 'in', r), eb('street_id', 'in', r), eb('community_id', 'in', r), eb('district_id', 'is', null)]);
};

/** Devices per scenario and state (the scenario console), in the regions the caller sees. */
export async function devicesByScenario(c: Conn, v: CaseVisibility): Promise<{ scenario: string | null; state: string; count: number }[]> {
  const rows = await c.db.selectFrom('devices').select((eb) => ['scenario', 'state', eb.fn.countAll<number>().as('n')])
    .where(devicesVisible(v)).groupBy(['scenario', 'state']).execute();
  return rows.map((r) => ({ scenario: r.scenario, state: r.state, count: Number(r.n) }));
}

/** Devices of one type the caller sees (at most `limit`, by id): the crowd counters behind the crowd layer. */
export async function devicesOfType(c: Conn, typeId: string, v: CaseVisibility, limit: number): Promise<{ id: string; name: string; lon: number | null; lat: number | null }[]> {
  const rows = await c.db.selectFrom('devices').select(['id', 'name', 'lon', 'lat']).where('type_id', '=', typeId).where(devicesVisible(v))
    .orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, name: r.name, lon: r.lon === null ? null : Number(r.lon), lat: r.lat === null ? null : Number(r.lat) }));
}

/** The raised alarms of a scenario, newest first (their values are the scenario's key readings). */
export async function raisedAlarmsOfScenario(c: Conn, scenario: string, v: CaseVisibility, limit: number) {
  return alarmVisibleTo(c.db.selectFrom('alarms'), v)
    .select(['id', 'device_id', 'device_type_id', 'rule_name', 'matter_code', 'urgency', 'values', 'raised_at', 'case_id', 'review'])
    .where('state', '=', 'raised').where('scenario', '=', scenario).where('false_alarm', '=', 0)
    .orderBy('raised_at', 'desc').limit(limit).execute();
}

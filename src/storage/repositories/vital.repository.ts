/** Counts behind the city's vital signs (issue 11 part 7), under the one visibility policy. */
import { sql } from 'kysely';
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

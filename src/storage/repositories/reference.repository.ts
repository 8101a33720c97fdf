/** Reads every reference table in one go (at start and when an administrator changes something). */
import type { DbOrTrx } from '../db.ts';
import type { WorkPeriod } from '../../domain/deadline/index.ts';

export async function readSetting<T>(db: DbOrTrx, key: string): Promise<T | undefined> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return r ? (JSON.parse(r.value) as T) : undefined;
}

export async function writeSetting(db: DbOrTrx, key: string, value: unknown): Promise<void> {
  const v = JSON.stringify(value);
  await db.insertInto('settings').values({ key, value: v }).onConflict((oc) => oc.column('key').doUpdateSet({ value: v })).execute();
}

export async function activeRuleVersion(db: DbOrTrx): Promise<number> {
  const r = await db.selectFrom('rule_versions').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
  return Number(r?.v ?? 0);
}

export async function loadReferenceRows(db: DbOrTrx) {
  const ruleVersion = await activeRuleVersion(db);
  const [regions, units, grids, matters, rules, admission, calendarDays, timeLimits] = await Promise.all([
    db.selectFrom('regions').selectAll().orderBy('depth').orderBy('id').execute(),
    db.selectFrom('units').selectAll().orderBy('id').execute(),
    db.selectFrom('grids').selectAll().orderBy('id').execute(),
    db.selectFrom('matter_types').selectAll().orderBy('code').execute(),
    db.selectFrom('rules').selectAll().where('version', '=', ruleVersion).orderBy('id').execute(),
    db.selectFrom('admission_list').selectAll().execute(),
    db.selectFrom('calendar_days').selectAll().execute(),
    db.selectFrom('time_limits').selectAll().execute(),
  ]);
  const version = (await readSetting<number>(db, 'reference_version')) ?? 0;
  const settings = {
    utcOffsetMinutes: (await readSetting<number>(db, 'utc_offset_minutes')) ?? 480,
    workPeriods: await readSetting<WorkPeriod[]>(db, 'work_periods'),
    weekendDays: await readSetting<number[]>(db, 'weekend_days'),
  };
  return { version, ruleVersion, regions, units, grids, matters, rules, admission, calendarDays, timeLimits, settings };
}

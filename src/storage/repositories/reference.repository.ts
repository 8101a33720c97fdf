/** Reads every reference table in one go (at start and when an administrator changes something). */
import type { Conn } from '../db.ts';
import { read, referenceVersion } from './settings.repository.ts';

export async function activeRuleVersion({ db }: Conn): Promise<number> {
  const r = await db.selectFrom('rule_versions').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
  return Number(r?.v ?? 0);
}

/** Settings that shape the reference data, as stored (unvalidated: the reference cache validates them). */
export const REFERENCE_SETTINGS = ['work_periods', 'weekend_days', 'day_counting', 'unit_work_periods', 'hotline_feedback_limits', 'emergency_words',
  'platform_levels', 'summons_settings', 'verification_policy', 'emergency_alerting', 'standard_replies', 'portal_matters', 'desk_settings', 'recurrence_settings',
  'sensing_alarm_policy', 'export_policy', 'sensing_limits',
  'assessment_settings', 'sensing_vital_settings'] as const;

export async function loadReferenceRows(c: Conn) {
  const { db } = c;
  const ruleVersion = await activeRuleVersion(c);
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
  const version = await referenceVersion(c);
  const settings: Record<string, unknown> = {};
  for (const key of REFERENCE_SETTINGS) settings[key] = await read(c, key);
  return { version, ruleVersion, regions, units, grids, matters, rules, admission, calendarDays, timeLimits, settings };
}

/**
 * The city's summons settings (吹哨报到): how long each kind of whistle gives the summoned departments to report
 * (报到), and how close to the meeting place an on-site check-in must be. City data: settings row
 * `summons_settings`, GET/PUT /api/v1/summons/settings. The defaults follow Beijing's pilot (街乡吹哨、部门报到:
 * departments report within 30 minutes) for every kind; a city that gives an emergency whistle less time sets it.
 * Pure.
 */
import { invalidAs } from '../errors.ts';
import { SUMMONS_KINDS, type SummonsKind } from './types.ts';

export interface SummonsSettings {
  /** Minutes a summoned department has to report, per kind of whistle. */
  reportLimitMinutes: Record<SummonsKind, number>;
  /** How far (metres) from the meeting place an on-site check-in may be. */
  checkInRadiusMeters: number;
}

export const DEFAULT_SUMMONS_SETTINGS: Readonly<SummonsSettings> = Object.freeze<SummonsSettings>({
  reportLimitMinutes: { routine: 30, tackling: 30, emergency: 30 },
  checkInRadiusMeters: 500,
});

const MAX_LIMIT_MINUTES = 7 * 24 * 60;

/** Validates the whole settings object; the error names the field, e.g. `reportLimitMinutes.emergency`. */
export function parseSummonsSettings(input: unknown, prefix = ''): SummonsSettings {
  const at = (f: string) => (prefix ? `${prefix}.${f}` : f);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidAs(prefix || 'body', { key: 'summons.object_with_reportlimitminutes_and_checkinradiusmeters' }, 'must be an object with reportLimitMinutes and checkInRadiusMeters');
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'reportLimitMinutes' && k !== 'checkInRadiusMeters') throw invalidAs(at(k), { key: 'field.unknown' }, 'unknown field');
  const limits = o.reportLimitMinutes;
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) throw invalidAs(at('reportLimitMinutes'), { key: 'field.object_with', params: { allowed: SUMMONS_KINDS.join(', ') } }, `must be an object with ${SUMMONS_KINDS.join(', ')}`);
  const l = limits as Record<string, unknown>;
  for (const k of Object.keys(l)) if (!SUMMONS_KINDS.includes(k as SummonsKind)) throw invalidAs(at(`reportLimitMinutes.${k}`), { key: 'summons.unknown_kind_kinds_are', params: { allowed: SUMMONS_KINDS.join(', ') } }, `unknown kind; kinds are ${SUMMONS_KINDS.join(', ')}`);
  const reportLimitMinutes = {} as Record<SummonsKind, number>;
  for (const k of SUMMONS_KINDS) {
    const v = l[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_LIMIT_MINUTES) throw invalidAs(at(`reportLimitMinutes.${k}`), { key: 'summons.whole_number_minutes_from_1', params: { max_limit_minutes: String(MAX_LIMIT_MINUTES) } }, `must be a whole number of minutes from 1 to ${MAX_LIMIT_MINUTES}`);
    reportLimitMinutes[k] = v;
  }
  const r = o.checkInRadiusMeters;
  if (typeof r !== 'number' || !Number.isFinite(r) || r < 10 || r > 20_000) throw invalidAs(at('checkInRadiusMeters'), { key: 'summons.number_metres_from_10_20000' }, 'must be a number of metres from 10 to 20000');
  return { reportLimitMinutes, checkInRadiusMeters: r };
}

/**
 * The city's settings for the assessment desks (issue 10 part 4), city data in the settings row `desk_settings`
 * (GET/PUT /api/v1/desks/settings):
 *   - callback (回访): how many unreachable attempts before the case is archived as unreachable, how long a seat waits
 *     between attempts, and how long the centre has to call back after the check;
 *   - appeal (申诉): how many work days after the end of the month a unit may still appeal a case counted in it;
 *   - supervision (督办): how long a unit has to answer a notice of each level, and which urgencies make a case
 *     "important" (a supervision candidate even before it is overdue).
 * Defaults: three attempts two hours apart within 48 hours (the common 12345 practice of "三次未接通视为无法联系"),
 * appeals within 5 work days of the month's end, answers within 24 h (催办, 领导督办) or 48 h (督办). Pure.
 */
import { invalidAs } from '../errors.ts';

export const SUPERVISION_LEVELS = ['urge', 'supervise', 'leader'] as const;
export type NoticeLevel = (typeof SUPERVISION_LEVELS)[number];
const URGENCIES = ['normal', 'urgent', 'very_urgent'] as const;

export interface DeskSettings {
  callback: { maxAttempts: number; retryMinutes: number; limitHours: number };
  appeal: { workDaysAfterMonth: number };
  supervision: { replyHours: Record<NoticeLevel, number>; importantUrgencies: string[] };
}

export const DEFAULT_DESK_SETTINGS: Readonly<DeskSettings> = Object.freeze<DeskSettings>({
  callback: { maxAttempts: 3, retryMinutes: 120, limitHours: 48 },
  appeal: { workDaysAfterMonth: 5 },
  supervision: { replyHours: { urge: 24, supervise: 48, leader: 24 }, importantUrgencies: ['very_urgent'] },
});

const obj = (v: unknown, field: string, keys: readonly string[], prefix = field): Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidAs(field, { key: 'field.object_with', params: { allowed: keys.join(', ') } }, `must be an object with ${keys.join(', ')}`);
  for (const k of Object.keys(v)) if (!keys.includes(k)) throw invalidAs(prefix ? `${prefix}.${k}` : k, { key: 'field.unknown' }, 'unknown field');
  return v as Record<string, unknown>;
};

const int = (v: unknown, field: string, min: number, max: number): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalidAs(field, { key: 'field.whole_number_from', params: { min: String(min), max: String(max) } }, `must be a whole number from ${min} to ${max}`);
  return v;
};

/** Validates the whole settings object; errors name the field, e.g. `callback.maxAttempts`. */
export function parseDeskSettings(input: unknown, prefix = ''): DeskSettings {
  const at = (f: string) => (prefix ? `${prefix}.${f}` : f);
  const o = obj(input, prefix || 'body', ['callback', 'appeal', 'supervision'], prefix);
  const cb = obj(o.callback, at('callback'), ['maxAttempts', 'retryMinutes', 'limitHours']);
  const ap = obj(o.appeal, at('appeal'), ['workDaysAfterMonth']);
  const sv = obj(o.supervision, at('supervision'), ['replyHours', 'importantUrgencies']);
  const rh = obj(sv.replyHours, at('supervision.replyHours'), SUPERVISION_LEVELS);
  const replyHours = {} as Record<NoticeLevel, number>;
  for (const l of SUPERVISION_LEVELS) replyHours[l] = int(rh[l], at(`supervision.replyHours.${l}`), 1, 24 * 30);
  const iu = sv.importantUrgencies;
  if (!Array.isArray(iu) || iu.some((u) => !(URGENCIES as readonly unknown[]).includes(u)) || new Set(iu).size !== iu.length) {
    throw invalidAs(at('supervision.importantUrgencies'), { key: 'callback.list_distinct_urgencies', params: { allowed: URGENCIES.join(', ') } }, `must be a list of distinct urgencies (${URGENCIES.join(', ')})`);
  }
  return {
    callback: {
      maxAttempts: int(cb.maxAttempts, at('callback.maxAttempts'), 1, 10),
      retryMinutes: int(cb.retryMinutes, at('callback.retryMinutes'), 0, 7 * 24 * 60),
      limitHours: int(cb.limitHours, at('callback.limitHours'), 1, 30 * 24),
    },
    appeal: { workDaysAfterMonth: int(ap.workDaysAfterMonth, at('appeal.workDaysAfterMonth'), 1, 60) },
    supervision: { replyHours, importantUrgencies: [...iu] as string[] },
  };
}

/**
 * The city's recurrence settings (issue 10 part 5: "the same place — within a radius or the same part — same matter,
 * N times in M days"), city data in the settings row `recurrence_settings`, GET/PUT /api/v1/decide/settings. The
 * defaults follow domain.md §8 ("the same point complained about 5+ times"), over 90 days within 50 m. Pure.
 */
import { invalidAs } from '../errors.ts';

export interface RecurrenceSettings {
  /** Reports of one matter within this distance of each other are "the same place". At most 150 m (see detect.ts). */
  radiusMeters: number;
  /** N: this many reports (the new one included) make a recurring problem. */
  minCount: number;
  /** M: within this many days before the newest report. */
  windowDays: number;
  /** 每月一题: how many of the month's top recurring problems are proposed as candidate topics. */
  topicCandidates: number;
  /** 未诉先办: a place is proposed when its pattern's next date is at most this many days ahead. */
  proactiveHorizonDays: number;
}

export const DEFAULT_RECURRENCE_SETTINGS: Readonly<RecurrenceSettings> = Object.freeze({
  radiusMeters: 50, minCount: 5, windowDays: 90, topicCandidates: 5, proactiveHorizonDays: 7,
});

/** The largest radius whose neighbours all lie in a resolution-9 cell's 1-ring (hexagon edge ≈ 174 m, see detect.ts). */
export const MAX_RADIUS_METERS = 150;

const LIMITS: Record<keyof RecurrenceSettings, [number, number]> = {
  radiusMeters: [5, MAX_RADIUS_METERS], minCount: [2, 1000], windowDays: [1, 366], topicCandidates: [1, 50], proactiveHorizonDays: [1, 60],
};

/** Validates the whole object; the error names the field. */
export function parseRecurrenceSettings(input: unknown, prefix = ''): RecurrenceSettings {
  const at = (f: string) => (prefix ? `${prefix}.${f}` : f);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidAs(prefix || 'body', { key: 'field.object_with', params: { allowed: Object.keys(LIMITS).join(', ') } }, `must be an object with ${Object.keys(LIMITS).join(', ')}`);
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!(k in LIMITS)) throw invalidAs(at(k), { key: 'field.unknown' }, 'unknown field');
  const out = {} as RecurrenceSettings;
  for (const [k, [lo, hi]] of Object.entries(LIMITS) as [keyof RecurrenceSettings, [number, number]][]) {
    const v = o[k] === undefined ? DEFAULT_RECURRENCE_SETTINGS[k] : o[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw invalidAs(at(k), { key: 'recurrence.whole_number_from', params: { lo: String(lo), hi: String(hi) } }, `must be a whole number from ${lo} to ${hi}`);
    out[k] = v;
  }
  return out;
}

/**
 * What the city decides about alarms (issue 11 parts 4–5; domain.md §4 "AI alarms are reviewed by a person unless
 * their type is whitelisted for automatic dispatch"): the auto-dispatch whitelist per matter and area, the window in
 * which alarms at one place become one case, and the video analytics' detection types — each mapped to a matter
 * code with its own confidence threshold. City data: the settings row `sensing_alarm_policy`; a stored row that
 * cannot be read leaves the defaults in force (the reference cache reports it).
 */
import { invalidAs } from '../errors.ts';

export type AlarmSource = 'iot' | 'video';

export interface AutoDispatchEntry {
  /** Which alarms: rule alarms (`iot`), camera analytics (`video`) or both (`any`). */
  source: AlarmSource | 'any';
  matterCode: string;
  /** Regions (district, street or community ids) where it applies; empty = the whole city. */
  regionIds: string[];
}

export interface VideoType {
  /** The analytics' detection type, e.g. `garbage_exposed`. */
  type: string;
  zh: string;
  en: string;
  matterCode: string;
  /** Detections below this confidence are recorded but not queued. */
  minConfidence: number;
}

export interface AlarmPolicy {
  autoDispatch: AutoDispatchEntry[];
  /** Alarms of one matter from devices at one place (building, compound, part) within this window become one case. */
  placeWindowMinutes: number;
  videoTypes: VideoType[];
}

/**
 * The catalogue (GB/T 47678.5) has no 违规撑伞 or 人群聚集: 违规撑伞 (umbrellas put up outside a shop) is filed as
 * 店外经营, and 人群聚集 needs a city's own matter (the demo adds 09090; docs/issue-11/rules-alarms-video.md).
 */
export const DEFAULT_VIDEO_TYPES: readonly VideoType[] = [
  { type: 'garbage_exposed', zh: '暴露垃圾', en: 'Exposed garbage', matterCode: '06010', minConfidence: 0.6 },
  { type: 'street_vending', zh: '占道经营', en: 'Street vending', matterCode: '09006', minConfidence: 0.6 },
  { type: 'illegal_parking', zh: '机动车乱停放', en: 'Illegal parking', matterCode: '09009', minConfidence: 0.7 },
  { type: 'outside_store', zh: '店外经营', en: 'Trading outside the shop', matterCode: '09005', minConfidence: 0.6 },
  { type: 'umbrella', zh: '违规撑伞', en: 'Umbrella put up without permit', matterCode: '09005', minConfidence: 0.7 },
  { type: 'bike_parking', zh: '非机动车乱停放', en: 'Bicycles parked in the way', matterCode: '09010', minConfidence: 0.6 },
];

export const DEFAULT_ALARM_POLICY: AlarmPolicy = { autoDispatch: [], placeWindowMinutes: 30, videoTypes: [...DEFAULT_VIDEO_TYPES] };

const TYPE_RE = /^[a-z][a-z0-9_]{0,39}$/;

/** @throws DomainError VALIDATION_FAILED naming the field. `matterExists` is checked when given (commands), not for stored rows. */
export function parseAlarmPolicy(input: unknown, field = 'body', matterExists?: (code: string) => boolean): AlarmPolicy {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidAs(field, { key: 'sensing.object_with_autodispatch_placewindowminutes_and' }, 'must be an object with autoDispatch, placeWindowMinutes and videoTypes');
  const o = input as Record<string, unknown>;
  const matter = (v: unknown, f: string): string => {
    if (typeof v !== 'string' || !/^\d{5}$/.test(v)) throw invalidAs(f, { key: 'field.5_digit_matter_code' }, 'must be a 5-digit matter code');
    if (matterExists && !matterExists(v)) throw invalidAs(f, { key: 'sensing.unknown_matter_code', params: { v: String(v) } }, `unknown matter code "${v}"`);
    return v;
  };
  const ad = o.autoDispatch ?? [];
  if (!Array.isArray(ad) || ad.length > 500) throw invalidAs('autoDispatch', { key: 'sensing.list_at_most_500_entries' }, 'must be a list of at most 500 entries');
  const autoDispatch = ad.map((e, i): AutoDispatchEntry => {
    const f = `autoDispatch.${i}`;
    if (typeof e !== 'object' || e === null) throw invalidAs(f, { key: 'field.object' }, 'must be an object');
    const x = e as Record<string, unknown>;
    const source = x.source ?? 'any';
    if (source !== 'iot' && source !== 'video' && source !== 'any') throw invalidAs(`${f}.source`, { key: 'sensing.iot_video_or_any' }, 'must be iot, video or any');
    const regionIds = x.regionIds ?? [];
    if (!Array.isArray(regionIds) || regionIds.some((r) => typeof r !== 'string' || !r)) throw invalidAs(`${f}.regionIds`, { key: 'sensing.list_region_ids' }, 'must be a list of region ids');
    return { source, matterCode: matter(x.matterCode, `${f}.matterCode`), regionIds: regionIds as string[] };
  });
  const w = o.placeWindowMinutes ?? DEFAULT_ALARM_POLICY.placeWindowMinutes;
  if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 1440) throw invalidAs('placeWindowMinutes', { key: 'sensing.whole_number_minutes_from_0' }, 'must be a whole number of minutes from 0 to 1440');
  const vt = o.videoTypes ?? DEFAULT_VIDEO_TYPES;
  if (!Array.isArray(vt) || vt.length > 200) throw invalidAs('videoTypes', { key: 'sensing.list_at_most_200_types' }, 'must be a list of at most 200 types');
  const seen = new Set<string>();
  const videoTypes = vt.map((e, i): VideoType => {
    const f = `videoTypes.${i}`;
    if (typeof e !== 'object' || e === null) throw invalidAs(f, { key: 'field.object' }, 'must be an object');
    const x = e as Record<string, unknown>;
    if (typeof x.type !== 'string' || !TYPE_RE.test(x.type)) throw invalidAs(`${f}.type`, { key: 'sensing.lower_case_letters_digits_and_2' }, 'must be lower-case letters, digits and _ (at most 40)');
    if (seen.has(x.type)) throw invalidAs(`${f}.type`, { key: 'sensing.listed_twice', params: { type: String(x.type) } }, `"${x.type}" is listed twice`);
    seen.add(x.type);
    const c = x.minConfidence;
    if (typeof c !== 'number' || !(c >= 0 && c <= 1)) throw invalidAs(`${f}.minConfidence`, { key: 'sensing.number_from_0_1' }, 'must be a number from 0 to 1');
    const zh = typeof x.zh === 'string' && x.zh.trim() ? x.zh.trim() : x.type;
    const en = typeof x.en === 'string' && x.en.trim() ? x.en.trim() : x.type;
    return { type: x.type, zh, en, matterCode: matter(x.matterCode, `${f}.matterCode`), minConfidence: c };
  });
  return { autoDispatch, placeWindowMinutes: w, videoTypes };
}

/** Is an alarm of this matter, from this source, at this place (its region path from the city down) dispatched without review? */
export function isAutoDispatch(p: AlarmPolicy, a: { source: AlarmSource; matterCode: string; regionPath: readonly string[] }): boolean {
  return p.autoDispatch.some((e) => (e.source === 'any' || e.source === a.source) && e.matterCode === a.matterCode
    && (e.regionIds.length === 0 || e.regionIds.some((r) => a.regionPath.includes(r))));
}

export const videoTypeOf = (p: AlarmPolicy, type: string): VideoType | undefined => p.videoTypes.find((t) => t.type === type);

/**
 * Accuracy of alarms (issue 11 part 4: reported AI accuracy in practice is 81–90 %, the number must be visible):
 * of the alarms a person judged or that became work, the share that were not false. Pending ones are not counted.
 */
export function accuracyOf(total: number, falseAlarms: number): number | null {
  return total > 0 ? Math.round(((total - falseAlarms) / total) * 1000) / 1000 : null;
}

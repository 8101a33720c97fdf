/**
 * The shop-sign registry (店招店牌, issue 11 part 6; docs/issue-11/scenarios.md): each sign with its owner, address,
 * position, size and how often it must be inspected; inspections are raised periodically and, for every sign in an
 * area, when an operator enters a wind warning. Pure: input parsing and the inspection keys.
 */
import { invalidAs } from '../errors.ts';
import { isClosed, type State } from '../case/states.ts';

export interface ShopSignInput {
  name: string; ownerName: string; ownerPhone: string | null; address: string;
  lon: number; lat: number; areaM2: number | null; inspectEveryDays: number;
}

export const WIND_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export type WindLevel = (typeof WIND_LEVELS)[number];
export const WIND_LEVEL_ZH: Record<WindLevel, string> = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' };
export const SIGN_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/;
/** Every sign is inspected at least this often unless set otherwise (days). */
export const DEFAULT_INSPECT_EVERY_DAYS = 90;

const str = (o: Record<string, unknown>, k: string, max: number, required = true): string | null => {
  const v = o[k];
  if (v === undefined || v === null || v === '') {
    if (required) throw invalidAs(k, { key: 'field.required' }, 'is required');
    return null;
  }
  if (typeof v !== 'string' || !v.trim() || v.length > max) throw invalidAs(k, { key: 'field.max_chars', params: { max: String(max) } }, `must be text of at most ${max} characters`);
  return v.trim();
};

/** @throws DomainError VALIDATION_FAILED naming the field. */
export function parseShopSign(input: unknown): ShopSignInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidAs('body', { key: 'field.object' }, 'must be an object');
  const o = input as Record<string, unknown>;
  const lon = o.lon, lat = o.lat;
  if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180) throw invalidAs('lon', { key: 'field.number_in', params: { min: '-180', max: '180' } }, 'must be a longitude');
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) throw invalidAs('lat', { key: 'field.number_in', params: { min: '-90', max: '90' } }, 'must be a latitude');
  const phone = str(o, 'ownerPhone', 30, false);
  if (phone !== null && !/^[0-9+\-() ]{5,30}$/.test(phone)) throw invalidAs('ownerPhone', { key: 'sensing.sign_phone' }, 'must be a phone number');
  const area = o.areaM2;
  if (area !== undefined && area !== null && (typeof area !== 'number' || !(area > 0) || area > 10000)) throw invalidAs('areaM2', { key: 'sensing.sign_area' }, 'must be a size in m² (0–10000)');
  const every = o.inspectEveryDays ?? DEFAULT_INSPECT_EVERY_DAYS;
  if (typeof every !== 'number' || !Number.isInteger(every) || every < 1 || every > 3660) throw invalidAs('inspectEveryDays', { key: 'field.whole_number_from', params: { min: '1', max: '3660' } }, 'must be whole days between 1 and 3660');
  return {
    name: str(o, 'name', 100)!, ownerName: str(o, 'ownerName', 100)!, ownerPhone: phone, address: str(o, 'address', 200)!,
    lon, lat, areaM2: typeof area === 'number' ? area : null, inspectEveryDays: every,
  };
}

/** The key of a periodic inspection: one per sign per due date (raising it twice files one case). */
export const periodicKey = (signId: string, dueAt: number): string => `${signId}:periodic:${new Date(dueAt).toISOString().slice(0, 10)}`;
export const windKey = (signId: string, warningId: number): string => `${signId}:wind:${warningId}`;

/** An inspection's state follows its case: open while the case is worked, closed with it, cancelled with it. */
export const INSPECTION_STATES = ['open', 'closed', 'cancelled'] as const;
export type InspectionState = (typeof INSPECTION_STATES)[number];
export function inspectionStateOfCase(caseState: State): InspectionState {
  return caseState === 'CANCELLED' ? 'cancelled' : isClosed(caseState) ? 'closed' : 'open';
}

/**
 * What a device type and a device must look like (issue 11 part 1): ids usable in an MQTT topic, measurements with
 * sane ranges, a heartbeat. Raised as DomainError naming the field; used by the registry API and the bulk import
 * (which reports the same messages per row).
 */
import { invalidAs } from '../errors.ts';
import { DEVICE_STATES, type AttachmentKind, type DeviceState, type DeviceType, type Measurement } from './types.ts';

/** Letters, digits, `_ . -`: safe in `cityops/{deviceId}/telemetry` (no `/`, `+`, `#`) and in URLs. */
export const DEVICE_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';
const DEVICE_ID = new RegExp(DEVICE_ID_PATTERN);
const TYPE_ID = /^[a-z][a-z0-9_]{0,39}$/;
const KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
export const ATTACHMENT_KINDS: readonly AttachmentKind[] = ['part', 'place', 'scenario'];

export function checkDeviceId(id: unknown, field = 'id'): string {
  if (typeof id !== 'string' || !DEVICE_ID.test(id)) throw invalidAs(field, { key: 'sensing.letters_digits_or_at_most' }, 'letters, digits, "_", "." or "-" (at most 64; no "/", "+", "#")');
  return id;
}

export function checkDeviceType(t: DeviceType): DeviceType {
  if (!TYPE_ID.test(t.id)) throw invalidAs('id', { key: 'sensing.lower_case_letters_digits_and' }, 'lower-case letters, digits and "_" (at most 40), starting with a letter');
  if (!t.zh.trim()) throw invalidAs('zh', { key: 'field.required' }, 'must not be empty');
  if (!t.en.trim()) throw invalidAs('en', { key: 'field.required' }, 'must not be empty');
  if (!Number.isInteger(t.heartbeatSeconds) || t.heartbeatSeconds < 10 || t.heartbeatSeconds > 7 * 86_400) throw invalidAs('heartbeatSeconds', { key: 'sensing.between_10_s_and_7' }, 'between 10 s and 7 days');
  if (t.measurements.length === 0) throw invalidAs('measurements', { key: 'sensing.at_least_one_measurement' }, 'at least one measurement');
  const seen = new Set<string>();
  t.measurements.forEach((m: Measurement, i) => {
    const f = `measurements[${i}]`;
    if (!KEY.test(m.key)) throw invalidAs(`${f}.key`, { key: 'sensing.letters_digits_and_at_most' }, 'letters, digits and "_" (at most 40), starting with a letter');
    if (['at', 'ts', 'time', 'timestamp', 'values', 'readings'].includes(m.key)) throw invalidAs(`${f}.key`, { key: 'sensing.reserved', params: { key_: String(m.key) } }, `"${m.key}" is reserved`);
    if (seen.has(m.key)) throw invalidAs(`${f}.key`, { key: 'sensing.appears_twice', params: { key_: String(m.key) } }, `"${m.key}" appears twice`);
    seen.add(m.key);
    if (m.min !== undefined && m.max !== undefined && m.min > m.max) throw invalidAs(`${f}.min`, { key: 'sensing.not_exceed_max' }, 'must not exceed max');
  });
  return t;
}

export function checkState(s: unknown, field = 'state'): DeviceState {
  if (typeof s !== 'string' || !DEVICE_STATES.some((x) => x.state === s)) throw invalidAs(field, { key: 'field.one', params: { allowed: DEVICE_STATES.map((x) => x.state).join(', ') } }, `one of ${DEVICE_STATES.map((x) => x.state).join(', ')}`);
  return s as DeviceState;
}

export function checkAttachment(kind: unknown, id: unknown): { kind: AttachmentKind | null; id: string | null } {
  if ((kind === null || kind === undefined || kind === '') && (id === null || id === undefined || id === '')) return { kind: null, id: null };
  if (typeof kind !== 'string' || !(ATTACHMENT_KINDS as readonly string[]).includes(kind)) throw invalidAs('attachmentKind', { key: 'field.one', params: { allowed: ATTACHMENT_KINDS.join(', ') } }, `one of ${ATTACHMENT_KINDS.join(', ')}`);
  if (typeof id !== 'string' || !id.trim()) throw invalidAs('attachmentId', { key: 'sensing.device_attached', params: { kind: String(kind) } }, `the ${kind} the device is attached to`);
  return { kind: kind as AttachmentKind, id: id.trim() };
}

export function checkPosition(lon: unknown, lat: unknown): { lon: number | null; lat: number | null } {
  if ((lon === null || lon === undefined || lon === '') && (lat === null || lat === undefined || lat === '')) return { lon: null, lat: null };
  const x = Number(lon), y = Number(lat);
  if (lon === '' || lon === null || !Number.isFinite(x) || x < -180 || x > 180) throw invalidAs('lon', { key: 'sensing.longitude_between_180_and_180' }, 'a longitude between -180 and 180');
  if (lat === '' || lat === null || !Number.isFinite(y) || y < -90 || y > 90) throw invalidAs('lat', { key: 'sensing.latitude_between_90_and_90' }, 'a latitude between -90 and 90');
  return { lon: x, lat: y };
}

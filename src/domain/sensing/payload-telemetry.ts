/**
 * Telemetry payloads (issue 11 part 2; docs/issue-11/ingestion.md) → readings, checked against the device type.
 * The same parser serves MQTT (`cityops/{deviceId}/telemetry`), HTTP ingestion and NGSI-LD (after its own mapping).
 *
 * Accepted shapes (JSON):
 *   { "at": 1764038400000 | "2026-11-25T02:00:00Z", "values": { "waterLevel": 12.5 } }
 *   { "ts": …, "waterLevel": 12.5, "battery": 87 }                  flat: every key but at/ts is a measurement
 *   [ reading, reading, … ]  or  { "readings": [ … ] }               a batch (at most MAX_BATCH)
 * A reading without a time is taken at the moment it arrived. Each reading is accepted or refused on its own; a
 * refusal names the field (`[3].values.tilt`) and a reason that ingestion counts per device.
 */
import type { DeviceType, Reading } from './types.ts';

export type RejectReason =
  | 'unknown_device' | 'bad_credential' | 'wrong_topic' | 'malformed' | 'unknown_measurement' | 'out_of_range'
  | 'future' | 'too_old' | 'flood' | 'maintenance';

export const REJECT_REASONS: readonly RejectReason[] = [
  'unknown_device', 'bad_credential', 'wrong_topic', 'malformed', 'unknown_measurement', 'out_of_range', 'future', 'too_old', 'flood', 'maintenance',
];

export interface Rejection {
  reason: RejectReason;
  field: string;
  message: string;
}

export interface TelemetryLimits {
  /** A reading more than this ahead of the server's clock is refused (device clocks drift; minutes, not hours). */
  maxFutureMs: number;
  /** A reading older than this is refused (a device replaying its memory after a month offline is not "now"). */
  maxAgeMs: number;
  /** Readings in one message. */
  maxBatch: number;
}

export const TELEMETRY_LIMITS: TelemetryLimits = { maxFutureMs: 5 * 60_000, maxAgeMs: 7 * 86_400_000, maxBatch: 500 };

export interface ParsedTelemetry {
  readings: Reading[];
  rejections: Rejection[];
}

const TIME_KEYS = new Set(['at', 'ts', 'time', 'timestamp']);

/** A time as epoch ms or ISO text; undefined when absent, NaN when unreadable. */
export function timeOf(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? (v < 1e11 ? v * 1000 : v) : NaN; // seconds are accepted too
  if (typeof v === 'string') { const t = Date.parse(v); return Number.isFinite(t) ? t : NaN; }
  return NaN;
}

/** Parses a raw payload (bytes or already-decoded JSON). `now` is the arrival time. */
export function parseTelemetry(raw: Buffer | string | unknown, deviceId: string, type: DeviceType, now: number, limits: TelemetryLimits = TELEMETRY_LIMITS): ParsedTelemetry {
  let data: unknown = raw;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
    try { data = JSON.parse(raw.toString()); } catch { return { readings: [], rejections: [{ reason: 'malformed', field: 'payload', message: 'payload: not valid JSON' }] }; }
  }
  let items: unknown[];
  let prefix: (i: number) => string;
  if (Array.isArray(data)) { items = data; prefix = (i) => `[${i}].`; } else if (data && typeof data === 'object' && Array.isArray((data as { readings?: unknown }).readings)) {
    items = (data as { readings: unknown[] }).readings; prefix = (i) => `readings[${i}].`;
  } else { items = [data]; prefix = () => ''; }
  if (items.length === 0) return { readings: [], rejections: [{ reason: 'malformed', field: 'payload', message: 'payload: holds no reading' }] };
  if (items.length > limits.maxBatch) {
    return { readings: [], rejections: [{ reason: 'malformed', field: 'payload', message: `payload: more than ${limits.maxBatch} readings in one message; split it` }] };
  }
  const out: ParsedTelemetry = { readings: [], rejections: [] };
  for (let i = 0; i < items.length; i++) {
    const r = parseOne(items[i], prefix(i), deviceId, type, now, limits);
    if ('reason' in r) out.rejections.push(r); else out.readings.push(r);
  }
  return out;
}

function parseOne(item: unknown, p: string, deviceId: string, type: DeviceType, now: number, limits: TelemetryLimits): Reading | Rejection {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return { reason: 'malformed', field: p ? p.slice(0, -1) : 'payload', message: `${p || 'payload: '}must be a JSON object` };
  const o = item as Record<string, unknown>;
  let src: Record<string, unknown>;
  let base = p;
  if (o.values !== undefined) {
    if (!o.values || typeof o.values !== 'object' || Array.isArray(o.values)) return { reason: 'malformed', field: `${p}values`, message: `${p}values: must be an object of measurements` };
    src = o.values as Record<string, unknown>;
    base = `${p}values.`;
  } else src = o;
  let timeKey = 'at';
  let rawTime: unknown;
  for (const k of TIME_KEYS) if (o[k] !== undefined) { timeKey = k; rawTime = o[k]; break; }
  const t = timeOf(rawTime);
  const at = t === undefined ? now : Math.round(t);
  if (Number.isNaN(at)) return { reason: 'malformed', field: `${p}${timeKey}`, message: `${p}${timeKey}: must be a time (epoch ms or ISO 8601)` };
  if (at > now + limits.maxFutureMs) return { reason: 'future', field: `${p}${timeKey}`, message: `${p}${timeKey}: ${new Date(at).toISOString()} is in the future` };
  if (at < now - limits.maxAgeMs) return { reason: 'too_old', field: `${p}${timeKey}`, message: `${p}${timeKey}: ${new Date(at).toISOString()} is too old` };
  const values: Record<string, number> = {};
  let n = 0;
  for (const k in src) {
    if (src === o && (TIME_KEYS.has(k) || k === 'values')) continue;
    const m = type.measurements.find((x) => x.key === k);
    if (!m) return { reason: 'unknown_measurement', field: `${base}${k}`, message: `${base}${k}: type ${type.id} measures ${type.measurements.map((x) => x.key).join(', ')}` };
    let v = src[k];
    if (typeof v === 'boolean') v = v ? 1 : 0;
    if (typeof v !== 'number' || !Number.isFinite(v)) return { reason: 'malformed', field: `${base}${k}`, message: `${base}${k}: must be a number` };
    if (m.kind === 'boolean' && v !== 0 && v !== 1) return { reason: 'out_of_range', field: `${base}${k}`, message: `${base}${k}: must be true/false (0/1)` };
    if ((m.min !== undefined && v < m.min) || (m.max !== undefined && v > m.max)) {
      return { reason: 'out_of_range', field: `${base}${k}`, message: `${base}${k}: ${v} outside ${m.min ?? '-∞'}…${m.max ?? '∞'} ${m.unit}`.trimEnd() };
    }
    values[k] = v;
    n++;
  }
  if (n === 0) return { reason: 'malformed', field: p ? p.slice(0, -1) : 'payload', message: `${p || 'payload: '}holds no measurement` };
  return { deviceId, at, values };
}

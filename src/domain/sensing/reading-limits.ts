/**
 * The city's limits for sensing's data plane (settings row `sensing_limits`, city data; docs/issue-11/ingestion.md).
 * A bad stored value never stops the server: the caller falls back to the defaults and logs.
 */
import { invalidAs } from '../errors.ts';

export interface SensingLimits {
  /** Readings more than this ahead of the server clock are refused. */
  maxFutureMs: number;
  /** Readings older than this are refused. */
  maxAgeMs: number;
  /** Readings per message. */
  maxBatch: number;
  /** Flood control per device: readings per second on average, and the burst allowed. */
  ratePerSecond: number;
  burst: number;
  /** Retention: raw readings, minute rollups, hour rollups (days). */
  rawDays: number;
  minuteDays: number;
  hourDays: number;
  /** A device silent for heartbeat × this is offline. */
  offlineFactor: number;
}

export const DEFAULT_SENSING_LIMITS: SensingLimits = {
  maxFutureMs: 5 * 60_000, maxAgeMs: 7 * 86_400_000, maxBatch: 500, ratePerSecond: 10, burst: 600,
  rawDays: 30, minuteDays: 90, hourDays: 1100, offlineFactor: 2,
};

const RANGES: Record<keyof SensingLimits, [number, number]> = {
  maxFutureMs: [0, 86_400_000], maxAgeMs: [60_000, 400 * 86_400_000], maxBatch: [1, 10_000], ratePerSecond: [0.001, 100_000], burst: [1, 1_000_000],
  rawDays: [1, 3650], minuteDays: [1, 3650], hourDays: [1, 36500], offlineFactor: [1, 100],
};

export function parseSensingLimits(raw: unknown, field = 'sensing_limits', base: SensingLimits = DEFAULT_SENSING_LIMITS): SensingLimits {
  if (raw === undefined || raw === null) return base;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidAs(field, { key: 'field.object' }, 'must be an object');
  const out = { ...base };
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const range = RANGES[k as keyof SensingLimits];
    if (!range) throw invalidAs(`${field}.${k}`, { key: 'sensing.unknown_limit', params: { allowed: Object.keys(RANGES).join(', ') } }, `unknown limit (${Object.keys(RANGES).join(', ')})`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < range[0] || v > range[1]) throw invalidAs(`${field}.${k}`, { key: 'sensing.number_between_and', params: { value: String(range[0]), value2: String(range[1]) } }, `a number between ${range[0]} and ${range[1]}`);
    out[k as keyof SensingLimits] = v;
  }
  return out;
}

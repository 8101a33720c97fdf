/**
 * Checking a reported position before it is kept: inside the city (with a margin), not in the future, and not an
 * impossible jump from the last accepted position. Pure: `now` is an argument.
 */
import { validateLonLat } from '../grid/coords.ts';
import { DomainError, invalidAs, type MessageRef } from '../errors.ts';
import { distanceM, expandBounds, inBounds } from './geo.ts';
import type { Bounds, FieldLimits, LastFix, PositionFix, ResourceKind } from './types.ts';

/** Why a position is refused; `field` names the offending field of the item (prefix added by the caller). */
export interface PositionProblem { field: string; code: 'VALIDATION_FAILED'; message: string; details?: Record<string, unknown>; key?: string; params?: Record<string, string | number> }

/**
 * What is wrong with `fix`, or null when it may be kept. `prefix` is the field path of the item (e.g. `items[3]`, or ''
 * for a single position). A fix older than `last` is not checked for speed (it only joins the track).
 */
export function checkPosition(
  fix: PositionFix, kind: ResourceKind, last: LastFix | null, bounds: Bounds | null, limits: FieldLimits, now: number, prefix = '',
): PositionProblem | null {
  const f = (name: string) => (prefix ? `${prefix}.${name}` : name);
  try {
    validateLonLat(fix.lon, fix.lat, f('lon'));
  } catch (e) {
    const err = e as DomainError;
    return { field: err.field ?? f('lon'), code: 'VALIDATION_FAILED', message: err.message, key: err.key, params: err.params };
  }
  if (!Number.isFinite(fix.at)) return problem(f('at'), { key: 'field.time' }, 'must be a time');
  if (fix.at > now + limits.futureToleranceMs) {
    return problem(f('at'), { key: 'field.position_future', params: { seconds: Math.round((fix.at - now) / 1000) } }, `is ${Math.round((fix.at - now) / 1000)} s in the future (device clock wrong?)`, { at: fix.at, now });
  }
  if (fix.at < now - limits.retentionDays * 86_400_000) return problem(f('at'), { key: 'field.position_too_old', params: { days: limits.retentionDays } }, `is older than the ${limits.retentionDays}-day retention`, { at: fix.at });
  if (bounds && !inBounds(expandBounds(bounds, limits.boundsMarginM), fix.lon, fix.lat)) {
    return problem(f('lon'), { key: 'field.position_far_outside', params: { lon: fix.lon, lat: fix.lat, km: limits.boundsMarginM / 1000 } }, `position (${fix.lon}, ${fix.lat}) is far outside the city (more than ${limits.boundsMarginM / 1000} km beyond its grids)`,
      { lon: fix.lon, lat: fix.lat, bounds });
  }
  if (last && fix.at > last.at) {
    const d = distanceM(last.lon, last.lat, fix.lon, fix.lat);
    const kmh = speedKmh(d, fix.at - last.at);
    if (d > limits.jitterM && kmh > limits.maxSpeedKmh[kind]) {
      return problem(f('at'), { key: 'field.position_jump', params: { meters: Math.round(d), seconds: Math.round((fix.at - last.at) / 1000), speed: Math.round(kmh), max: limits.maxSpeedKmh[kind] } }, `an impossible jump: ${Math.round(d)} m in ${Math.round((fix.at - last.at) / 1000)} s is ${Math.round(kmh)} km/h, `
        + `faster than ${limits.maxSpeedKmh[kind]} km/h for a ${kind}`, { distanceM: Math.round(d), speedKmh: Math.round(kmh), maxSpeedKmh: limits.maxSpeedKmh[kind] });
    }
  }
  return null;
}

export const speedKmh = (distance: number, ms: number): number => (ms <= 0 ? Infinity : (distance / (ms / 1000)) * 3.6);

function problem(field: string, ref: MessageRef, message: string, details?: Record<string, unknown>): PositionProblem {
  return { field, code: 'VALIDATION_FAILED', message: `${field}: ${message}`, details, key: ref.key, params: { field, ...ref.params } };
}

/** Throws the problem as a DomainError (for a single position). */
export function assertPosition(...args: Parameters<typeof checkPosition>): void {
  const p = checkPosition(...args);
  if (p) throw new DomainError('VALIDATION_FAILED', p.message, { field: p.field, details: p.details, key: p.key, params: p.params });
}

/** Parses the stored `field_limits` setting over the defaults; throws `invalidAs(field, …)` on a bad value. */
export function parseFieldLimits(v: unknown, field: string, defaults: FieldLimits): FieldLimits {
  if (v === null || v === undefined) return defaults;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidAs(field, { key: 'field.object' }, 'must be an object');
  const o = v as Record<string, unknown>;
  const num = (k: string, def: number, min: number, max: number): number => {
    if (o[k] === undefined) return def;
    const n = o[k];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) throw invalidAs(`${field}.${k}`, { key: 'field.number_in', params: { min: String(min), max: String(max) } }, `must be a number in [${min}, ${max}]`);
    return n;
  };
  const speeds = { ...defaults.maxSpeedKmh };
  if (o.maxSpeedKmh !== undefined) {
    if (typeof o.maxSpeedKmh !== 'object' || o.maxSpeedKmh === null) throw invalidAs(`${field}.maxSpeedKmh`, { key: 'field.object_by_kind' }, 'must be an object by kind');
    for (const [k, s] of Object.entries(o.maxSpeedKmh as Record<string, unknown>)) {
      if (!(k in speeds)) throw invalidAs(`${field}.maxSpeedKmh.${k}`, { key: 'field.unknown_resource_kind' }, 'unknown resource kind');
      if (typeof s !== 'number' || !(s > 0 && s <= 1000)) throw invalidAs(`${field}.maxSpeedKmh.${k}`, { key: 'field.speed_in_0_1000_km' }, 'must be a speed in (0, 1000] km/h');
      speeds[k as ResourceKind] = s;
    }
  }
  return {
    maxSpeedKmh: speeds,
    boundsMarginM: num('boundsMarginM', defaults.boundsMarginM, 0, 500_000),
    futureToleranceMs: num('futureToleranceMs', defaults.futureToleranceMs, 0, 3_600_000),
    freshMs: num('freshMs', defaults.freshMs, 10_000, 86_400_000),
    retentionDays: num('retentionDays', defaults.retentionDays, 1, 3650),
    jitterM: num('jitterM', defaults.jitterM, 0, 5000),
  };
}

/**
 * Field resources (issue 9 §4): the people and vehicles out in the city — inspectors (监督员), grid members (网格员),
 * unit handlers sent on site, and enforcement vehicles (执法车) — their positions while on duty, and the rosters
 * (值班表) that say who is on duty when. Pure: no clock, no storage; time is an argument.
 */
import type { Role } from '../policy/permissions.ts';

/** What a field resource is. People carry the role they go on duty in; vehicles report from their own systems. */
export const RESOURCE_KINDS = ['inspector', 'grid_member', 'unit_handler', 'vehicle'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export const RESOURCE_KIND_LABELS: Readonly<Record<ResourceKind, { zh: string; en: string }>> = {
  inspector: { zh: '监督员', en: 'Inspector' },
  grid_member: { zh: '网格员', en: 'Grid member' },
  unit_handler: { zh: '处置人员', en: 'Unit field staff' },
  vehicle: { zh: '执法车辆', en: 'Enforcement vehicle' },
};

/** The roles whose holders go on duty in the field, in the order a person's kind is chosen from their roles. */
export const FIELD_ROLES: readonly Role[] = ['inspector', 'grid_member', 'unit_handler'];

/** A person's kind from their roles (the first field role they hold), or null when they have none. */
export function personKindOf(roles: readonly Role[]): Exclude<ResourceKind, 'vehicle'> | null {
  for (const r of FIELD_ROLES) if (roles.includes(r)) return r as Exclude<ResourceKind, 'vehicle'>;
  return null;
}

/**
 * The city's limits for field positions. Defaults below; a city stores its own in the settings row `field_limits`
 * (a partial object: what it leaves out keeps the default).
 */
export interface FieldLimits {
  /** Fastest plausible speed per kind, km/h: a jump faster than this from the last accepted position is refused. */
  maxSpeedKmh: Record<ResourceKind, number>;
  /** How far outside the city's extent (the bounding box of its grids) a position may lie, metres (GPS drift, border roads). */
  boundsMarginM: number;
  /** How far in the future a timestamp may be (device clocks drift), ms. */
  futureToleranceMs: number;
  /** How old a position may be and still count as "where they are now" (nearest people, map layer), ms. */
  freshMs: number;
  /** How long tracks are kept, days (the latest position is kept as long as the resource exists). */
  retentionDays: number;
  /** Jumps shorter than this are never refused (GPS jitter between two fixes a second apart), metres. */
  jitterM: number;
}

export const DEFAULT_FIELD_LIMITS: Readonly<FieldLimits> = Object.freeze({
  // On foot with a bicycle or e-bike at most (grid members ride e-bikes: 25 km/h is the national e-bike cap, GB 17761);
  // a generous 60 for people because they also ride in the unit's car; vehicles in a city: 150.
  maxSpeedKmh: { inspector: 60, grid_member: 60, unit_handler: 120, vehicle: 150 },
  boundsMarginM: 20_000,
  futureToleranceMs: 2 * 60_000,
  freshMs: 10 * 60_000,
  retentionDays: 30,
  jitterM: 50,
});

/** City extent in WGS84 degrees. */
export interface Bounds { minLon: number; minLat: number; maxLon: number; maxLat: number }

/** One reported position (WGS84). `at` is when the device took the fix (epoch ms). */
export interface PositionFix { lon: number; lat: number; at: number; accuracyM?: number | null; speedKmh?: number | null; headingDeg?: number | null }

/** The resource's last accepted position, to check the next against. */
export interface LastFix { lon: number; lat: number; at: number }

/**
 * Emergencies that ring (issue 9 §5). A case of a ringing urgency (非常紧急 by default) rings on the consoles of its
 * street (and community) and of the units holding it, and must be acknowledged within the city's limit for that
 * level; unacknowledged, it escalates up the region tree — street → district → city — and rings there too (the
 * lower levels keep ringing). Pure: time is an argument, the region path and the actor are handed in.
 */
import { DomainError, invalidAs } from '../errors.ts';
import type { Role } from '../policy/permissions.ts';
import { isAdmin, type Actor } from '../policy/scope.ts';
import { isCentreStaff } from '../policy/visibility.ts';

export type TierLevel = 'street' | 'district' | 'city';
export const TIER_LEVELS: readonly TierLevel[] = ['street', 'district', 'city'];

export interface EmergencyPolicy {
  /** Urgencies that ring. */
  urgencies: string[];
  /** Minutes to acknowledge before the alert goes up a level, per level it rings at. */
  ackMinutes: Record<TierLevel, number>;
}

/** Defaults: 5 minutes at the street, 5 at the district, 10 at the city (a city sets its own: settings row emergency_alerting). */
export const DEFAULT_EMERGENCY_POLICY: Readonly<EmergencyPolicy> = Object.freeze({
  urgencies: ['very_urgent'], ackMinutes: { street: 5, district: 5, city: 10 },
});

const URGENCIES = ['normal', 'urgent', 'very_urgent'];

/** Checks a stored or submitted policy; errors name the field. */
export function parseEmergencyPolicy(v: unknown, field = 'emergencyAlerting'): EmergencyPolicy {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalidAs(field, { key: 'alerting.object' }, 'must be an object { urgencies, ackMinutes }');
  const o = v as Record<string, unknown>;
  const u = o.urgencies ?? DEFAULT_EMERGENCY_POLICY.urgencies;
  if (!Array.isArray(u) || u.some((x) => !URGENCIES.includes(x as string))) {
    throw invalidAs(`${field}.urgencies`, { key: 'field.list', params: { allowed: URGENCIES.join(', ') } }, `must be a list of ${URGENCIES.join(', ')}`);
  }
  const m = o.ackMinutes;
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw invalidAs(`${field}.ackMinutes`, { key: 'alerting.object_minutes' }, 'must be an object { street, district, city } of minutes');
  const ackMinutes = { ...DEFAULT_EMERGENCY_POLICY.ackMinutes };
  for (const [k, val] of Object.entries(m as Record<string, unknown>)) {
    if (!TIER_LEVELS.includes(k as TierLevel)) throw invalidAs(`${field}.ackMinutes.${k}`, { key: 'alerting.not_level_street_district_city' }, 'is not a level (street, district, city)');
    if (typeof val !== 'number' || !Number.isFinite(val) || val <= 0 || val > 24 * 60) {
      throw invalidAs(`${field}.ackMinutes.${k}`, { key: 'alerting.number_minutes_above_0_and' }, 'must be a number of minutes above 0 and at most 1440');
    }
    ackMinutes[k as TierLevel] = val;
  }
  return { urgencies: [...new Set(u as string[])], ackMinutes };
}

export interface RingTier { level: TierLevel; regionIds: string[] }

/**
 * The levels an alert can ring at, lowest first, from the case's region path (root first, with levels). A community
 * rings with its street. A case not yet located rings at the city (its root region) only.
 */
export function ringTiers(path: readonly { id: string; level: string }[], rootRegionId: string | null): RingTier[] {
  const street = path.filter((r) => r.level === 'street' || r.level === 'community').map((r) => r.id);
  const district = path.filter((r) => r.level === 'district').map((r) => r.id);
  const city = path.filter((r) => r.level === 'city').map((r) => r.id);
  if (city.length === 0 && rootRegionId) city.push(rootRegionId);
  const tiers: RingTier[] = [];
  if (street.length) tiers.push({ level: 'street', regionIds: street });
  if (district.length) tiers.push({ level: 'district', regionIds: district });
  if (city.length) tiers.push({ level: 'city', regionIds: city });
  return tiers;
}

/** The regions ringing at `tier` (every level up to it: the lower ones keep ringing). */
export const ringRegions = (tiers: readonly RingTier[], tier: number): string[] =>
  tiers.slice(0, tier + 1).flatMap((t) => t.regionIds);

export function ackDueAt(tiers: readonly RingTier[], tier: number, policy: EmergencyPolicy, now: number): number | null {
  const t = tiers[tier];
  return t ? now + policy.ackMinutes[t.level] * 60_000 : null;
}

export const rings = (urgency: string, policy: EmergencyPolicy): boolean => policy.urgencies.includes(urgency);

export interface AlertView { state: string; tier: number; tiers: RingTier[]; unitIds: string[]; ackDueAt: number | null }

/**
 * What happens when an alert's limit has passed: it goes up one level (and rings there, with that level's limit),
 * or — at the top — it keeps ringing with nothing above it (`exhausted`). Null when nothing is due.
 */
export function escalation(a: AlertView, policy: EmergencyPolicy, now: number): { tier: number; ackDueAt: number | null; exhausted: boolean } | null {
  if (a.state !== 'ringing' || a.ackDueAt === null || a.ackDueAt > now) return null;
  const next = a.tier + 1;
  if (next >= a.tiers.length) return { tier: a.tier, ackDueAt: null, exhausted: true };
  return { tier: next, ackDueAt: ackDueAt(a.tiers, next, policy, now), exhausted: false };
}

/** Does the alert ring on this person's console now: a unit holding the case, or centre staff of a ringing region. */
export function ringsFor(actor: Actor, a: Pick<AlertView, 'state' | 'tier' | 'tiers' | 'unitIds'>): boolean {
  if (a.state !== 'ringing') return false;
  if (actor.unitIds.some((u) => a.unitIds.includes(u))) return true;
  if (!isCentreStaff(actor)) return false;
  const regions = ringRegions(a.tiers, a.tier);
  return actor.regionIds.some((r) => regions.includes(r));
}

/** Roles that stand duty: the centre's seats and leaders, and the units' people. Field roles report; they do not answer alerts. */
export const DUTY_ROLES: ReadonlySet<Role> = new Set<Role>(['operator', 'shift_leader', 'dispatcher', 'centre_leader', 'unit_handler', 'unit_leader', 'admin']);

/**
 * Who may acknowledge: a person who may act on cases and is on duty there — working for a unit holding the case,
 * or centre staff covering any level of its place (a district's duty officer may answer before it reaches them).
 * Until the rosters of issue 9 §4 say who is on duty, region scope and role stand for "on duty". The error names
 * the field `onDuty`.
 */
export function checkAcknowledge(actor: Actor, a: Pick<AlertView, 'state' | 'tiers' | 'unitIds'>): void {
  if (a.state !== 'ringing') throw new DomainError('CONFLICT', `state: the alert is ${a.state}, not ringing`, { field: 'state', key: 'alert.not_ringing' });
  if (!actor.roles.some((r) => DUTY_ROLES.has(r))) throw notOnDuty('alert.role_not_on_duty', 'your roles do not stand duty for emergencies (inspectors and grid members report, they do not acknowledge)');
  if (isAdmin(actor)) return;
  if (actor.unitIds.some((u) => a.unitIds.includes(u))) return;
  const all = ringRegions(a.tiers, a.tiers.length - 1);
  if (isCentreStaff(actor) && actor.regionIds.some((r) => all.includes(r))) return;
  throw notOnDuty('alert.not_on_duty_case', 'you are not on duty for this case: neither a unit holding it nor centre staff covering its street, district or city');
}

/**
 * Where the city keeps duty rosters (值班表, src/domain/field), the roster decides: when anyone is rostered now for
 * the ringing centres or the case's units, only they (and administrators) acknowledge. Where nobody is rostered the
 * role and region rule above stands alone, so a city without rosters is never left unable to answer an alarm.
 */
export function checkRostered(actor: Actor, rosteredNow: readonly string[]): void {
  if (rosteredNow.length === 0 || isAdmin(actor) || rosteredNow.includes(actor.userId)) return;
  throw notOnDuty('alert.not_on_roster', 'you are not on the duty roster now for this case\'s street, district, city or units (值班表)');
}

const notOnDuty = (key: string, why: string) => new DomainError('FORBIDDEN', `onDuty: ${why}`, { field: 'onDuty', key });

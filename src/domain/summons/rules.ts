/**
 * The summons rules: who may blow the whistle on a case, which departments are within the street's reach, and what
 * reporting, closing and rating require. Pure: time, the reference data and the settings are arguments.
 *
 * Who commands a summons (issues, closes, rates): an administrator; staff (unit leader or handler) of a street-level
 * unit of the case's street (the 街道办事处 and the units whose service area is that street, e.g. its 城管中队); or a
 * coordinator (dispatcher, shift leader, centre leader) whose regions cover the case's street.
 *
 * The street's reach (which departments it may summon): active units that are city- or district-level for it — a unit
 * with no service area (vertically managed, city-wide utilities) or whose service area is the street itself or one
 * of its ancestors (the district, the city) — and units serving a community inside the street. A unit serving another
 * street or another district is out of reach; so is the issuing unit itself.
 */
import { DomainError, invalidAs } from '../errors.ts';
import type { Actor } from '../policy/scope.ts';
import { isAdmin } from '../policy/scope.ts';
import type { Role } from '../policy/permissions.ts';
import { haversineMeters } from '../duplicates/duplicates.ts';
import type { SummonsSettings } from './settings.ts';
import {
  MEETING_MODES, SUMMONS_KINDS, SUMMONS_OUTCOMES, type DepartmentView, type GeoPoint, type MeetingMode, type SummonsKind,
  type SummonsOutcome, type SummonsView,
} from './types.ts';

/** Coordinators: the centre roles that may command a summons in the regions they cover. */
export const COORDINATOR_ROLES: ReadonlySet<Role> = new Set<Role>(['dispatcher', 'shift_leader', 'centre_leader']);
const UNIT_ROLES: ReadonlySet<Role> = new Set<Role>(['unit_leader', 'unit_handler']);
export const MAX_DEPARTMENTS = 20;

/** What the rules need to know about a unit. */
export interface UnitFacts {
  id: string;
  name: string;
  active: boolean;
  /** The unit's service area; null = no area (city-wide, vertically managed). */
  regionId: string | null;
  /** The service area's ancestry, root first, ending with regionId itself; empty when regionId is null. */
  regionPath: readonly string[];
}

/**
 * The unit in whose name the actor commands a summons on a case in `streetId`, or null when they command it as a
 * coordinator or administrator; throws FORBIDDEN when they may not. `streetUnitIds` are the actor's units whose
 * service area is that street.
 */
export function commandingUnit(actor: Actor, streetPath: readonly string[], streetUnitIds: readonly string[]): string | null {
  if (actor.roles.some((r) => UNIT_ROLES.has(r)) && streetUnitIds.length > 0) return streetUnitIds[0];
  if (isAdmin(actor)) return null;
  if (actor.roles.some((r) => COORDINATOR_ROLES.has(r)) && streetPath.some((r) => actor.regionIds.includes(r))) return null;
  throw new DomainError('FORBIDDEN', 'only the street (its street-level units) or a coordinator covering the street may blow the whistle on this case', { field: 'caseId' , key: 'summons.only_street' });
}

/** May the actor close or rate this summons (the one who commands it: see `commandingUnit`)? */
export function mayCommand(actor: Actor, s: Pick<SummonsView, 'issuerUnitId' | 'regionPath'>): boolean {
  if (isAdmin(actor)) return true;
  if (s.issuerUnitId && actor.unitIds.includes(s.issuerUnitId) && actor.roles.some((r) => UNIT_ROLES.has(r))) return true;
  return actor.roles.some((r) => COORDINATOR_ROLES.has(r)) && s.regionPath.some((r) => actor.regionIds.includes(r));
}

/** Is the unit within the reach of a street whose ancestry is `streetPath` (root first, ending with the street)? */
export function withinReach(unit: Pick<UnitFacts, 'regionId' | 'regionPath'>, streetPath: readonly string[]): boolean {
  if (unit.regionId === null) return true;
  const streetId = streetPath[streetPath.length - 1];
  return streetPath.includes(unit.regionId) || unit.regionPath.includes(streetId);
}

/** Validates the departments named: a non-empty list without repeats, of known, active units within reach. */
export function checkDepartments(
  unitIds: unknown, lookup: (id: string) => UnitFacts | undefined, streetPath: readonly string[], issuerUnitId: string | null,
): string[] {
  if (!Array.isArray(unitIds) || unitIds.length === 0) throw invalidAs('unitIds', { key: 'summons.name_at_least_one_department' }, 'name at least one department to summon');
  if (unitIds.length > MAX_DEPARTMENTS) throw invalidAs('unitIds', { key: 'summons.at_most_departments_in_one', params: { max_departments: String(MAX_DEPARTMENTS) } }, `at most ${MAX_DEPARTMENTS} departments in one summons`);
  const seen = new Set<string>();
  return unitIds.map((id, i) => {
    const f = `unitIds.${i}`;
    if (typeof id !== 'string' || id === '') throw invalidAs(f, { key: 'field.unit_id' }, 'must be a unit id');
    if (seen.has(id)) throw invalidAs(f, { key: 'summons.department_named_twice', params: { id: String(id) } }, `department "${id}" is named twice`);
    seen.add(id);
    const u = lookup(id);
    if (!u) throw invalidAs(f, { key: 'summons.unknown_unit', params: { id: String(id) } }, `unknown unit "${id}"`);
    if (!u.active) throw invalidAs(f, { key: 'summons.inactive', params: { name: String(u.name) } }, `${u.name} is inactive`);
    if (id === issuerUnitId) throw invalidAs(f, { key: 'summons.unit_blowing_whistle', params: { name: String(u.name) } }, `${u.name} is the unit blowing the whistle`);
    if (!withinReach(u, streetPath)) throw invalidAs(f, { key: 'summons.outside_street_s_reach_it', params: { name: String(u.name) } }, `${u.name} is outside the street's reach (it serves another street or district)`);
    return id;
  });
}

export interface IssueInput {
  kind: SummonsKind;
  unitIds: string[];
  reason: string;
  mode: MeetingMode;
  /** The meeting place; defaults to the case's location. */
  place: { address: string | null; lon: number | null; lat: number | null };
}

/** The report deadline of a summons issued at `now`. */
export const reportDueAt = (kind: SummonsKind, now: number, settings: SummonsSettings): number =>
  now + settings.reportLimitMinutes[kind] * 60_000;

export function checkIssue(input: { kind: unknown; mode: unknown; reason: unknown }): void {
  if (!SUMMONS_KINDS.includes(input.kind as SummonsKind)) throw invalidAs('kind', { key: 'field.one_of', params: { allowed: SUMMONS_KINDS.join(', ') } }, `must be one of ${SUMMONS_KINDS.join(', ')}`);
  if (!MEETING_MODES.includes(input.mode as MeetingMode)) throw invalidAs('mode', { key: 'field.one_of', params: { allowed: MEETING_MODES.join(', ') } }, `must be one of ${MEETING_MODES.join(', ')}`);
  if (typeof input.reason !== 'string' || input.reason.trim().length < 2) throw invalidAs('reason', { key: 'summons.say_why_street_needs_departments' }, 'say why the street needs the departments (at least 2 characters)');
}

export interface ReportInput {
  unitId: string;
  mode: MeetingMode;
  position?: GeoPoint;
}

export interface ReportDecision { late: boolean; distanceMeters: number | null }

/**
 * A department reports (报到). Late reports are accepted and marked late. On site needs a position inside the city
 * (`positionInCity`, the caller's grid lookup) within the check-in radius of the meeting place.
 */
export function decideReport(
  s: Pick<SummonsView, 'state' | 'place'>, dept: DepartmentView | undefined, actor: Actor, input: ReportInput, now: number,
  settings: SummonsSettings, positionInCity: (p: GeoPoint) => boolean,
): ReportDecision {
  if (!dept) throw invalidAs('unitId', { key: 'summons.unit_not_summoned_by_this', params: { unitId: String(input.unitId) } }, `unit "${input.unitId}" is not summoned by this summons`);
  if (!actor.unitIds.includes(dept.unitId) && !isAdmin(actor)) {
    throw new DomainError('FORBIDDEN', 'only staff of the summoned department may report for it', { field: 'unitId' , key: 'summons.only_summoned_staff' });
  }
  if (s.state !== 'open') throw new DomainError('INVALID_TRANSITION', 'the summons is closed', { field: 'unitId', key: 'summons.closed', details: { state: s.state } });
  if (dept.state !== 'summoned') throw new DomainError('CONFLICT', 'this department has already reported', { field: 'unitId' , key: 'summons.already_reported' });
  if (!MEETING_MODES.includes(input.mode)) throw invalidAs('mode', { key: 'field.one_of', params: { allowed: MEETING_MODES.join(', ') } }, `must be one of ${MEETING_MODES.join(', ')}`);
  let distanceMeters: number | null = null;
  if (input.mode === 'on_site') {
    const p = input.position;
    if (!p) throw invalidAs('position', { key: 'summons.on_site_report_needs_phone' }, 'an on-site report needs the phone\'s position');
    if (!positionInCity(p)) throw new DomainError('OUT_OF_GRID', 'position: the position is outside the city', { field: 'position', key: 'location.outside_city' });
    if (!s.place) throw invalidAs('mode', { key: 'summons.this_summons_has_no_meeting' }, 'this summons has no meeting place to check in at; report online');
    distanceMeters = Math.round(haversineMeters(p.lon, p.lat, s.place.lon, s.place.lat));
    if (distanceMeters > settings.checkInRadiusMeters) {
      throw invalidAs('position', { key: 'summons.position_m_from_meeting_place', params: { distanceMeters: String(distanceMeters), checkInRadiusMeters: String(settings.checkInRadiusMeters) } }, `the position is ${distanceMeters} m from the meeting place; an on-site check-in must be within ${settings.checkInRadiusMeters} m`, {
        distanceMeters, radiusMeters: settings.checkInRadiusMeters,
      });
    }
  }
  return { late: now > dept.dueAt, distanceMeters };
}

export function checkClose(s: Pick<SummonsView, 'state'>, outcome: unknown, note: unknown): { outcome: SummonsOutcome; note: string } {
  if (s.state !== 'open') throw new DomainError('INVALID_TRANSITION', 'the summons is already closed', { field: 'outcome', key: 'summons.closed', details: { state: s.state } });
  if (!SUMMONS_OUTCOMES.includes(outcome as SummonsOutcome)) throw invalidAs('outcome', { key: 'field.one_of', params: { allowed: SUMMONS_OUTCOMES.join(', ') } }, `must be one of ${SUMMONS_OUTCOMES.join(', ')}`);
  if (typeof note !== 'string' || note.trim().length < 2) throw invalidAs('note', { key: 'summons.say_what_came_summons_at' }, 'say what came of the summons (at least 2 characters)');
  return { outcome: outcome as SummonsOutcome, note: note.trim() };
}

/** One rating per department, 1–5, once it has reported or been marked absent. */
export function checkRating(dept: DepartmentView | undefined, unitId: string, rating: unknown): number {
  if (!dept) throw invalidAs('unitId', { key: 'summons.unit_not_summoned_by_this', params: { unitId: String(unitId) } }, `unit "${unitId}" is not summoned by this summons`);
  if (typeof rating !== 'number' || !Number.isInteger(rating) || rating < 1 || rating > 5) throw invalidAs('rating', { key: 'summons.whole_number_from_1_5' }, 'must be a whole number from 1 to 5');
  if (dept.rating !== null) throw new DomainError('CONFLICT', 'this department\'s response is already rated', { field: 'unitId' , key: 'summons.already_rated' });
  if (dept.state === 'summoned') throw new DomainError('INVALID_TRANSITION', 'a department is rated after it reported or was marked absent', { field: 'unitId' , key: 'summons.rate_after_report' });
  return rating;
}

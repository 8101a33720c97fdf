/**
 * THE case-visibility policy (architecture.md §3 rule 14): who may see a case — and so its photos, history,
 * duplicates, live events and exports. One predicate for a loaded case (`canSeeCase`) and one filter that the
 * repositories compile to SQL for lists and counts (`caseVisibility`); both read the same rule, so a case that a
 * user may open is also in their list, their counts and their live stream, and no other.
 *
 * The rule:
 * - administrators see every case;
 * - centre staff (the roles of `CENTRE_ROLES`) see the cases of the regions they cover (a region covers everything
 *   below it, so whoever covers the city's root region sees the whole city), and cases not yet located;
 * - everybody sees the cases their units hold: as the assigned (lead) unit, the sub-unit it passed the case to
 *   (二级派遣), or an assisting unit (联勤联动).
 * A unit that returned a case, or whose case was given to another unit, no longer sees it.
 */
import type { Role } from './permissions.ts';
import { isAdmin, type Actor } from './scope.ts';

/** Roles that work at the operations centre; they see by region (everyone else sees by unit). */
export const CENTRE_ROLES: ReadonlySet<Role> = new Set<Role>([
  'operator', 'shift_leader', 'dispatcher', 'inspector', 'grid_member', 'centre_leader',
]);

export const isCentreStaff = (actor: Pick<Actor, 'roles'>): boolean => actor.roles.some((r) => CENTRE_ROLES.has(r));

/** What the policy needs to know about one case. */
export interface CaseFacts {
  /** The region ancestry of the case's place from the root down (e.g. [city, district, street, community]); empty = not located. */
  regionPath: readonly string[];
  /** Units holding the case: assigned, sub-unit, assisting (nulls ignored). */
  unitIds: readonly (string | null | undefined)[];
}

export function canSeeCase(actor: Actor, facts: CaseFacts): boolean {
  if (isAdmin(actor)) return true;
  if (isCentreStaff(actor)) {
    if (facts.regionPath.length === 0) return true;
    if (facts.regionPath.some((r) => actor.regionIds.includes(r))) return true;
  }
  return facts.unitIds.some((u) => typeof u === 'string' && u !== '' && actor.unitIds.includes(u));
}

/**
 * The same rule as a filter over stored cases, for the repositories to compile to SQL:
 * `all` — no restriction; otherwise a case is visible when it lies in one of `regionIds` (district, street or
 * community column), or is not located and `unlocated` is true, or one of `unitIds` holds it.
 */
export type CaseVisibility =
  | { all: true }
  | { all: false; regionIds: string[]; unlocated: boolean; unitIds: string[] };

export function caseVisibility(actor: Actor, isRootRegion: (regionId: string) => boolean): CaseVisibility {
  if (isAdmin(actor)) return { all: true };
  const centre = isCentreStaff(actor);
  if (centre && actor.regionIds.some(isRootRegion)) return { all: true };
  return { all: false, regionIds: centre ? [...actor.regionIds] : [], unlocated: centre, unitIds: [...actor.unitIds] };
}

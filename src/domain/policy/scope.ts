/**
 * Scope: who an actor is and where they may act (architecture.md §2: roles × scope (region, unit) × state).
 */
import type { Role } from './permissions.ts';

/** The authenticated user as the domain sees it. */
export interface Actor {
  userId: string;
  roles: Role[];
  /** Units the actor works for (handling units); empty for centre staff. */
  unitIds: string[];
  /**
   * Regions the actor covers (any level: district, street, community). A region covers everything below it,
   * so city-wide staff carry the city's region id. Empty means "no region", not "everywhere".
   */
  regionIds: string[];
}

export const isAdmin = (actor: Actor): boolean => actor.roles.includes('admin');

/** True when the actor works for one of the given units (null / undefined entries are ignored). */
export const belongsToUnit = (actor: Actor, ...unitIds: (string | null | undefined)[]): boolean =>
  unitIds.some((u) => typeof u === 'string' && u !== '' && actor.unitIds.includes(u));

/**
 * True when the actor covers a place whose region ancestry is `regionPath` (e.g. [district, street,
 * community]). An empty or missing path means the place is not yet located (a hotline report before
 * geocoding): it belongs to the centre's intake queue, so region scope cannot and does not restrict it.
 */
export const coversRegion = (actor: Actor, regionPath: readonly string[] | undefined): boolean =>
  !regionPath || regionPath.length === 0 || regionPath.some((r) => actor.regionIds.includes(r));

/** The handling platform of a new case (src/domain/levels: the city's policy, the place, the routed unit's level). */
import { intakePlatform } from '../domain/levels/levels.ts';
import type { ReferenceCache } from '../runtime/reference-cache.ts';

export function platformAtIntake(
  ref: ReferenceCache, place: { communityId: string | null }, matterCode: string, urgency: string, routedUnitId: string | null,
): string | null {
  const d = ref.current();
  const unitRegion = routedUnitId ? d.units.get(routedUnitId)?.regionId ?? null : null;
  return intakePlatform(d.regionTree, d.levelPolicy, { regionId: place.communityId, matterCode, urgency, routedUnitRegionId: unitRegion }).regionId;
}

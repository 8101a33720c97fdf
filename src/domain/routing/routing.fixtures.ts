/**
 * Test data shared by the routing tests (not a test file itself). A small city:
 *
 *   SZ city                       no fallback (so D2's subtree has none)
 *   ├─ D1 district                fallback U-D1 (区政府兜底)
 *   │  ├─ S11 street              fallback U-S11
 *   │  │  ├─ C111 community
 *   │  │  └─ C112 community       fallback U-C112
 *   │  └─ S12 street
 *   │     └─ C121 community
 *   └─ D2 district
 *      └─ S21 street
 *         └─ C211 community
 */
import type { ResponsibilityRule, RoutingRegion } from './routing.types.ts';

export const REGIONS: RoutingRegion[] = [
  { id: 'SZ', parentId: null, level: 'city' },
  { id: 'D1', parentId: 'SZ', level: 'district' },
  { id: 'D2', parentId: 'SZ', level: 'district' },
  { id: 'S11', parentId: 'D1', level: 'street' },
  { id: 'S12', parentId: 'D1', level: 'street' },
  { id: 'S21', parentId: 'D2', level: 'street' },
  { id: 'C111', parentId: 'S11', level: 'community' },
  { id: 'C112', parentId: 'S11', level: 'community' },
  { id: 'C121', parentId: 'S12', level: 'community' },
  { id: 'C211', parentId: 'S21', level: 'community' },
];

export const FALLBACKS: Record<string, string> = { D1: 'U-D1', S11: 'U-S11', C112: 'U-C112' };

export const UNITS = new Set([
  'U-D1', 'U-S11', 'U-C112', 'U-city-mgmt', 'U-sanitation', 'U-water', 'U-power', 'U-police', 'U-street-office', 'U-property',
]);

export const MATTERS = ['01001', '01002', '06010', '06012', '09009'];

let seq = 0;
/** A rule with defaults (region SZ, unit U-city-mgmt, no assisting units); give matterCode or matterClass. */
export function rule(partial: Partial<ResponsibilityRule> & { id?: string }): ResponsibilityRule {
  return { id: partial.id ?? `auto-${++seq}`, regionId: 'SZ', unitId: 'U-city-mgmt', assistingUnitIds: [], ...partial };
}

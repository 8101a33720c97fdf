/**
 * What a caller of the decision pages may count and see, from THE visibility policy (src/domain/policy/visibility.ts
 * through visibilityOf): the whole city, or their regions (district, street, community — "a street sees its
 * region"); a caller whose scope also runs through units (a unit leader) is counted from the cases their units hold,
 * under the case list's own filter. Request filters (regionId, matter, class) narrow the scope, never widen it.
 */
import { DomainError, invalidAs } from '../../../domain/errors.ts';
import type { CaseVisibility } from '../../../domain/policy/visibility.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import type { DecisionActor } from '../../../domain/recurrence/lifecycle.ts';
import type { ReferenceData } from '../../../runtime/reference-cache.ts';
import type { DecisionScope } from '../../../storage/repositories/topic.repository.ts';
import type { Principal } from '../../middleware/auth.ts';

export interface DecideScope {
  visibility: CaseVisibility;
  /** Region filter for the rollups; null = the whole city. */
  regionIds: string[] | null;
  /** True when the caller must be counted from the cases (scope through units). */
  fromCases: boolean;
  records: DecisionScope;
  actor: DecisionActor;
}

/** The region and its ancestors (self first). */
export function regionPathOf(ref: ReferenceData, id: string | null | undefined): string[] {
  const out: string[] = [];
  for (let r = id ? ref.regions.get(id) : undefined; r; r = r.parentId ? ref.regions.get(r.parentId) : undefined) out.push(r.id);
  return out;
}

export function decideScope(p: Principal, ref: ReferenceData, visibility: CaseVisibility, regionId?: string): DecideScope {
  const actor: DecisionActor = { lead: hasPermission(p.roles, 'decide.lead'), unitIds: p.unitIds };
  let regionIds: string[] | null = visibility.all ? null : [...visibility.regionIds];
  const fromCases = !visibility.all && visibility.unitIds.length > 0;
  if (regionId) {
    if (!ref.regions.has(regionId)) throw invalidAs('regionId', { key: 'decide.scope.not_region', params: { regionId: String(regionId) } }, `"${regionId}" is not a region`);
    if (regionIds === null || regionPathOf(ref, regionId).some((r) => regionIds!.includes(r))) regionIds = [regionId];
    else {
      const below = regionIds.filter((r) => regionPathOf(ref, r).includes(regionId));
      if (!below.length && !fromCases) throw new DomainError('FORBIDDEN', `regionId: "${regionId}" is outside the caller's regions`, { field: 'regionId' });
      regionIds = below;
    }
  }
  const records: DecisionScope = visibility.all && !regionId ? { all: true } : { all: false, regionIds: regionIds ?? [], unitIds: [...p.unitIds] };
  return { visibility, regionIds, fromCases, records, actor };
}

/** The matter codes a request counts: one matter, every matter of a class, or undefined for all. */
export function matterCodesOf(ref: ReferenceData, q: { matter?: string; matterClass?: string }): string[] | undefined {
  if (q.matter) {
    if (!ref.matters.has(q.matter)) throw invalidAs('matter', { key: 'decide.scope.not_matter_code', params: { matter: String(q.matter) } }, `"${q.matter}" is not a matter code`);
    return [q.matter];
  }
  if (q.matterClass) {
    const codes = [...ref.matters.values()].filter((m) => m.classCode === q.matterClass).map((m) => m.code);
    if (!codes.length) throw invalidAs('matterClass', { key: 'decide.scope.not_matter_class_code', params: { matterClass: String(q.matterClass) } }, `"${q.matterClass}" is not a matter class code`);
    return codes;
  }
  return undefined;
}

/** Is a record with these regions (or given to this unit) within the records scope? */
export function inRecords(s: DecisionScope, regions: (string | null)[], unitId?: string | null): boolean {
  if (s.all) return true;
  return regions.some((r) => !!r && s.regionIds.includes(r)) || (!!unitId && s.unitIds.includes(unitId));
}

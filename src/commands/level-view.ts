/** The level fields of a stored case as the lifecycle reads them (caseViewOf spreads these in). */
import type { CaseLevelView, PendingTransfer } from '../domain/case/level-types.ts';
import { hasLowerPlatform, platformLevelOf, superiorPlatform } from '../domain/levels/levels.ts';
import type { ReferenceCache } from '../runtime/reference-cache.ts';
import { fromJson } from '../storage/codec.ts';
import type { CaseRow } from '../storage/repositories/case.repository.ts';

export function levelViewOf(row: Pick<CaseRow, 'platform_region_id' | 'pending_transfer'>, ref: ReferenceCache): CaseLevelView {
  const { regionTree: tree, levelPolicy: policy } = ref.current();
  const platform = row.platform_region_id ?? null;
  const pendingTransfer = fromJson<PendingTransfer | null>(row.pending_transfer ?? null, null);
  if (!platform || !tree.has(platform)) return { platformRegionId: platform, platformLevel: null, superiorPlatformId: null, hasLowerPlatform: false, pendingTransfer };
  return {
    platformRegionId: platform,
    platformLevel: platformLevelOf(tree, platform),
    superiorPlatformId: superiorPlatform(tree, policy, platform),
    hasLowerPlatform: hasLowerPlatform(tree, policy, platform),
    pendingTransfer,
  };
}

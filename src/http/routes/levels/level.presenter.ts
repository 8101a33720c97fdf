/** The platform fields of a case (spread into the Case schema and presenter): its handling level and pending transfer. */
import { Type } from 'typebox';
import type { PendingTransfer } from '../../../domain/case/level-types.ts';
import { LEVEL_LABELS, platformLevelOf } from '../../../domain/levels/levels.ts';
import type { ReferenceCache } from '../../../runtime/reference-cache.ts';
import { fromJson } from '../../../storage/codec.ts';
import type { CaseRow } from '../../../storage/repositories/case.repository.ts';

const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const Label = Type.Object({ zh: Type.String(), en: Type.String() });

export const LEVEL_CASE_FIELDS = {
  platform: Type.Union([Type.Object({
    region: Ref,
    level: Type.String({ description: 'city | district | street' }),
    levelLabel: Label,
  }), Type.Null()], { description: 'The handling platform (处理平台): the street (街镇), district (区) or city (市) centre that coordinates the case now' }),
  pendingTransfer: Type.Union([Type.Object({
    id: Type.Union([Type.Integer(), Type.Null()]),
    kind: Type.String({ description: 'escalate (上报, to the superior platform) | assign_down (下派, to a lower platform)' }),
    from: Ref, to: Ref,
    reason: Type.String(),
    requestedBy: Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
    requestedAt: Type.String(),
  }), Type.Null()], { description: 'The escalation or assignment waiting for the receiving platform to accept or refuse (接收 / 退回)' }),
};

export function presentLevels(row: CaseRow, ref: ReferenceCache) {
  const d = ref.current();
  const region = (id: string) => ({ id, name: d.regions.get(id)?.name ?? id });
  const platformId = row.platform_region_id ?? null;
  const level = platformId ? platformLevelOf(d.regionTree, platformId) : null;
  const t = fromJson<PendingTransfer | null>(row.pending_transfer ?? null, null);
  return {
    platform: platformId ? { region: region(platformId), level: level ?? 'unknown', levelLabel: level ? LEVEL_LABELS[level] : { zh: '未知', en: 'Unknown' } } : null,
    pendingTransfer: t ? {
      id: t.id ?? null, kind: t.kind, from: region(t.fromRegionId), to: region(t.toRegionId), reason: t.reason,
      requestedBy: { id: t.requestedBy, name: t.requestedByName ?? null }, requestedAt: new Date(t.requestedAt).toISOString(),
    } : null,
  };
}

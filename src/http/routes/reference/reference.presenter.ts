/** Presenters of reference data: whitelisted fields, ids resolved to {id, name} for display. */
import type { GridInfo, LocatedPoint, ReferenceData, RegionInfo, UnitInfo } from '../../../runtime/reference-cache.ts';
import type { MatterClassDef } from '../../../domain/catalog/catalog.ts';
import type { PartRow } from '../../../storage/repositories/reference-query.repository.ts';

type Named = { id: string; name: string };

export const unitRef = (r: ReferenceData, id: string | null | undefined): Named | null =>
  id ? { id, name: r.units.get(id)?.name ?? id } : null;
export const regionRef = (r: ReferenceData, id: string | null | undefined): Named | null =>
  id ? { id, name: r.regions.get(id)?.name ?? id } : null;

export function presentRegion(r: ReferenceData, g: RegionInfo) {
  return {
    id: g.id, code: g.code, name: g.name, level: g.level, parentId: g.parentId, areaClass: g.areaClass,
    fallbackUnit: unitRef(r, g.fallbackUnitId),
  };
}

export function presentGrid(r: ReferenceData, g: GridInfo) {
  const community = r.regions.get(g.communityId);
  return {
    id: g.id, code: g.code, name: g.name, kind: g.kind,
    community: { id: g.communityId, name: community?.name ?? g.communityId },
    street: regionRef(r, community?.parentId), areaClass: g.areaClass ?? community?.areaClass ?? null,
  };
}

export function presentLocation(r: ReferenceData, point: { lon: number; lat: number }, at: LocatedPoint | null) {
  if (!at) return { outcome: 'outside' as const, point };
  const g = r.grids.get(at.gridId)!;
  return {
    outcome: 'inside' as const, point,
    grid: { id: g.id, code: g.code, name: g.name },
    community: regionRef(r, at.communityId)!, street: regionRef(r, at.streetId), district: regionRef(r, at.districtId),
    areaClass: at.areaClass,
  };
}

export const presentUnit = (u: UnitInfo) => ({
  id: u.id, code: u.code, name: u.name, kind: u.kind, parentId: u.parentId, regionId: u.regionId, active: u.active,
});

export const presentMatter = (m: MatterClassDef) => ({
  code: m.code, name: m.name, classCode: m.classCode, className: m.className,
  registrationCondition: m.registrationCondition, closureCondition: m.closureCondition, local: m.local,
});

export function presentPart(r: ReferenceData, p: PartRow) {
  return {
    id: p.id, partCode: p.partCode, partName: r.partClasses.get(p.partCode)?.name ?? p.partCode, name: p.name,
    location: { lon: p.lon, lat: p.lat }, gridId: p.gridId,
    ownerUnit: unitRef(r, p.ownerUnitId), maintainerUnit: unitRef(r, p.maintainerUnitId), state: p.state,
  };
}

export const feature = (id: string, geometry: unknown, properties: Record<string, unknown>) =>
  ({ type: 'Feature' as const, id, geometry, properties });

/**
 * Field-resource presenter: whitelists fields and masks a person's name unless the caller holds personal_data.read,
 * is that person, or works in the same unit (house rule 9). Off-duty people never carry a position.
 */
import { hasPermission } from '../../../domain/policy/permissions.ts';
import type { Actor } from '../../../domain/policy/scope.ts';
import type { ReferenceData } from '../../../runtime/reference-cache.ts';
import type { LiveResource } from '../../../runtime/field-state.ts';
import { maskName } from '../cases/case.presenter.ts';
import { regionRef } from '../reference/reference.presenter.ts';

export const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

/** Whether the caller sees this person's name in full. */
export function seesName(actor: Actor, r: { userId: string | null; unitId: string | null; kind: string }): boolean {
  if (r.kind === 'vehicle' || r.userId === actor.userId) return true;
  if (hasPermission(actor.roles, 'personal_data.read')) return true;
  return !!r.unitId && actor.unitIds.includes(r.unitId);
}

export function presentResource(ref: ReferenceData, actor: Actor, r: LiveResource, now: number, freshMs: number) {
  const show = seesName(actor, r);
  const grid = r.gridId ? ref.grids.get(r.gridId) : undefined;
  const unit = r.unitId ? { id: r.unitId, name: ref.units.get(r.unitId)?.name ?? r.unitId } : null;
  return {
    resourceId: r.resourceId,
    kind: r.kind,
    userId: r.userId,
    label: show ? r.label : maskName(r.label) ?? '*',
    masked: !show,
    unit,
    onDuty: r.onDuty,
    dutySince: iso(r.dutySince),
    position: r.onDuty && r.at !== null ? { lon: r.lon, lat: r.lat, at: iso(r.at)!, fresh: now - r.at <= freshMs } : null,
    grid: grid ? { id: grid.id, code: grid.code, name: grid.name } : null,
    community: regionRef(ref, r.communityId), street: regionRef(ref, r.streetId), district: regionRef(ref, r.districtId),
  };
}

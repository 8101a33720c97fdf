/**
 * What the summons commands, routes and job share: the facts the summons rules need (read from the reference
 * cache), who may see a summons, and the one place a summons event is made.
 */
import { notFound } from '../domain/errors.ts';
import { isAdmin, type Actor } from '../domain/policy/scope.ts';
import { isCentreStaff } from '../domain/policy/visibility.ts';
import type { DepartmentState, DepartmentView, SummonsState, SummonsView } from '../domain/summons/types.ts';
import type { UnitFacts } from '../domain/summons/rules.ts';
import type { ReferenceCache } from '../runtime/reference-cache.ts';
import type { OutboxEvent } from '../storage/repositories/outbox.repository.ts';
import type { SummonsRow, SummonsUnitRow, SummonsVisibility } from '../storage/repositories/summons.repository.ts';
import type { Repositories } from '../storage/store.ts';

/** A region's ancestry, root first, ending with the region itself (empty for null or unknown ids). */
export function regionPath(ref: ReferenceCache, regionId: string | null): string[] {
  const regions = ref.current().regions;
  const path: string[] = [];
  for (let r = regionId ? regions.get(regionId) : undefined; r; r = r.parentId ? regions.get(r.parentId) : undefined) path.unshift(r.id);
  return path;
}

export function unitFacts(ref: ReferenceCache, id: string): UnitFacts | undefined {
  const u = ref.current().units.get(id);
  return u && { id: u.id, name: u.name, active: u.active, regionId: u.regionId, regionPath: regionPath(ref, u.regionId) };
}

export const summonsViewOf = (row: SummonsRow, ref: ReferenceCache): SummonsView => ({
  state: row.state as SummonsState,
  streetId: row.street_id,
  regionPath: regionPath(ref, row.street_id),
  issuerUnitId: row.issuer_unit_id,
  place: row.place_lon !== null && row.place_lat !== null ? { lon: Number(row.place_lon), lat: Number(row.place_lat) } : null,
});

export const departmentViewOf = (u: SummonsUnitRow): DepartmentView => ({
  unitId: u.unit_id, state: u.state as DepartmentState, dueAt: Number(u.due_at), rating: u.rating === null ? null : Number(u.rating),
});

/**
 * Who may see a summons: administrators; centre staff covering its street; staff of the unit that blew the
 * whistle and of every summoned department (who may not see the case itself: the summons shows what they need).
 */
export function canSeeSummons(actor: Actor, row: SummonsRow, units: readonly SummonsUnitRow[], ref: ReferenceCache): boolean {
  if (isAdmin(actor)) return true;
  if (isCentreStaff(actor) && regionPath(ref, row.street_id).some((r) => actor.regionIds.includes(r))) return true;
  if (row.issuer_unit_id && actor.unitIds.includes(row.issuer_unit_id)) return true;
  return units.some((u) => actor.unitIds.includes(u.unit_id));
}

/** The same rule as a filter for lists. */
export function summonsVisibility(actor: Actor, ref: ReferenceCache): SummonsVisibility {
  if (isAdmin(actor)) return { all: true };
  const regions = ref.current().regions;
  const centre = isCentreStaff(actor);
  if (centre && actor.regionIds.some((r) => regions.get(r)?.parentId === null)) return { all: true };
  return { all: false, regionIds: centre ? [...actor.regionIds] : [], unitIds: [...actor.unitIds] };
}

/** The departments concerned, and the issuing street unit when it must hear of it. */
export const withIssuer = (row: SummonsRow, units: readonly { unit_id: string }[]): { unit_id: string }[] =>
  row.issuer_unit_id && !units.some((u) => u.unit_id === row.issuer_unit_id) ? [...units, { unit_id: row.issuer_unit_id }] : [...units];

/** Loads a summons the actor may see, with its departments (404 otherwise: its existence is not disclosed). */
export async function loadVisibleSummons(
  repos: Repositories, ref: ReferenceCache, actor: Actor, id: number, opts: { forUpdate?: boolean } = {},
): Promise<{ row: SummonsRow; units: SummonsUnitRow[] }> {
  const row = await repos.summons.findSummons(id, opts);
  const units = row ? await repos.summons.unitsOf([Number(row.id)]) : [];
  if (!row || !canSeeSummons(actor, row, units, ref)) throw notFound('summons', id);
  return { row, units };
}

/**
 * An event about a summons: `unitIds` = the summoned departments (whoever must act on it) — plus, for what the street
 * must learn (a report, a missed deadline), the unit that blew the whistle — `regionIds` = the case's place, the
 * payload with the case and, when specific people are concerned, their `userIds`.
 */
export function summonsEvent(topic: string, row: SummonsRow, units: readonly { unit_id: string }[], payload: Record<string, unknown>, at: number): OutboxEvent {
  return {
    topic, caseId: Number(row.case_id), unitIds: units.map((u) => u.unit_id),
    regionIds: [row.district_id, row.street_id, row.community_id].filter((x): x is string => !!x),
    payload: {
      summonsId: Number(row.id), caseId: Number(row.case_id), caseNo: row.case_no, kind: row.kind, issuerUnitId: row.issuer_unit_id,
      userIds: [], ...payload,
    },
    at,
  };
}

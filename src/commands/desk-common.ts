/**
 * What the desk commands (callbacks, exclusions, appeals, supervision) share: loading a case the actor may see, the
 * visibility of desk records (the ONE case visibility policy applied to the record's copy of the case's place and
 * unit), and the one place a desk event is made (a case event: it carries the case id, so the assessment recounts it).
 */
import { notFound } from '../domain/errors.ts';
import { isAdmin, type Actor } from '../domain/policy/scope.ts';
import { canSeeCase, isCentreStaff } from '../domain/policy/visibility.ts';
import type { ReferenceCache } from '../runtime/reference-cache.ts';
import type { DeskVisibility } from '../storage/repositories/appeal.repository.ts';
import type { CaseRow } from '../storage/repositories/case.repository.ts';
import { caseEvent, type OutboxEvent } from '../storage/repositories/outbox.repository.ts';
import type { Repositories } from '../storage/store.ts';
import { caseFactsOf } from './case-transition.ts';

export type Who = Actor & { name?: string };

/** A case the actor may see, locked for the transaction (404 otherwise: its existence is not disclosed). */
export async function loadCaseFor(tx: Repositories, ref: ReferenceCache, actor: Actor, caseId: number, opts: { also?: (row: CaseRow) => boolean } = {}): Promise<CaseRow> {
  const c = await tx.cases.findCase(caseId, { forUpdate: true });
  if (!c || !(canSeeCase(actor, caseFactsOf(c, ref)) || opts.also?.(c))) throw notFound('case', caseId);
  return c;
}

/** Desk records the actor may see: administrators and city-wide centre staff all; centre staff by region; units their own. */
export function deskVisibility(actor: Actor, ref: ReferenceCache): DeskVisibility {
  if (isAdmin(actor)) return { all: true };
  const regions = ref.current().regions;
  const centre = isCentreStaff(actor);
  if (centre && actor.regionIds.some((r) => regions.get(r)?.parentId === null)) return { all: true };
  return { all: false, regionIds: centre ? [...actor.regionIds] : [], unitIds: [...actor.unitIds] };
}

/** The same rule for one record. */
export function canSeeDesk(actor: Actor, rec: { district_id: string | null; street_id: string | null; community_id: string | null; unit_id: string | null }, ref: ReferenceCache): boolean {
  const v = deskVisibility(actor, ref);
  if (v.all) return true;
  if ([rec.district_id, rec.street_id, rec.community_id].some((r) => r !== null && v.regionIds.includes(r))) return true;
  return rec.unit_id !== null && v.unitIds.includes(rec.unit_id);
}

/** The place and unit columns a desk record copies from its case. */
export const placeOf = (c: CaseRow) => ({ district_id: c.district_id, street_id: c.street_id, community_id: c.community_id });

/** A desk event about a case (topic `<desk>.<what>`), heard by the case's audience and, when given, one more unit. */
export function deskEvent(topic: string, c: CaseRow, payload: Record<string, unknown> & { actorId: string | null }, at: number, alsoUnitId?: string | null): OutboxEvent {
  const e = caseEvent(topic, c, { caseId: Number(c.id), caseNo: c.case_no, ...payload }, at);
  if (alsoUnitId && !e.unitIds.includes(alsoUnitId)) e.unitIds.push(alsoUnitId);
  return e;
}

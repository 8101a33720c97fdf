/**
 * issueSummons (吹哨): the street blows the whistle on a case it cannot solve alone. Checks (domain/summons/rules.ts):
 * the caller commands on the case's street, the case is located and not closed, no summons is open on it, the kind,
 * mode and reason, and the departments (known, active, within reach, no repeats). One transaction: the summons, its
 * departments with their report deadline (the city's limit for the kind), its first timeline row and a
 * `summons.issued` event to the summoned departments.
 */
import { DomainError, notFound, invalidAs } from '../domain/errors.ts';
import { isOpen, type State } from '../domain/case/states.ts';
import { canSeeCase } from '../domain/policy/visibility.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { checkDepartments, checkIssue, commandingUnit, reportDueAt } from '../domain/summons/rules.ts';
import type { MeetingMode, SummonsKind } from '../domain/summons/types.ts';
import type { AppContext } from '../runtime/context.ts';
import { isUniqueViolation } from '../storage/codec.ts';
import type { SummonsRow } from '../storage/repositories/summons.repository.ts';
import { caseFactsOf } from './case-transition.ts';
import { regionPath, summonsEvent, unitFacts } from './summons-common.ts';

export interface IssueSummonsInput {
  kind: SummonsKind;
  unitIds: string[];
  reason: string;
  mode: MeetingMode;
  place?: { address?: string; lon?: number; lat?: number };
}

/** Closed for summonses: the case is closed (结案) or cancelled. */
export const closedForSummons = (state: string) => state === 'CLOSED_PENDING_CALLBACK' || !isOpen(state as State);

export async function issueSummons(ctx: AppContext, caseId: number, input: IssueSummonsInput, actor: Actor & { name?: string }): Promise<SummonsRow> {
  const ref = ctx.ref;
  const now = ctx.clock.now();
  checkIssue(input);
  const place = input.place ?? {};
  if ((place.lon === undefined) !== (place.lat === undefined)) throw invalidAs(place.lon === undefined ? 'place.lon' : 'place.lat', { key: 'summons-issue.give_both_lon_and_lat' }, 'give both lon and lat, or neither');
  if (place.lon !== undefined && place.lat !== undefined && !ref.locate(place.lon, place.lat)) {
    throw new DomainError('OUT_OF_GRID', 'place: the meeting place is outside the city', { field: 'place', key: 'location.outside_city' });
  }
  const row = await ctx.store.transaction(async (tx) => {
    const c = await tx.cases.findCase(caseId, { forUpdate: true });
    if (!c || !canSeeCase(actor, caseFactsOf(c, ref))) throw notFound('case', caseId);
    if (!c.street_id) throw new DomainError('INVALID_TRANSITION', 'the case is not located in a street yet: locate it first', { field: 'caseId' });
    const streetPath = regionPath(ref, c.street_id);
    const streetUnits = actor.unitIds.filter((u) => ref.current().units.get(u)?.regionId === c.street_id);
    const issuerUnitId = commandingUnit(actor, streetPath, streetUnits);
    if (closedForSummons(c.state)) throw new DomainError('INVALID_TRANSITION', `case ${c.case_no} is closed (${c.state}); a closed case cannot be summoned on`, { field: 'caseId', details: { state: c.state } });
    const unitIds = checkDepartments(input.unitIds, (id) => unitFacts(ref, id), streetPath, issuerUnitId);
    if (await tx.summons.openSummonsOfCase(Number(c.id))) throw new DomainError('CONFLICT', 'a summons is already open on this case: close it first', { field: 'caseId' });
    const settings = ref.current().summons;
    const dueAt = reportDueAt(input.kind, now, settings);
    const lon = place.lon ?? c.lon;
    const lat = place.lat ?? c.lat;
    const values = {
      case_id: Number(c.id), case_no: c.case_no, kind: input.kind, state: 'open', reason: input.reason.trim(), mode: input.mode,
      place_address: place.address?.trim() || (place.lon === undefined ? c.address : null), place_lon: lon ?? null, place_lat: lat ?? null,
      district_id: c.district_id, street_id: c.street_id, community_id: c.community_id, issuer_unit_id: issuerUnitId,
      issued_by: actor.userId, issued_by_name: actor.name ?? null, issued_at: now, report_limit_minutes: settings.reportLimitMinutes[input.kind],
      due_at: dueAt, outcome: null, outcome_note: null, closed_by: null, closed_by_name: null, closed_at: null,
    };
    let id: number;
    try {
      id = await tx.summons.insertSummons(values);
    } catch (err) {
      // Two whistles at once on one case: the partial unique index lets one through.
      if (isUniqueViolation(err)) throw new DomainError('CONFLICT', 'a summons is already open on this case: close it first', { field: 'caseId' });
      throw err;
    }
    const units = unitIds.map((unit_id, position) => ({ summons_id: id, unit_id, position, state: 'summoned', issued_at: now, due_at: dueAt }));
    await tx.summons.insertUnits(units);
    const saved: SummonsRow = { ...values, id, version: 1 };
    await tx.summons.appendHistory([{
      summonsId: id, action: 'issued', actorId: actor.userId, actorName: actor.name ?? null, at: now,
      details: { kind: input.kind, mode: input.mode, unitIds, reason: values.reason, dueAt, reportLimitMinutes: values.report_limit_minutes },
    }]);
    await tx.outbox.append(summonsEvent('summons.issued', saved, units, { actorId: actor.userId, unitIds, mode: input.mode, dueAt }, now));
    return saved;
  });
  ctx.events.notify();
  return row;
}

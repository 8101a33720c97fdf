/**
 * createCase: the intake pipeline for one report — validate → locate → route → deadlines → case + history +
 * outbox, in ONE transaction. Repeats with the same Idempotency-Key return the first result.
 */
import { DomainError, invalidAs } from '../domain/errors.ts';
import { CALLBACK_CHANNELS, isTrustedReport, type Channel, type Urgency } from '../domain/case/channels.ts';
import { toWgs84, validateLonLat, type CoordSystem } from '../domain/grid/index.ts';
import { assertPartId } from '../domain/catalog/catalog.ts';
import type { AttributeAnswer } from '../domain/catalog/attributes.ts';
import type { PartRow } from '../storage/repositories/reference-query.repository.ts';
import type { Actor } from '../domain/policy/scope.ts';
import type { RoutingDecision } from '../domain/routing/index.ts';
import { detectEmergency } from '../domain/hotline/emergency.ts';
import { normalizePhone } from '../domain/hotline/hotline.ts';
import type { AppContext } from '../runtime/context.ts';
import type { LocatedPoint } from '../runtime/reference-cache.ts';
import { localYmd } from '../domain/time-zone.ts';
import { toJson } from '../storage/codec.ts';
import type { CaseRow } from '../storage/repositories/case.repository.ts';
import type { NewCasePlan, DuplicateMatch, NewCaseRow } from '../storage/new-case/plan.ts';
import { stageLimit, refreshAlert } from './case-clocks.ts';
import { platformAtIntake } from './level-intake.ts';
import { addLimit, warningAt } from '../domain/deadline/index.ts';
import { gazetteerOf } from '../runtime/gazetteer-cache.ts';
import { indexTokens } from '../domain/search/text-tokens.ts';
import { dupCell, neighbourCells, pickMaster, radiusBox } from '../domain/duplicates/duplicates.ts';

export { CHANNELS, URGENCIES } from '../domain/case/channels.ts';

export interface CreateCaseInput {
  channel: Channel;
  matterCode: string;
  urgency?: Urgency;
  description: string;
  location?: { lon: number; lat: number; coordSystem?: CoordSystem };
  address?: string;
  partId?: string;
  reporter?: { name?: string; phone?: string };
  needsCallback?: boolean;
  externalId?: string;
  attachmentIds?: string[];
  /** The intake contract's idempotency record (src/intake/contract.ts `idempotencyOf`): repeats answer the first case. */
  idempotency?: { scope: string; key: string; requestHash: string };
  /** The 12345 feedback deadline, for a case filed from a hotline call. */
  feedbackDueAt?: number;
  /** Rows committed with the case in its transaction (see NewCasePlan.related). */
  related?: NewCasePlan['related'];
  /** Answers to the matter's extra questions, already checked against its definition (Open311 attribute[code]). */
  attributes?: AttributeAnswer[];
  /** The seat confirms that a report whose words mean a threat to life is not an emergency (see assertNoUnconfirmedEmergency). */
  emergencyConfirmed?: boolean;
}

/**
 * A report a seat takes (12345 hotline) whose words mean a threat to life now (the city's emergency words: fire,
 * someone trapped, gas leak …) is saved as 非常紧急, or below it only when the seat confirms it is not an emergency
 * (issue 8): it must never become an ordinary case because nobody looked.
 */
function assertNoUnconfirmedEmergency(ctx: AppContext, input: CreateCaseInput, urgency: Urgency): void {
  if (input.channel !== 'hotline' || urgency === 'very_urgent' || input.emergencyConfirmed) return;
  const found = detectEmergency(input.description, ctx.ref.current().emergencyWords);
  if (found.level !== 'life') return;
  throw new DomainError('CONFLICT', `urgency: the description names a threat to life (${found.words.join('、')}); `
    + 'save it as very_urgent, or send emergencyConfirmed: true if it is not an emergency', {
    field: 'urgency', details: { emergency: found },
  });
}

export interface CreateCaseResult {
  row: CaseRow; created: boolean; routing: RoutingDecision; located: LocatedPoint;
  /** Set when the report was linked as a duplicate of an open case (issue 3 §5). */
  duplicateOf?: { id: number; caseNo: string; state: string; distanceMeters: number };
  /** Ids of the `related` rows written with the case (absent on a retry answered from the first result). */
  relatedIds?: number[];
}

const PHONE_RE = /^(\+?86)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{3,5})$/;

export async function createCase(ctx: AppContext, input: CreateCaseInput, actor: Actor & { name?: string }): Promise<CreateCaseResult> {
  const ref = ctx.ref.current();
  const now = ctx.clock.now();
  // validate
  const matter = ref.matters.get(input.matterCode);
  if (!matter) throw invalidAs('matterCode', { key: 'sensing.unknown_matter_code_2', params: { matterCode: String(input.matterCode) } }, `unknown matter code "${input.matterCode}"`);
  const urgency: Urgency = input.urgency ?? 'normal';
  if (!input.description.trim()) throw invalidAs('description', { key: 'field.not_blank' }, 'must not be blank');
  assertNoUnconfirmedEmergency(ctx, input, urgency);
  if (input.reporter?.phone !== undefined && !PHONE_RE.test(input.reporter.phone.replace(/\s/g, ''))) {
    throw invalidAs('reporter.phone', { key: 'case-create.not_valid_phone_number' }, 'is not a valid phone number');
  }
  let part: PartRow | undefined;
  if (input.partId !== undefined) {
    assertPartId(input.partId, 'partId');
    part = await ctx.store.referenceQuery.findPart(input.partId);
    if (!part) throw invalidAs('partId', { key: 'field.unknown_part', params: { partId: String(input.partId) } }, `unknown part ${input.partId}`);
    // A part-derived matter (classes 01–05 mirror the part classes, GB/T 47678.5) concerns a part of its own class.
    const partClass = part.partCode.slice(0, 2);
    if (/^0[1-5]$/.test(matter.classCode) && partClass !== matter.classCode) {
      const cls = ref.partClasses.get(part.partCode);
      throw invalidAs('partId', { key: 'case-create.part_class_matter_concerns_parts', params: { id: String(part.id), value: String(cls ? `a ${cls.name} (${part.partCode})` : `of class ${part.partCode}`), partClass: String(partClass), code: String(matter.code), name: String(matter.name), classCode: String(matter.classCode) } }, `part ${part.id} is ${cls ? `a ${cls.name} (${part.partCode})` : `of class ${part.partCode}`}, of class ${partClass}; matter ${matter.code} (${matter.name}) concerns parts of class ${matter.classCode}`);
    }
  }
  // locate
  let lon: number, lat: number;
  if (input.location) {
    validateLonLat(input.location.lon, input.location.lat, 'location');
    [lon, lat] = toWgs84(input.location.lon, input.location.lat, input.location.coordSystem ?? 'wgs84');
  } else if (part) {
    [lon, lat] = [part.lon, part.lat];
  } else if (input.address?.trim()) {
    [lon, lat] = await geocodeAddress(ctx, input.address);
  } else {
    throw invalidAs('location', { key: 'case-create.required_or_address_gazetteer_knows' }, 'is required (or an address the gazetteer knows, or a partId whose position is known)');
  }
  const located = ctx.ref.locate(lon, lat);
  if (!located) {
    throw new DomainError('OUT_OF_GRID', `location: (${lon.toFixed(6)}, ${lat.toFixed(6)}) is outside every grid of the city`, {
      field: 'location', details: { lon, lat }, key: 'location.outside_grid', params: { lon: lon.toFixed(6), lat: lat.toFixed(6) },
    });
  }
  // route
  const routing = ref.routing.route({
    matterCode: matter.code, regionId: located.communityId,
    partOwnerUnitId: part?.ownerUnitId ?? null, partMaintainerUnitId: part?.maintainerUnitId ?? null,
  });
  const attachmentIds = input.attachmentIds ?? [];
  const idempotency = input.idempotency;

  // Duplicate check (issue 3 §5): an open case of the same matter nearby and recent becomes the master. The check
  // runs inside the store's write transaction (see DuplicateProbe), so it costs no extra round trip and reports
  // written in the same group-commit batch see each other. A duplicate is still written whole (every report and
  // photo is kept), linked to its master and cancelled as a duplicate.
  const cell = dupCell(lon, lat);
  const policy = await ctx.store.duplicates.readDuplicatePolicy(now);
  const trusted = isTrustedReport(input.channel, actor.roles);
  const state = trusted ? 'REGISTERED' : 'REPORTED';
  const needsCallback = input.needsCallback ?? (CALLBACK_CHANNELS.has(input.channel) && !!input.reporter?.phone);
  const dispatchLimit = stageLimit(ctx.ref, matter.code, 'dispatch', urgency, located.areaClass);
  const handleLimit = stageLimit(ctx.ref, matter.code, 'handle', urgency, located.areaClass);

  const row: Omit<NewCaseRow, 'case_no'> = {
    state, channel: input.channel, trusted: trusted ? 1 : 0, needs_callback: needsCallback ? 1 : 0,
    matter_kind: 'matter', matter_code: matter.code, urgency, description: input.description.trim(),
    address: input.address ?? null, search_text: indexTokens(input.description, input.address, matter.name),
    lon, lat, grid_id: located.gridId, community_id: located.communityId,
    street_id: located.streetId, district_id: located.districtId, area_class: located.areaClass, part_id: part?.id ?? null,
    reporter_name: input.reporter?.name ?? null, reporter_phone: input.reporter?.phone === undefined ? null : normalizePhone(input.reporter.phone),
    assigned_unit_id: null, assisting_unit_ids: '[]', sub_unit_id: null, routed_assisting_unit_ids: toJson(routing.assistingUnitIds),
    routed_unit_id: routing.unitId, routing_outcome: routing.outcome, rule_id: routing.ruleId, rule_version: ref.ruleVersion,
    dispatched_by: null, dispatched_at: null, last_returned_by_unit_id: null, pending_request: null, closure_type: null,
    closed_at: null, handle_limit_amount: handleLimit.amount, handle_limit_unit: handleLimit.unit, handle_started_at: null,
    handle_warn_at: null, handle_due_at: null, stage: 'dispatch', stage_limit_unit: dispatchLimit.unit,
    stage_warn_at: warningAt(ref.calendar, now, dispatchLimit), stage_due_at: addLimit(ref.calendar, now, dispatchLimit),
    suspended_at: null, alert_level: 'normal', next_alert_at: null, ever_overdue: 0,
    return_count: 0, postpone_count: 0, rework_count: 0, reopen_count: 0, unsatisfied_count: 0, supervision_count: 0,
    idempotency_key: idempotency?.key ?? null, external_id: input.externalId ?? null,
    created_by: actor.userId, created_at: now, updated_at: now, version: 1,
    // the cell is recorded only while the check is on (a partial index then keeps the check fast)
    dup_cell: policy.enabled ? cell : null, master_case_id: null, feedback_due_at: input.feedbackDueAt ?? null,
    ...(input.attributes?.length ? { attributes: toJson(input.attributes) } : {}),
    // clocks and duties of the lifecycle (migration 012): nothing paused, postponed, commanded or given to anyone yet
    handle_paused_at: null, dispute_owner_region_id: null, approved_extensions: '[]', command_actor_ids: '[]', assigned_user_id: null,
    assigned_user_name: null,
    platform_region_id: platformAtIntake(ctx.ref, located, matter.code, urgency, routing.unitId), // levels of platform (migration 017)
  };
  refreshAlert(row as never, row as never, now);
  const payload: NewCasePlan = {
    row,
    caseNoPrefix: localYmd(now, ctx.config.utcOffsetMinutes),
    attachmentIds,
    history: {
      action: trusted ? 'report_registered' : 'report', toState: state, actorId: actor.userId, actorName: actor.name ?? null,
      details: { channel: input.channel, routedUnitId: routing.unitId, ruleId: routing.ruleId, ruleVersion: ref.ruleVersion, routing: routing.outcome },
    },
    event: { topic: 'case.created', payload: { state, matterCode: matter.code, urgency, channel: input.channel, gridId: located.gridId, lon, lat, actorId: actor.userId } },
    idempotency,
    ...(input.related ? { related: input.related } : {}),
  };
  if (policy.enabled) {
    payload.duplicate = {
      group: policy.match === 'class' ? `class:${matter.classCode}` : matter.code,
      cell,
      matterCodes: policy.match === 'class'
        ? [...ref.matters.values()].filter((m) => m.classCode === matter.classCode).map((m) => m.code)
        : [matter.code],
      cells: neighbourCells(cell),
      since: now - policy.windowHours * 3600_000,
      bbox: radiusBox(lon, lat, policy.radiusMeters),
      pick: (candidates) => pickMaster(candidates, { lon, lat }, now, policy),
      link: (p, m) => linkAsDuplicate(p, m, now),
    };
  }
  const r = await ctx.store.newCases.persist(payload);
  let result: CreateCaseResult;
  if (r.created) {
    const stored = r.duplicateOf ? linkAsDuplicate(payload, { master: r.duplicateOf, distanceMeters: r.duplicateOf.distanceMeters }, now).row : row;
    result = { row: { ...(stored as CaseRow), id: r.id, case_no: r.caseNo }, created: true, routing, located, ...(r.relatedIds ? { relatedIds: r.relatedIds } : {}) };
    if (r.duplicateOf) result.duplicateOf = { id: r.duplicateOf.id, caseNo: r.duplicateOf.caseNo, state: r.duplicateOf.state, distanceMeters: r.duplicateOf.distanceMeters };
  } else {
    // A retry answers the first result, including the link its own check made.
    result = { row: (await ctx.store.cases.findCase(r.id))!, created: false, routing, located };
    const masterId = result.row.master_case_id === null || result.row.master_case_id === undefined ? null : Number(result.row.master_case_id);
    const m = masterId === null ? undefined : await ctx.store.cases.findCase(masterId);
    if (m) result.duplicateOf = { id: masterId!, caseNo: m.case_no, state: m.state, distanceMeters: 0 };
  }
  ctx.events.notify();
  return result;
}

/**
 * The report as a duplicate of `m`: cancelled at once (no clocks run), linked to its master, and recorded as such in
 * its history and event. Pure: the store calls it inside its transaction when the probe found a master.
 */
export function linkAsDuplicate(p: NewCasePlan, m: DuplicateMatch, now: number): NewCasePlan {
  const row = {
    ...p.row, state: 'CANCELLED', master_case_id: m.master.id,
    stage: null, stage_limit_unit: null, stage_warn_at: null, stage_due_at: null,
  };
  refreshAlert(row as never, row as never, now);
  const link = { masterCaseId: m.master.id, masterCaseNo: m.master.caseNo, distanceMeters: m.distanceMeters };
  return {
    ...p, row,
    history: { ...p.history, action: 'linked_duplicate', toState: 'CANCELLED', details: { ...p.history.details, ...link } },
    event: { ...p.event, payload: { ...p.event.payload, state: 'CANCELLED', masterCaseId: m.master.id } },
  };
}

/**
 * Address text → point through the local gazetteer, for reports without coordinates (a hotline caller's words).
 * One clear best candidate is taken when it is the place named (as written, an equivalent form, a number between
 * known ones); an ambiguous address, a look-alike name or a whole town is refused with the candidates to choose
 * from, so the operator picks one (or a point on the map) instead of the system guessing.
 */
async function geocodeAddress(ctx: AppContext, address: string): Promise<[number, number]> {
  const r = (await gazetteerOf(ctx)).geocode(address, { limit: 5 });
  const best = r.candidates[0];
  // an equivalent form, a guessed number or a road's middle is still the place named; another name that merely
  // looks alike (望江路 → 江海路) or a whole town is not: the sender must confirm it with a location
  if (r.outcome === 'exact' || (r.outcome === 'approximate' && best.method !== 'fuzzy' && best.method !== 'region')) return [best.lon, best.lat];
  const candidates = r.candidates.map((c) => ({ name: c.name, address: c.address, lon: c.lon, lat: c.lat, score: c.score }));
  if (r.outcome === 'approximate') {
    const what = best.method === 'region' ? `names a whole area (${best.name})` : `was not found as written (closest: ${best.address ?? best.name}, score ${best.score})`;
    throw invalidAs('address', { key: 'case-create.send_location_lon_lat_place', params: { what: String(what) } }, `${what}: send the location (lon, lat) of the place`, { candidates });
  }
  if (r.outcome === 'ambiguous') {
    throw invalidAs('address', { key: 'case-create.ambiguous_choose_one_and_send', params: { allowed: candidates.map((c) => c.address ?? c.name).join('; ') } }, `is ambiguous (${candidates.map((c) => c.address ?? c.name).join('; ')}): choose one and send its location`, { candidates });
  }
  throw invalidAs('address', { key: 'case-create.was_not_found_in_gazetteer' }, 'was not found in the gazetteer: send a location (lon, lat)');
}

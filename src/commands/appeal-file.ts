/**
 * Appeals (申诉, domain/appeal/rules.ts): a unit leader files one against a case that counts against their unit, with a
 * reason and evidence (attachments uploaded through POST /api/v1/attachments, attached to the case here); the centre
 * (a leader other than the appellant) accepts or rejects it with a reason. One transaction each: the appeal, its
 * timeline, the case's history row (`appeal_filed` / `appeal_accepted` / `appeal_rejected`, details appealId, unitId,
 * reason: an accepted appeal takes the case out of THAT unit's assessment) and an event with the case id.
 */
import { DomainError, notFound, invalidAs } from '../domain/errors.ts';
import {
  appealDeadline, appealUnit, checkAppealDecision, checkAppealable, concernsUnit, periodOf, requireReason, type AppealState, type CaseUnits,
} from '../domain/appeal/rules.ts';
import type { AppContext } from '../runtime/context.ts';
import { fromJson, isUniqueViolation, toJson } from '../storage/codec.ts';
import type { AppealRow } from '../storage/repositories/appeal.repository.ts';
import type { CaseRow } from '../storage/repositories/case.repository.ts';
import { canSeeDesk, deskEvent, loadCaseFor, placeOf, type Who } from './desk-common.ts';

export const caseUnitsOf = (c: CaseRow): CaseUnits => ({
  assignedUnitId: c.assigned_unit_id, subUnitId: c.sub_unit_id, assistingUnitIds: fromJson<string[]>(c.assisting_unit_ids, []),
  lastReturnedByUnitId: c.last_returned_by_unit_id,
});

const duplicate = () => new DomainError('CONFLICT', '本单位对该案件已有未裁决的申诉 / your unit already has an open appeal on this case', { field: 'caseId' });

export async function fileAppeal(ctx: AppContext, caseId: number, input: { unitId?: string; reason: string; evidence?: string[] }, actor: Who): Promise<AppealRow> {
  const now = ctx.clock.now();
  const reason = requireReason(input.reason);
  const evidence = input.evidence ?? [];
  if (new Set(evidence).size !== evidence.length) throw invalidAs('evidence', { key: 'joint.not_repeat_attachment' }, 'must not repeat an attachment');
  const ref = ctx.ref.current();
  const row = await ctx.store.transaction(async (tx) => {
    // A unit that returned a case no longer sees it, yet it may appeal the 推诿 counted against it.
    const c = await loadCaseFor(tx, ctx.ref, actor, caseId, { also: (r) => actor.unitIds.some((u) => concernsUnit(caseUnitsOf(r), u)) });
    const unitId = appealUnit(actor, caseUnitsOf(c), input.unitId);
    const active = await tx.exclusions.activeExclusionOf(Number(c.id));
    checkAppealable(c.state, active?.state === 'approved');
    if (await tx.appeals.openAppealOf(Number(c.id), unitId)) throw duplicate();
    const period = periodOf(c.closed_at === null ? now : Number(c.closed_at), ref.calendar.data.utcOffsetMinutes);
    const deadline = appealDeadline(ref.calendar, period, ref.desks.appeal.workDaysAfterMonth);
    if (now > deadline) {
      throw new DomainError('CONFLICT', `申诉期已过：${period} 的案件须在 ${new Date(deadline).toISOString()} 前申诉 / the appeal window for ${period} has closed`, { field: 'caseId', details: { period, deadline } });
    }
    if (evidence.length && (await tx.attachments.attachToCase(Number(c.id), evidence)) !== evidence.length) {
      throw invalidAs('evidence', { key: 'field.unknown_attachment_or_one_that' }, 'unknown attachment, or one that belongs to another case');
    }
    let id: number;
    try {
      id = await tx.appeals.insertAppeal({
        case_id: Number(c.id), case_no: c.case_no, unit_id: unitId, ...placeOf(c), period, state: 'open', reason, evidence: toJson(evidence),
        filed_by: actor.userId, filed_by_name: actor.name ?? null, filed_at: now, deadline_at: deadline,
        decided_by: null, decided_by_name: null, decided_at: null, decision_reason: null,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate();
      throw err;
    }
    const who = { actorId: actor.userId, actorName: actor.name ?? null, at: now };
    await tx.history.append({ caseId: Number(c.id), action: 'appeal_filed', fromState: c.state, toState: c.state, ...who, reason, details: { appealId: id, unitId, reason, period }, attachmentIds: evidence });
    await tx.deskHistory.append({ kind: 'appeal', recordId: id, caseId: Number(c.id), action: 'filed', ...who, details: { reason, unitId, evidence } });
    await tx.outbox.append(deskEvent('appeal.filed', c, { appealId: id, unitId, actorId: actor.userId }, now, unitId));
    return (await tx.appeals.findAppeal(id))!;
  });
  ctx.events.notify();
  return row;
}

export async function decideAppeal(ctx: AppContext, id: number, input: { decision: 'accept' | 'reject'; reason: string }, actor: Who): Promise<AppealRow> {
  const now = ctx.clock.now();
  const row = await ctx.store.transaction(async (tx) => {
    const ap = await tx.appeals.findAppeal(id, { forUpdate: true });
    if (!ap || !canSeeDesk(actor, ap, ctx.ref)) throw notFound('appeal', id);
    const decision = checkAppealDecision(actor, { state: ap.state as AppealState, filedBy: ap.filed_by }, input.decision);
    const reason = requireReason(input.reason);
    const c = await tx.cases.findCase(Number(ap.case_id), { forUpdate: true });
    if (!c) throw notFound('appeal', id);
    const state = decision === 'accept' ? 'accepted' : 'rejected';
    if (!(await tx.appeals.updateAppeal(id, Number(ap.version), { state, decided_by: actor.userId, decided_by_name: actor.name ?? null, decided_at: now, decision_reason: reason }))) {
      throw new DomainError('CONFLICT', 'the appeal changed meanwhile: reload it', { field: 'appealId' });
    }
    const who = { actorId: actor.userId, actorName: actor.name ?? null, at: now };
    await tx.history.append({ caseId: Number(c.id), action: `appeal_${state}`, fromState: c.state, toState: c.state, ...who, reason, details: { appealId: id, unitId: ap.unit_id, reason, period: ap.period } });
    await tx.deskHistory.append({ kind: 'appeal', recordId: id, caseId: Number(c.id), action: state, ...who, details: { reason } });
    await tx.outbox.append(deskEvent(`appeal.${state}`, c, { appealId: id, unitId: ap.unit_id, actorId: actor.userId }, now, ap.unit_id));
    return (await tx.appeals.findAppeal(id))!;
  });
  ctx.events.notify();
  return row;
}

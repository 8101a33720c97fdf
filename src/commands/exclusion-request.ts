/**
 * Exclusions (无理诉求, domain/appeal/rules.ts): request (centre staff, with a reason), review (a leader other than the
 * requester approves or rejects), revoke (a leader, with a reason). One transaction each: the exclusion, its timeline,
 * the case's history row (`exclusion_requested` / `_approved` / `_rejected` / `_revoked`: the assessment reads the
 * latest decision) and an event with the case id.
 */
import { DomainError, notFound } from '../domain/errors.ts';
import { checkExclusionRequest, checkExclusionReview, checkExclusionRevoke, requireReason, type ExclusionState } from '../domain/appeal/rules.ts';
import type { AppContext } from '../runtime/context.ts';
import { isUniqueViolation } from '../storage/codec.ts';
import type { CaseRow } from '../storage/repositories/case.repository.ts';
import type { ExclusionRow } from '../storage/repositories/exclusion.repository.ts';
import type { Repositories } from '../storage/store.ts';
import { canSeeDesk, deskEvent, loadCaseFor, placeOf, type Who } from './desk-common.ts';

const already = () => new DomainError('CONFLICT', '该案件已有待审核或已生效的无理诉求认定 / an exclusion is already requested or approved for this case', { field: 'caseId' });

async function record(tx: Repositories, c: CaseRow, ex: { id: number; unitId: string | null }, action: string, actor: Who, now: number, details: Record<string, unknown>, reason: string) {
  const who = { actorId: actor.userId, actorName: actor.name ?? null, at: now };
  await tx.history.append({ caseId: Number(c.id), action: `exclusion_${action}`, fromState: c.state, toState: c.state, ...who, reason, details: { exclusionId: ex.id, reason, unitId: ex.unitId, ...details } });
  await tx.deskHistory.append({ kind: 'exclusion', recordId: ex.id, caseId: Number(c.id), action, ...who, details: { reason, ...details } });
  await tx.outbox.append(deskEvent(`exclusion.${action}`, c, { exclusionId: ex.id, actorId: actor.userId }, now));
}

export async function requestExclusion(ctx: AppContext, caseId: number, input: { reason: string }, actor: Who): Promise<ExclusionRow> {
  const now = ctx.clock.now();
  const reason = requireReason(input.reason);
  const row = await ctx.store.transaction(async (tx) => {
    const c = await loadCaseFor(tx, ctx.ref, actor, caseId);
    checkExclusionRequest(actor, c.state);
    if (await tx.exclusions.activeExclusionOf(Number(c.id))) throw already();
    const unitId = c.assigned_unit_id ?? c.last_returned_by_unit_id ?? null;
    let id: number;
    try {
      id = await tx.exclusions.insertExclusion({
        case_id: Number(c.id), case_no: c.case_no, unit_id: unitId, ...placeOf(c), state: 'requested', reason,
        requested_by: actor.userId, requested_by_name: actor.name ?? null, requested_at: now,
        decided_by: null, decided_by_name: null, decided_at: null, decision_note: null, revoked_by: null, revoked_by_name: null, revoked_at: null, revoke_reason: null,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw already();
      throw err;
    }
    await record(tx, c, { id, unitId }, 'requested', actor, now, {}, reason);
    return (await tx.exclusions.findExclusion(id))!;
  });
  ctx.events.notify();
  return row;
}

async function loadExclusion(tx: Repositories, ctx: AppContext, id: number, actor: Who): Promise<{ ex: ExclusionRow; c: CaseRow }> {
  const ex = await tx.exclusions.findExclusion(id, { forUpdate: true });
  if (!ex || !canSeeDesk(actor, ex, ctx.ref)) throw notFound('exclusion', id);
  const c = await tx.cases.findCase(Number(ex.case_id), { forUpdate: true });
  if (!c) throw notFound('exclusion', id);
  return { ex, c };
}

export async function reviewExclusion(ctx: AppContext, id: number, input: { decision: 'approve' | 'reject'; note?: string }, actor: Who): Promise<ExclusionRow> {
  const now = ctx.clock.now();
  const row = await ctx.store.transaction(async (tx) => {
    const { ex, c } = await loadExclusion(tx, ctx, id, actor);
    const decision = checkExclusionReview(actor, { state: ex.state as ExclusionState, requestedBy: ex.requested_by }, input.decision);
    const note = decision === 'reject' ? requireReason(input.note, 'note') : input.note?.trim() || null;
    const state = decision === 'approve' ? 'approved' : 'rejected';
    if (!(await tx.exclusions.updateExclusion(id, Number(ex.version), { state, decided_by: actor.userId, decided_by_name: actor.name ?? null, decided_at: now, decision_note: note }))) {
      throw new DomainError('CONFLICT', 'the exclusion changed meanwhile: reload it', { field: 'exclusionId' });
    }
    await record(tx, c, { id, unitId: ex.unit_id }, state, actor, now, { requestedBy: ex.requested_by, ...(note ? { note } : {}) }, ex.reason);
    return (await tx.exclusions.findExclusion(id))!;
  });
  ctx.events.notify();
  return row;
}

export async function revokeExclusion(ctx: AppContext, id: number, input: { reason: string }, actor: Who): Promise<ExclusionRow> {
  const now = ctx.clock.now();
  const reason = requireReason(input.reason);
  const row = await ctx.store.transaction(async (tx) => {
    const { ex, c } = await loadExclusion(tx, ctx, id, actor);
    checkExclusionRevoke(actor, { state: ex.state as ExclusionState });
    if (!(await tx.exclusions.updateExclusion(id, Number(ex.version), { state: 'revoked', revoked_by: actor.userId, revoked_by_name: actor.name ?? null, revoked_at: now, revoke_reason: reason }))) {
      throw new DomainError('CONFLICT', 'the exclusion changed meanwhile: reload it', { field: 'exclusionId' });
    }
    await record(tx, c, { id, unitId: ex.unit_id }, 'revoked', actor, now, { requestReason: ex.reason }, reason);
    return (await tx.exclusions.findExclusion(id))!;
  });
  ctx.events.notify();
  return row;
}

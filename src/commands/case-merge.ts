/**
 * mergeCase: an operator links one open case to another open case of the same matter class as its duplicate
 * (issue 3 §5, by hand). The merged case is cancelled and points at the master; its reports and photos stay on
 * it and are listed through the master (GET /cases/:id/duplicates), so nothing is lost. One transaction:
 * both cases' history + outbox. splitCase undoes a link (automatic or by hand).
 */
import { DomainError, invalid, notFound } from '../domain/errors.ts';
import { isOpen, type State } from '../domain/case/index.ts';
import type { Actor } from '../domain/policy/scope.ts';
import type { AppContext } from '../core/context.ts';
import { toJson } from '../storage/db.ts';
import { findCase, insertHistory, updateCase, type CaseRow } from '../storage/repositories/case.repository.ts';
import { appendOutbox } from '../storage/repositories/outbox.repository.ts';
import { stageLimit, refreshAlert } from './case-clocks.ts';
import { addLimit, warningAt } from '../domain/deadline/index.ts';

export const MERGE_ROLES = ['operator', 'shift_leader', 'dispatcher', 'admin'];

export async function mergeCase(
  ctx: AppContext, caseId: number, masterCaseId: number, actor: Actor & { name?: string }, reason?: string,
): Promise<CaseRow> {
  if (!actor.roles.some((r) => MERGE_ROLES.includes(r))) {
    throw new DomainError('FORBIDDEN', `merging cases needs one of the roles ${MERGE_ROLES.join(', ')}`);
  }
  if (caseId === masterCaseId) throw invalid('masterCaseId', 'a case cannot be merged into itself');
  const now = ctx.clock.now();
  const ref = ctx.ref.current();
  const row = await ctx.db.transaction().execute(async (trx) => {
    // lock in id order so two crossing merges cannot deadlock
    const [a, b] = caseId < masterCaseId ? [caseId, masterCaseId] : [masterCaseId, caseId];
    const ra = await findCase(trx, a, { forUpdate: true, dialect: ctx.handle.dialect });
    const rb = await findCase(trx, b, { forUpdate: true, dialect: ctx.handle.dialect });
    const cur = a === caseId ? ra : rb;
    const master = a === caseId ? rb : ra;
    if (!cur) throw notFound('case', caseId);
    if (!master) throw invalid('masterCaseId', `unknown case ${masterCaseId}`);
    if (!isOpen(cur.state as State)) throw new DomainError('CONFLICT', `case ${cur.case_no} is ${cur.state}: only an open case can be merged`, { field: 'id' });
    if (!isOpen(master.state as State)) throw new DomainError('CONFLICT', `master case ${master.case_no} is ${master.state}: merge into an open case`, { field: 'masterCaseId' });
    if (master.master_case_id !== null) {
      throw new DomainError('CONFLICT', `case ${master.case_no} is itself a duplicate of case ${master.master_case_id}: merge into that one`, { field: 'masterCaseId' });
    }
    const classOf = (code: string) => ref.matters.get(code)?.classCode ?? code.slice(0, 2);
    if (classOf(cur.matter_code) !== classOf(master.matter_code)) {
      throw invalid('masterCaseId', `case ${master.case_no} is of another matter class (${master.matter_code} vs ${cur.matter_code})`);
    }
    if (!(await updateCase(trx, cur.id, cur.version, {
      state: 'CANCELLED', master_case_id: Number(master.id), updated_at: now, stage: null, stage_warn_at: null, stage_due_at: null,
      pending_request: null, alert_level: 'normal', next_alert_at: null,
    }))) {
      throw new DomainError('CONFLICT', `case ${cur.case_no} was changed concurrently; retry`, { field: 'version' });
    }
    // duplicates already linked to the merged case follow it to the master
    await trx.updateTable('cases').set({ master_case_id: Number(master.id) }).where('master_case_id', '=', Number(cur.id)).execute();
    const details = { masterCaseId: Number(master.id), masterCaseNo: master.case_no, mergedCaseId: Number(cur.id), mergedCaseNo: cur.case_no };
    await insertHistory(trx, {
      case_id: cur.id, action: 'merged_into', from_state: cur.state, to_state: 'CANCELLED', actor_id: actor.userId,
      actor_name: actor.name ?? null, at: now, reason: reason ?? null, details: toJson(details), attachment_ids: toJson([]),
    });
    await insertHistory(trx, {
      case_id: master.id, action: 'duplicate_merged', from_state: master.state, to_state: master.state, actor_id: actor.userId,
      actor_name: actor.name ?? null, at: now, reason: reason ?? null, details: toJson(details), attachment_ids: toJson([]),
    });
    await appendOutbox(trx, {
      topic: 'case.transitioned', caseId: cur.id,
      unitIds: [...new Set([cur.assigned_unit_id, cur.sub_unit_id, cur.routed_unit_id].filter((x): x is string => !!x))],
      regionIds: [cur.district_id, cur.street_id, cur.community_id].filter((x): x is string => !!x),
      payload: { id: cur.id, caseNo: cur.case_no, action: 'merged_into', from: cur.state, to: 'CANCELLED', masterCaseId: Number(master.id) },
      at: now,
    });
    return { ...cur, state: 'CANCELLED', master_case_id: Number(master.id), updated_at: now, stage: null, stage_warn_at: null, stage_due_at: null, pending_request: null, alert_level: 'normal', next_alert_at: null, version: cur.version + 1 } as CaseRow;
  });
  ctx.events.notify();
  return row;
}

/**
 * splitCase: an operator decides a linked report is a different problem after all (issue 3 §5: "split by hand").
 * The report leaves its master and re-enters the pipeline from the start — REGISTERED when it came by a trusted
 * channel, else REPORTED — with a fresh dispatch clock from now: whatever it went through before it was merged
 * belonged to the master's handling. Its own reports and photos never left it. One transaction, history on both.
 */
export async function splitCase(ctx: AppContext, caseId: number, actor: Actor & { name?: string }, reason: string): Promise<CaseRow> {
  if (!actor.roles.some((r) => MERGE_ROLES.includes(r))) {
    throw new DomainError('FORBIDDEN', `splitting cases needs one of the roles ${MERGE_ROLES.join(', ')}`);
  }
  if (!reason.trim()) throw invalid('reason', 'must say why the report is a different problem');
  const now = ctx.clock.now();
  const cal = ctx.ref.current().calendar;
  const row = await ctx.db.transaction().execute(async (trx) => {
    const cur = await findCase(trx, caseId, { forUpdate: true, dialect: ctx.handle.dialect });
    if (!cur) throw notFound('case', caseId);
    if (cur.master_case_id === null || cur.master_case_id === undefined) {
      throw new DomainError('CONFLICT', `case ${cur.case_no} is not linked to a master case: nothing to split`, { field: 'id' });
    }
    const masterId = Number(cur.master_case_id);
    const master = await findCase(trx, masterId);
    const state = cur.trusted ? 'REGISTERED' : 'REPORTED';
    const limit = stageLimit(ctx.ref, cur.matter_code, 'dispatch', cur.urgency, cur.area_class);
    const patch = {
      state, master_case_id: null, updated_at: now, closure_type: null, closed_at: null, pending_request: null,
      assigned_unit_id: null, sub_unit_id: null, dispatched_by: null, dispatched_at: null,
      handle_started_at: null, handle_warn_at: null, handle_due_at: null, suspended_at: null,
      stage: 'dispatch', stage_limit_unit: limit.unit, stage_warn_at: warningAt(cal, now, limit), stage_due_at: addLimit(cal, now, limit),
      alert_level: 'normal', next_alert_at: null as number | null,
    };
    refreshAlert({ ...cur, ...patch } as never, patch as never, now);
    if (!(await updateCase(trx, cur.id, cur.version, patch))) {
      throw new DomainError('CONFLICT', `case ${cur.case_no} was changed concurrently; retry`, { field: 'version' });
    }
    const details = { masterCaseId: masterId, masterCaseNo: master?.case_no ?? null, splitCaseId: Number(cur.id), splitCaseNo: cur.case_no };
    await insertHistory(trx, {
      case_id: cur.id, action: 'split_from', from_state: cur.state, to_state: state, actor_id: actor.userId,
      actor_name: actor.name ?? null, at: now, reason, details: toJson(details), attachment_ids: toJson([]),
    });
    if (master) {
      await insertHistory(trx, {
        case_id: master.id, action: 'duplicate_split', from_state: master.state, to_state: master.state, actor_id: actor.userId,
        actor_name: actor.name ?? null, at: now, reason, details: toJson(details), attachment_ids: toJson([]),
      });
    }
    await appendOutbox(trx, {
      topic: 'case.transitioned', caseId: cur.id, unitIds: [cur.routed_unit_id].filter((x): x is string => !!x),
      regionIds: [cur.district_id, cur.street_id, cur.community_id].filter((x): x is string => !!x),
      payload: { id: cur.id, caseNo: cur.case_no, action: 'split_from', from: cur.state, to: state, masterCaseId: masterId },
      at: now,
    });
    return { ...cur, ...patch, version: cur.version + 1 } as CaseRow;
  });
  ctx.events.notify();
  return row;
}

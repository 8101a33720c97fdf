/**
 * transitionCase: one action on one case — load (locked) → decide (pure) → write case + history + outbox (+ unit
 * counters, supervision, the tasks that follow the case) in ONE transaction. Optimistic version check as a second guard on SQLite.
 *
 * Every action of the transition table goes through here, merge and split of duplicates included: a merge also
 * loads (and locks) the master case — among the cases the actor may see only — and records the merge on it.
 */
import { DomainError, notFound, invalidAs } from '../domain/errors.ts';
import {
  decide, isAction, type ActionInput, type ApprovedExtension, type CaseView, type Effect, type GridMemberFacts, type MergeTarget,
  type PendingRequest, type State,
} from '../domain/case/index.ts';
import { canSeeCase, type CaseFacts } from '../domain/policy/visibility.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { needsVerification } from '../domain/case/verification-policy.ts';
import type { AppContext } from '../runtime/context.ts';
import type { ReferenceCache } from '../runtime/reference-cache.ts';
import { fromJson, toJson } from '../storage/codec.ts';
import type { Repositories } from '../storage/store.ts';
import type { CaseRow, CaseUpdate } from '../storage/repositories/case.repository.ts';
import { caseEvent } from '../storage/repositories/outbox.repository.ts';
import { applyClockEffects } from './case-clocks.ts';
import { jointActionOnTransition, prepareAssists } from './assist-sync.ts';
import { levelViewOf } from './level-view.ts';
import { withdrawTransferOnClose } from './level-withdraw.ts';
import { followLinkedTasks } from './case-linked-tasks.ts';

/** The case's place from the root of the region tree down: [city, district, street, community]. */
export function regionPathOf(row: Pick<CaseRow, 'district_id' | 'street_id' | 'community_id'>, ref: ReferenceCache): string[] {
  const regions = ref.current().regions;
  const path: string[] = [];
  const first = row.district_id ?? row.street_id ?? row.community_id;
  for (let r = first ? regions.get(first)?.parentId : undefined; r; r = regions.get(r)?.parentId ?? undefined) path.unshift(r);
  for (const r of [row.district_id, row.street_id, row.community_id]) if (r) path.push(r);
  return path;
}

/** What the visibility policy needs to know about a stored case. */
export function caseFactsOf(row: Pick<CaseRow, 'district_id' | 'street_id' | 'community_id' | 'assigned_unit_id' | 'sub_unit_id' | 'assisting_unit_ids'>, ref: ReferenceCache): CaseFacts {
  return {
    regionPath: regionPathOf(row, ref),
    unitIds: [row.assigned_unit_id, row.sub_unit_id, ...fromJson<string[]>(row.assisting_unit_ids, [])],
  };
}

export const matterClassOf = (ref: ReferenceCache, matterCode: string): string =>
  ref.current().matters.get(matterCode)?.classCode ?? matterCode.slice(0, 2);

export function caseViewOf(row: CaseRow, ref: ReferenceCache): CaseView {
  const paused = row.handle_paused_at;
  return {
    state: row.state as CaseView['state'],
    channel: row.channel,
    trustedChannel: row.trusted === 1,
    verificationRequired: needsVerification(ref.current().verificationPolicy, { channel: row.channel, urgency: row.urgency, matterCode: row.matter_code }),
    needsCallback: row.needs_callback === 1,
    assignedUnitId: row.assigned_unit_id,
    subUnitId: row.sub_unit_id,
    assignedUserId: row.assigned_user_id ?? null,
    verifierUserId: row.verifier_user_id ?? null,
    dispatchedBy: row.dispatched_by,
    commandActorIds: fromJson<string[]>(row.command_actor_ids, row.dispatched_by ? [row.dispatched_by] : []),
    returnCount: row.return_count,
    postponeCount: row.postpone_count,
    pendingRequest: fromJson<PendingRequest | null>(row.pending_request, null),
    reworkCount: row.rework_count,
    reopenCount: row.reopen_count,
    unsatisfiedCount: row.unsatisfied_count,
    everOverdue: row.ever_overdue === 1,
    handleDueAt: row.handle_due_at === null ? null : Number(row.handle_due_at),
    handlePausedAt: paused === null || paused === undefined ? null : Number(paused),
    approvedExtensions: fromJson<ApprovedExtension[]>(row.approved_extensions, []),
    lastReturnedByUnitId: row.last_returned_by_unit_id,
    regionPath: regionPathOf(row, ref),
    streetId: row.street_id,
    districtId: row.district_id,
    disputeOwner: row.dispute_owner_region_id ? { regionId: row.dispute_owner_region_id } : null,
    admittedForGridMembers: ref.current().admission.admits(row.matter_code),
    reportedBy: row.created_by,
    masterCaseId: row.master_case_id === null || row.master_case_id === undefined ? null : Number(row.master_case_id),
    matterClass: matterClassOf(ref, row.matter_code),
    ...levelViewOf(row, ref),
  };
}

/** The case columns a decision's patch writes. */
function patchColumns(p: ReturnType<typeof decide>['patch']): CaseUpdate {
  const patch: CaseUpdate = { state: p.state };
  if ('assignedUnitId' in p) patch.assigned_unit_id = p.assignedUnitId ?? null;
  if ('assignedUserId' in p) {
    patch.assigned_user_id = p.assignedUserId ?? null;
    patch.assigned_user_name = null; // the command names the grid member it loaded
  }
  if ('verifierUserId' in p) {
    patch.verifier_user_id = p.verifierUserId ?? null;
    patch.verifier_user_name = null; // the command names the verifier it loaded
  }
  if ('commandActorIds' in p) patch.command_actor_ids = toJson(p.commandActorIds ?? []);
  if ('disputeOwner' in p) patch.dispute_owner_region_id = p.disputeOwner?.regionId ?? null;
  if ('approvedExtensions' in p) patch.approved_extensions = toJson(p.approvedExtensions ?? []);
  if ('assistingUnitIds' in p) patch.assisting_unit_ids = toJson(p.assistingUnitIds ?? []);
  if ('subUnitId' in p) patch.sub_unit_id = p.subUnitId ?? null;
  if ('dispatchedBy' in p) patch.dispatched_by = p.dispatchedBy ?? null;
  if ('dispatchedAt' in p) patch.dispatched_at = p.dispatchedAt ?? null;
  if ('returnCount' in p) patch.return_count = p.returnCount;
  if ('postponeCount' in p) patch.postpone_count = p.postponeCount;
  if ('pendingRequest' in p) patch.pending_request = p.pendingRequest ? toJson(p.pendingRequest) : null;
  if ('reworkCount' in p) patch.rework_count = p.reworkCount;
  if ('reopenCount' in p) patch.reopen_count = p.reopenCount;
  if ('unsatisfiedCount' in p) patch.unsatisfied_count = p.unsatisfiedCount;
  if ('everOverdue' in p) patch.ever_overdue = p.everOverdue ? 1 : 0;
  if ('lastReturnedByUnitId' in p) patch.last_returned_by_unit_id = p.lastReturnedByUnitId ?? null;
  if ('closureType' in p) patch.closure_type = p.closureType ?? null;
  if ('closedAt' in p) patch.closed_at = p.closedAt ?? null;
  if ('masterCaseId' in p) patch.master_case_id = p.masterCaseId ?? null;
  return patch;
}

export async function transitionCase(
  ctx: AppContext, caseId: number, input: ActionInput, actor: Actor & { name?: string },
  opts: {
    expectedVersion?: number;
    /** More writes that must commit with this action (e.g. the 12345 call that urged it), in its transaction. */
    within?: (tx: Repositories, next: CaseRow) => Promise<void>;
  } = {},
): Promise<CaseRow> {
  if (!isAction(input.action)) throw invalidAs('action', { key: 'case-transition.unknown_action', params: { action: String(input.action) } }, `unknown action "${String(input.action)}"`);
  const ref = ctx.ref.current();
  const now = ctx.clock.now();
  // Units named in the input must exist (the domain checks roles and states, not our unit register).
  for (const f of ['unitId', 'subUnitId'] as const) {
    const v = (input as Record<string, unknown>)[f];
    if (typeof v === 'string' && !ref.units.has(v)) throw invalidAs(f, { key: 'case-transition.unknown_unit', params: { v: String(v) } }, `unknown unit "${v}"`);
  }
  const assistSpecs = prepareAssists(ctx, input); // 联勤联动: `assists` with instructions → assistingUnitIds, checked
  const assisting = (input as { assistingUnitIds?: string[] }).assistingUnitIds;
  assisting?.forEach((u, i) => { if (!ref.units.has(u)) throw invalidAs(`assistingUnitIds[${i}]`, { key: 'field.unknown_unit_2', params: { u: String(u) } }, `unknown unit "${u}"`); });
  const masterId = input.action === 'merge_into' ? input.masterCaseId : undefined;
  if (masterId !== undefined && masterId === caseId) throw invalidAs('masterCaseId', { key: 'case-transition.case_cannot_merged_into_itself' }, 'a case cannot be merged into itself');
  // A grid member named as handler: the domain checks role, region and admission on what we load here.
  const gridMemberId = (input as { gridMemberId?: unknown }).gridMemberId;
  let gridMember: GridMemberFacts | undefined;
  let gridMemberName: string | undefined;
  if (typeof gridMemberId === 'string' && gridMemberId !== '') {
    const u = await ctx.store.auth.findUserById(gridMemberId);
    if (!u) throw invalidAs('gridMemberId', { key: 'case-transition.unknown_user', params: { gridMemberId: String(gridMemberId) } }, `unknown user "${gridMemberId}"`);
    gridMember = { userId: u.id, roles: u.roles, regionIds: u.regionIds, active: u.active };
    gridMemberName = u.displayName;
  }
  // A verifier named by request_verify (issue 8): the domain checks role, activity and region on what we load here.
  const verifierId = input.action === 'request_verify' ? (input as { verifierId?: unknown }).verifierId : undefined;
  let verifier: GridMemberFacts | undefined;
  let verifierName: string | undefined;
  if (typeof verifierId === 'string' && verifierId !== '') {
    const u = await ctx.store.auth.findUserById(verifierId);
    if (!u) throw invalidAs('verifierId', { key: 'case-transition.unknown_user_2', params: { verifierId: String(verifierId) } }, `unknown user "${verifierId}"`);
    verifier = { userId: u.id, roles: u.roles, regionIds: u.regionIds, active: u.active };
    verifierName = u.displayName;
  }

  const row = await ctx.store.transaction(async (tx) => {
    // A merge locks both cases, in id order, so that two crossing merges cannot deadlock.
    let cur: CaseRow | undefined;
    let master: CaseRow | undefined;
    if (masterId !== undefined && Number.isSafeInteger(masterId)) {
      const [a, b] = caseId < masterId ? [caseId, masterId] : [masterId, caseId];
      const ra = await tx.cases.findCase(a, { forUpdate: true });
      const rb = await tx.cases.findCase(b, { forUpdate: true });
      [cur, master] = a === caseId ? [ra, rb] : [rb, ra];
    } else {
      cur = await tx.cases.findCase(caseId, { forUpdate: true });
    }
    if (!cur) throw notFound('case', caseId);
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== cur.version) {
      throw new DomainError('CONFLICT', `case ${cur.case_no} changed since you loaded it (version ${cur.version}); reload and retry`, { field: 'version' });
    }
    if (input.action === 'second_dispatch') {
      // second-level dispatch goes down the unit tree: to a sub-unit of the assigned unit
      const sub = ref.units.get(input.subUnitId)!;
      if (cur.assigned_unit_id && sub.parentId !== cur.assigned_unit_id) throw invalidAs('subUnitId', { key: 'case-transition.not_sub_unit_assigned_unit', params: { name: String(sub.name) } }, `${sub.name} is not a sub-unit of the assigned unit`);
    }
    const visibleMaster = master && canSeeCase(actor, caseFactsOf(master, ctx.ref)) ? master : undefined;
    const target: MergeTarget | undefined = visibleMaster ? {
      id: Number(visibleMaster.id), caseNo: visibleMaster.case_no, state: visibleMaster.state as State,
      masterCaseId: visibleMaster.master_case_id === null ? null : Number(visibleMaster.master_case_id),
      matterClass: matterClassOf(ctx.ref, visibleMaster.matter_code),
    } : undefined;

    const { action, ...args } = input as { action: ActionInput['action'] } & Record<string, unknown>;
    const d = decide(caseViewOf(cur, ctx.ref), action, args as never, actor, now, {}, { master: target, gridMember, verifier });
    const patch: CaseUpdate = { ...patchColumns(d.patch), updated_at: now };
    if (gridMember && patch.assigned_user_id === gridMember.userId) patch.assigned_user_name = gridMemberName ?? null;
    if (verifier && patch.verifier_user_id === verifier.userId) patch.verifier_user_name = verifierName ?? null;
    applyClockEffects(ctx.ref, cur, patch, d.effects, now);
    await applyOtherEffects(tx, cur, patch, d.effects, actor, now, input);
    await jointActionOnTransition(tx, ctx, cur, patch, action, assistSpecs, actor, now);
    await withdrawTransferOnClose(tx, cur, patch, d, actor, now);
    if (!(await tx.cases.updateCase(cur.id, cur.version, patch))) {
      throw new DomainError('CONFLICT', `case ${cur.case_no} was changed concurrently; retry`, { field: 'version' });
    }
    // 未诉先办 tasks and shop-sign inspections close, drop or reopen with their case, in this transaction
    await followLinkedTasks(tx, cur, { ...cur, ...patch, version: cur.version + 1 } as CaseRow, d, actor, now);
    const attachmentIds = d.history.attachmentIds ?? [];
    if (attachmentIds.length && (await tx.attachments.attachToCase(cur.id, attachmentIds)) !== attachmentIds.length) {
      throw invalidAs('photos', { key: 'field.unknown_attachment_or_one_that' }, 'unknown attachment, or one that belongs to another case');
    }
    const who = { actorId: actor.userId, actorName: actor.name ?? null, at: now };
    // The grid member's name as it was then, beside their id (the history is read without a user lookup).
    let details = gridMemberName !== undefined && d.history.details.gridMemberId === gridMember?.userId
      ? { ...d.history.details, gridMemberName } : d.history.details;
    if (verifierName !== undefined && d.history.details.verifierId === verifier?.userId) details = { ...details, verifierName };
    await tx.history.append({
      caseId: Number(cur.id), action: d.history.action, fromState: d.from, toState: d.to, ...who,
      reason: d.history.reason ?? null, details, attachmentIds,
    });
    const next = { ...cur, ...patch, version: cur.version + 1 } as CaseRow;
    await tx.outbox.append(caseEvent('case.transitioned', next, {
      id: Number(cur.id), caseNo: cur.case_no, action: d.history.action, from: d.from, to: d.to, alertLevel: next.alert_level, actorId: actor.userId,
      ...(patch.master_case_id !== undefined ? { masterCaseId: patch.master_case_id } : {}),
      // the named verifier is told (notify rules: payloadUsers)
      ...(action === 'request_verify' && patch.verifier_user_id ? { verifierId: patch.verifier_user_id, userIds: [patch.verifier_user_id] } : {}),
    }, now, cur));
    // The other side of a merge or split: the master's own record says what joined or left it.
    if (action === 'merge_into' && target) {
      await tx.cases.moveDuplicates(Number(cur.id), target.id);
      await tx.history.append({
        caseId: target.id, action: 'duplicate_merged', fromState: target.state, toState: target.state, ...who, reason: d.history.reason ?? null,
        details: { mergedCaseId: Number(cur.id), mergedCaseNo: cur.case_no },
      });
    }
    if (action === 'split' && cur.master_case_id !== null) {
      const m = await tx.cases.findCase(Number(cur.master_case_id));
      if (m) {
        await tx.history.append({
          caseId: Number(m.id), action: 'duplicate_split', fromState: m.state, toState: m.state, ...who, reason: d.history.reason ?? null,
          details: { splitCaseId: Number(cur.id), splitCaseNo: cur.case_no },
        });
      }
    }
    if (opts.within) await opts.within(tx, next);
    return next;
  });
  ctx.events.notify();
  return row;
}

async function applyOtherEffects(
  tx: Repositories, cur: CaseRow, patch: CaseUpdate, effects: Effect[], actor: Actor, now: number, input: ActionInput,
): Promise<void> {
  const unitOf = (e: { unitId?: string }) => e.unitId ?? cur.assigned_unit_id;
  for (const e of effects) {
    if (e.kind === 'count') {
      const unit = unitOf(e);
      if (unit) await tx.cases.bumpUnitCounter(unit, e.counter);
      if (e.counter === 'supervision') patch.supervision_count = (cur.supervision_count ?? 0) + 1;
      if (e.counter === 'supervision' && input.action === 'supervise') {
        await tx.cases.insertSupervision({ case_id: cur.id, level: input.level, note: input.note, by_user_id: actor.userId, at: now });
      }
    } else if (e.kind === 'escalate_supervision') {
      patch.supervision_count = (patch.supervision_count ?? cur.supervision_count) + 1;
      await tx.cases.insertSupervision({ case_id: cur.id, level: 'leader', note: '回访不满意两次，升级督办 (unsatisfied twice: escalated)', by_user_id: null, at: now });
      if (cur.assigned_unit_id) await tx.cases.bumpUnitCounter(cur.assigned_unit_id, 'supervision');
    } else if (e.kind === 'set_closure') {
      patch.closure_type = e.closureType;
      patch.closed_at = now;
    }
  }
}

/**
 * transitionCase: one action on one case — load (locked) → decide (pure) → write case + history + outbox (+ unit
 * counters, supervision) in ONE transaction. Optimistic version check as a second guard on SQLite.
 */
import { DomainError, notFound, invalid } from '../domain/errors.ts';
import { decide, isAction, type ActionInput, type CaseView, type Effect, type PendingRequest } from '../domain/case/index.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { VERIFY_CHANNELS } from '../domain/case/channels.ts';
import type { AppContext } from '../core/context.ts';
import { fromJson, toJson } from '../storage/db.ts';
import {
  attachToCase, bumpUnitCounter, findCase, insertHistory, insertSupervision, updateCase, type CaseRow, type CaseUpdate,
} from '../storage/repositories/case.repository.ts';
import { appendOutbox } from '../storage/repositories/outbox.repository.ts';
import { applyClockEffects } from './case-clocks.ts';
import type { ReferenceStore } from '../core/reference.ts';


export function regionPathOf(row: Pick<CaseRow, 'district_id' | 'street_id' | 'community_id'>, ref: ReferenceStore): string[] {
  const path: string[] = [];
  const d = row.district_id ? ref.current().regions.get(row.district_id) : undefined;
  if (d?.parentId) path.push(d.parentId); // the city
  for (const r of [row.district_id, row.street_id, row.community_id]) if (r) path.push(r);
  return path;
}

export function caseViewOf(row: CaseRow, ref: ReferenceStore): CaseView {
  return {
    state: row.state as CaseView['state'],
    channel: row.channel,
    trustedChannel: row.trusted === 1,
    verificationRequired: VERIFY_CHANNELS.has(row.channel),
    needsCallback: row.needs_callback === 1,
    assignedUnitId: row.assigned_unit_id,
    subUnitId: row.sub_unit_id,
    dispatchedBy: row.dispatched_by,
    returnCount: row.return_count,
    postponeCount: row.postpone_count,
    pendingRequest: fromJson<PendingRequest | null>(row.pending_request, null),
    reworkCount: row.rework_count,
    reopenCount: row.reopen_count,
    unsatisfiedCount: row.unsatisfied_count,
    everOverdue: row.ever_overdue === 1,
    handleDueAt: row.handle_due_at === null ? null : Number(row.handle_due_at),
    lastReturnedByUnitId: row.last_returned_by_unit_id,
    regionPath: regionPathOf(row, ref),
    reportedBy: row.created_by,
  };
}

export async function transitionCase(
  ctx: AppContext, caseId: number, input: ActionInput, actor: Actor & { name?: string },
  opts: {
    expectedVersion?: number;
    /** More writes that must commit with this action (e.g. the 12345 call that urged it), in its transaction. */
    within?: (trx: Parameters<typeof insertHistory>[0], next: CaseRow) => Promise<void>;
  } = {},
): Promise<CaseRow> {
  if (!isAction(input.action)) throw invalid('action', `unknown action "${String(input.action)}"`);
  const ref = ctx.ref.current();
  const now = ctx.clock.now();
  // Units named in the input must exist (the domain checks roles and states, not our unit register).
  for (const f of ['unitId', 'subUnitId'] as const) {
    const v = (input as Record<string, unknown>)[f];
    if (typeof v === 'string' && !ref.units.has(v)) throw invalid(f, `unknown unit "${v}"`);
  }
  const assisting = (input as { assistingUnitIds?: string[] }).assistingUnitIds;
  assisting?.forEach((u, i) => { if (!ref.units.has(u)) throw invalid(`assistingUnitIds[${i}]`, `unknown unit "${u}"`); });
  if (input.action === 'second_dispatch') {
    const sub = ref.units.get(input.subUnitId)!;
    // second-level dispatch goes down the unit tree: to a sub-unit of the assigned unit
    const row0 = await findCase(ctx.db, caseId);
    if (row0 && row0.assigned_unit_id && sub.parentId !== row0.assigned_unit_id) {
      throw invalid('subUnitId', `${sub.name} is not a sub-unit of the assigned unit`);
    }
  }

  const row = await ctx.db.transaction().execute(async (trx) => {
    const cur = await findCase(trx, caseId, { forUpdate: true, dialect: ctx.handle.dialect });
    if (!cur) throw notFound('case', caseId);
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== cur.version) {
      throw new DomainError('CONFLICT', `case ${cur.case_no} changed since you loaded it (version ${cur.version}); reload and retry`, { field: 'version' });
    }
    // Grid members may only be tasked with matters on the admission list (网格事项准入).
    if ((input.action === 'verify' || input.action === 'self_fix') && actor.roles.includes('grid_member') && !actor.roles.some((r) => r !== 'grid_member')) {
      ref.admission.assertAdmitted(cur.matter_code);
    }
    const { action, ...args } = input as { action: ActionInput['action'] } & Record<string, unknown>;
    const d = decide(caseViewOf(cur, ctx.ref), action, args as never, actor, now);
    const patch: CaseUpdate = { state: d.to, updated_at: now };
    const p = d.patch;
    if ('assignedUnitId' in p) patch.assigned_unit_id = p.assignedUnitId ?? null;
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
    applyClockEffects(ctx.ref, cur, patch, d.effects, now);
    await applyOtherEffects(trx, cur, patch, d.effects, actor, now, input);
    if (!(await updateCase(trx, cur.id, cur.version, patch))) {
      throw new DomainError('CONFLICT', `case ${cur.case_no} was changed concurrently; retry`, { field: 'version' });
    }
    const attachmentIds = d.history.attachmentIds ?? (input.action === 'dispose' || input.action === 'self_fix' ? input.photos : []);
    if (attachmentIds.length && (await attachToCase(trx, cur.id, attachmentIds)) !== attachmentIds.length) {
      throw invalid('photos', 'unknown attachment, or one that belongs to another case');
    }
    await insertHistory(trx, {
      case_id: cur.id, action: d.history.action, from_state: d.from, to_state: d.to, actor_id: actor.userId,
      actor_name: actor.name ?? null, at: now, reason: d.history.reason ?? null, details: toJson(d.history.details),
      attachment_ids: toJson(attachmentIds),
    });
    const next = { ...cur, ...patch, version: cur.version + 1 } as CaseRow;
    await appendOutbox(trx, {
      topic: 'case.transitioned', caseId: cur.id,
      unitIds: [...new Set([cur.assigned_unit_id, next.assigned_unit_id, next.sub_unit_id, cur.routed_unit_id].filter((x): x is string => !!x))],
      regionIds: [cur.district_id, cur.street_id, cur.community_id].filter((x): x is string => !!x),
      payload: { id: cur.id, caseNo: cur.case_no, action: d.history.action, from: d.from, to: d.to, alertLevel: next.alert_level },
      at: now,
    });
    if (opts.within) await opts.within(trx, next);
    return next;
  });
  ctx.events.notify();
  return row;
}

async function applyOtherEffects(
  trx: Parameters<typeof insertSupervision>[0], cur: CaseRow, patch: CaseUpdate, effects: Effect[], actor: Actor,
  now: number, input: ActionInput,
): Promise<void> {
  const unitOf = (e: { unitId?: string }) => e.unitId ?? cur.assigned_unit_id;
  for (const e of effects) {
    if (e.kind === 'count') {
      const unit = unitOf(e);
      if (unit) await bumpUnitCounter(trx, unit, e.counter);
      if (e.counter === 'supervision') patch.supervision_count = (cur.supervision_count ?? 0) + 1;
      if (e.counter === 'supervision' && input.action === 'supervise') {
        await insertSupervision(trx, { case_id: cur.id, level: input.level, note: input.note, by_user_id: actor.userId, at: now });
      }
    } else if (e.kind === 'escalate_supervision') {
      patch.supervision_count = (patch.supervision_count ?? cur.supervision_count) + 1;
      await insertSupervision(trx, { case_id: cur.id, level: 'leader', note: '回访不满意两次，升级督办 (unsatisfied twice: escalated)', by_user_id: null, at: now });
      if (cur.assigned_unit_id) await bumpUnitCounter(trx, cur.assigned_unit_id, 'supervision');
    } else if (e.kind === 'set_closure') {
      patch.closure_type = e.closureType;
      patch.closed_at = now;
    }
  }
}

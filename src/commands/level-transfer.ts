/**
 * transferCase: a level action on one case — 上报 escalate, 下派 assign_down, 接收 accept_transfer, 退回 refuse_transfer
 * (src/domain/case/level-transitions.ts). Load (locked) → decide (pure: the one transition table) → write the case's
 * platform columns + the transfer record + the history row + one outbox row, in ONE transaction. The case stays one
 * case with one history whatever level handles it.
 *
 * Outbox topics (docs/issue-9/levels.md): case.escalated, case.assigned_down, case.transfer_accepted,
 * case.transfer_refused; regionIds = the case's place plus both platforms' regions; payload.userIds = the sender of a
 * transfer when it is decided (accepted, refused), else [] (a transfer is addressed to a platform, not to people).
 */
import { DomainError, notFound } from '../domain/errors.ts';
import { decide, type ActionInput, type Actor } from '../domain/case/index.ts';
import type { LevelAction, PendingTransfer } from '../domain/case/level-types.ts';
import { transferTargetFacts } from '../domain/levels/levels.ts';
import type { AppContext } from '../runtime/context.ts';
import { isUniqueViolation, toJson } from '../storage/codec.ts';
import type { CaseRow, CaseUpdate } from '../storage/repositories/case.repository.ts';
import { caseEvent } from '../storage/repositories/outbox.repository.ts';
import { caseViewOf } from './case-transition.ts';

export const LEVEL_TOPICS: Readonly<Record<LevelAction, string>> = {
  escalate: 'case.escalated',
  assign_down: 'case.assigned_down',
  accept_transfer: 'case.transfer_accepted',
  refuse_transfer: 'case.transfer_refused',
};

type LevelInput = Extract<ActionInput, { action: LevelAction }>;

export async function transferCase(
  ctx: AppContext, caseId: number, input: LevelInput, actor: Actor & { name?: string }, opts: { expectedVersion?: number } = {},
): Promise<CaseRow> {
  const ref = ctx.ref.current();
  const now = ctx.clock.now();
  const toRegionId = input.action === 'assign_down' && typeof input.toRegionId === 'string' ? input.toRegionId : undefined;
  const related = toRegionId !== undefined ? { transferTarget: transferTargetFacts(ref.regionTree, ref.levelPolicy, toRegionId) } : {};
  const regionName = (id: string) => ref.regions.get(id)?.name ?? id;

  const row = await ctx.store.transaction(async (tx) => {
    const cur = await tx.cases.findCase(caseId, { forUpdate: true });
    if (!cur) throw notFound('case', caseId);
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== cur.version) {
      throw new DomainError('CONFLICT', `case ${cur.case_no} changed since you loaded it (version ${cur.version}); reload and retry`, { field: 'version' });
    }
    const view = caseViewOf(cur, ctx.ref);
    const { action, ...args } = input as { action: LevelAction } & Record<string, unknown>;
    const d = decide(view, action, args as never, actor, now, {}, related);
    const patch: CaseUpdate = { state: d.patch.state, updated_at: now };
    if ('platformRegionId' in d.patch) patch.platform_region_id = d.patch.platformRegionId ?? null;
    if ('disputeOwner' in d.patch) patch.dispute_owner_region_id = d.patch.disputeOwner?.regionId ?? null;

    // The transfer's own record: a new one on escalate / assign down, the decision on accept / refuse.
    let transfer: PendingTransfer;
    if (action === 'escalate' || action === 'assign_down') {
      const t = d.patch.pendingTransfer!;
      let id: number;
      try {
        id = await tx.levels.insertTransfer({
          case_id: Number(cur.id), kind: t.kind, from_region_id: t.fromRegionId, to_region_id: t.toRegionId, reason: t.reason,
          requested_by: actor.userId, requested_by_name: actor.name ?? null, requested_at: now, status: 'pending',
          decided_by: null, decided_by_name: null, decided_at: null, decision_reason: null,
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError('CONFLICT', `case ${cur.case_no} already has a transfer waiting; reload`, { field: 'platform' });
        throw err;
      }
      transfer = { ...t, id, requestedByName: actor.name ?? null };
      patch.pending_transfer = toJson(transfer);
    } else {
      transfer = view.pendingTransfer!;
      const decided = transfer.id !== undefined && await tx.levels.decideTransfer(transfer.id, {
        status: action === 'accept_transfer' ? 'accepted' : 'refused', decided_by: actor.userId, decided_by_name: actor.name ?? null,
        decided_at: now, decision_reason: d.history.reason ?? null,
      });
      if (!decided) throw new DomainError('CONFLICT', `the transfer of case ${cur.case_no} was decided meanwhile; reload`, { field: 'platform' });
      patch.pending_transfer = null;
    }
    if (!(await tx.cases.updateCase(cur.id, cur.version, patch))) {
      throw new DomainError('CONFLICT', `case ${cur.case_no} was changed concurrently; retry`, { field: 'version' });
    }
    await tx.history.append({
      caseId: Number(cur.id), action: d.history.action, fromState: d.from, toState: d.to,
      actorId: actor.userId, actorName: actor.name ?? null, at: now, reason: d.history.reason ?? null,
      details: {
        ...d.history.details, transferId: transfer.id,
        fromRegionName: regionName(transfer.fromRegionId), toRegionName: regionName(transfer.toRegionId),
      },
    });
    const next = { ...cur, ...patch, version: cur.version + 1 } as CaseRow;
    const event = caseEvent(LEVEL_TOPICS[action], next, {
      id: Number(cur.id), caseId: Number(cur.id), caseNo: cur.case_no, action, state: next.state, actorId: actor.userId,
      transferId: transfer.id, transferKind: transfer.kind, fromRegionId: transfer.fromRegionId, toRegionId: transfer.toRegionId,
      platformRegionId: next.platform_region_id ?? null, reason: d.history.reason ?? null,
      userIds: action === 'accept_transfer' || action === 'refuse_transfer' ? [transfer.requestedBy] : [],
    }, now);
    event.regionIds = [...new Set([...event.regionIds, transfer.fromRegionId, transfer.toRegionId])];
    await tx.outbox.append(event);
    return next;
  });
  ctx.events.notify();
  return row;
}

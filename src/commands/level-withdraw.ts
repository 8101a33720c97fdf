/**
 * A transfer waiting for its receiver dies with the case's loop: when any other action closes, cancels or merges the
 * case (ARCHIVED, CANCELLED), the pending escalation or assignment is withdrawn in the same transaction (its record
 * says so; the history row of that action names it). Called by transitionCase.
 */
import type { Actor } from '../domain/case/index.ts';
import { isOpen, type Decision } from '../domain/case/index.ts';
import type { PendingTransfer } from '../domain/case/level-types.ts';
import { fromJson } from '../storage/codec.ts';
import type { Repositories } from '../storage/store.ts';
import type { CaseRow, CaseUpdate } from '../storage/repositories/case.repository.ts';

export async function withdrawTransferOnClose(
  tx: Repositories, cur: CaseRow, patch: CaseUpdate, d: Decision, actor: Actor & { name?: string }, now: number,
): Promise<void> {
  const pending = fromJson<PendingTransfer | null>(cur.pending_transfer ?? null, null);
  if (!pending || isOpen(d.to)) return;
  patch.pending_transfer = null;
  if (pending.id !== undefined) {
    await tx.levels.decideTransfer(pending.id, {
      status: 'withdrawn', decided_by: actor.userId, decided_by_name: actor.name ?? null, decided_at: now, decision_reason: `case ${d.history.action}`,
    });
  }
  d.history.details = { ...d.history.details, withdrawnTransfer: pending.kind };
}

/**
 * recordCallback: the seat who claimed a callback records what the call gave.
 *   - satisfied / basically satisfied / unsatisfied: the case's `callback` action (transition table: archive, or
 *     reopen for its unit — 重办 — and escalate to supervision when unsatisfied again), with the task closed in the
 *     same transaction;
 *   - unreachable, attempts left: a `callback_attempt` row on the case (state unchanged), the task waits
 *     `retryMinutes` for the next attempt and is free for any seat then;
 *   - unreachable, last attempt: the case is archived through the `close` action (closing without a callback, closure
 *     type as the check set it), signed by the platform (`system:callback`), and a `callback_attempt` row with
 *     `final: true` — the case is not counted as called back.
 * Every path writes the case's history and an event with the case id (the assessment recounts from them).
 */
import { DomainError } from '../domain/errors.ts';
import { decideResult, type CallbackResult } from '../domain/callback/rules.ts';
import type { ClosureType } from '../domain/case/states.ts';
import type { AppContext } from '../runtime/context.ts';
import type { CallbackTaskRow } from '../storage/repositories/callback.repository.ts';
import type { Repositories } from '../storage/store.ts';
import { regionPathOf, transitionCase } from './case-transition.ts';
import { taskViewOf } from './callback-claim.ts';
import { deskEvent, loadCaseFor, type Who } from './desk-common.ts';

export const CALLBACK_SYSTEM_ID = 'system:callback';

export interface CallbackResultInput { result: CallbackResult; note?: string }

const changed = () => new DomainError('CONFLICT', 'the callback changed meanwhile: reload it', { field: 'taskId' });

export async function recordCallback(ctx: AppContext, taskId: number, input: CallbackResultInput, actor: Who): Promise<CallbackTaskRow> {
  const now = ctx.clock.now();
  const t = await ctx.store.callbacks.findTask(taskId);
  const c0 = t && (await ctx.store.cases.findCase(Number(t.case_id)));
  if (!t || !c0) throw new DomainError('NOT_FOUND', `callback ${taskId} not found`, { details: { what: 'callback', id: taskId } });
  await ctx.store.transaction((tx) => loadCaseFor(tx, ctx.ref, actor, Number(c0.id))); // 404 for a case the seat may not see
  const step = decideResult(taskViewOf(t), actor, input, now, ctx.ref.current().desks);
  const note = input.note?.trim() || null;
  const who = { actorId: actor.userId, actorName: actor.name ?? null, at: now };
  const closeTask = async (tx: Repositories, state: string, result: string, attempts: number) => {
    const ok = await tx.callbacks.updateTask(taskId, Number(t.version), {
      state, result, attempts, note, finished_at: now, finished_by: actor.userId, finished_by_name: actor.name ?? null, next_attempt_at: null,
    });
    if (!ok) throw changed();
    await tx.deskHistory.append({ kind: 'callback', recordId: taskId, caseId: Number(c0.id), action: result === 'unreachable' ? 'attempt' : 'answered', ...who,
      details: { result, attempt: attempts, ...(note ? { note } : {}), ...(state === 'unreachable' ? { final: true } : {}) } });
  };

  if (step.kind === 'answered') {
    const result = input.result as Exclude<CallbackResult, 'unreachable'>;
    await transitionCase(ctx, Number(c0.id), { action: 'callback', satisfied: step.satisfied, result, ...(note ? { note } : {}) }, actor, {
      within: async (tx) => closeTask(tx, 'done', result, Number(t.attempts) + 1),
    });
  } else if (step.kind === 'retry') {
    await ctx.store.transaction(async (tx) => {
      const c = await loadCaseFor(tx, ctx.ref, actor, Number(c0.id));
      if (c.state !== 'CLOSED_PENDING_CALLBACK') throw new DomainError('INVALID_TRANSITION', `case ${c.case_no} is not waiting for a callback (${c.state})`, { field: 'taskId' });
      const ok = await tx.callbacks.updateTask(taskId, Number(t.version), {
        state: 'waiting', attempts: step.attempt, claimed_by: null, claimed_by_name: null, claimed_at: null, next_attempt_at: step.nextAttemptAt, note,
      });
      if (!ok) throw changed();
      await tx.deskHistory.append({ kind: 'callback', recordId: taskId, caseId: Number(c.id), action: 'attempt', ...who,
        details: { result: 'unreachable', attempt: step.attempt, nextAttemptAt: step.nextAttemptAt, ...(note ? { note } : {}) } });
      await tx.history.append({
        caseId: Number(c.id), action: 'callback_attempt', fromState: c.state, toState: c.state, ...who, reason: note,
        details: { result: 'unreachable', attempt: step.attempt, taskId, nextAttemptAt: step.nextAttemptAt },
      });
      await tx.outbox.append(deskEvent('case.callback_attempt', c, { taskId, result: 'unreachable', attempt: step.attempt, actorId: actor.userId }, now));
    });
    ctx.events.notify();
  } else {
    // The last attempt: closing without a callback, as the platform (the seat's own role may not close cases).
    const system = {
      userId: CALLBACK_SYSTEM_ID, name: `回访无法联系归档（${actor.name ?? actor.userId}）`, roles: ['shift_leader' as const], unitIds: [],
      regionIds: regionPathOf(c0, ctx.ref),
    };
    const reason = `回访 ${step.attempt} 次均无法联系，按无法联系归档 / unreachable after ${step.attempt} attempts: archived without a callback`;
    await transitionCase(ctx, Number(c0.id), { action: 'close', closureType: (c0.closure_type ?? 'normal') as ClosureType, reason }, system, {
      expectedVersion: Number(c0.version),
      within: async (tx, next) => {
        await closeTask(tx, 'unreachable', 'unreachable', step.attempt);
        await tx.history.append({
          caseId: Number(next.id), action: 'callback_attempt', fromState: c0.state, toState: next.state, ...who, reason: note,
          details: { result: 'unreachable', attempt: step.attempt, taskId, final: true },
        });
      },
    });
  }
  return (await ctx.store.callbacks.findTask(taskId))!;
}

/**
 * claimCallback / releaseCallback: a seat takes a case waiting for its callback (回访) so that no other seat calls the
 * same person, or gives it back. The task is made at the first claim of a round (the queue lists the cases waiting
 * for their callback, with their task if one exists); a retry after an unreachable attempt is claimed again once its
 * spacing has passed. One transaction each: the task, its timeline row and a `callback.claimed` / `callback.released`
 * event.
 */
import { DomainError } from '../domain/errors.ts';
import { callbackDueAt, checkClaim, type CallbackTaskState, type CallbackTaskView } from '../domain/callback/rules.ts';
import type { AppContext } from '../runtime/context.ts';
import { isUniqueViolation } from '../storage/codec.ts';
import type { CallbackTaskRow } from '../storage/repositories/callback.repository.ts';
import { deskEvent, loadCaseFor, type Who } from './desk-common.ts';

export const taskViewOf = (t: CallbackTaskRow): CallbackTaskView => ({
  state: t.state as CallbackTaskState, attempts: Number(t.attempts), claimedBy: t.claimed_by,
  nextAttemptAt: t.next_attempt_at === null ? null : Number(t.next_attempt_at),
});

const claimedElsewhere = () => new DomainError('CONFLICT', '该回访已由其他坐席领取 / another seat has claimed this callback', { field: 'taskId' });

export async function claimCallback(ctx: AppContext, caseId: number, actor: Who): Promise<CallbackTaskRow> {
  const now = ctx.clock.now();
  const s = ctx.ref.current().desks;
  const task = await ctx.store.transaction(async (tx) => {
    const c = await loadCaseFor(tx, ctx.ref, actor, caseId);
    if (c.state !== 'CLOSED_PENDING_CALLBACK') {
      throw new DomainError('INVALID_TRANSITION', `case ${c.case_no} is not waiting for a callback (${c.state})`, { field: 'caseId', details: { state: c.state } });
    }
    const cur = await tx.callbacks.activeTaskOf(Number(c.id), { forUpdate: true });
    checkClaim(cur ? taskViewOf(cur) : null, actor, now);
    if (cur && cur.state === 'claimed' && cur.claimed_by === actor.userId) return cur; // claimed by me already: nothing to do
    const claim = { state: 'claimed', claimed_by: actor.userId, claimed_by_name: actor.name ?? null, claimed_at: now };
    let id: number;
    if (cur) {
      if (!(await tx.callbacks.updateTask(Number(cur.id), Number(cur.version), claim))) throw claimedElsewhere();
      id = Number(cur.id);
    } else {
      const openedAt = c.closed_at === null ? now : Number(c.closed_at);
      try {
        id = await tx.callbacks.insertTask({
          case_id: Number(c.id), case_no: c.case_no, round: (await tx.callbacks.roundsOf(Number(c.id))) + 1, ...claim, result: null,
          next_attempt_at: null, opened_at: openedAt, due_at: callbackDueAt(openedAt, s), finished_at: null, finished_by: null, finished_by_name: null, note: null,
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw claimedElsewhere(); // two seats at once: the partial unique index lets one through
        throw err;
      }
    }
    await tx.deskHistory.append({ kind: 'callback', recordId: id, caseId: Number(c.id), action: 'claimed', actorId: actor.userId, actorName: actor.name ?? null, at: now });
    await tx.outbox.append(deskEvent('callback.claimed', c, { taskId: id, actorId: actor.userId }, now));
    return (await tx.callbacks.findTask(id))!;
  });
  ctx.events.notify();
  return task;
}

export async function releaseCallback(ctx: AppContext, taskId: number, actor: Who): Promise<CallbackTaskRow> {
  const now = ctx.clock.now();
  const task = await ctx.store.transaction(async (tx) => {
    const t = await tx.callbacks.findTask(taskId, { forUpdate: true });
    const c = t && (await loadCaseFor(tx, ctx.ref, actor, Number(t.case_id)));
    if (!t || !c) throw new DomainError('NOT_FOUND', `callback ${taskId} not found`, { details: { what: 'callback', id: taskId } });
    // The seat gives back their own claim; a shift leader (or an administrator) may free a claim a seat left behind.
    const leader = actor.roles.includes('shift_leader') || actor.roles.includes('admin');
    if (t.state !== 'claimed') throw new DomainError('CONFLICT', 'this callback is not claimed', { field: 'taskId' });
    if (t.claimed_by !== actor.userId && !leader) throw new DomainError('FORBIDDEN', 'only the seat who claimed it (or a shift leader) may release it', { field: 'taskId' });
    if (!(await tx.callbacks.updateTask(taskId, Number(t.version), { state: 'waiting', claimed_by: null, claimed_by_name: null, claimed_at: null }))) throw claimedElsewhere();
    await tx.deskHistory.append({ kind: 'callback', recordId: taskId, caseId: Number(c.id), action: 'released', actorId: actor.userId, actorName: actor.name ?? null, at: now, details: { claimedBy: t.claimed_by } });
    await tx.outbox.append(deskEvent('callback.released', c, { taskId, actorId: actor.userId }, now));
    return (await tx.callbacks.findTask(taskId))!;
  });
  ctx.events.notify();
  return task;
}

/**
 * The citizen's own rating (portal, later Open311) feeds the callback record: a `public_rating` row on the case
 * (result + source; the assessment counts it as the callback's result when no seat called back), the callback task in
 * work, if any, closed as `rated` (nobody needs to call a citizen who has answered), and an event with the case id.
 * Called inside the rating's own transaction (src/http/routes/public/public.routes.ts).
 */
import type { Repositories } from '../storage/store.ts';
import type { CaseRow } from '../storage/repositories/case.repository.ts';
import { deskEvent } from './desk-common.ts';

export async function recordPublicRating(
  tx: Repositories, c: CaseRow, rating: string, comment: string | null, source: 'portal' | 'open311', actor: { id: string; name: string }, now: number,
): Promise<void> {
  const who = { actorId: actor.id, actorName: actor.name, at: now };
  await tx.history.append({
    caseId: Number(c.id), action: 'public_rating', fromState: c.state, toState: c.state, ...who, reason: comment,
    details: { result: rating, source },
  });
  const task = await tx.callbacks.activeTaskOf(Number(c.id), { forUpdate: true });
  if (task) {
    await tx.callbacks.updateTask(Number(task.id), Number(task.version), {
      state: 'rated', result: rating, finished_at: now, finished_by: actor.id, finished_by_name: actor.name, next_attempt_at: null, note: comment,
    });
    await tx.deskHistory.append({ kind: 'callback', recordId: Number(task.id), caseId: Number(c.id), action: 'rated', ...who, details: { result: rating, source } });
  }
  await tx.outbox.append(deskEvent('case.public_rating', c, { result: rating, source, actorId: actor.id }, now));
}

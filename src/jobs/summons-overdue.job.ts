/**
 * The summons overdue job: a summoned department that has not reported when its limit passes is marked overdue
 * once (a timeline row and a `summons.overdue` event to that department and the one who blew the whistle). It may
 * still report (late); if it never does, closing the summons marks it absent.
 *
 * Safe to run twice and on several nodes: each mark is claimed with a conditional UPDATE (`overdue_at IS NULL AND
 * state = 'summoned'`); only the caller whose UPDATE changed the row writes the timeline row and the event, in the
 * same transaction. A re-run finds nothing (the partial index summons_units_waiting no longer holds the row).
 */
import type { AppContext } from '../runtime/context.ts';
import { summonsEvent, withIssuer } from '../commands/summons-common.ts';

/** How the job signs its timeline rows (it is not a user). */
export const SUMMONS_JOB_ACTOR = '报到时限监控 summons monitor';

export async function runSummonsOverdue(ctx: AppContext, opts: { batchSize?: number; maxBatches?: number } = {}): Promise<{ overdue: number }> {
  const now = ctx.clock.now();
  const batchSize = opts.batchSize ?? 200;
  let overdue = 0;
  for (let b = 0; b < (opts.maxBatches ?? 100); b++) {
    const due = await ctx.store.summons.dueUnreported(now, batchSize);
    if (due.length === 0) break;
    for (const d of due) {
      const claimed = await ctx.store.transaction(async (tx) => {
        if (!(await tx.summons.claimOverdue(Number(d.summons_id), d.unit_id, now))) return false;
        const s = await tx.summons.findSummons(Number(d.summons_id));
        if (!s) return false;
        await tx.summons.appendHistory([{
          summonsId: Number(s.id), action: 'overdue', unitId: d.unit_id, actorId: null, actorName: SUMMONS_JOB_ACTOR, at: now,
          details: { dueAt: Number(d.due_at) },
        }]);
        await tx.outbox.append(summonsEvent('summons.overdue', s, withIssuer(s, [{ unit_id: d.unit_id }]), {
          unitId: d.unit_id, dueAt: Number(d.due_at), userIds: s.issued_by && !s.issued_by.startsWith('key:') ? [s.issued_by] : [],
        }, now));
        return true;
      });
      if (claimed) overdue++;
    }
    if (due.length < batchSize) break;
  }
  if (overdue > 0) ctx.events.notify();
  return { overdue };
}

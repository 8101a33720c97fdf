/**
 * The assist overdue job (联勤联动, issue 9 §1): an assisting task not finished when its own deadline passes is marked
 * once — a history row on the case (`assist_overdue`) and an `assist.overdue` event to the assisting unit, the lead
 * and the centre's coordinators (a notification of kind `overdue`). The task may still be completed (late: its
 * `overdue` flag says so when it ends, and the assessment counts it late). A task ruled back to its unit gets a new
 * deadline and may be marked again.
 *
 * Safe to run twice and on several nodes: each mark is claimed with a conditional UPDATE (`overdue_at IS NULL`, same
 * deadline, still open); only the caller whose UPDATE changed the row writes the history row and the event, in the
 * same transaction. A re-run finds nothing (the partial index case_assist_tasks_waiting no longer holds the row).
 */
import type { AppContext } from '../runtime/context.ts';
import { assistEvent } from '../commands/assist-tasks.ts';
import { everyNoOverlap } from './every.ts';

/** How the job signs its history rows (it is not a user). */
export const ASSIST_JOB_ACTOR = '协办时限监控 assist monitor';

export async function runAssistOverdue(ctx: AppContext, opts: { batchSize?: number; maxBatches?: number } = {}): Promise<{ overdue: number }> {
  const now = ctx.clock.now();
  const batchSize = opts.batchSize ?? 200;
  let overdue = 0;
  for (let b = 0; b < (opts.maxBatches ?? 100); b++) {
    const due = await ctx.store.assists.dueUnmarked(now, batchSize);
    if (due.length === 0) break;
    for (const t of due) {
      const dueAt = Number(t.due_at);
      const claimed = await ctx.store.transaction(async (tx) => {
        if (!(await tx.assists.claimOverdue(Number(t.id), dueAt, now))) return false;
        const c = await tx.cases.findCase(Number(t.case_id));
        if (!c) return false;
        await tx.history.append({
          caseId: Number(c.id), action: 'assist_overdue', fromState: c.state, toState: c.state, actorId: null, actorName: ASSIST_JOB_ACTOR,
          at: now, reason: null, details: { taskId: Number(t.id), unitId: t.unit_id, dueAt },
        });
        await assistEvent(tx, 'assist.overdue', c, { id: Number(t.id), unitId: t.unit_id, state: t.state as 'dispatched' | 'signed' }, now, {
          userIds: [t.dispatched_by && !t.dispatched_by.startsWith('key:') ? t.dispatched_by : null],
          payload: { dueAt, overdueMinutes: Math.round((now - dueAt) / 60_000) },
        });
        return true;
      });
      if (claimed) overdue++;
    }
    if (due.length < batchSize) break;
  }
  if (overdue > 0) ctx.events.notify();
  return { overdue };
}

/** Runs the job on the deadline sweep's interval (config), never overlapping with itself. */
export function scheduleAssistOverdue(ctx: AppContext, intervalMs: number): NodeJS.Timeout {
  return everyNoOverlap(ctx, intervalMs, 'assist overdue job failed', async () => {
    const r = await runAssistOverdue(ctx);
    if (r.overdue > 0) ctx.log.info(r, `joint action: ${r.overdue} assisting task(s) past their deadline`);
  });
}

/**
 * The deadline sweep's part for the 12345 feedback clocks (domain.md §5: the feedback deadline warns and goes
 * overdue like any other). Called by runDeadlineSweep after the case clocks; reads only the calls whose threshold
 * has come (partial index on hotline_calls.feedback_next_at), and is idempotent like the rest of the sweep: a
 * threshold, once handled, moves `feedback_next_at` past it, and an answered caller's clock stops there.
 * A raised level is recorded on the case exactly as the other clocks' are (history deadline_warning /
 * deadline_overdue and the case.deadline_* event), with `clock: 'feedback'`.
 */
import { feedbackAlert, feedbackAnsweredAt } from '../domain/alerts/feedback.ts';
import { levelRank, maxLevel } from '../domain/alerts/alerts.ts';
import type { DeadlineLevel } from '../domain/deadline/index.ts';
import type { AppContext } from '../runtime/context.ts';
import { caseEvent, type OutboxEvent } from '../storage/repositories/outbox.repository.ts';
import type { HistoryEntry } from '../storage/repositories/history.repository.ts';
import { SWEEP_ACTOR } from './deadline-sweep.job.ts';

const asLevel = (v: string | null): DeadlineLevel => (v === 'warning' || v === 'overdue' ? v : 'normal');

export async function sweepFeedbackClocks(
  ctx: AppContext, now: number, res: { examined: number; warnings: number; overdue: number },
  opts: { batchSize?: number; maxBatches?: number } = {},
): Promise<void> {
  const batchSize = opts.batchSize ?? 500;
  for (let b = 0; b < (opts.maxBatches ?? 1000); b++) {
    const n = await ctx.store.transaction(async (tx) => {
      const rows = await tx.feedback.claimDue(now, batchSize);
      const events: OutboxEvent[] = [];
      const history: HistoryEntry[] = [];
      for (const r of rows) {
        const c = r.case_id === null ? undefined : await tx.cases.findCase(r.case_id);
        const stored = asLevel(r.feedback_level);
        if (!c) {
          await tx.feedback.setClock(r.id, null, { level: stored, nextAt: null });
          continue;
        }
        const caseId = Number(c.id);
        const masterId = c.master_case_id === null ? null : Number(c.master_case_id);
        const steps = await tx.feedback.answeringSteps(masterId === null ? [caseId] : [caseId, masterId], r.created_at);
        const a = feedbackAlert({ warnAt: r.feedback_warn_at, dueAt: r.feedback_due_at, answeredAt: feedbackAnsweredAt(steps, caseId, masterId, r.created_at) }, now);
        const level = maxLevel(stored, a.level);
        await tx.feedback.setClock(r.id, caseId, { level, nextAt: a.nextAlertAt });
        if (levelRank(level) <= levelRank(stored)) continue;
        if (level === 'warning') res.warnings++;
        else res.overdue++;
        const action = level === 'warning' ? 'deadline_warning' : 'deadline_overdue';
        const details = { clock: 'feedback', feedbackLevel: level, feedbackClass: r.feedback_class, feedbackDueAt: r.feedback_due_at, callId: r.id };
        history.push({ caseId, action, fromState: c.state, toState: c.state, actorId: null, actorName: SWEEP_ACTOR, at: now, details });
        events.push(caseEvent(`case.${action}`, { ...c, id: caseId }, { id: caseId, caseNo: c.case_no, level, ...details }, now));
      }
      await tx.history.appendMany(history);
      await tx.outbox.appendMany(events);
      return rows.length;
    });
    res.examined += n;
    if (n < batchSize) break;
  }
}

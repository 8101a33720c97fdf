/**
 * The deadline sweep: raises warning (yellow) and overdue (red) flags when a case's clock crosses a threshold.
 * It reads only cases whose `next_alert_at` has come (a partial index), so a tick costs what is due, not what is
 * stored. Idempotent: a threshold, once handled, moves `next_alert_at` past it, so a re-run finds nothing.
 * Safe with several processes on PostgreSQL: rows are claimed with FOR UPDATE SKIP LOCKED inside the batch's
 * transaction (sweep.repository.ts), so no two workers fire the same alert.
 */
import { alertState, levelRank } from '../domain/alerts/alerts.ts';
import type { DeadlineLevel } from '../domain/deadline/index.ts';
import type { AppContext } from '../runtime/context.ts';
import { caseEvent, type OutboxEvent } from '../storage/repositories/outbox.repository.ts';
import type { HistoryEntry } from '../storage/repositories/history.repository.ts';
import { sweepFeedbackClocks } from './feedback-sweep.ts';

export interface SweepResult { examined: number; warnings: number; overdue: number; batches: number; ms: number }

/** How the sweep signs its history rows (it is not a user). */
export const SWEEP_ACTOR = '时限监控 deadline sweep';

export async function runDeadlineSweep(ctx: AppContext, opts: { batchSize?: number; maxBatches?: number } = {}): Promise<SweepResult> {
  const t0 = performance.now();
  const now = ctx.clock.now();
  const batchSize = opts.batchSize ?? 500;
  const res: SweepResult = { examined: 0, warnings: 0, overdue: 0, batches: 0, ms: 0 };
  for (let b = 0; b < (opts.maxBatches ?? 1000); b++) {
    const n = await ctx.store.transaction(async (tx) => {
      const rows = await tx.sweep.claimDue(now, batchSize);
      const events: OutboxEvent[] = [];
      const history: HistoryEntry[] = [];
      for (const r of rows) {
        const a = alertState({
          state: r.state, handleWarnAt: num(r.handle_warn_at), handleDueAt: num(r.handle_due_at), stage: r.stage,
          stageWarnAt: num(r.stage_warn_at), stageDueAt: num(r.stage_due_at), suspendedAt: num(r.suspended_at),
        }, now);
        const raised = levelRank(a.level) > levelRank(r.alert_level as DeadlineLevel);
        const everOverdue = r.ever_overdue === 1 || a.handleLevel === 'overdue' ? 1 : 0;
        await tx.sweep.setAlert(Number(r.id), { alert_level: a.level, next_alert_at: a.nextAlertAt, ever_overdue: everOverdue });
        if (!raised) continue;
        if (a.level === 'warning') res.warnings++;
        else res.overdue++;
        const action = a.level === 'warning' ? 'deadline_warning' : 'deadline_overdue';
        const details = { handleLevel: a.handleLevel, stageLevel: a.stageLevel, stage: r.stage, handleDueAt: num(r.handle_due_at), stageDueAt: num(r.stage_due_at) };
        history.push({ caseId: Number(r.id), action, fromState: r.state, toState: r.state, actorId: null, actorName: SWEEP_ACTOR, at: now, details });
        events.push(caseEvent(`case.${action}`, { ...r, id: Number(r.id) }, { id: Number(r.id), caseNo: r.case_no, level: a.level, ...details }, now));
      }
      await tx.history.appendMany(history);
      await tx.outbox.appendMany(events);
      return rows.length;
    });
    res.examined += n;
    res.batches++;
    if (n < batchSize) break;
  }
  // The 12345 feedback clocks: their own rows and thresholds, same counts (src/jobs/feedback-sweep.ts).
  await sweepFeedbackClocks(ctx, now, res, opts);
  res.ms = performance.now() - t0;
  if (res.warnings + res.overdue > 0) ctx.events.notify();
  return res;
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

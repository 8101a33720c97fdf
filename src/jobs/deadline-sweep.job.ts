/**
 * The deadline sweep: raises warning (yellow) and overdue (red) flags when a case's clock crosses a threshold.
 * It reads only cases whose `next_alert_at` has come (a partial index), so a tick costs what is due, not what is
 * stored. Idempotent: a threshold, once handled, moves `next_alert_at` past it, so a re-run finds nothing.
 * Safe with several processes on PostgreSQL: rows are claimed with FOR UPDATE SKIP LOCKED inside the batch's
 * transaction, so no two workers fire the same alert.
 */

import { alertState, levelRank } from '../domain/alerts/alerts.ts';
import type { DeadlineLevel } from '../domain/deadline/index.ts';
import type { AppContext } from '../core/context.ts';
import { toJson } from '../storage/db.ts';
import { appendOutboxMany, type OutboxEvent } from '../storage/repositories/outbox.repository.ts';
import { insertChunked } from '../storage/repositories/bulk.ts';

export interface SweepResult { examined: number; warnings: number; overdue: number; batches: number; ms: number }

const COLUMNS = [
  'id', 'case_no', 'state', 'handle_warn_at', 'handle_due_at', 'stage', 'stage_warn_at', 'stage_due_at', 'suspended_at',
  'alert_level', 'ever_overdue', 'assigned_unit_id', 'district_id', 'street_id', 'community_id',
] as const;

export async function runDeadlineSweep(ctx: AppContext, opts: { batchSize?: number; maxBatches?: number } = {}): Promise<SweepResult> {
  const t0 = performance.now();
  const now = ctx.clock.now();
  const batchSize = opts.batchSize ?? 500;
  const res: SweepResult = { examined: 0, warnings: 0, overdue: 0, batches: 0, ms: 0 };
  for (let b = 0; b < (opts.maxBatches ?? 1000); b++) {
    const n = await ctx.db.transaction().execute(async (trx) => {
      let q = trx.selectFrom('cases').select(COLUMNS).where('next_alert_at', 'is not', null).where('next_alert_at', '<=', now)
        .orderBy('next_alert_at').limit(batchSize);
      if (ctx.handle.dialect === 'postgres') q = q.forUpdate().skipLocked();
      const rows = await q.execute();
      const events: OutboxEvent[] = [];
      const history: { case_id: number; action: string; from_state: string; to_state: string; actor_id: null; actor_name: string; at: number; reason: null; details: string; attachment_ids: string }[] = [];
      for (const r of rows) {
        const a = alertState({
          state: r.state, handleWarnAt: num(r.handle_warn_at), handleDueAt: num(r.handle_due_at), stage: r.stage,
          stageWarnAt: num(r.stage_warn_at), stageDueAt: num(r.stage_due_at), suspendedAt: num(r.suspended_at),
        }, now);
        const raised = levelRank(a.level) > levelRank(r.alert_level as DeadlineLevel);
        const everOverdue = r.ever_overdue === 1 || a.handleLevel === 'overdue' ? 1 : 0;
        await trx.updateTable('cases').set({ alert_level: a.level, next_alert_at: a.nextAlertAt, ever_overdue: everOverdue })
          .where('id', '=', r.id).execute();
        if (raised) {
          if (a.level === 'warning') res.warnings++;
          else res.overdue++;
          const action = a.level === 'warning' ? 'deadline_warning' : 'deadline_overdue';
          const details = { handleLevel: a.handleLevel, stageLevel: a.stageLevel, stage: r.stage, handleDueAt: num(r.handle_due_at), stageDueAt: num(r.stage_due_at) };
          history.push({ case_id: Number(r.id), action, from_state: r.state, to_state: r.state, actor_id: null, actor_name: '时限监控 deadline sweep', at: now, reason: null, details: toJson(details), attachment_ids: '[]' });
          events.push({
            topic: `case.${action}`, caseId: Number(r.id), unitIds: r.assigned_unit_id ? [r.assigned_unit_id] : [],
            regionIds: [r.district_id, r.street_id, r.community_id].filter((x): x is string => !!x),
            payload: { id: Number(r.id), caseNo: r.case_no, level: a.level, ...details }, at: now,
          });
        }
      }
      await insertChunked(trx, 'case_history', history, 500);
      await appendOutboxMany(trx, events);
      return rows.length;
    });
    res.examined += n;
    res.batches++;
    if (n < batchSize) break;
  }
  res.ms = performance.now() - t0;
  if (res.warnings + res.overdue > 0) ctx.events.notify();
  return res;
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

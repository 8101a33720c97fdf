/**
 * The supervision raise job: a notice left unanswered past its deadline, or answered but overtaken by the case going
 * overdue again, is raised one tier (unit → district → city) with a fresh deadline for the unit's answer: the notice
 * row, its timeline, the case's `supervision_raised` history row (noticeId, fromTier, toTier) and an event with the
 * case id, in one transaction.
 *
 * Safe to run twice and on several nodes: each raise is claimed with a conditional UPDATE on the notice's tier, state
 * and version as read; only the caller whose UPDATE changed the row writes the rest. A re-run finds the notice raised
 * (a new deadline, or answered long before its case's new deadline) and does nothing.
 */
import type { AppContext } from '../runtime/context.ts';
import { isOpen, type State } from '../domain/case/states.ts';
import { nextTier, noticeDueAt, raiseReason, type NoticeState, type Tier } from '../domain/supervision/rules.ts';
import type { NoticeLevel } from '../domain/callback/settings.ts';
import { deskEvent } from '../commands/desk-common.ts';
import { everyNoOverlap } from './every.ts';

export const SUPERVISION_JOB_ACTOR = '督办升级 supervision monitor';

export async function runSupervisionRaise(ctx: AppContext, opts: { batchSize?: number } = {}): Promise<{ raised: number }> {
  const now = ctx.clock.now();
  const settings = ctx.ref.current().desks;
  let raised = 0;
  const candidates = await ctx.store.supervision.raiseCandidates(now, opts.batchSize ?? 500);
  for (const n of candidates) {
    const c = await ctx.store.cases.findCase(Number(n.case_id));
    if (!c) continue;
    const view = { state: n.state as NoticeState, tier: n.tier as Tier, unitId: n.unit_id, dueAt: Number(n.due_at), answeredAt: n.answered_at === null ? null : Number(n.answered_at) };
    const why = raiseReason(view, {
      open: isOpen(c.state as State) && c.state !== 'CLOSED_PENDING_CALLBACK', overdue: c.alert_level === 'overdue',
      handleDueAt: c.handle_due_at === null ? null : Number(c.handle_due_at),
    }, now);
    const to = nextTier(view.tier);
    if (!why || !to) continue;
    const dueAt = noticeDueAt(now, n.level as NoticeLevel, settings);
    const done = await ctx.store.transaction(async (tx) => {
      const claimed = await tx.supervision.claimRaise(n.id, { tier: n.tier, state: n.state, version: Number(n.version) }, {
        tier: to, state: 'open', due_at: dueAt, raise_count: Number(n.raise_count) + 1, raised_at: now,
        ...(why === 'overdue_again' ? { answer: null, answered_by: null, answered_by_name: null, answered_at: null } : {}),
      });
      if (!claimed) return false;
      const cur = (await tx.cases.findCase(Number(c.id)))!;
      const who = { actorId: null, actorName: SUPERVISION_JOB_ACTOR, at: now };
      await tx.history.append({
        caseId: Number(cur.id), action: 'supervision_raised', fromState: cur.state, toState: cur.state, ...who,
        reason: why === 'unanswered' ? '督办单逾期未答复，自动升级 / unanswered past its deadline' : '督办后再次超期，自动升级 / overdue again after the answer',
        details: { noticeId: n.id, fromTier: n.tier, toTier: to, why, level: n.level, dueAt },
      });
      await tx.deskHistory.append({ kind: 'supervision', recordId: n.id, caseId: Number(cur.id), action: 'raised', ...who, details: { fromTier: n.tier, toTier: to, why, dueAt } });
      await tx.outbox.append(deskEvent('supervision.raised', cur, { noticeId: n.id, fromTier: n.tier, toTier: to, why, actorId: null }, now));
      return true;
    });
    if (done) raised++;
  }
  if (raised > 0) ctx.events.notify();
  return { raised };
}

/** Runs the raise job on the deadline sweep's interval (config), never overlapping with itself. */
export function scheduleSupervisionRaise(ctx: AppContext, intervalMs: number): NodeJS.Timeout {
  return everyNoOverlap(ctx, intervalMs, 'supervision raise job failed', async () => {
    const r = await runSupervisionRaise(ctx);
    if (r.raised > 0) ctx.log.info(r, `supervision: ${r.raised} notice(s) raised a tier`);
  });
}

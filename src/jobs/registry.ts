/** The in-process job schedule. Intervals come from config, not from the job bodies; each job is safe to run twice. */
import type { AppContext } from '../runtime/context.ts';
import { runDeadlineSweep } from './deadline-sweep.job.ts';
import { scheduleWebhookDelivery } from './webhook-delivery.job.ts';
import { discardUnattached } from '../commands/attachment-create.ts';
import { scheduleSummonsOverdue } from './summons-overdue.schedule.ts';
import { scheduleAssistOverdue } from './assist-overdue.job.ts';
import { scheduleAlerting } from './alerting.job.ts';
import { scheduleFieldRetention } from './field-retention.job.ts';
import { scheduleSupervisionRaise } from './supervision-raise.job.ts';
import { scheduleAssessmentCount } from './assessment-count.job.ts';
import { AssessmentCountWorker } from './assessment-count-worker.ts';
import { scheduleDecisionTail } from './recurrence-tail.job.ts';
import { scheduleExports } from './export.job.ts';
import { scheduleSensingJobs } from './device-heartbeat.job.ts';
import { runReadingRetention } from './reading-retention.job.ts';
import { runReadingRollup } from './reading-rollup.job.ts';
import { scheduleShopSignInspections } from './shop-sign-inspection.job.ts';

/** Uploads not attached to any case within this time are removed (a form abandoned after its photo upload). */
const UNATTACHED_GRACE_MS = 24 * 3_600_000;
const CLEANUP_EVERY_MS = 3_600_000;

export function startJobs(ctx: AppContext): { stop(): Promise<void> } {
  const timers: NodeJS.Timeout[] = [];
  let counting: AssessmentCountWorker | undefined;
  if (ctx.config.sweepIntervalMs > 0) {
    let running = false;
    const tick = async () => {
      if (running) return; // never overlap with ourselves
      running = true;
      try {
        const r = await runDeadlineSweep(ctx);
        if (r.warnings + r.overdue > 0) ctx.log.info(r, `deadline sweep: ${r.warnings} warning(s), ${r.overdue} overdue`);
      } catch (err) {
        ctx.log.error(err, 'deadline sweep failed');
      } finally {
        running = false;
      }
    };
    timers.push(setInterval(tick, ctx.config.sweepIntervalMs));
    void tick();
  }
  if (ctx.config.sweepIntervalMs > 0) {
    const cleanup = async () => {
      try {
        const n = await discardUnattached(ctx, { olderThan: ctx.clock.now() - UNATTACHED_GRACE_MS });
        if (n > 0) ctx.log.info({ removed: n }, `attachment cleanup: ${n} upload(s) never attached to a case removed`);
      } catch (err) {
        ctx.log.error(err, 'attachment cleanup failed');
      }
    };
    timers.push(setInterval(cleanup, CLEANUP_EVERY_MS));
  }
  if (ctx.config.webhookIntervalMs > 0) timers.push(scheduleWebhookDelivery(ctx, ctx.config.webhookIntervalMs));
  if (ctx.config.sweepIntervalMs > 0) timers.push(scheduleSummonsOverdue(ctx, ctx.config.sweepIntervalMs));
  if (ctx.config.sweepIntervalMs > 0) timers.push(scheduleAssistOverdue(ctx, ctx.config.sweepIntervalMs));
  // Notifications and emergency escalation (issue 9); NOTIFY_INTERVAL_MS 0 turns them off (tests run them by hand).
  if (ctx.config.notifyIntervalMs > 0) timers.push(scheduleAlerting(ctx, ctx.config.notifyIntervalMs));
  if (ctx.config.sweepIntervalMs > 0) timers.push(scheduleFieldRetention(ctx));
  // Supervision notices unanswered or overtaken by a new overdue go up a tier (issue 10).
  if (ctx.config.sweepIntervalMs > 0) timers.push(scheduleSupervisionRaise(ctx, ctx.config.sweepIntervalMs));
  // Assessment counting from the outbox (issue 10): ASSESSMENT_INTERVAL_MS (0 = off on this node, e.g. intake nodes of a
  // cluster whose counting runs on a worker node; the cursor makes it exactly-once wherever it runs).
  // On a thread of its own where the store can be shared when ASSESSMENT_WORKER=on (default: here, on the main thread).
  if (ctx.config.assessmentIntervalMs > 0) {
    if (ctx.config.assessmentWorker && ctx.store.sharable) counting = new AssessmentCountWorker(ctx, ctx.config.assessmentIntervalMs);
    else timers.push(scheduleAssessmentCount(ctx, ctx.config.assessmentIntervalMs));
  }
  // Decision support (issue 10 part 5): rollups and recurring problems from new reports, then daily proposals.
  if (ctx.config.sweepIntervalMs > 0) timers.push(scheduleDecisionTail(ctx, Math.max(2_000, Math.min(ctx.config.sweepIntervalMs, 10_000))));
  // Background exports (issue 10): generate approved exports, expire old files; EXPORT_INTERVAL_MS 0 turns it off.
  if (ctx.config.exportIntervalMs > 0) timers.push(scheduleExports(ctx, ctx.config.exportIntervalMs));
  // City sensing (issue 11): reading rollups, heartbeat loss, retention.
  if (ctx.config.readingJobIntervalMs > 0) {
    timers.push(scheduleSensingJobs(ctx, ctx.config.readingJobIntervalMs, () => runReadingRetention(ctx), () => runReadingRollup(ctx)));
  }
  // Scenarios (issue 11 part 6): periodic shop-sign inspections, filed as cases.
  if (ctx.config.sweepIntervalMs > 0) timers.push(scheduleShopSignInspections(ctx));
  return { stop: async () => { timers.forEach(clearInterval); await counting?.stop(); } };
}

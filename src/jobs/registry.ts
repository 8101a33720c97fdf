/** The in-process job schedule. Intervals come from config, not from the job bodies; each job is safe to run twice. */
import type { AppContext } from '../core/context.ts';
import { runDeadlineSweep } from './deadline-sweep.job.ts';
import { scheduleWebhookDelivery } from './webhook-delivery.job.ts';

export function startJobs(ctx: AppContext): { stop(): void } {
  const timers: NodeJS.Timeout[] = [];
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
  if (ctx.config.webhookIntervalMs > 0) timers.push(scheduleWebhookDelivery(ctx, ctx.config.webhookIntervalMs));
  return { stop: () => timers.forEach(clearInterval) };
}

/** Runs the summons overdue job on the deadline sweep's interval (config), never overlapping with itself. */
import type { AppContext } from '../runtime/context.ts';
import { runSummonsOverdue } from './summons-overdue.job.ts';

export function scheduleSummonsOverdue(ctx: AppContext, intervalMs: number): NodeJS.Timeout {
  let running = false;
  return setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const r = await runSummonsOverdue(ctx);
      if (r.overdue > 0) ctx.log.info(r, `summons: ${r.overdue} department(s) past their report limit`);
    } catch (err) {
      ctx.log.error(err, 'summons overdue job failed');
    } finally {
      running = false;
    }
  }, intervalMs);
}

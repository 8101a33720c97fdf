/** Runs the summons overdue job on the deadline sweep's interval (config), never overlapping with itself. */
import type { AppContext } from '../runtime/context.ts';
import { runSummonsOverdue } from './summons-overdue.job.ts';
import { everyNoOverlap } from './every.ts';

export function scheduleSummonsOverdue(ctx: AppContext, intervalMs: number): NodeJS.Timeout {
  return everyNoOverlap(ctx, intervalMs, 'summons overdue job failed', async () => {
    const r = await runSummonsOverdue(ctx);
    if (r.overdue > 0) ctx.log.info(r, `summons: ${r.overdue} department(s) past their report limit`);
  });
}

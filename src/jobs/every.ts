/** The in-process job timer: a job body run every `everyMs`, never overlapping itself; a failure is logged and the next tick tries again. */
import type { AppContext } from '../runtime/context.ts';

export function everyNoOverlap(ctx: AppContext, everyMs: number, failed: string, tick: () => Promise<void>): NodeJS.Timeout {
  let running = false;
  return setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await tick();
    } catch (err) {
      ctx.log.error(err, failed);
    } finally {
      running = false;
    }
  }, everyMs);
}

/**
 * Periodic shop-sign inspections (issue 11 part 6): every 10 minutes (and once at start), signs whose inspection is
 * due get their task (src/commands/shop-sign.ts). Safe to run twice, on two nodes too: each task's key is the intake
 * key, so a sign due today files one case.
 */
import type { AppContext } from '../runtime/context.ts';
import { raisePeriodicInspections } from '../commands/shop-sign.ts';

export const SIGN_JOB_EVERY_MS = 10 * 60_000;

export function scheduleShopSignInspections(ctx: AppContext, everyMs = SIGN_JOB_EVERY_MS): NodeJS.Timeout {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const r = await raisePeriodicInspections(ctx);
      const filed = r.filter((x) => x.outcome === 'case').length;
      if (filed) ctx.log.info({ filed }, `shop signs: ${filed} periodic inspection(s) filed`);
    } catch (err) {
      ctx.log.error(err, 'shop-sign inspections failed');
    } finally {
      running = false;
    }
  };
  const t = setInterval(tick, everyMs);
  setTimeout(() => void tick(), 5_000).unref();
  return t;
}

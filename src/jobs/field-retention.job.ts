/**
 * Track retention (issue 9 §4): positions older than `field_limits.retentionDays` (30 by default) are deleted. The
 * latest position of each resource stays. Idempotent: a second run, or one on another node, deletes nothing more.
 */
import type { AppContext } from '../runtime/context.ts';
import { fieldStateOf } from '../runtime/field-state.ts';

export const FIELD_RETENTION_EVERY_MS = 3_600_000;

export async function runFieldRetention(ctx: AppContext): Promise<number> {
  const state = await fieldStateOf(ctx);
  return ctx.store.field.pruneTracks(ctx.clock.now() - state.limits.retentionDays * 86_400_000);
}

/** Hourly, with the deadline sweep's switch (SWEEP_INTERVAL_MS=0 turns both off). */
export function scheduleFieldRetention(ctx: AppContext): NodeJS.Timeout {
  return setInterval(async () => {
    try {
      const n = await runFieldRetention(ctx);
      if (n > 0) ctx.log.info({ removed: n }, `field tracks: ${n} position(s) past retention removed`);
    } catch (err) {
      ctx.log.error(err, 'field track retention failed');
    }
  }, FIELD_RETENTION_EVERY_MS);
}

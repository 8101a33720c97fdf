/**
 * Retention of readings (issue 11 part 3), city data: raw readings for `sensing_limits.rawDays` (30), minute rollups
 * for `minuteDays` (90), hour rollups for `hourDays` (1100 — three years, so a year compares with the last). The
 * rollups are folded before raw readings go (the rollup job runs first in the same tick). Idempotent.
 */
import type { AppContext } from '../runtime/context.ts';
import { DEFAULT_SENSING_LIMITS, type SensingLimits } from '../domain/sensing/reading-limits.ts';

/** The city's limits, from the reference cache (a bad stored row falls back to the defaults there, with a problem logged). */
export async function sensingLimitsOf(ctx: AppContext): Promise<SensingLimits> {
  return ctx.ref.current().sensingLimits ?? DEFAULT_SENSING_LIMITS;
}

export async function runReadingRetention(ctx: AppContext): Promise<number> {
  const l = await sensingLimitsOf(ctx);
  const now = ctx.clock.now();
  const day = 86_400_000;
  return ctx.store.readings.prune(now - l.rawDays * day, now - l.minuteDays * day, now - l.hourDays * day);
}

/**
 * Minute and hour rollups of readings (issue 11 part 3): folds readings by id range (arrival order) into
 * `reading_rollups`, and moves the job cursor in the same transaction — a range is folded exactly once, also with
 * several nodes (the cursor row is claimed: FOR UPDATE SKIP LOCKED on PostgreSQL; a conditional advance everywhere).
 *
 * On PostgreSQL ids are handed out before commit, so a lower id can become visible after a higher one. The job
 * therefore folds only up to the highest id it saw on its PREVIOUS run (a minute ago): every transaction that held an
 * id below it has long committed (a reading batch commits in milliseconds).
 */
import type { AppContext } from '../runtime/context.ts';
import { ROLLUP_CURSOR } from '../storage/repositories/reading.repository.ts';

const seenMax = new WeakMap<AppContext, number>();
/**
 * Readings folded per transaction. On SQLite the fold runs on the main thread's connection (synchronously): small
 * steps with a yield between them keep requests and MQTT flowing (200,000 at once held the event loop for seconds).
 */
const STEP = 20_000;

export async function runReadingRollup(ctx: AppContext, opts: { settled?: boolean } = {}): Promise<number> {
  const max = await ctx.store.readings.maxId();
  const upTo = opts.settled || ctx.store.dialect === 'sqlite' ? max : Math.min(max, seenMax.get(ctx) ?? 0);
  seenMax.set(ctx, max);
  let folded = 0;
  for (;;) {
    const n = await ctx.store.transaction(async (tx) => {
      const cursor = await tx.notifications.claimCursor(ROLLUP_CURSOR);
      if (cursor === undefined || cursor >= upTo) return 0;
      const to = Math.min(upTo, cursor + STEP);
      await tx.readings.foldRollups(cursor, to);
      if (!(await tx.notifications.advanceCursor(ROLLUP_CURSOR, cursor, to, ctx.clock.now()))) throw new Error('rollup cursor moved by another run');
      return to - cursor;
    });
    if (n === 0) break;
    folded += n;
    await new Promise((r) => setImmediate(r));
  }
  return folded;
}

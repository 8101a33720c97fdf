/**
 * The assessment's counting job (issue 10 contract §1): tails the outbox from its stored cursor (`assessment`) and
 * recounts the cases its new rows name (src/commands/assessment-count.ts). Case creation does no counting work: a
 * new case is counted here, after its outbox row. Exactly once across nodes: the cursor row is claimed for the batch
 * (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has one writer) and advanced by a conditional UPDATE in the same
 * transaction as the facts and counters; and recounting is idempotent anyway (fact deltas), so a batch read twice
 * after a held gap (advanceCursor) adds nothing.
 */
import type { AppContext } from '../runtime/context.ts';
import { advanceCursor } from '../intake/department/webhook.policy.ts';
import { recountCases } from '../commands/assessment-count.ts';
import { everyNoOverlap } from './every.ts';

export const ASSESSMENT_CURSOR = 'assessment';

export interface CountRunResult { events: number; cases: number; changed: number }

class CursorMoved extends Error {}

export async function runAssessmentCount(ctx: AppContext, opts: { batch?: number; maxBatches?: number } = {}): Promise<CountRunResult> {
  const res: CountRunResult = { events: 0, cases: 0, changed: 0 };
  const batch = opts.batch ?? 500;
  for (let b = 0; b < (opts.maxBatches ?? 20); b++) {
    if ((await ctx.store.notifications.cursorOf(ASSESSMENT_CURSOR)) >= (await ctx.store.outbox.lastId())) break;
    let n: number;
    try {
      n = await ctx.store.transaction(async (tx) => {
        const cursor = await tx.notifications.claimCursor(ASSESSMENT_CURSOR);
        if (cursor === undefined) return 0; // another node holds it
        const rows = await tx.outbox.readAfter(cursor, batch);
        if (rows.length === 0) return 0;
        const now = ctx.clock.now();
        const ids = rows.map((r) => r.caseId).filter((id): id is number => id !== null);
        const r = await recountCases(tx, ids, now, ctx.config.utcOffsetMinutes);
        const next = advanceCursor(cursor, rows, now);
        if (next !== cursor && !(await tx.notifications.advanceCursor(ASSESSMENT_CURSOR, cursor, next, now))) throw new CursorMoved();
        res.events += rows.length;
        res.cases += r.cases;
        res.changed += r.changed.length;
        return rows.length;
      });
    } catch (err) {
      if (err instanceof CursorMoved) break;
      throw err;
    }
    if (n < batch) break;
  }
  return res;
}

/** Runs the job every `everyMs` (never overlapping itself). */
export function scheduleAssessmentCount(ctx: AppContext, everyMs: number): NodeJS.Timeout {
  return everyNoOverlap(ctx, everyMs, 'assessment counting failed', async () => {
    const r = await runAssessmentCount(ctx);
    if (r.changed > 0) ctx.log.info(r, `assessment: ${r.changed} case(s) recounted`);
  });
}

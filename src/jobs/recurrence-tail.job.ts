/**
 * The decision-support job (issue 10 part 5): tails new reports by case id from a cursor stored in job_cursors and,
 * in one transaction per batch, adds them to the hotspot and trend rollups and runs the recurring-problem detector
 * on each (src/commands/recurrence-apply.ts). The cursor moves in the same transaction with a conditional UPDATE
 * (and is locked FOR UPDATE SKIP LOCKED on PostgreSQL), so a report is counted exactly once on any number of nodes
 * and across restarts. Intake writes nothing more: a report costs this job ~3 small statements, later.
 *
 * On PostgreSQL a case id may become visible after a higher one (a transaction still in flight): the cursor stops
 * before such a gap until the report after it is GAP_TTL_MS old (advanceCursor), and reports past the gap wait for
 * the next run — never counted twice.
 *
 * Once a city day, the same job proposes the month's 每月一题 candidates and the 未诉先办 tasks now due.
 */
import { advanceCursor } from '../intake/department/webhook.policy.ts';
import type { AppContext } from '../runtime/context.ts';
import { applyBatch, DECIDE_CURSOR, REBUILDING } from '../commands/recurrence-apply.ts';
import { proposeTopics } from '../commands/topic-propose.ts';
import { suggestProactive } from '../commands/proactive-suggest.ts';
import { cityDay, monthOfDay } from '../domain/hotspot/period.ts';

export const DAILY_CURSOR = 'decide.daily';

export interface TailResult { cases: number; problemsCreated: number; problemsGrown: number; daily: boolean }

class CursorMoved extends Error {}

export async function runDecisionTail(ctx: AppContext, opts: { batch?: number; maxBatches?: number } = {}): Promise<TailResult> {
  const res: TailResult = { cases: 0, problemsCreated: 0, problemsGrown: 0, daily: false };
  const batch = opts.batch ?? 500;
  for (let b = 0; b < (opts.maxBatches ?? 20); b++) {
    const cursor = await ctx.store.notifications.cursorOf(DECIDE_CURSOR);
    if (cursor === REBUILDING || cursor >= (await ctx.store.recurrence.maxCaseId())) break;
    let n: number;
    try {
      n = await tailBatch(ctx, batch, res);
    } catch (err) {
      if (err instanceof CursorMoved) break;
      throw err;
    }
    if (n === 0) break;
  }
  if (res.problemsCreated + res.problemsGrown > 0) ctx.events.notify();
  res.daily = await runDaily(ctx);
  return res;
}

async function tailBatch(ctx: AppContext, batch: number, res: TailResult): Promise<number> {
  const now = ctx.clock.now();
  const settings = ctx.ref.current().recurrence;
  return ctx.store.transaction(async (tx) => {
    // The first claim ever creates the row; the second then holds it (or finds another node holding it).
    const cursor = (await tx.notifications.claimCursor(DECIDE_CURSOR)) ?? (await tx.notifications.claimCursor(DECIDE_CURSOR));
    if (cursor === undefined || cursor === REBUILDING) return 0;
    const rows = await tx.recurrence.casesAfter(cursor, batch);
    const next = advanceCursor(cursor, rows.map((r) => ({ id: r.id, at: r.createdAt })), now);
    const take = rows.filter((r) => r.id <= next);
    if (take.length === 0) return 0;
    const r = await applyBatch(tx, take, settings, ctx.config.utcOffsetMinutes, now);
    if (r.problemIds.length) {
      await tx.outbox.append({ topic: 'decide.recurrence_updated', caseId: null, unitIds: [], regionIds: r.regionIds,
        payload: { actorId: null, problemIds: r.problemIds.slice(0, 200), created: r.problemsCreated, grown: r.problemsGrown }, at: now });
    }
    if (!(await tx.notifications.advanceCursor(DECIDE_CURSOR, cursor, next, now))) throw new CursorMoved();
    res.cases += take.length;
    res.problemsCreated += r.problemsCreated;
    res.problemsGrown += r.problemsGrown;
    return take.length;
  });
}

/** Once per city day (claimed by a conditional UPDATE of the day cursor): topics of the month, proactive tasks due. */
async function runDaily(ctx: AppContext): Promise<boolean> {
  const today = cityDay(ctx.clock.now(), ctx.config.utcOffsetMinutes);
  const last = await ctx.store.notifications.cursorOf(DAILY_CURSOR);
  if (last >= today) return false;
  if ((await ctx.store.notifications.cursorOf(DECIDE_CURSOR)) < (await ctx.store.recurrence.maxCaseId())) return false; // catch up first
  const claimed = await ctx.store.transaction(async (tx) => {
    const cur = (await tx.notifications.claimCursor(DAILY_CURSOR)) ?? (await tx.notifications.claimCursor(DAILY_CURSOR));
    return cur !== undefined && cur < today && tx.notifications.advanceCursor(DAILY_CURSOR, cur, today, ctx.clock.now());
  });
  if (!claimed) return false;
  await proposeTopics(ctx, monthOfDay(today), null);
  await suggestProactive(ctx, null);
  return true;
}

/** Every `intervalMs` (never overlapping itself). */
export function scheduleDecisionTail(ctx: AppContext, intervalMs: number): NodeJS.Timeout {
  let running = false;
  return setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const r = await runDecisionTail(ctx);
      if (r.problemsCreated > 0) ctx.log.info(r, `decision support: ${r.cases} report(s), ${r.problemsCreated} new recurring problem(s)`);
    } catch (err) {
      ctx.log.error(err, 'decision support job failed');
    } finally {
      running = false;
    }
  }, intervalMs);
}

/**
 * seedDemoHistory: writes the demo city's generated history (src/demo/history: ~13 months, ~200,000 cases with
 * seasons, recurring spots, late units, returns, postponements, hangs, callbacks, a few exclusions and appeals)
 * through the bulk path of the demo-history repository, a few days per transaction. Idempotent and resumable: a
 * progress row (settings `demo_history`) is moved on in the same transaction as each batch, conditionally, so a
 * restart continues after the last committed batch and two nodes never write one batch twice. Deterministic: the plan
 * is made for the `now` stored with the progress, with a fixed seed.
 *
 * `npm start` runs it in the background after the server listens (startDemoHistory), pausing between batches so the
 * server keeps answering; progress goes to the log, and a short summary at the end. It writes no outbox event per
 * case (the live streams, notifications and webhooks are not flooded with 200,000 old cases): one
 * `demo.history_seeded` event at the end says which months were written, for whoever recounts them (the assessment's
 * rebuild, issue 10 part 3).
 */
import { planHistory, type HistoryCase, type HistoryGrid, type HistoryInput } from '../demo/history/generate.ts';
import { addLimit, warningAt } from '../domain/deadline/index.ts';
import type { AppContext } from '../runtime/context.ts';
import type { HistoryProgress } from '../storage/repositories/demo-history.repository.ts';
import { calendarFor, stageLimit } from './case-clocks.ts';
import { DEMO_DESK_ACTIONS, demoDeskRecords } from '../demo/history/desks.ts';
import { appealDeadline, periodOf } from '../domain/appeal/rules.ts';
import type { Repositories } from '../storage/store.ts';
import { platformAtIntake } from './level-intake.ts';

export const DEMO_HISTORY_SEED = 2026;

export interface HistorySummary { cases: number; historyRows: number; days: number; from: string; to: string; ms: number; resumed: boolean }

/** Marks a freshly seeded demo city as wanting its history (seedDemo calls it); a store without the mark never gets one. */
export async function markDemoHistoryPending(ctx: AppContext, totalCases = 200_000): Promise<void> {
  await ctx.store.demoHistory.initHistoryProgress({
    state: 'pending', nextDay: 0, days: 0, cases: 0, historyRows: 0, seed: DEMO_HISTORY_SEED, planNow: ctx.clock.now(), totalCases,
  });
}

/** The plan's input from the city as the reference cache knows it (routing, limits on the work calendar). */
export async function historyInput(ctx: AppContext, p: Pick<HistoryProgress, 'planNow' | 'totalCases' | 'seed'>): Promise<HistoryInput> {
  const ref = ctx.ref;
  const d = ref.current();
  const grids: HistoryGrid[] = [];
  for (const g of d.grids.values()) {
    if (g.kind !== 'unit' || !g.point) continue;
    const street = d.regions.get(g.communityId)?.parentId ?? null;
    const district = street ? d.regions.get(street)?.parentId ?? null : null;
    grids.push({ id: g.id, communityId: g.communityId, streetId: street, districtId: district, areaClass: g.areaClass, lon: g.point[0], lat: g.point[1] });
  }
  grids.sort((a, b) => (a.id < b.id ? -1 : 1));
  const gridIdx = new Map(grids.map((g, i) => [g.id, i]));
  const places = await ctx.store.demoHistory.historyPlaces();
  const landmarks = places.landmarks.flatMap((l) => {
    const at = ref.locate(l.lon, l.lat);
    const gi = at ? gridIdx.get(at.gridId) : undefined;
    return gi === undefined ? [] : [{ ...l, gridIndex: gi }];
  });
  const deadline = (stage: string) => (start: number, matter: string, urgency: string, area: string | null, unitId: string) => {
    const limit = stageLimit(ref, matter, stage, urgency, area);
    const cal = calendarFor(ref, unitId);
    return { dueAt: addLimit(cal, start, limit), warnAt: warningAt(cal, start, limit), limit: { amount: limit.amount, unit: limit.unit } };
  };
  return {
    seed: p.seed, now: p.planNow, totalCases: p.totalCases, offsetMinutes: ctx.config.utcOffsetMinutes, grids, landmarks, roads: places.roads,
    route: (matterCode, communityId) => {
      try {
        const r = d.routing.route({ matterCode, regionId: communityId });
        return r.unitId ? { unitId: r.unitId, outcome: r.outcome, ruleId: r.ruleId ?? null } : null;
      } catch { return null; }
    },
    fallbackUnit: (communityId) => {
      for (let r = d.regions.get(communityId); r; r = r.parentId ? d.regions.get(r.parentId) : undefined) if (r.fallbackUnitId) return r.fallbackUnitId;
      return [...d.units.keys()][0];
    },
    unitName: (id) => d.units.get(id)?.name ?? id,
    matterName: (code) => d.matters.get(code)?.name ?? code,
    handleDeadline: deadline('handle'),
    signDeadline: deadline('sign'),
    platform: (communityId, matterCode, urgency, unitId) => platformAtIntake(ref, { communityId }, matterCode, urgency, unitId),
    ruleVersion: d.ruleVersion,
  };
}

/**
 * The desk records of the batch just written (cases above `afterCaseId`): each demo exclusion and appeal in the
 * history becomes a record in `exclusions` / `appeals` with its timeline. The case history is append-only, so its rows
 * keep the generated id (`demo-ex-…`, `demo-ap-…`); the record's timeline carries it as `details.demoId`.
 */
async function writeDemoDesks(tx: Repositories, ctx: AppContext, afterCaseId: number): Promise<void> {
  const events = await tx.demoHistory.demoDeskEvents(afterCaseId, DEMO_DESK_ACTIONS);
  if (events.length === 0) return;
  const ref = ctx.ref.current();
  const off = ctx.config.utcOffsetMinutes;
  const { exclusions, appeals } = demoDeskRecords(events, (ms) => periodOf(ms, off), (p) => appealDeadline(ref.calendar, p, ref.desks.appeal.workDaysAfterMonth));
  for (const x of exclusions) {
    const id = await tx.exclusions.insertExclusion(x.row);
    for (const h of x.timeline) await tx.deskHistory.append({ kind: 'exclusion', recordId: id, caseId: x.caseId, ...h, details: { ...h.details, demoId: x.demoId } });
  }
  for (const x of appeals) {
    const id = await tx.appeals.insertAppeal(x.row);
    for (const h of x.timeline) await tx.deskHistory.append({ kind: 'appeal', recordId: id, caseId: x.caseId, ...h, details: { ...h.details, demoId: x.demoId } });
  }
}

class Moved extends Error {}

export async function seedDemoHistory(ctx: AppContext, opts: {
  log?: (m: string) => void; batchDays?: number; pauseMs?: number; signal?: AbortSignal; totalCases?: number; create?: boolean;
  /** Stop (as a shutdown would) after this many batches: tests of resuming. */
  stopAfterBatches?: number;
} = {}): Promise<HistorySummary | null> {
  const say = opts.log ?? (() => {});
  const t0 = Date.now();
  let cur = await ctx.store.demoHistory.readHistoryProgress();
  if (!cur && opts.create) {
    await markDemoHistoryPending(ctx, opts.totalCases);
    cur = await ctx.store.demoHistory.readHistoryProgress();
  }
  if (!cur) return null; // not a demo city (or seeded before the history existed: `cityops seed demo-history`)
  if (cur.value.state === 'done') return null;
  const input = await historyInput(ctx, cur.value);
  const plan = planHistory(input);
  const resumed = cur.value.nextDay > 0;
  const expectedTotal = Math.round(plan.expected.reduce((a, b) => a + b, 0) / 0.94);
  const day = (i: number) => new Date(plan.start + i * 86_400_000 + ctx.config.utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
  say(`demo history: ${resumed ? `resuming at day ${cur.value.nextDay} of ${plan.days}` : `writing ${plan.days} days (${day(0)} … ${day(plan.days - 1)}), about ${expectedTotal.toLocaleString('en')} cases`}, in the background`);
  const step = opts.batchDays ?? 2;
  let lastLog = Date.now();
  let batches = 0;
  for (let d = cur.value.nextDay; d < plan.days; d += step) {
    if (opts.signal?.aborted || batches++ === opts.stopAfterBatches) { say(`demo history: paused at day ${d} of ${plan.days} (continues on the next start)`); return null; }
    const batch: HistoryCase[] = [];
    for (let k = d; k < Math.min(plan.days, d + step); k++) batch.push(...plan.day(k));
    const from = cur!;
    try {
      cur = await ctx.store.transaction(async (tx) => {
        const before = await tx.demoHistory.maxCaseId();
        const rows = await tx.demoHistory.insertHistoryCases(batch);
        await writeDemoDesks(tx, ctx, before);
        const next: HistoryProgress = {
          ...from.value, state: 'running', nextDay: Math.min(plan.days, d + step), days: plan.days, cases: from.value.cases + batch.length,
          historyRows: from.value.historyRows + rows, startedAt: from.value.startedAt ?? ctx.clock.now(),
        };
        const moved = await tx.demoHistory.moveHistoryProgress(from.raw, next);
        if (!moved.ok) throw new Moved();
        return { raw: moved.raw, value: next };
      });
    } catch (err) {
      if (err instanceof Moved) { say('demo history: another process is writing it; this one stops'); return null; }
      throw err;
    }
    if (Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      say(`demo history: ${cur.value.cases.toLocaleString('en')} / ~${expectedTotal.toLocaleString('en')} cases (${day(Math.min(plan.days - 1, d + step - 1))})`);
    }
    if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
  }
  const done: HistoryProgress = { ...cur.value, state: 'done', finishedAt: ctx.clock.now() };
  const at = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    const moved = await tx.demoHistory.moveHistoryProgress(cur!.raw, done);
    if (!moved.ok) return;
    await tx.outbox.append({
      topic: 'demo.history_seeded', caseId: null, unitIds: [], regionIds: [], at,
      payload: { actorId: null, from: day(0), to: day(plan.days - 1), days: plan.days, cases: done.cases, historyRows: done.historyRows },
    });
  });
  const summary = { cases: done.cases, historyRows: done.historyRows, days: plan.days, from: day(0), to: day(plan.days - 1), ms: Date.now() - t0, resumed };
  say(`demo history: done — ${summary.cases.toLocaleString('en')} cases, ${summary.historyRows.toLocaleString('en')} history rows, ${summary.from} … ${summary.to}, `
    + `${plan.spots.length} recurring spots, in ${(summary.ms / 1000).toFixed(1)} s`);
  return summary;
}

/** Starts the seeding in the background (never blocking the server); `stop()` pauses it between batches. */
export function startDemoHistory(ctx: AppContext, log: (m: string) => void): { stop(): Promise<void> } {
  const abort = new AbortController();
  const run = seedDemoHistory(ctx, { log, pauseMs: 25, signal: abort.signal }).then(async (summary) => {
    if (summary && !abort.signal.aborted) await countDemoHistory(ctx, summary, log, abort.signal);
  }).catch((err: unknown) => {
    log(`demo history: failed (${(err as Error).message}); it resumes on the next start`);
    ctx.log.error(err, 'demo history failed');
  });
  return { stop: async () => { abort.abort(); await run; } };
}

/** The months from `from` to `to` (YYYY-MM-DD), as YYYY-MM. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.slice(0, 7).split('-').map(Number);
  const end = to.slice(0, 7);
  for (;;) {
    const mm = `${y}-${String(m).padStart(2, '0')}`;
    out.push(mm);
    if (mm >= end) return out;
    m++;
    if (m > 12) { m = 1; y++; }
  }
}

/**
 * The history is written without an outbox row per case, so the assessment's counting job (which tails the outbox)
 * never sees it: recount its months once, with the same rebuild a city runs by hand (`cityops assessment rebuild`),
 * in the background, month by month, with progress in the log. The decision-support job follows cases by id and
 * picks the history up by itself.
 */
export async function countDemoHistory(ctx: AppContext, summary: HistorySummary, log: (m: string) => void, signal: AbortSignal): Promise<void> {
  const { rebuildMonth } = await import('./assessment-rebuild.ts');
  const t0 = Date.now();
  let cases = 0;
  for (const month of monthsBetween(summary.from, summary.to)) {
    if (signal.aborted) return;
    const r = await rebuildMonth(ctx, month);
    cases += r.cases;
    log(`demo history: assessment counted for ${month} (${r.cases.toLocaleString('en')} cases)`);
  }
  log(`demo history: assessment counted — ${cases.toLocaleString('en')} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

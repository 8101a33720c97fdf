/**
 * rebuildDecisionSupport: recomputes the hotspot and trend rollups and the recurring problems from the case table
 * (first fill of a store loaded in bulk, or after the recurrence settings changed). Reads the cases in id order in
 * chunks and decides each report with the same pure rule as the job (domain/recurrence/detect.ts), its neighbour
 * index kept in memory as a sliding window; so it builds what the job would have built.
 *
 * It never blocks intake: each chunk is its own short transaction. While it runs the job's cursor holds REBUILDING
 * (taken with a conditional UPDATE, so a second rebuild or the job cannot run alongside); at the end it is set to the
 * last case rebuilt, and the job continues from there. The pages read partial numbers meanwhile. A rebuild that
 * fails midway leaves the cursor at REBUILDING: run it again (the job does nothing until then, and says so).
 * Topics and proactive tasks are kept (they hold their own title and place); problem numbers may change.
 */
import { DomainError } from '../domain/errors.ts';
import { decide } from '../domain/recurrence/detect.ts';
import { RecurrenceWindow, type WindowPoint as Pt } from '../domain/recurrence/window.ts';
import type { AppContext } from '../runtime/context.ts';
import { DECIDE_CURSOR, REBUILDING, place, recurs, rollupRowOf } from './recurrence-apply.ts';

const DAY_MS = 86_400_000;
/** Reports are read in id order, which is time order up to clock skew and late imports: keep a week more than the window. */
const SLACK_MS = 7 * DAY_MS;

export interface RebuildResult { cases: number; problems: number; linkedCases: number; upToCaseId: number; ms: number }

interface Problem {
  id: number; matter_code: string; part_id: string | null; lon: number | null; lat: number | null; h3: string | null; address: string | null;
  grid_id: string | null; community_id: string | null; street_id: string | null; district_id: string | null;
  first_case_id: number; first_at: number; last_at: number; case_count: number;
}

export async function rebuildDecisionSupport(ctx: AppContext, opts: { chunk?: number; say?: (m: string) => void } = {}): Promise<RebuildResult> {
  const t0 = Date.now();
  const say = opts.say ?? (() => {});
  const chunk = opts.chunk ?? 20_000;
  const s = ctx.ref.current().recurrence;
  const off = ctx.config.utcOffsetMinutes;
  const now = ctx.clock.now();
  const windowMs = s.windowDays * DAY_MS;

  const held = await ctx.store.transaction(async (tx) => {
    const cur = (await tx.notifications.claimCursor(DECIDE_CURSOR)) ?? (await tx.notifications.claimCursor(DECIDE_CURSOR));
    if (cur === undefined || cur === REBUILDING) return false;
    return tx.notifications.advanceCursor(DECIDE_CURSOR, cur, REBUILDING, now);
  });
  if (!held) throw new DomainError('CONFLICT', 'a rebuild of decision support is already running', { field: 'rebuild' });

  const upTo = await ctx.store.recurrence.maxCaseId();
  await ctx.store.transaction(async (tx) => { await tx.hotspots.clearRollups(); await tx.recurrence.clearRecurrence(); });

  // The neighbour index: recent points by (matter, place) in a sliding window (domain/recurrence/window.ts).
  const win = new RecurrenceWindow<Pt>(s, windowMs + SLACK_MS);
  const problems = new Map<number, Problem>();
  let nextId = 1;
  let last = 0, cases = 0, linked = 0, newest = 0;
  while (true) {
    const rows = await ctx.store.recurrence.casesAfter(last, chunk, upTo);
    if (rows.length === 0) break;
    const placed = rows.map(place);
    const links: { case_id: number; problem_id: number; at: number }[] = [];
    for (const c of placed) {
      if (c.createdAt > newest) newest = c.createdAt;
      if (!recurs(c)) continue;
      const pt: Pt = { caseId: c.id, at: c.createdAt, lon: c.lon, lat: c.lat, partId: c.partId, problemId: null, matterCode: c.matterCode, h3: c.h3 };
      const cand = win.candidates(pt);
      const d = decide(pt, cand, s);
      if (d.kind !== 'none') {
        const members = new Set(d.members);
        let prob: Problem;
        if (d.kind === 'create') {
          prob = { id: nextId++, matter_code: c.matterCode, part_id: c.partId, lon: c.lon, lat: c.lat, h3: c.h3, address: c.address, grid_id: c.gridId,
            community_id: c.communityId, street_id: c.streetId, district_id: c.districtId, first_case_id: d.members[0], first_at: c.createdAt, last_at: c.createdAt, case_count: 0 };
          problems.set(prob.id, prob);
        } else prob = problems.get(d.problemId)!;
        for (const p of [...cand, pt]) {
          if (!members.has(p.caseId) || p.problemId !== null) continue;
          p.problemId = prob.id;
          links.push({ case_id: p.caseId, problem_id: prob.id, at: p.at });
          prob.case_count++;
          if (p.at < prob.first_at) prob.first_at = p.at;
          if (p.at > prob.last_at) prob.last_at = p.at;
        }
      }
      win.add(pt);
    }
    await ctx.store.transaction(async (tx) => {
      await tx.hotspots.addRollups(placed.map((c) => rollupRowOf(c, off)));
      await tx.recurrence.insertProblemCases(links);
    });
    linked += links.length;
    cases += rows.length;
    last = rows[rows.length - 1].id;
    if (cases % 1_000_000 < chunk) {
      // Drop cells nobody looked at lately (the window moved past them).
      win.prune(newest);
      say(`decision support rebuild: ${cases.toLocaleString()} cases, ${problems.size.toLocaleString()} recurring problems, ${Math.round(cases / ((Date.now() - t0) / 1000)).toLocaleString()}/s`);
    }
  }
  // The problems, and the recent points (the job's neighbour index from here on); then the job takes over.
  const recent: Pt[] = [];
  for (const p of win.points()) if (p.at >= newest - windowMs - DAY_MS) recent.push(p);
  await ctx.store.transaction(async (tx) => {
    await tx.recurrence.insertProblems([...problems.values()].map((p) => ({ ...p, created_at: now, updated_at: now })));
    await tx.recurrence.syncProblemSequence();
    await tx.recurrence.insertPoints(recent.map((p) => ({
      case_id: p.caseId, matter_code: p.matterCode, h3: p.h3, part_id: p.partId, at: p.at, lon: p.lon, lat: p.lat, problem_id: p.problemId,
    })));
    if (!(await tx.notifications.advanceCursor(DECIDE_CURSOR, REBUILDING, last || upTo, ctx.clock.now()))) {
      throw new DomainError('CONFLICT', 'the decision-support cursor was moved during the rebuild', { field: 'rebuild' });
    }
  });
  return { cases, problems: problems.size, linkedCases: linked, upToCaseId: last || upTo, ms: Date.now() - t0 };
}

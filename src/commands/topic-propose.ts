/**
 * proposeTopics (每月一题): the month's recurring problems with the most reports become candidate governance topics
 * (Beijing turns the top recurring complaint into the month's topic, domain.md §8). Idempotent: a (month, problem)
 * pair is proposed once; a candidate still proposed gets its count and rank refreshed. Run daily by the
 * decision-support job and on demand by a leader. One transaction: the topics, their history rows, one event.
 */
import type { AppContext } from '../runtime/context.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { addMonths, dayStartMs, monthIso, monthStartDay } from '../domain/hotspot/period.ts';
import type { ReferenceData } from '../runtime/reference-cache.ts';
import type { RecurringProblemRow } from '../storage/repositories/recurrence.repository.ts';

/** "滨江街道 · 人民路12号 · 道路积水（本月 9 次）": where, what and how often, for the leader's list. */
export function problemTitle(p: RecurringProblemRow, ref: ReferenceData): string {
  const street = p.street_id ? ref.regions.get(p.street_id)?.name : undefined;
  const where = p.address ?? (p.grid_id ? ref.grids.get(p.grid_id)?.name : undefined) ?? (p.part_id ? `部件 ${p.part_id}` : '');
  const matter = ref.matters.get(p.matter_code)?.name ?? p.matter_code;
  return [street, where, matter].filter(Boolean).join(' · ');
}

export async function proposeTopics(ctx: AppContext, month: number, actor: (Actor & { name?: string }) | null): Promise<{ month: string; proposed: number; candidates: number }> {
  const now = ctx.clock.now();
  const ref = ctx.ref.current();
  const off = ctx.config.utcOffsetMinutes;
  const from = dayStartMs(monthStartDay(month), off);
  const to = dayStartMs(monthStartDay(addMonths(month, 1)), off);
  const k = ref.recurrence.topicCandidates;
  const result = await ctx.store.transaction(async (tx) => {
    const top = await tx.recurrence.topProblems(from, to, k);
    const problems = new Map((await tx.recurrence.findProblems(top.map((t) => t.problemId))).map((p) => [Number(p.id), p]));
    const rows = top.flatMap((t, i) => {
      const p = problems.get(t.problemId);
      if (!p) return [];
      return [{
        month, problem_id: t.problemId, matter_code: p.matter_code, title: problemTitle(p, ref), month_count: t.n, rank: i + 1, state: 'proposed',
        unit_id: null, note: null, community_id: p.community_id, street_id: p.street_id, district_id: p.district_id, created_at: now, updated_at: now,
      }];
    });
    const ids = await tx.topics.insertTopics(rows);
    for (const r of rows) await tx.topics.refreshTopicCount(month, r.problem_id, r.month_count, r.rank, now);
    await tx.topics.appendHistories(ids.map((id) => ({
      kind: 'topic' as const, recordId: id, action: 'propose', fromState: null, toState: 'proposed', actorId: actor?.userId ?? null, actorName: actor?.name ?? null, at: now,
      details: { month: monthIso(month) },
    })));
    if (ids.length) {
      await tx.outbox.append({ topic: 'topic.proposed', caseId: null, unitIds: [], regionIds: [...new Set(rows.flatMap((r) => [r.district_id, r.street_id]).filter((x): x is string => !!x))],
        payload: { actorId: actor?.userId ?? null, month: monthIso(month), topicIds: ids }, at: now });
    }
    return { proposed: ids.length, candidates: rows.length };
  });
  if (result.proposed) ctx.events.notify();
  return { month: monthIso(month), ...result };
}

/**
 * suggestProactive (未诉先办): recurring problems whose reports follow a calendar rhythm (src/domain/recurrence/
 * pattern.ts) and whose next date is within the city's horizon become proposed proactive tasks, so a unit can act
 * before anyone calls. Idempotent: one task per (problem, expected day), and none while the problem has an open task.
 * Run daily by the decision-support job and on demand by a leader.
 */
import type { AppContext } from '../runtime/context.ts';
import type { Repositories } from '../storage/store.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { cityDay, dayIso } from '../domain/hotspot/period.ts';
import { detectPattern } from '../domain/recurrence/pattern.ts';

const YEAR_MS = 366 * 86_400_000;

export async function suggestProactive(ctx: AppContext, actor: (Actor & { name?: string }) | null): Promise<{ examined: number; proposed: number }> {
  const now = ctx.clock.now();
  const ref = ctx.ref.current();
  const off = ctx.config.utcOffsetMinutes;
  const today = cityDay(now, off);
  const horizon = ref.recurrence.proactiveHorizonDays;
  // Problems seen in the past two years (the yearly rhythm needs last year's season), most recent first.
  const problems = await ctx.store.recurrence.listProblems({ regionIds: null, since: now - 2 * YEAR_MS, limit: 20_000 });
  const open = await ctx.store.topics.openProactiveProblems();
  const times = await ctx.store.recurrence.caseTimes(problems.filter((p) => !open.has(Number(p.id))).map((p) => Number(p.id)));
  const rows: Parameters<Repositories['topics']['insertProactive']>[0] = [];
  for (const p of problems) {
    const t = times.get(Number(p.id));
    if (!t) continue;
    const pattern = detectPattern(t, off, today);
    if (!pattern || pattern.nextDay - today > horizon) continue;
    rows.push({
      problem_id: Number(p.id), matter_code: p.matter_code, pattern: JSON.stringify({ kind: pattern.kind, value: pattern.value, matches: pattern.matches, total: pattern.total }),
      due_day: pattern.nextDay, explain_zh: pattern.explain.zh, explain_en: pattern.explain.en, state: 'proposed', case_id: null, note: null,
      community_id: p.community_id, street_id: p.street_id, district_id: p.district_id, created_at: now, updated_at: now,
    });
  }
  const proposed = await ctx.store.transaction(async (tx) => {
    const ids = await tx.topics.insertProactive(rows);
    await tx.topics.appendHistories(ids.map((id) => ({
      kind: 'proactive' as const, recordId: id, action: 'propose', fromState: null, toState: 'proposed', actorId: actor?.userId ?? null, actorName: actor?.name ?? null, at: now,
    })));
    if (ids.length) {
      await tx.outbox.append({ topic: 'proactive.proposed', caseId: null, unitIds: [], regionIds: [...new Set(rows.flatMap((r) => [r.district_id, r.street_id]).filter((x): x is string => !!x))],
        payload: { actorId: actor?.userId ?? null, taskIds: ids, day: dayIso(today) }, at: now });
    }
    return ids.length;
  });
  if (proposed) ctx.events.notify();
  return { examined: problems.length, proposed };
}

/**
 * Adopting a score formula version (issue 10 part 2). The version takes effect from a month that is not in the past
 * (the city's current month or later): past months keep the formula they were scored by. The versions table is the
 * record's own history (append-only: who adopted what, when, from which month); an outbox event tells the consoles.
 */
import type { AppContext } from '../runtime/context.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { invalidAs } from '../domain/errors.ts';
import { parseMonth, parseTerms, type FormulaVersion } from '../domain/assessment/index.ts';

export const cityMonth = (now: number, utcOffsetMinutes: number): string => new Date(now + utcOffsetMinutes * 60_000).toISOString().slice(0, 7);

export async function adoptFormula(ctx: AppContext, actor: Actor, input: { effectiveFrom?: unknown; terms?: unknown; note?: unknown }): Promise<FormulaVersion> {
  const effectiveFrom = parseMonth('effectiveFrom', input.effectiveFrom);
  const terms = parseTerms(input.terms);
  const now = ctx.clock.now();
  const current = cityMonth(now, ctx.config.utcOffsetMinutes);
  if (effectiveFrom < current) {
    throw invalidAs('effectiveFrom', { key: 'assessment-formula-adopt.past_months_keep_their_formula', params: { current: String(current) } }, `不能改写过去的月份：最早从本月 ${current} 起生效 / past months keep their formula: the earliest month is the current one, ${current}`);
  }
  const note = typeof input.note === 'string' && input.note.trim() ? input.note.trim().slice(0, 500) : null;
  const id = await ctx.store.transaction(async (tx) => {
    const newId = await tx.assessment.insertFormula({ effectiveFrom, terms, note, createdBy: actor.userId, createdAt: now });
    await tx.outbox.append({
      topic: 'assessment.formula_adopted', caseId: null, unitIds: [], regionIds: [],
      payload: { id: newId, effectiveFrom, terms, actorId: actor.userId }, at: now,
    });
    return newId;
  });
  ctx.events.notify();
  return { id, effectiveFrom, terms, note, createdAt: now, createdBy: actor.userId };
}

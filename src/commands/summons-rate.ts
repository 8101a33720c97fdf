/**
 * rateSummonsResponse: the street rates one department's response (1–5 and a comment), once, after it reported or
 * was marked absent. Stored on the department's row for assessment (GET /summons/summary). One transaction: the
 * rating (a conditional update: a second rating finds it rated), a timeline row and a `summons.rated` event
 * (unitIds: that department; userIds: who reported for it).
 */
import { DomainError, invalidAs } from '../domain/errors.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { checkRating, mayCommand } from '../domain/summons/rules.ts';
import type { AppContext } from '../runtime/context.ts';
import type { SummonsRow } from '../storage/repositories/summons.repository.ts';
import { departmentViewOf, loadVisibleSummons, summonsEvent, summonsViewOf } from './summons-common.ts';

export async function rateSummonsResponse(
  ctx: AppContext, summonsId: number, input: { unitId: string; rating: number; comment?: string }, actor: Actor & { name?: string },
): Promise<SummonsRow> {
  const now = ctx.clock.now();
  if (input.comment !== undefined && input.comment.length > 500) throw invalidAs('comment', { key: 'field.at_most_500_characters' }, 'at most 500 characters');
  const row = await ctx.store.transaction(async (tx) => {
    const { row: s, units } = await loadVisibleSummons(tx, ctx.ref, actor, summonsId, { forUpdate: true });
    if (!mayCommand(actor, summonsViewOf(s, ctx.ref))) throw new DomainError('FORBIDDEN', 'only the street that blew the whistle (or a coordinator covering it) may rate the departments', { field: 'rating' });
    const dept = units.find((u) => u.unit_id === input.unitId);
    const rating = checkRating(dept && departmentViewOf(dept), input.unitId, input.rating);
    const comment = input.comment?.trim() || null;
    if (!(await tx.summons.recordRating(Number(s.id), input.unitId, { rating, rating_comment: comment, rated_by: actor.userId, rated_at: now }))) {
      throw new DomainError('CONFLICT', 'this department\'s response is already rated', { field: 'unitId' });
    }
    await tx.summons.appendHistory([{
      summonsId: Number(s.id), action: 'rated', unitId: input.unitId, actorId: actor.userId, actorName: actor.name ?? null, at: now,
      details: { rating, ...(comment ? { comment } : {}) },
    }]);
    await tx.outbox.append(summonsEvent('summons.rated', s, [{ unit_id: input.unitId }], { actorId: actor.userId,
      unitId: input.unitId, rating, userIds: dept?.reported_by && !dept.reported_by.startsWith('key:') ? [dept.reported_by] : [],
    }, now));
    return s;
  });
  ctx.events.notify();
  return row;
}

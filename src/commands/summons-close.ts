/**
 * closeSummons: the street closes the summons with its outcome (resolved on the spot / handed to the centre's
 * dispatch / escalated) and a note. Departments that never reported are marked absent in the same transaction.
 * One transaction: the summons row (optimistic version), the absent departments, timeline rows and one
 * `summons.closed` event (payload `absentUnitIds`; userIds: the people who reported).
 */
import { DomainError } from '../domain/errors.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { checkClose, mayCommand } from '../domain/summons/rules.ts';
import type { AppContext } from '../runtime/context.ts';
import type { SummonsRow } from '../storage/repositories/summons.repository.ts';
import { loadVisibleSummons, summonsEvent, summonsViewOf } from './summons-common.ts';

export async function closeSummons(ctx: AppContext, summonsId: number, input: { outcome: string; note: string }, actor: Actor & { name?: string }): Promise<SummonsRow> {
  const now = ctx.clock.now();
  const row = await ctx.store.transaction(async (tx) => {
    const { row: s, units } = await loadVisibleSummons(tx, ctx.ref, actor, summonsId, { forUpdate: true });
    const view = summonsViewOf(s, ctx.ref);
    if (!mayCommand(actor, view)) throw new DomainError('FORBIDDEN', 'only the street that blew the whistle (or a coordinator covering it) may close the summons', { field: 'outcome' });
    const { outcome, note } = checkClose(view, input.outcome, input.note);
    const patch = { state: 'closed', outcome, outcome_note: note, closed_by: actor.userId, closed_by_name: actor.name ?? null, closed_at: now };
    if (!(await tx.summons.updateSummons(Number(s.id), s.version, patch))) {
      throw new DomainError('CONFLICT', 'the summons was changed concurrently; reload and retry', { field: 'version' });
    }
    const absent = await tx.summons.markAbsent(Number(s.id));
    const who = { actorId: actor.userId, actorName: actor.name ?? null, at: now };
    await tx.summons.appendHistory([
      ...absent.map((unitId) => ({ summonsId: Number(s.id), action: 'absent', unitId, ...who, details: { dueAt: Number(s.due_at) } })),
      { summonsId: Number(s.id), action: 'closed', ...who, details: { outcome, note, absentUnitIds: absent } },
    ]);
    const next = { ...s, ...patch, version: s.version + 1 };
    const reporters = [...new Set(units.map((u) => u.reported_by).filter((x): x is string => !!x && !x.startsWith('key:')))];
    await tx.outbox.append(summonsEvent('summons.closed', next, units, { actorId: actor.userId, outcome, note, absentUnitIds: absent, userIds: reporters }, now));
    return next;
  });
  ctx.events.notify();
  return row;
}

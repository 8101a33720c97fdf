/**
 * actOnProactive (未诉先办): a leader adopts a proposed task — a case is created through THE intake contract
 * (src/intake/contract.ts: channel 'proactive', registered directly like a superior's order) at the problem's place,
 * for its matter — or dismisses it with a reason; an adopted task is resolved when the work is done.
 *
 * Adopting takes two transactions: the intake's (case + history + outbox, as for every channel) and the task's
 * (state, case id, history, event). The intake's idempotency key `proactive-task-<id>` makes a retry after a failure
 * between them find the same case instead of a second one, so the pair is safe to repeat.
 */
import { DomainError, notFound, invalidAs } from '../domain/errors.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { PROACTIVE_TRANSITIONS, notAllowed, proactiveActions, type DecisionActor, type ProactiveAction } from '../domain/recurrence/lifecycle.ts';
import { dayIso } from '../domain/hotspot/period.ts';
import type { AppContext } from '../runtime/context.ts';
import { submit } from '../intake/contract.ts';
import type { ProactiveRow } from '../storage/repositories/topic.repository.ts';
import { problemTitle } from './topic-propose.ts';

export interface ProactiveActInput { version: number; note?: string }

export async function actOnProactive(
  ctx: AppContext, id: number, action: ProactiveAction, input: ProactiveActInput, actor: Actor & { name?: string }, who: DecisionActor, canSee: (t: ProactiveRow) => boolean,
): Promise<ProactiveRow> {
  const now = ctx.clock.now();
  const note = input.note?.trim() || null;
  if (action === 'dismiss' && !note) throw invalidAs('note', { key: 'proactive-act.required_why_task_dismissed' }, 'is required: why the task is dismissed');
  const check = (t: ProactiveRow | undefined): ProactiveRow => {
    if (!t || !canSee(t)) throw notFound('proactive task', id);
    const allowed = proactiveActions(t.state, who);
    if (!allowed.includes(action)) {
      if ((PROACTIVE_TRANSITIONS[action].from as readonly string[]).includes(t.state)) throw new DomainError('FORBIDDEN', 'only a centre leader may act on proactive tasks');
      throw notAllowed('proactive task', action, t.state, allowed);
    }
    if (t.version !== input.version) throw new DomainError('CONFLICT', `version: the task is at version ${t.version}; reload and retry`, { field: 'version' });
    return t;
  };
  let caseId: number | null = null;
  if (action === 'adopt') {
    const t = check(await ctx.store.topics.findProactive(id));
    const p = await ctx.store.recurrence.findProblem(Number(t.problem_id));
    if (!p || (p.lon === null && !p.part_id)) throw new DomainError('CONFLICT', 'the recurring problem behind this task no longer exists (rebuilt?); dismiss the task', { field: 'id' });
    const ref = ctx.ref.current();
    const created = await submit(ctx, {
      channel: 'proactive', key: `proactive-task-${id}`, keyField: 'id',
      report: {
        matterCode: p.matter_code,
        description: `未诉先办：${problemTitle(p, ref)}。${t.explain_zh}，预计 ${dayIso(Number(t.due_day))} 前后再次出现，请提前处置。${note ? `（${note}）` : ''}`.slice(0, 2000),
        ...(p.lon !== null && p.lat !== null ? { location: { lon: Number(p.lon), lat: Number(p.lat) } } : {}),
        ...(p.address ? { address: p.address } : {}),
        ...(p.part_id ? { partId: p.part_id } : {}),
      },
    }, actor);
    caseId = Number(created.row.id);
  }
  const row = await ctx.store.transaction(async (tx) => {
    const t = check(await tx.topics.findProactive(id, { forUpdate: true }));
    const to = PROACTIVE_TRANSITIONS[action].to;
    const set = { state: to, updated_at: now, ...(caseId !== null ? { case_id: caseId } : {}), ...(note ? { note } : {}) };
    if (!(await tx.topics.updateProactive(id, t.version, set))) throw new DomainError('CONFLICT', 'version: the task was changed concurrently; reload and retry', { field: 'version' });
    await tx.topics.appendHistory({ kind: 'proactive', recordId: id, action, fromState: t.state, toState: to, actorId: actor.userId, actorName: actor.name ?? null, at: now,
      details: { ...(caseId !== null ? { caseId } : {}), ...(note ? { note } : {}) } });
    await tx.outbox.append({ topic: `proactive.${action === 'adopt' ? 'adopted' : action === 'resolve' ? 'resolved' : 'dismissed'}`, caseId: null, unitIds: [],
      regionIds: [t.district_id, t.street_id].filter((x): x is string => !!x), payload: { actorId: actor.userId, taskId: id, state: to, caseId }, at: now });
    return { ...t, ...set, version: t.version + 1 } as ProactiveRow;
  });
  ctx.events.notify();
  return row;
}

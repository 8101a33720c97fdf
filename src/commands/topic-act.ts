/**
 * actOnTopic (每月一题): a leader adopts a candidate, assigns it to one unit, and it is resolved (by that unit's
 * leader or a centre leader) or dismissed with a reason. The lifecycle is one table (domain/recurrence/lifecycle.ts).
 * One transaction: the topic (optimistic on its version), its history row and a `topic.<action>` event that names
 * the assigned unit (its people are told).
 */
import { DomainError, notFound, invalidAs } from '../domain/errors.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { TOPIC_TRANSITIONS, notAllowed, topicActions, type DecisionActor, type TopicAction } from '../domain/recurrence/lifecycle.ts';
import type { AppContext } from '../runtime/context.ts';
import type { TopicRow } from '../storage/repositories/topic.repository.ts';

export interface TopicActInput { version: number; unitId?: string; note?: string }

export async function actOnTopic(
  ctx: AppContext, id: number, action: TopicAction, input: TopicActInput, actor: Actor & { name?: string }, who: DecisionActor, canSee: (t: TopicRow) => boolean,
): Promise<TopicRow> {
  const now = ctx.clock.now();
  const ref = ctx.ref.current();
  if (action === 'assign') {
    if (!input.unitId) throw invalidAs('unitId', { key: 'topic-act.required_unit_that_takes_topic' }, 'is required: the unit that takes the topic on');
    const unit = ref.units.get(input.unitId);
    if (!unit || !unit.active) throw invalidAs('unitId', { key: 'topic-act.not_active_unit', params: { unitId: String(input.unitId) } }, `"${input.unitId}" is not an active unit`);
  }
  const note = input.note?.trim() || null;
  if (action === 'dismiss' && !note) throw invalidAs('note', { key: 'topic-act.required_why_topic_dismissed' }, 'is required: why the topic is dismissed');
  const row = await ctx.store.transaction(async (tx) => {
    const t = await tx.topics.findTopic(id, { forUpdate: true });
    if (!t || !canSee(t)) throw notFound('topic', id);
    const allowed = topicActions(t.state, t.unit_id, who);
    if (!allowed.includes(action)) {
      const byState = (TOPIC_TRANSITIONS[action].from as readonly string[]).includes(t.state);
      if (byState) throw new DomainError('FORBIDDEN', action === 'resolve' ? 'only the assigned unit\'s leader or a centre leader may resolve the topic' : 'only a centre leader may adopt, assign or dismiss a topic');
      throw notAllowed('topic', action, t.state, allowed);
    }
    if (t.version !== input.version) throw new DomainError('CONFLICT', `version: the topic is at version ${t.version}; reload and retry`, { field: 'version' });
    const to = TOPIC_TRANSITIONS[action].to;
    const set = { state: to, updated_at: now, ...(action === 'assign' ? { unit_id: input.unitId! } : {}), ...(note ? { note } : {}) };
    if (!(await tx.topics.updateTopic(id, t.version, set))) throw new DomainError('CONFLICT', 'version: the topic was changed concurrently; reload and retry', { field: 'version' });
    await tx.topics.appendHistory({ kind: 'topic', recordId: id, action, fromState: t.state, toState: to, actorId: actor.userId, actorName: actor.name ?? null, at: now,
      details: { ...(action === 'assign' ? { unitId: input.unitId, previousUnitId: t.unit_id } : {}), ...(note ? { note } : {}) } });
    const unitId = action === 'assign' ? input.unitId! : t.unit_id;
    await tx.outbox.append({ topic: ({ adopt: 'topic.adopted', assign: 'topic.assigned', resolve: 'topic.resolved', dismiss: 'topic.dismissed' } as const)[action], caseId: null, unitIds: unitId ? [unitId] : [],
      regionIds: [t.district_id, t.street_id].filter((x): x is string => !!x), payload: { actorId: actor.userId, topicId: id, state: to, unitId }, at: now });
    return { ...t, ...set, version: t.version + 1 } as TopicRow;
  });
  ctx.events.notify();
  return row;
}

/**
 * The lifecycles of the decision records (issue 10 part 5), one table each, pure:
 * - 每月一题 (a monthly governance topic): proposed → adopted → assigned → resolved; dismissed from any open state.
 *   A leader adopts and assigns (to one unit); the assigned unit's leader or a centre leader resolves.
 * - 未诉先办 (a proactive task): proposed → adopted (a case is created through the intake) → resolved; dismissed
 *   while proposed. Resolving follows the case: the task is resolved when its case is closed (or by a leader).
 */
import { DomainError } from '../errors.ts';
import type { CaseMove } from '../case/states.ts';

export const TOPIC_STATES = ['proposed', 'adopted', 'assigned', 'resolved', 'dismissed'] as const;
export type TopicState = (typeof TOPIC_STATES)[number];
export const TOPIC_ACTIONS = ['adopt', 'assign', 'resolve', 'dismiss'] as const;
export type TopicAction = (typeof TOPIC_ACTIONS)[number];

export const TOPIC_TRANSITIONS: Record<TopicAction, { from: readonly TopicState[]; to: TopicState }> = {
  adopt: { from: ['proposed'], to: 'adopted' },
  assign: { from: ['adopted', 'assigned'], to: 'assigned' },
  resolve: { from: ['assigned'], to: 'resolved' },
  dismiss: { from: ['proposed', 'adopted', 'assigned'], to: 'dismissed' },
};

export const PROACTIVE_STATES = ['proposed', 'adopted', 'resolved', 'dismissed'] as const;
export type ProactiveState = (typeof PROACTIVE_STATES)[number];
export const PROACTIVE_ACTIONS = ['adopt', 'resolve', 'dismiss'] as const;
export type ProactiveAction = (typeof PROACTIVE_ACTIONS)[number];

export const PROACTIVE_TRANSITIONS: Record<ProactiveAction, { from: readonly ProactiveState[]; to: ProactiveState }> = {
  adopt: { from: ['proposed'], to: 'adopted' },
  resolve: { from: ['adopted'], to: 'resolved' },
  dismiss: { from: ['proposed'], to: 'dismissed' },
};

/**
 * An adopted task follows its case (called from the case's transition, in its transaction): the case closed →
 * resolved; cancelled (rejected, merged into another case) → dismissed; back to work after either → adopted again.
 * null: the task stays as it is. A task with a case was adopted, so a dismissed one with a case was dismissed by it.
 */
export function proactiveOnCase(state: string, move: CaseMove): ProactiveState | null {
  if (state === 'adopted' && move === 'closed') return 'resolved';
  if (state === 'adopted' && move === 'cancelled') return 'dismissed';
  if ((state === 'resolved' || state === 'dismissed') && move === 'reopened') return 'adopted';
  return null;
}

/** Who is acting, as the lifecycles need it. */
export interface DecisionActor { lead: boolean; unitIds: readonly string[] }

/** The actions the actor may take on a topic in its state (the console shows these; the commands check them). */
export function topicActions(state: string, unitId: string | null, a: DecisionActor): TopicAction[] {
  return TOPIC_ACTIONS.filter((act) => (TOPIC_TRANSITIONS[act].from as readonly string[]).includes(state)
    && (a.lead || (act === 'resolve' && !!unitId && a.unitIds.includes(unitId))));
}

export function proactiveActions(state: string, a: DecisionActor): ProactiveAction[] {
  return a.lead ? PROACTIVE_ACTIONS.filter((act) => (PROACTIVE_TRANSITIONS[act].from as readonly string[]).includes(state)) : [];
}

/** 409 naming what is allowed, like a case's transitions. */
export function notAllowed(what: string, action: string, state: string, allowed: readonly string[]): DomainError {
  return new DomainError('INVALID_TRANSITION', `${what}: "${action}" is not allowed in state ${state}`, { details: { allowedActions: allowed }, key: 'state.not_allowed', params: { action, state } });
}

/**
 * `decide`: the one pure function every case command calls. It checks the transition table (role, scope,
 * state, separation of duties, caps — see allowed.ts), checks the input, and returns what to write. It never
 * reads a clock: `nowMs` is an argument.
 */
import { invalidAs } from '../errors.ts';
import type { Actor } from '../policy/scope.ts';
import { assertAllowed, resolvePolicy } from './allowed.ts';
import { OUTCOMES } from './outcomes.ts';
import { isState } from './states.ts';
import { isAction, ruleOf } from './transitions.ts';
import type { Action, ActionInputs, CasePatch, CaseView, Decision, Policy, Related } from './types.ts';

const withoutUndefined = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export const decide = <A extends Action>(
  caseView: CaseView,
  action: A,
  input: ActionInputs[A],
  actor: Actor,
  nowMs: number,
  policy: Partial<Policy> = {},
  related: Related = {},
): Decision => {
  if (!isAction(action)) throw invalidAs('action', { key: 'case.unknown_action', params: { action: String(action) } }, `unknown action ${String(action)}`);
  if (!isState(caseView.state)) throw invalidAs('state', { key: 'case.unknown_case_state', params: { state: String(caseView.state) } }, `unknown case state ${String(caseView.state)}`);
  if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) throw invalidAs('nowMs', { key: 'field.epoch_milliseconds' }, 'must be epoch milliseconds');
  const p = resolvePolicy(policy);
  assertAllowed(caseView, action, actor, p);

  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const outcome = OUTCOMES[action]({ cv: caseView, input: raw, actor, now: nowMs, policy: p, related });
  const rule = ruleOf(action);
  if (!rule.to.includes(outcome.to)) throw new Error(`${action} produced ${outcome.to}, outside its table row`); // a bug, not input

  const patch: CasePatch = { ...outcome.patch, state: outcome.to };
  const details = withoutUndefined(outcome.details ?? {});
  // A request waiting for approval dies with the state it was made in (return, disposal, closure).
  if (caseView.pendingRequest && outcome.to !== 'IN_PROGRESS' && !('pendingRequest' in patch)) {
    patch.pendingRequest = null;
    details.withdrawnRequest = caseView.pendingRequest.kind;
  }
  // A dispute's owner is the owner of the open dispute only: whatever leaves DISPUTED ends it.
  if (caseView.state === 'DISPUTED' && outcome.to !== 'DISPUTED' && !('disputeOwner' in patch)) patch.disputeOwner = null;
  // The named verifier is the verifier of the open verification only: whatever leaves VERIFYING ends it.
  if (caseView.state === 'VERIFYING' && outcome.to !== 'VERIFYING' && !('verifierUserId' in patch)) {
    if (caseView.verifierUserId) {
      patch.verifierUserId = null;
      if (action !== 'verify') details.verifierId = caseView.verifierUserId;
    }
  }
  return {
    from: caseView.state,
    to: outcome.to,
    patch,
    effects: outcome.effects ?? [],
    history: {
      action,
      fromState: caseView.state,
      toState: outcome.to,
      ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
      details,
      ...(outcome.attachmentIds && outcome.attachmentIds.length > 0 ? { attachmentIds: outcome.attachmentIds } : {}),
    },
  };
};

/**
 * "May this actor do this action on this case now?" — one answer for both `allowedActions` (what the UI
 * offers) and `decide` (what the command enforces), both read from the transition table.
 *
 * Checks run in this order, and the first failure wins:
 *   1. role      — none of the actor's roles may ever perform the action     → FORBIDDEN
 *   2. scope     — the case is not in the actor's unit / region, not given to
 *                  them, or (a ruling) outside the dispute owner's region    → FORBIDDEN
 *   3. admission — a grid member, and the matter is not on the admission list → FORBIDDEN (field matterCode)
 *                  verify: another user is named as the case's verifier        → FORBIDDEN (field verifierId)
 *   4. state     — the case's state (and guards like a pending request)      → INVALID_TRANSITION
 *   5. duty      — the actor dispatched the case or ruled its dispute, and
 *                  would judge its closure                                   → SEPARATION_OF_DUTIES
 *   6. cap       — a per-case limit is reached (returns, postponements)     → LIMIT_EXCEEDED
 * Scope comes before state so that a user with no business on a case learns nothing about its state.
 * Input validation (missing reason etc.) happens only in `decide`, after these.
 */
import { DomainError, type ErrorCode, invalidAs } from '../errors.ts';
import { belongsToUnit, coversRegion, isAdmin, type Actor } from '../policy/scope.ts';
import { stateLabel } from './states.ts';
import { ACTION_NAMES, ruleOf, type TransitionRule } from './transitions.ts';
import { DEFAULT_POLICY, type Action, type CaseView, type Policy } from './types.ts';
import { LEVEL_SCOPE_MESSAGES, levelScope, levelScopeField } from './level-scope.ts';

export interface Refusal {
  code: Extract<ErrorCode, 'FORBIDDEN' | 'INVALID_TRANSITION' | 'SEPARATION_OF_DUTIES' | 'LIMIT_EXCEEDED'>;
  message: string;
  /** The message's catalogue key and parameters (docs/issue-8/language.md). */
  key: string;
  params?: Record<string, string | number>;
  /** The field the refusal is about, when there is one (the matter code of a grid member's task). */
  field?: string;
}

const nonNegativeInt = (field: keyof Policy, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw invalidAs(`policy.${field}`, { key: 'case.non_negative_integer' }, 'must be a non-negative integer');
  return value;
};

/** Fills in defaults and validates a (partial) policy. */
export const resolvePolicy = (policy: Partial<Policy> = {}): Policy => {
  const p = { ...DEFAULT_POLICY, ...policy };
  if (typeof p.requirePhotosOnDispose !== 'boolean') throw invalidAs('policy.requirePhotosOnDispose', { key: 'case.boolean' }, 'must be a boolean');
  return {
    maxReturns: nonNegativeInt('maxReturns', p.maxReturns),
    maxPostponements: nonNegativeInt('maxPostponements', p.maxPostponements),
    requirePhotosOnDispose: p.requirePhotosOnDispose,
  };
};

/** Everyone who dispatched the case or ruled its dispute (the last dispatcher, for a view without the list). */
export const commandActorsOf = (cv: CaseView): string[] =>
  cv.commandActorIds ?? (cv.dispatchedBy !== null && cv.dispatchedBy !== undefined ? [cv.dispatchedBy] : []);

/**
 * The region that owns a dispute raised now (domain.md §4: "the dispute has an owner (the region's coordinator)"):
 * the case's street, else its district, else the top of its region path; null for a case not located.
 */
export const disputeOwnerRegion = (cv: CaseView): string | null =>
  cv.streetId ?? cv.districtId ?? cv.regionPath?.[0] ?? null;

/** The owner region with the regions above it: covering any of them covers the dispute. */
const ownerPath = (cv: CaseView, regionId: string): string[] => {
  const path = cv.regionPath ?? [];
  const i = path.indexOf(regionId);
  return i >= 0 ? path.slice(0, i + 1) : [regionId];
};

/** The grid member the case was given to (网格员处置). */
const isAssignee = (actor: Actor, cv: CaseView): boolean =>
  typeof cv.assignedUserId === 'string' && cv.assignedUserId !== '' && cv.assignedUserId === actor.userId;

const inScope = (rule: TransitionRule, cv: CaseView, actor: Actor): boolean => {
  if (isAdmin(actor)) return true;
  switch (rule.side) {
    case 'centre':
      return coversRegion(actor, cv.regionPath);
    case 'dispute':
      return cv.disputeOwner ? coversRegion(actor, ownerPath(cv, cv.disputeOwner.regionId)) : coversRegion(actor, cv.regionPath);
    case 'unit':
      return belongsToUnit(actor, cv.assignedUnitId) || isAssignee(actor, cv);
    case 'unit_or_sub':
      return belongsToUnit(actor, cv.assignedUnitId, cv.subUnitId) || isAssignee(actor, cv);
    case 'platform':
    case 'transfer_receiver':
      return levelScope(rule.side, cv, actor);
  }
};

const SCOPE_MESSAGE: Record<TransitionRule['side'], string> = {
  centre: '案件不在您负责的区域内 / case is outside your regions',
  dispute: '本争议由案件所在街道（或区）的派遣员、值班长裁定，不在您负责的区域内 / the dispute is ruled by the coordinators of its owner region, which you do not cover',
  unit: '案件未派给您或您的单位 / case is not assigned to you or your unit',
  unit_or_sub: '案件未派给您或您的单位 / case is not assigned to you or your unit',
  ...LEVEL_SCOPE_MESSAGES,
};

/** A verifier is named (request_verify with verifierId) and it is someone else; an administrator may still act. */
const namedVerifierOther = (cv: CaseView, actor: Actor): boolean =>
  typeof cv.verifierUserId === 'string' && cv.verifierUserId !== '' && cv.verifierUserId !== actor.userId && !isAdmin(actor);

/**
 * A grid member acting as such (no other role of theirs allows the action) on a matter off the admission list
 * (网格事项准入清单, domain.md §6).
 */
const offAdmissionList = (rule: TransitionRule, cv: CaseView, actor: Actor): boolean =>
  rule.gridMemberAdmission === true && !isAdmin(actor) && cv.admittedForGridMembers !== true
  && !actor.roles.some((r) => r !== 'grid_member' && rule.roles.includes(r));

/** A "中文 / English" text as two parameters (whyZh, whyEn) for the catalogue's templates. */
const bilingual = (text: string): { whyZh: string; whyEn: string } => {
  const [zh, ...en] = text.split(' / ');
  return { whyZh: zh, whyEn: en.length ? en.join(' / ') : text };
};

/** What a check answers when only yes/no is asked (allowedActions): no message is built. */
const DENIED: Refusal = Object.freeze({ code: 'FORBIDDEN', key: 'case.denied', message: 'denied' }) as Refusal;

/**
 * The checks, in their order. `explain` false: the first failure answers DENIED without building its message (the
 * case list asks ~30 actions for each of 50 rows; only a refused command needs the words).
 */
const namesOf = (rule: TransitionRule) => ({ action: rule.en, actionZh: rule.zh });

function check(cv: CaseView, action: Action, actor: Actor, policy: Policy, explain: boolean): Refusal | null {
  const rule = ruleOf(action);
  if (!isAdmin(actor) && !actor.roles.some((r) => rule.roles.includes(r)))
    return !explain ? DENIED : ({ code: 'FORBIDDEN', key: 'case.role_may_not', params: namesOf(rule), message: `您的角色不能${rule.zh} / role may not ${action}` });
  if (!inScope(rule, cv, actor)) return !explain ? DENIED : ({ code: 'FORBIDDEN', key: `case.scope.${rule.side}`, params: namesOf(rule), message: `${SCOPE_MESSAGE[rule.side]} (${action})`, ...levelScopeField(rule.side) });
  if (offAdmissionList(rule, cv, actor))
    return !explain ? DENIED : ({
      code: 'FORBIDDEN',
      field: 'matterCode',
      key: 'case.grid_member_not_admitted',
      params: namesOf(rule),
      message: `本案事项不在网格事项准入清单内，网格员不能${rule.zh} / the matter is not on the grid-member admission list (网格事项准入清单): a grid member may not ${action} it`,
    });
  if (action === 'verify' && namedVerifierOther(cv, actor))
    return !explain ? DENIED : ({
      code: 'FORBIDDEN',
      field: 'verifierId',
      key: 'case.named_verifier_only',
      message: '本案已指定核实人，只有该核实人可以核实 / the case names its verifier (verifierId): only they may verify it',
    });
  if (!rule.from.includes(cv.state))
    return !explain ? DENIED : ({
      code: 'INVALID_TRANSITION',
      key: 'case.not_in_state',
      params: { ...namesOf(rule), state: cv.state, stateZh: stateLabel(cv.state).zh, stateEn: stateLabel(cv.state).en },
      message: `案件状态“${stateLabel(cv.state).zh}”不能“${rule.zh}” (${action}) / ${action} is not allowed in state ${cv.state}`,
    });
  const blocked = rule.guard?.(cv, actor);
  if (blocked) return !explain ? DENIED : ({ code: 'INVALID_TRANSITION', key: 'case.blocked', params: { ...namesOf(rule), ...bilingual(blocked) }, message: `不能“${rule.zh}” (${action})：${blocked}`, ...(rule.guardField ? { field: rule.guardField } : {}) });
  if (rule.judgesClosure && commandActorsOf(cv).includes(actor.userId))
    return !explain ? DENIED : ({
      code: 'SEPARATION_OF_DUTIES',
      key: 'case.dispatcher_may_not_judge',
      message: `派遣或裁定过本案的人不能核查或结案 / whoever dispatched a case or ruled its dispute may not judge its closure (${action})`,
    });
  const capped = rule.limit?.(cv, policy);
  if (capped) return !explain ? DENIED : ({ code: 'LIMIT_EXCEEDED', key: 'case.limit', params: { ...namesOf(rule), ...bilingual(capped) }, message: capped });
  return null;
}

/** Why the actor may not perform the action now, or null when they may (given valid input). */
export const refusal = (cv: CaseView, action: Action, actor: Actor, policy: Policy): Refusal | null => check(cv, action, actor, policy, true);

/** The actions some role of the actor may ever perform (the first check), once per actor object (a request's rows share it). */
const byRoles = new WeakMap<Actor, readonly Action[]>();
const actionsOfRoles = (actor: Actor): readonly Action[] => {
  let out = byRoles.get(actor);
  if (!out) {
    out = isAdmin(actor) ? ACTION_NAMES : ACTION_NAMES.filter((a) => actor.roles.some((r) => ruleOf(a).roles.includes(r)));
    byRoles.set(actor, out);
  }
  return out;
};

/** What this actor may do next on this case (for API responses, so the UI does not copy the rules). */
export const allowedActions = (cv: CaseView, actor: Actor, policy: Partial<Policy> = {}): Action[] => {
  const p = resolvePolicy(policy);
  return actionsOfRoles(actor).filter((a) => check(cv, a, actor, p, false) === null);
};

/** Throws the refusal as a DomainError; INVALID_TRANSITION carries what the actor could do instead. */
export const assertAllowed = (cv: CaseView, action: Action, actor: Actor, policy: Policy): void => {
  const r = refusal(cv, action, actor, policy);
  if (!r) return;
  // FORBIDDEN tells nothing about the case (not even its state) to someone with no business on it.
  const details: Record<string, unknown> =
    r.code === 'FORBIDDEN' ? { action } : { state: cv.state, action };
  if (r.code === 'INVALID_TRANSITION')
    details.allowedActions = allowedActions(cv, actor, policy);
  throw new DomainError(r.code, r.message, { details, key: r.key, params: r.params, ...(r.field ? { field: r.field } : {}) });
};

/**
 * What each action does once it is allowed: the exact target state, the case columns it writes, the effects
 * for the command layer, and the history row's reason and details. Inputs are checked here (errors name the
 * field). Clock rules (domain.md §4–§5): the handling clock starts at dispatch, not at signing; signing has its own
 * short clock; a hang suspends, a postponement extends; a return pauses the handling clock and starts the dispute's
 * own clock, and the ruling resumes the paused clock (same holder) or starts a fresh one (another holder); rework and
 * reopen give the holder a fresh handling clock that keeps the postponements approved for it.
 */
import { DomainError, invalidAs } from '../errors.ts';
import type { Actor } from '../policy/scope.ts';
import { disputeOwnerRegion } from './allowed.ts';
import { dispatchTo, extensionsFor, verifierOf, holderDetails, holderOf, sameHolder, startHandle } from './holders.ts';
import {
  optionalText,
  requireBoolean,
  requireOneOf,
  requireText,
  requireTimeLimit,
  idList,
} from './inputs.ts';
import { CLOSURE_TYPE_NAMES, type ClosureType, type State } from './states.ts';
import type { Action, CallbackAnswer, CasePatch, CaseView, Clock, Effect, PendingRequest, Policy, Related, SupervisionLevel } from './types.ts';
import { isOpen } from './states.ts';
import { LEVEL_OUTCOMES } from './level-outcomes.ts';

export interface Ctx {
  cv: CaseView;
  input: Record<string, unknown>;
  actor: Actor;
  now: number;
  policy: Policy;
  related: Related;
}

export interface Outcome {
  to: State;
  patch?: Omit<CasePatch, 'state'>;
  effects?: Effect[];
  reason?: string;
  details?: Record<string, unknown>;
  attachmentIds?: string[];
}

const start = (clock: Clock): Effect => ({ kind: 'start_clock', clock });
const stop = (clock: Clock): Effect => ({ kind: 'stop_clock', clock });

/** Clocks running in each state, to stop when a case is closed from there. */
const RUNNING: Partial<Record<State, Clock[]>> = {
  VERIFYING: ['verify'],
  DISPATCHED: ['sign', 'handle'],
  IN_PROGRESS: ['handle'],
  DISPUTED: ['dispute'],
  HUNG: ['handle'],
  CHECKING: ['check'],
};

/** Overdue now or ever: past the handling deadline (a paused clock counts until it was paused), or flagged by the sweep. */
const wasOverdue = (cv: CaseView, now: number): boolean =>
  cv.everOverdue || (cv.handleDueAt !== null && (cv.handlePausedAt ?? now) > cv.handleDueAt);

const unitOf = (cv: CaseView): { unitId?: string } => (cv.assignedUnitId ? { unitId: cv.assignedUnitId } : {});

const note = (c: Ctx): Record<string, unknown> => {
  const n = optionalText(c.input, 'note');
  return n === undefined ? {} : { note: n };
};

const requestOf = (cv: CaseView, kind: PendingRequest['kind']): PendingRequest => {
  const p = cv.pendingRequest;
  if (!p || p.kind !== kind) throw new Error(`no pending ${kind} request`); // unreachable: the table's guard ran
  return p;
};

export const OUTCOMES: { readonly [A in Action]: (c: Ctx) => Outcome } = {
  accept: (c) => ({ to: 'ACCEPTED', details: note(c) }),

  reject: (c) => {
    const reason = requireText(c.input, 'reason', 'to reject');
    const rejectKind = requireOneOf(c.input, 'rejectKind', ['duplicate', 'out_of_scope', 'invalid'], 'to reject');
    const referral = optionalText(c.input, 'referral');
    // Out-of-scope requests (emergencies → 110/119/120, litigation, petition) are referred, never dropped.
    if (rejectKind === 'out_of_scope' && !referral) throw invalidAs('referral', { key: 'case.required_for_out_scope_rejections' }, 'required for out_of_scope rejections');
    const duplicateOfCaseId = optionalText(c.input, 'duplicateOfCaseId');
    return { to: 'CANCELLED', reason, details: { rejectKind, referral, duplicateOfCaseId } };
  },

  request_verify: (c) => {
    const verifierId = verifierOf(c);
    return {
      to: 'VERIFYING',
      patch: { verifierUserId: verifierId ?? null },
      effects: [start('verify')],
      details: { ...note(c), ...(verifierId ? { verifierId } : {}) },
    };
  },

  verify: (c) => {
    const outcome = requireOneOf(c.input, 'outcome', ['confirmed', 'false'], 'to verify');
    const n = outcome === 'false' ? requireText(c.input, 'note', 'when the report is false') : optionalText(c.input, 'note');
    return {
      to: outcome === 'confirmed' ? 'REGISTERED' : 'CANCELLED',
      effects: [stop('verify')],
      reason: outcome === 'false' ? n : undefined,
      details: { outcome, note: n },
      // on-site photos are optional evidence of what the inspector found
      attachmentIds: idList(c.input, 'photos'),
    };
  },

  register: (c) => ({
    to: 'REGISTERED',
    details: { ...note(c), channel: c.cv.channel, direct: c.cv.state === 'REPORTED' },
  }),

  dispatch: (c) => {
    const patch = dispatchTo(c, 'to dispatch');
    return {
      to: 'DISPATCHED',
      patch,
      effects: [start('sign'), startHandle(c.cv, holderOf(patch))],
      details: { ...note(c), ...(patch.assignedUserId ? { gridMemberId: patch.assignedUserId } : {}) },
    };
  },

  reassign: (c) => {
    const reason = requireText(c.input, 'reason', 'for the reassignment');
    const patch = dispatchTo(c, 'to reassign');
    const to = holderOf(patch);
    if (sameHolder(to, holderOf(c.cv))) {
      throw invalidAs(to.userId ? 'gridMemberId' : 'unitId', { key: 'case.case_already_with_this_holder' }, 'the case is already with this holder: choose another one, or leave it');
    }
    // the new holder gets its own clocks: signing from now, and a fresh handling limit (with what was approved for it)
    return {
      to: 'DISPATCHED',
      patch,
      effects: [stop('sign'), start('sign'), startHandle(c.cv, to)],
      reason,
      details: {
        ...holderDetails(patch), previousUnitId: c.cv.assignedUnitId,
        ...(c.cv.assignedUserId ? { previousGridMemberId: c.cv.assignedUserId } : {}),
      },
    };
  },

  recall: (c) => {
    const reason = requireText(c.input, 'reason', 'for recalling the case');
    // back to the centre's desk: no holder, no handling clock (the next dispatch starts a fresh one); the dispatch
    // clock runs again
    return {
      to: 'REGISTERED',
      patch: { assignedUnitId: null, assignedUserId: null, assistingUnitIds: [], subUnitId: null, dispatchedAt: null },
      effects: [{ kind: 'reset_clocks' }, start('dispatch')],
      reason,
      details: { unitId: c.cv.assignedUnitId, ...(c.cv.assignedUserId ? { gridMemberId: c.cv.assignedUserId } : {}) },
    };
  },

  sign: (c) => ({ to: 'IN_PROGRESS', effects: [stop('sign')], details: note(c) }),

  second_dispatch: (c) => {
    const subUnitId = requireText(c.input, 'subUnitId', 'for second-level dispatch');
    if (subUnitId === c.cv.assignedUnitId) throw invalidAs('subUnitId', { key: 'case.differ_from_assigned_unit' }, 'must differ from the assigned unit');
    if (subUnitId === c.cv.subUnitId) throw invalidAs('subUnitId', { key: 'case.case_already_with_this_sub' }, 'the case is already with this sub-unit');
    // Passing the case down from DISPATCHED is the unit's acknowledgement: it stops the sign clock.
    return {
      to: 'IN_PROGRESS',
      patch: { subUnitId },
      effects: c.cv.state === 'DISPATCHED' ? [stop('sign')] : [],
      details: { ...note(c), subUnitId, previousSubUnitId: c.cv.subUnitId },
    };
  },

  return: (c) => {
    const reason = requireText(c.input, 'reason', 'for return');
    const basis = requireText(c.input, 'basis', 'for return');
    // The dispute is the centre's: its owner is the region's coordinators, it has its own clock, and the holder's
    // handling clock pauses meanwhile (domain.md §4–§5) — the holder is not late while the centre decides.
    const owner = disputeOwnerRegion(c.cv);
    const disputeOwner = owner === null ? null : { regionId: owner };
    return {
      to: 'DISPUTED',
      patch: { returnCount: c.cv.returnCount + 1, lastReturnedByUnitId: c.cv.assignedUnitId, subUnitId: null, disputeOwner },
      effects: [
        ...(c.cv.state === 'DISPATCHED' ? [stop('sign')] : []),
        { kind: 'pause_clock', clock: 'handle' },
        start('dispute'),
        { kind: 'count', counter: 'returns', ...unitOf(c.cv) },
      ],
      reason,
      details: {
        basis, unitId: c.cv.assignedUnitId, ...(c.cv.assignedUserId ? { gridMemberId: c.cv.assignedUserId } : {}),
        returnNo: c.cv.returnCount + 1, disputeOwner,
      },
    };
  },

  rule_dispute: (c) => {
    const patch = dispatchTo(c, 'for the ruling');
    const ruling = requireText(c.input, 'ruling', 'for the ruling');
    // A unit ruled back to a case it returned scores a 推诿 (buck-passing), domain.md §4.
    const buckPassing = c.cv.lastReturnedByUnitId !== null && patch.assignedUnitId === c.cv.lastReturnedByUnitId;
    // Back to the holder that returned it: its paused clock goes on with the time it had left. Another holder gets a
    // fresh handling limit (domain.md §5: clocks belong to whoever holds the case).
    const resumes = c.cv.handlePausedAt !== null && c.cv.handlePausedAt !== undefined && sameHolder(holderOf(patch), holderOf(c.cv));
    const effects: Effect[] = [
      stop('dispute'), start('sign'), resumes ? { kind: 'resume_clock', clock: 'handle' } : startHandle(c.cv, holderOf(patch)),
    ];
    if (buckPassing) effects.push({ kind: 'count', counter: 'buck_passing', unitId: c.cv.lastReturnedByUnitId! });
    return {
      to: 'DISPATCHED',
      patch,
      effects,
      reason: ruling,
      details: {
        ...holderDetails(patch), returnedByUnitId: c.cv.lastReturnedByUnitId, buckPassing,
        handleClock: resumes ? 'resumed' : 'restarted', disputeOwner: c.cv.disputeOwner ?? null,
      },
    };
  },

  request_postpone: (c) => {
    const extra = requireTimeLimit(c.input, 'extra', 'for postponement');
    const reason = requireText(c.input, 'reason', 'for postponement');
    const request: PendingRequest = { kind: 'postpone', extra, reason, requestedBy: c.actor.userId, requestedAt: c.now };
    return { to: 'IN_PROGRESS', patch: { pendingRequest: request }, reason, details: { extra } };
  },

  approve_postpone: (c) => {
    const req = requestOf(c.cv, 'postpone') as Extract<PendingRequest, { kind: 'postpone' }>;
    const approved = { extra: req.extra, ...holderOf(c.cv), approvedAt: c.now };
    return {
      to: 'IN_PROGRESS',
      patch: { pendingRequest: null, postponeCount: c.cv.postponeCount + 1, approvedExtensions: [...(c.cv.approvedExtensions ?? []), approved] },
      effects: [{ kind: 'extend_deadline', extra: req.extra }, { kind: 'count', counter: 'postpone', ...unitOf(c.cv) }],
      details: { ...note(c), extra: req.extra, requestedBy: req.requestedBy, requestReason: req.reason },
    };
  },

  deny_postpone: (c) => {
    const reason = requireText(c.input, 'reason', 'to deny a postponement');
    const req = requestOf(c.cv, 'postpone') as Extract<PendingRequest, { kind: 'postpone' }>;
    return { to: 'IN_PROGRESS', patch: { pendingRequest: null }, reason, details: { extra: req.extra, requestedBy: req.requestedBy } };
  },

  request_hang: (c) => {
    const reason = requireText(c.input, 'reason', 'for hanging');
    const request: PendingRequest = { kind: 'hang', reason, requestedBy: c.actor.userId, requestedAt: c.now };
    return { to: 'IN_PROGRESS', patch: { pendingRequest: request }, reason };
  },

  approve_hang: (c) => {
    const req = requestOf(c.cv, 'hang');
    return {
      to: 'HUNG',
      patch: { pendingRequest: null },
      effects: [{ kind: 'suspend_clocks' }, { kind: 'count', counter: 'hang', ...unitOf(c.cv) }],
      details: { ...note(c), requestedBy: req.requestedBy, requestReason: req.reason },
    };
  },

  deny_hang: (c) => {
    const reason = requireText(c.input, 'reason', 'to deny a hang');
    const req = requestOf(c.cv, 'hang');
    return { to: 'IN_PROGRESS', patch: { pendingRequest: null }, reason, details: { requestedBy: req.requestedBy } };
  },

  resume: (c) => ({ to: 'IN_PROGRESS', effects: [{ kind: 'resume_clocks' }], details: note(c) }),

  dispose: (c) => {
    const result = requireText(c.input, 'result', 'to report disposal');
    const photos = idList(c.input, 'photos');
    if (c.policy.requirePhotosOnDispose && photos.length === 0) throw invalidAs('photos', { key: 'case.at_least_one_photo_required' }, 'at least one photo required to report disposal');
    const late = c.cv.handleDueAt !== null && c.now > c.cv.handleDueAt;
    return {
      to: 'DISPOSED',
      // Record lateness at disposal, so it does not depend on the deadline sweep having run.
      patch: late && !c.cv.everOverdue ? { everOverdue: true } : {},
      effects: [stop('handle')],
      // the deadline in force at disposal, for the assessment's explanation (src/domain/assessment/facts.ts)
      details: { result, late, dueAt: c.cv.handleDueAt },
      attachmentIds: photos,
    };
  },

  send_check: (c) => ({ to: 'CHECKING', effects: [start('check')], details: note(c) }),

  check_pass: (c) => {
    const closureType: ClosureType = wasOverdue(c.cv, c.now) ? 'overdue' : 'normal';
    return {
      to: c.cv.needsCallback ? 'CLOSED_PENDING_CALLBACK' : 'ARCHIVED',
      patch: { closureType, closedAt: c.now, ...(closureType === 'overdue' ? { everOverdue: true } : {}) },
      effects: [stop('check'), { kind: 'set_closure', closureType }],
      details: { ...note(c), closureType },
      attachmentIds: idList(c.input, 'photos'),
    };
  },

  check_fail: (c) => {
    const reason = requireText(c.input, 'reason', 'to fail a check');
    // Rework is a new piece of work: a fresh handling limit from now (the inspector's time is not the unit's), with
    // the postponements approved for the holder (domain.md §5). Lateness so far stays on the record (everOverdue).
    const kept = extensionsFor(c.cv, holderOf(c.cv));
    return {
      to: 'IN_PROGRESS',
      patch: { reworkCount: c.cv.reworkCount + 1 },
      effects: [stop('check'), { kind: 'count', counter: 'rework', ...unitOf(c.cv) }, startHandle(c.cv, holderOf(c.cv))],
      reason,
      details: { reworkNo: c.cv.reworkCount + 1, ...(kept.length ? { extensionsKept: kept } : {}) },
      attachmentIds: idList(c.input, 'photos'),
    };
  },

  callback: (c) => {
    const satisfied = requireBoolean(c.input, 'satisfied', 'for callback');
    // 满意 / 基本满意 / 不满意 (issue 10): the assessment's 满意率 reads `result`; it must agree with `satisfied`.
    const result = c.input.result === undefined ? (satisfied ? 'satisfied' : 'unsatisfied')
      : requireOneOf<CallbackAnswer>(c.input, 'result', ['satisfied', 'basically_satisfied', 'unsatisfied'], 'for callback');
    if ((result !== 'unsatisfied') !== satisfied) throw invalidAs('result', { key: 'case.does_not_agree_with_satisfied', params: { result: String(result), satisfied: String(satisfied) } }, `"${result}" does not agree with satisfied: ${satisfied}`);
    if (satisfied) return { to: 'ARCHIVED', details: { ...note(c), satisfied, result } };
    const reason = requireText(c.input, 'note', 'when the reporter is not satisfied');
    const unsatisfiedCount = c.cv.unsatisfiedCount + 1;
    const effects: Effect[] = [{ kind: 'count', counter: 'reopen', ...unitOf(c.cv) }, startHandle(c.cv, holderOf(c.cv))];
    // Unsatisfied again after a reopen: escalate (and keep escalating on every further one).
    if (unsatisfiedCount >= 2) effects.push({ kind: 'escalate_supervision' });
    return {
      to: 'IN_PROGRESS',
      patch: { unsatisfiedCount, reopenCount: c.cv.reopenCount + 1, closureType: null, closedAt: null },
      effects,
      reason,
      details: { satisfied, result, unsatisfiedCount },
    };
  },

  close: (c) => {
    const closureType = requireOneOf(c.input, 'closureType', CLOSURE_TYPE_NAMES, 'to close');
    const reason = requireText(c.input, 'reason', 'to close');
    // Normal and overdue closures are the outcome of a passed check; skipping the check is special or erroneous.
    if ((closureType === 'normal' || closureType === 'overdue') && c.cv.state !== 'CLOSED_PENDING_CALLBACK')
      throw invalidAs('closureType', { key: 'case.only_special_or_erroneous_closures' }, 'only special or erroneous closures may skip the check');
    if (closureType === 'normal' && wasOverdue(c.cv, c.now)) throw invalidAs('closureType', { key: 'case.case_was_overdue_not_normal' }, 'the case was overdue: not normal');
    return {
      to: 'ARCHIVED',
      patch: { closureType, closedAt: c.now },
      effects: [...(RUNNING[c.cv.state] ?? []).map(stop), { kind: 'set_closure', closureType }],
      reason,
      details: { closureType },
    };
  },

  reopen: (c) => {
    const reason = requireText(c.input, 'reason', 'to reopen');
    return {
      to: 'IN_PROGRESS',
      patch: { reopenCount: c.cv.reopenCount + 1, closureType: null, closedAt: null },
      effects: [{ kind: 'count', counter: 'reopen', ...unitOf(c.cv) }, startHandle(c.cv, holderOf(c.cv))],
      reason,
    };
  },

  supervise: (c) => {
    const reason = requireText(c.input, 'note', 'for supervision');
    const level = requireOneOf<SupervisionLevel>(c.input, 'level', ['urge', 'supervise', 'leader'], 'for supervision');
    const leader = c.actor.roles.some((r) => r === 'shift_leader' || r === 'centre_leader' || r === 'admin');
    if (level !== 'urge' && !leader) {
      throw new DomainError('FORBIDDEN', `只有值班长或中心领导可以${level === 'leader' ? '领导督办' : '督办'}；受理员只能催办 / only leaders may supervise at level "${level}"; operators may urge`, { field: 'level', key: 'case.only_leaders_supervise' });
    }
    // A notice issued from the supervision desk (督办单) names itself and its tier, for the case's record and the counting.
    const noticeId = optionalText(c.input, 'noticeId');
    const tier = c.input.tier === undefined ? undefined : requireOneOf(c.input, 'tier', ['unit', 'district', 'city'], 'for supervision');
    return {
      to: c.cv.state,
      effects: [{ kind: 'count', counter: 'supervision', ...unitOf(c.cv) }],
      reason,
      details: { level, ...(noticeId ? { noticeId } : {}), ...(tier ? { tier } : {}) },
    };
  },

  merge_into: (c) => {
    const reason = optionalText(c.input, 'reason');
    const master = c.related.master;
    const wanted = c.input.masterCaseId;
    // The command loads the master among the cases the actor may see; one it may not see is "unknown", like one
    // that does not exist, so merging cannot be used to learn about other regions' cases.
    if (!master || master.id !== wanted) throw invalidAs('masterCaseId', { key: 'case.unknown_case', params: { wanted: String(wanted) } }, `unknown case ${String(wanted)}`);
    if (c.cv.masterCaseId !== null && c.cv.masterCaseId !== undefined && c.cv.masterCaseId === master.id) {
      throw new DomainError('CONFLICT', `本案已是案件 ${master.caseNo} 的重复件 / already a duplicate of case ${master.caseNo}`, { field: 'masterCaseId', key: 'case.already_duplicate', params: { caseNo: master.caseNo } });
    }
    if (!isOpen(master.state)) {
      throw new DomainError('CONFLICT', `案件 ${master.caseNo} 已${master.state === 'ARCHIVED' ? '归档' : '作废'}：只能并入未办结的案件 / master case ${master.caseNo} is ${master.state}: merge into an open case`, { field: 'masterCaseId', key: 'case.master_closed', params: { caseNo: master.caseNo } });
    }
    if (master.masterCaseId !== null) {
      throw new DomainError('CONFLICT', `案件 ${master.caseNo} 本身是案件 ${master.masterCaseId} 的重复件，请并入该案件 / case ${master.caseNo} is itself a duplicate of case ${master.masterCaseId}: merge into that one`, { field: 'masterCaseId', key: 'case.master_is_duplicate', params: { caseNo: master.caseNo } });
    }
    if (c.cv.matterClass !== undefined && master.matterClass !== c.cv.matterClass) {
      throw invalidAs('masterCaseId', { key: 'case.case_another_matter_class_vs', params: { caseNo: String(master.caseNo), matterClass: String(master.matterClass), matterClass2: String(c.cv.matterClass) } }, `case ${master.caseNo} is of another matter class (${master.matterClass} vs ${c.cv.matterClass})`);
    }
    return {
      to: 'CANCELLED',
      patch: { masterCaseId: master.id, pendingRequest: null },
      effects: [...(RUNNING[c.cv.state] ?? []).map(stop), ...(c.cv.state === 'REGISTERED' || c.cv.state === 'REPORTED' || c.cv.state === 'ACCEPTED' ? [stop('dispatch')] : [])],
      reason,
      details: { masterCaseId: master.id, masterCaseNo: master.caseNo },
    };
  },

  split: (c) => {
    const reason = requireText(c.input, 'reason', 'to say why the report is a different problem');
    // Whatever happened while it was merged belonged to the master's handling: it starts over from intake, with a
    // fresh dispatch clock (trusted channels straight to REGISTERED).
    return {
      to: c.cv.trustedChannel ? 'REGISTERED' : 'REPORTED',
      patch: {
        masterCaseId: null, assignedUnitId: null, assignedUserId: null, subUnitId: null, assistingUnitIds: [], dispatchedBy: null,
        dispatchedAt: null, pendingRequest: null, closureType: null, closedAt: null, disputeOwner: null, approvedExtensions: [],
      },
      effects: [{ kind: 'reset_clocks' }, start('dispatch')],
      reason,
      details: { masterCaseId: c.cv.masterCaseId },
    };
  },

  self_fix: (c) => {
    const result = requireText(c.input, 'result', 'to self-fix');
    const photos = idList(c.input, 'photos');
    if (photos.length === 0) throw invalidAs('photos', { key: 'case.at_least_one_photo_required_2' }, 'at least one photo required as evidence of the self-fix');
    // No unit was assigned: the counter has no unit to count against (the command layer skips it); the case-level
    // record is this history row (action self_fix) — see src/intake/patrol/README.md.
    return {
      to: 'ARCHIVED',
      patch: { closureType: 'normal', closedAt: c.now },
      effects: [{ kind: 'count', counter: 'self_fixed' }, { kind: 'set_closure', closureType: 'normal' }],
      details: { result },
      attachmentIds: photos,
    };
  },

  ...LEVEL_OUTCOMES,
};

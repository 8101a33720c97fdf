/**
 * Types of the case lifecycle: what `decide` reads (CaseView), what it is asked (ActionInputs), and what it
 * answers (Decision = patch + effects + history row). The command layer loads a CaseView, calls `decide`,
 * then writes the patch, applies the effects and appends the history row in one transaction.
 */
import type { TimeLimit } from '../deadline/deadline.types.ts';
import type { Role } from '../policy/permissions.ts';
import type { ClosureType, State } from './states.ts';
import type { CaseLevelPatch, CaseLevelView, LevelActionInputs, LevelRelated } from './level-types.ts';

export type Action =
  | 'accept'
  | 'reject'
  | 'request_verify'
  | 'verify'
  | 'register'
  | 'dispatch'
  | 'reassign'
  | 'recall'
  | 'sign'
  | 'second_dispatch'
  | 'return'
  | 'rule_dispute'
  | 'request_postpone'
  | 'approve_postpone'
  | 'deny_postpone'
  | 'request_hang'
  | 'approve_hang'
  | 'deny_hang'
  | 'resume'
  | 'dispose'
  | 'send_check'
  | 'check_pass'
  | 'check_fail'
  | 'callback'
  | 'close'
  | 'reopen'
  | 'supervise'
  | 'self_fix'
  | 'merge_into'
  | 'split'
  // levels of platform (上报 / 下派 / 接收 / 退回): level-types.ts, level-transitions.ts
  | 'escalate'
  | 'assign_down'
  | 'accept_transfer'
  | 'refuse_transfer';

/** A request waiting for the centre's decision; only one at a time. */
export type PendingRequest =
  | { kind: 'postpone'; extra: TimeLimit; reason: string; requestedBy: string; requestedAt: number }
  | { kind: 'hang'; reason: string; requestedBy: string; requestedAt: number };

/** Who owns an open dispute (domain.md §4): the coordinators — dispatchers and shift leaders — covering this region. */
export interface DisputeOwner {
  regionId: string;
}

/** An approved postponement (延期), kept with the case for the holder that asked for it (a unit, or a grid member). */
export interface ApprovedExtension {
  extra: TimeLimit;
  unitId: string | null;
  userId: string | null;
  approvedAt: number;
}

/** The fields of a case that `decide` needs. Instants are epoch ms. */
export interface CaseView extends CaseLevelView {
  state: State;
  /** Intake channel ('hotline', 'open311', 'patrol', 'iot', 'video', …); recorded, not interpreted here. */
  channel: string;
  /** Inspector reports and superiors' orders may be registered without acceptance (domain.md §4). */
  trustedChannel: boolean;
  /**
   * Public, media and petition reports must be verified on site before registration (domain.md §4). When
   * true, `register` from ACCEPTED is not allowed: the case must go through VERIFYING. Absent = false.
   */
  verificationRequired?: boolean;
  /** Whether the reporter is called back after the check (回访). */
  needsCallback: boolean;
  assignedUnitId: string | null;
  subUnitId: string | null;
  /**
   * The grid member the case was given to as its handler (网格员处置, domain.md §6) instead of a unit; then
   * `assignedUnitId` is null. Absent = null.
   */
  assignedUserId?: string | null;
  /**
   * The inspector or grid member named to verify the case on site (`request_verify` with `verifierId`); only they
   * (or an administrator) may then `verify`. Null or absent = anyone in scope may verify (as before issue 8).
   */
  verifierUserId?: string | null;
  /** The user who last sent the case to its current holder (dispatch or dispute ruling). */
  dispatchedBy: string | null;
  /**
   * Everyone who dispatched the case or ruled its dispute, in order, once each: none of them may judge its closure
   * (separation of duties). Absent = [dispatchedBy] (the last one only, as far as it is known).
   */
  commandActorIds?: string[];
  returnCount: number;
  postponeCount: number;
  pendingRequest: PendingRequest | null;
  reworkCount: number;
  reopenCount: number;
  unsatisfiedCount: number;
  everOverdue: boolean;
  /** Due instant of the handling clock (null before dispatch). */
  handleDueAt: number | null;
  /** When the handling clock was paused (the unit returned the case to the centre); null while it runs or is stopped. */
  handlePausedAt?: number | null;
  /** The postponements approved so far (absent = none). */
  approvedExtensions?: ApprovedExtension[];
  lastReturnedByUnitId: string | null;
  /**
   * Region ancestry of the case's place, e.g. [district, street, community]. Centre-side actions require the
   * actor to cover one of them. Absent or empty = not yet located: no region restriction.
   */
  regionPath?: string[];
  /** The street and the district of the case's place (the owner of a dispute is found from them). Absent = unknown. */
  streetId?: string | null;
  districtId?: string | null;
  /** The owner of the open dispute (set by a return, cleared when the case leaves DISPUTED). Absent = none. */
  disputeOwner?: DisputeOwner | null;
  /** Whether the case's matter is on the grid-member admission list (网格事项准入清单). Absent = false. */
  admittedForGridMembers?: boolean;
  /** The user who filed the report (cases.created_by); a patrol reporter may self-fix their own report. */
  reportedBy?: string | null;
  /** The master case this one is linked to as a duplicate (merged or linked at intake); null otherwise. */
  masterCaseId?: number | null;
  /** The matter's class code (first two digits of the matter code): a case merges only into one of its class. */
  matterClass?: string;
}

/** The case another is merged into, as the command loaded it (only cases the actor may see). */
export interface MergeTarget {
  id: number;
  caseNo: string;
  state: State;
  masterCaseId: number | null;
  matterClass: string;
}

/** The user a dispatch or ruling names as handler (`gridMemberId`), as the command loaded them. */
export interface GridMemberFacts {
  userId: string;
  roles: Role[];
  regionIds: string[];
  active: boolean;
}

/** Other things an action involves, loaded by the command: the master of a merge, the grid member of a dispatch. */
export interface Related extends LevelRelated {
  master?: MergeTarget;
  gridMember?: GridMemberFacts;
  /** The user `request_verify` names as verifier (`verifierId`), as the command loaded them. */
  verifier?: GridMemberFacts;
}

/** Case columns a decision writes. Only the keys present change. */
export interface CasePatch extends CaseLevelPatch {
  state: State;
  assignedUnitId?: string | null;
  assignedUserId?: string | null;
  verifierUserId?: string | null;
  assistingUnitIds?: string[];
  subUnitId?: string | null;
  dispatchedBy?: string | null;
  commandActorIds?: string[];
  disputeOwner?: DisputeOwner | null;
  approvedExtensions?: ApprovedExtension[];
  dispatchedAt?: number | null;
  returnCount?: number;
  postponeCount?: number;
  pendingRequest?: PendingRequest | null;
  reworkCount?: number;
  reopenCount?: number;
  unsatisfiedCount?: number;
  everOverdue?: boolean;
  lastReturnedByUnitId?: string | null;
  closureType?: ClosureType | null;
  closedAt?: number | null;
  masterCaseId?: number | null;
}

export type RejectKind = 'duplicate' | 'out_of_scope' | 'invalid';
export type VerifyOutcome = 'confirmed' | 'false';
/** 催办 (a reminder) / 督办 (formal supervision) / 领导督办 (supervision by a leader). */
export type SupervisionLevel = 'urge' | 'supervise' | 'leader';
/** A callback's answer (回访结果): 满意 / 基本满意 count as satisfied; 不满意 reopens. */
export type CallbackAnswer = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

/** The input of each action (without the action name). Free-text fields must be non-blank when required. */
export interface ActionInputs extends LevelActionInputs {
  accept: { note?: string };
  /** `referral` (e.g. '110', '119', '120', 'petition') is required for out_of_scope: refuse, never drop. */
  reject: { reason: string; rejectKind: RejectKind; referral?: string; duplicateOfCaseId?: string };
  /** `verifierId`: an active inspector or grid member covering the case's place, who alone may then verify. */
  request_verify: { note?: string; verifierId?: string };
  /** `note` is required when the outcome is 'false' (it is the reason for cancelling). */
  verify: { outcome: VerifyOutcome; note?: string; photos?: string[] };
  register: { note?: string };
  /** To a unit (`unitId`), or to a grid member covering the place (`gridMemberId`, admitted matters only): exactly one. */
  dispatch: { unitId?: string; gridMemberId?: string; assistingUnitIds?: string[]; note?: string };
  /** 改派: another holder for a case nobody has signed for; the reason is recorded. */
  reassign: { unitId?: string; gridMemberId?: string; assistingUnitIds?: string[]; reason: string };
  /** 撤回: the centre takes back a case nobody has signed for; it waits for dispatch again. */
  recall: { reason: string };
  sign: { note?: string };
  second_dispatch: { subUnitId: string; note?: string };
  return: { reason: string; basis: string };
  rule_dispute: { unitId?: string; gridMemberId?: string; ruling: string; assistingUnitIds?: string[] };
  request_postpone: { extra: TimeLimit; reason: string };
  approve_postpone: { note?: string };
  deny_postpone: { reason: string };
  request_hang: { reason: string };
  approve_hang: { note?: string };
  deny_hang: { reason: string };
  resume: { note?: string };
  dispose: { result: string; photos: string[] };
  send_check: { note?: string };
  check_pass: { note?: string; photos?: string[] };
  check_fail: { reason: string; photos?: string[] };
  /** `note` is required when not satisfied (the unit must learn what is still wrong). */
  callback: { satisfied: boolean; note?: string; result?: CallbackAnswer };
  close: { closureType: ClosureType; reason: string };
  reopen: { reason: string };
  /** `noticeId` and `tier`: the supervision notice (督办单) this step issues, when issued from the supervision desk. */
  supervise: { note: string; level: SupervisionLevel; noticeId?: string; tier?: 'unit' | 'district' | 'city' };
  /** 自行处置: the patrol reporter fixed it on the spot; result text and ≥1 photo are the evidence. */
  self_fix: { result: string; photos: string[] };
  /** 合并: this case is the same problem as `masterCaseId` and joins it as a duplicate. */
  merge_into: { masterCaseId: number; reason?: string };
  /** 拆分: a linked duplicate is a different problem after all and becomes its own case again. */
  split: { reason: string };
}

/** Discriminated union of all action requests: `{ action: 'return', reason, basis }` etc. */
export type ActionInput = { [A in Action]: { action: A } & ActionInputs[A] }[Action];

export interface Policy {
  /** Returns to the centre allowed per case (default 2). */
  maxReturns: number;
  /** Approved postponements per case (default 1; e.g. the provincial hotline allows one extension of 7 days). */
  maxPostponements: number;
  /** Whether disposal needs at least one photo (default true). */
  requirePhotosOnDispose: boolean;
}

export const DEFAULT_POLICY: Readonly<Policy> = { maxReturns: 2, maxPostponements: 1, requirePhotosOnDispose: true };

/** The handling clock, and the stage clocks (one at a time): the centre's dispatch, the unit's signing, on-site verification and check, the centre's dispute ruling. */
export type Clock = 'dispatch' | 'sign' | 'handle' | 'check' | 'verify' | 'dispute';

/** What the command layer must do besides writing the patch. */
export type Effect =
  /**
   * Start a fresh clock from now (its limit comes from the matter's time limits). For the handling clock,
   * `extensions` are approved postponements that stay with the case: the deadline is the base limit extended by each.
   */
  | { kind: 'start_clock'; clock: Clock; extensions?: TimeLimit[] }
  | { kind: 'stop_clock'; clock: Clock }
  /** The handling clock stops counting and keeps the time it had left (a return to the centre). */
  | { kind: 'pause_clock'; clock: 'handle' }
  /** A paused handling clock counts again from now with the time it had left (ruled back to the same holder). */
  | { kind: 'resume_clock'; clock: 'handle' }
  /** Hang: all running clocks pause and the case leaves the overdue counts. */
  | { kind: 'suspend_clocks' }
  /** Every clock is discarded (a split report starts over from intake). */
  | { kind: 'reset_clocks' }
  | { kind: 'resume_clocks' }
  /** Approved postponement: push the handling deadline by `extra` (counted on the work calendar). */
  | { kind: 'extend_deadline'; extra: TimeLimit }
  | {
    kind: 'count';
    counter: 'returns' | 'buck_passing' | 'rework' | 'reopen' | 'postpone' | 'hang' | 'supervision' | 'self_fixed';
    unitId?: string;
  }
  | { kind: 'escalate_supervision' }
  /** The case is closed (结案) with this type: feeds closed / closed-on-time indicators. */
  | { kind: 'set_closure'; closureType: ClosureType };

/** The append-only history row (the command layer adds who and when). */
export interface HistoryEntry {
  action: Action;
  fromState: State;
  toState: State;
  reason?: string;
  details: Record<string, unknown>;
  attachmentIds?: string[];
}

export interface Decision {
  from: State;
  to: State;
  patch: CasePatch;
  effects: Effect[];
  history: HistoryEntry;
}

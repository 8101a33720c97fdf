/**
 * THE transition table of the case lifecycle (domain.md §4): for every action, the states it starts from, the
 * states it may lead to, who may perform it, on which side (centre or unit) it is scoped, and the guards and
 * caps that block it. `allowedActions` and `decide` both read this table and nothing else for "may I?";
 * `decide` then computes the exact target, patch and effects from the input.
 *
 * Roles: 'admin' may perform every action without being listed (still bound by states, caps and separation
 * of duties), so it is not repeated below.
 */
import type { Role } from '../policy/permissions.ts';
import { STATE_NAMES, isOpen, type State } from './states.ts';
import type { Actor } from '../policy/scope.ts';
import type { Action, CaseView, Policy } from './types.ts';
import { LEVEL_TRANSITIONS } from './level-transitions.ts';

/**
 * Where an action is scoped:
 * - 'centre': centre staff; the actor must cover the case's region (when the case is located);
 * - 'dispute': the coordinators of the dispute's owner region (a return records it on the case): the actor must
 *   cover that region (or a region above it); a dispute without a recorded owner is scoped like 'centre';
 * - 'unit': the actor must belong to the case's assigned unit, or be the grid member the case was given to;
 * - 'unit_or_sub': the same, or the sub-unit the assigned unit dispatched to (二级派遣);
 * - 'platform': the coordinators of the case's handling platform: the actor covers that region itself (level-transitions.ts);
 * - 'transfer_receiver': the coordinators of the platform a pending transfer is addressed to (without one: like 'centre').
 */
export type Side = 'centre' | 'dispute' | 'unit' | 'unit_or_sub' | 'platform' | 'transfer_receiver';

export interface TransitionRule {
  action: Action;
  zh: string;
  en: string;
  from: readonly State[];
  /** Every state the action may lead to; `decide` picks one from the input and never leaves this list. */
  to: readonly State[];
  roles: readonly Role[];
  side: Side;
  /** A condition of the case (and actor) beyond `from`; returns why it blocks (→ INVALID_TRANSITION) or null. */
  guard?: (cv: CaseView, actor: Actor) => string | null;
  /** The field a guard's refusal names, when it is about one (e.g. 'platform': the city has no superior). */
  guardField?: string;
  /** A per-case cap; returns why it blocks (→ LIMIT_EXCEEDED) or null. */
  limit?: (cv: CaseView, policy: Policy) => string | null;
  /**
   * Judging closure: not by anyone who dispatched the case or ruled its dispute (domain.md §4: 监督 and 指挥 are
   * separate axes).
   */
  judgesClosure?: true;
  /**
   * Grid members may do this only for matters on the admission list (网格事项准入, domain.md §6): an actor whose only
   * role allowing the action is grid_member is refused (FORBIDDEN, field matterCode) for other matters.
   */
  gridMemberAdmission?: true;
}

export const OPEN_STATES: readonly State[] = STATE_NAMES.filter(isOpen);

const INTAKE: readonly Role[] = ['operator', 'shift_leader'];
const COMMAND: readonly Role[] = ['dispatcher', 'shift_leader'];
const UNIT: readonly Role[] = ['unit_handler', 'unit_leader'];
/** Who holds a dispatched case: its unit's staff, or the grid member it was given to (scope 'unit' checks which). */
const HOLDER: readonly Role[] = [...UNIT, 'grid_member'];
/** Who merges and splits duplicates: the desks that take reports and dispatch them. */
const MERGE: readonly Role[] = ['operator', 'shift_leader', 'dispatcher'];

const noPending = (cv: CaseView): string | null =>
  cv.pendingRequest ? `已有待审批的${cv.pendingRequest.kind === 'postpone' ? '延期' : '挂账'}申请 / a ${cv.pendingRequest.kind} request is already pending` : null;

const pending =
  (kind: 'postpone' | 'hang') =>
    (cv: CaseView): string | null =>
    cv.pendingRequest?.kind === kind ? null : `没有待审批的${kind === 'postpone' ? '延期' : '挂账'}申请 / no pending ${kind} request`;

export const TRANSITIONS: readonly TransitionRule[] = [
  { action: 'accept', zh: '受理', en: 'Accept', from: ['REPORTED'], to: ['ACCEPTED'], roles: INTAKE, side: 'centre' },
  {
    action: 'reject', zh: '不予受理', en: 'Reject',
    from: ['REPORTED', 'ACCEPTED'], to: ['CANCELLED'], roles: INTAKE, side: 'centre',
  },
  {
    action: 'request_verify', zh: '派发核实', en: 'Request verification',
    from: ['ACCEPTED'], to: ['VERIFYING'], roles: ['operator', 'shift_leader', 'dispatcher'], side: 'centre',
  },
  {
    action: 'verify', zh: '核实', en: 'Verify',
    from: ['VERIFYING'], to: ['REGISTERED', 'CANCELLED'], roles: ['inspector', 'grid_member'], side: 'centre',
    gridMemberAdmission: true,
  },
  {
    action: 'register', zh: '立案', en: 'Register',
    from: ['REPORTED', 'ACCEPTED'], to: ['REGISTERED'], roles: INTAKE, side: 'centre',
    guard: (cv) => {
      if (cv.state === 'REPORTED' && cv.trustedChannel !== true)
        return '非可信渠道的上报须先受理 / only trusted channels (inspector, superior) may be registered directly';
      if (cv.state === 'ACCEPTED' && cv.verificationRequired === true)
        return '该渠道的上报须先现场核实 / reports from this channel must be verified on site first';
      return null;
    },
  },
  {
    action: 'dispatch', zh: '派遣', en: 'Dispatch',
    from: ['REGISTERED'], to: ['DISPATCHED'], roles: COMMAND, side: 'centre',
  },
  {
    // 改派: sent to the wrong unit (or the unit cannot be reached), before anyone signed for it: the centre sends it
    // to another holder with a reason. After signing, the unit's way out is a return (退回) and the dispute path.
    action: 'reassign', zh: '改派', en: 'Reassign',
    from: ['DISPATCHED'], to: ['DISPATCHED'], roles: COMMAND, side: 'centre',
  },
  {
    // 撤回: dispatched by mistake (or it must be verified first, or merged): taken back before anyone signed for it.
    action: 'recall', zh: '撤回', en: 'Recall',
    from: ['DISPATCHED'], to: ['REGISTERED'], roles: COMMAND, side: 'centre',
  },
  { action: 'sign', zh: '签收', en: 'Sign', from: ['DISPATCHED'], to: ['IN_PROGRESS'], roles: HOLDER, side: 'unit' },
  {
    // Sending work down inside a unit is a managerial act: leaders only.
    action: 'second_dispatch', zh: '二级派遣', en: 'Second-level dispatch',
    from: ['DISPATCHED', 'IN_PROGRESS'], to: ['IN_PROGRESS'], roles: ['unit_leader'], side: 'unit',
  },
  {
    // A sub-unit answers to its parent unit, not to the centre: only the assigned unit (or grid member) returns.
    action: 'return', zh: '退回', en: 'Return',
    from: ['DISPATCHED', 'IN_PROGRESS'], to: ['DISPUTED'], roles: HOLDER, side: 'unit',
    limit: (cv, p) =>
      cv.returnCount >= p.maxReturns ? `本案已退回 ${cv.returnCount} 次，达到上限 ${p.maxReturns} / return cap of ${p.maxReturns} reached` : null,
  },
  {
    // The dispute's owner: the coordinators of the region recorded by the return (domain.md §4).
    action: 'rule_dispute', zh: '争议裁定', en: 'Rule dispute',
    from: ['DISPUTED'], to: ['DISPATCHED'], roles: COMMAND, side: 'dispute',
  },
  {
    action: 'request_postpone', zh: '申请延期', en: 'Request postponement',
    from: ['IN_PROGRESS'], to: ['IN_PROGRESS'], roles: UNIT, side: 'unit_or_sub',
    guard: noPending,
    limit: (cv, p) =>
      cv.postponeCount >= p.maxPostponements
        ? `本案已延期 ${cv.postponeCount} 次，达到上限 ${p.maxPostponements} / postponement cap of ${p.maxPostponements} reached`
        : null,
  },
  {
    action: 'approve_postpone', zh: '批准延期', en: 'Approve postponement',
    from: ['IN_PROGRESS'], to: ['IN_PROGRESS'], roles: COMMAND, side: 'centre', guard: pending('postpone'),
  },
  {
    action: 'deny_postpone', zh: '驳回延期', en: 'Deny postponement',
    from: ['IN_PROGRESS'], to: ['IN_PROGRESS'], roles: COMMAND, side: 'centre', guard: pending('postpone'),
  },
  {
    action: 'request_hang', zh: '申请挂账', en: 'Request hang',
    from: ['IN_PROGRESS'], to: ['IN_PROGRESS'], roles: UNIT, side: 'unit_or_sub', guard: noPending,
  },
  {
    action: 'approve_hang', zh: '批准挂账', en: 'Approve hang',
    from: ['IN_PROGRESS'], to: ['HUNG'], roles: COMMAND, side: 'centre', guard: pending('hang'),
  },
  {
    action: 'deny_hang', zh: '驳回挂账', en: 'Deny hang',
    from: ['IN_PROGRESS'], to: ['IN_PROGRESS'], roles: COMMAND, side: 'centre', guard: pending('hang'),
  },
  { action: 'resume', zh: '恢复处置', en: 'Resume', from: ['HUNG'], to: ['IN_PROGRESS'], roles: COMMAND, side: 'centre' },
  {
    action: 'dispose', zh: '处置反馈', en: 'Report disposal',
    from: ['IN_PROGRESS'], to: ['DISPOSED'], roles: HOLDER, side: 'unit_or_sub',
  },
  {
    action: 'send_check', zh: '发起核查', en: 'Send for check',
    from: ['DISPOSED'], to: ['CHECKING'], roles: COMMAND, side: 'centre',
  },
  {
    action: 'check_pass', zh: '核查通过', en: 'Pass check',
    from: ['CHECKING'], to: ['CLOSED_PENDING_CALLBACK', 'ARCHIVED'], roles: ['inspector'], side: 'centre',
    judgesClosure: true,
  },
  {
    action: 'check_fail', zh: '核查不通过', en: 'Fail check',
    from: ['CHECKING'], to: ['IN_PROGRESS'], roles: ['inspector'], side: 'centre', judgesClosure: true,
  },
  {
    action: 'callback', zh: '回访', en: 'Call back',
    from: ['CLOSED_PENDING_CALLBACK'], to: ['ARCHIVED', 'IN_PROGRESS'], roles: ['operator'], side: 'centre',
  },
  {
    // Special and erroneous closures (and closing without callback) from any open state. Every closure type is a
    // judgement of the case's outcome (special closures leave the scores too), so none is for its dispatchers.
    action: 'close', zh: '结案', en: 'Close',
    from: OPEN_STATES, to: ['ARCHIVED'], roles: ['shift_leader'], side: 'centre', judgesClosure: true,
  },
  {
    action: 'reopen', zh: '重启', en: 'Reopen',
    from: ['ARCHIVED'], to: ['IN_PROGRESS'], roles: ['shift_leader'], side: 'centre',
    guard: (cv) => (cv.assignedUnitId || cv.assignedUserId ? null : '案件从未派遣，无处置单位可重启 / never dispatched: no unit to reopen it for'),
  },
  {
    // 督办: a record on the case; the state does not change (to = from).
    // Operators (12345 seats) may only urge (催办) on a caller's behalf; 督办 and 领导督办 are for leaders
    // (checked in outcomes.ts by level).
    action: 'supervise', zh: '督办', en: 'Supervise',
    from: OPEN_STATES, to: OPEN_STATES, roles: ['shift_leader', 'centre_leader', 'operator'], side: 'centre',
  },
  {
    // 自行处置: an inspector or grid member fixes what they themselves reported on patrol, and closes it with evidence.
    action: 'self_fix', zh: '自行处置', en: 'Self-fix on the spot',
    from: ['REGISTERED'], to: ['ARCHIVED'], roles: ['inspector', 'grid_member'], side: 'centre', gridMemberAdmission: true,
    guard: (cv, actor) => {
      if (cv.channel !== 'patrol') return '只有巡查上报的案件可以自行处置 / only patrol reports may be self-fixed';
      if (!cv.reportedBy || cv.reportedBy !== actor.userId) return '只有上报人本人可以自行处置 / only the reporter may self-fix the report';
      return null;
    },
  },
  {
    // 合并重复案件 (issue 3 §5, by hand): the case joins an open master of its class as a duplicate; nothing is lost,
    // its reports and photos are listed through the master. The master is checked in outcomes.ts.
    action: 'merge_into', zh: '合并', en: 'Merge into another case',
    from: OPEN_STATES, to: ['CANCELLED'], roles: MERGE, side: 'centre',
  },
  {
    // 拆分: a linked duplicate (merged by hand or linked at intake) re-enters the pipeline as its own case.
    action: 'split', zh: '拆分', en: 'Split off the master case',
    from: ['CANCELLED'], to: ['REGISTERED', 'REPORTED'], roles: MERGE, side: 'centre',
    guard: (cv) => (cv.masterCaseId === null || cv.masterCaseId === undefined ? '本案未与其他案件合并 / the case is not linked to a master case' : null),
  },
  ...LEVEL_TRANSITIONS,
];

const BY_ACTION = new Map<Action, TransitionRule>(TRANSITIONS.map((t) => [t.action, t]));

export const ACTION_NAMES: readonly Action[] = TRANSITIONS.map((t) => t.action);

/** Actions with their labels, in lifecycle order (for menus and API documentation). */
export const ACTIONS: readonly { action: Action; zh: string; en: string }[] = TRANSITIONS.map(({ action, zh, en }) => ({
  action,
  zh,
  en,
}));

export const isAction = (value: unknown): value is Action =>
  typeof value === 'string' && BY_ACTION.has(value as Action);

export const ruleOf = (action: Action): TransitionRule => {
  const rule = BY_ACTION.get(action);
  if (!rule) throw new Error(`no transition rule for action ${String(action)}`); // unreachable for typed callers
  return rule;
};

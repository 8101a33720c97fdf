/**
 * The level actions' rows of the transition table (src/domain/case/transitions.ts spreads them in): 上报 escalate,
 * 下派 assign_down, 接收 accept_transfer, 退回/拒收 refuse_transfer. None changes the state: a transfer moves the case's
 * handling platform (the centre that coordinates it), not the case; it keeps one case number and one history.
 *
 * - escalate / assign_down: the coordinators (dispatchers, shift leaders) OF the handling platform only — the actor
 *   covers the platform's region itself (side 'platform'); a district coordinator who may see a street's cases is
 *   not the street's coordinator. Only while the case is on a centre's desk (not with a unit, not closed); never
 *   while another transfer waits.
 * - accept_transfer / refuse_transfer: the coordinators of the receiving platform (side 'transfer_receiver'); not the
 *   person who sent it.
 */
import type { Role } from '../policy/permissions.ts';
import type { Actor } from '../policy/scope.ts';
import { STATE_NAMES, isOpen, type State } from './states.ts';
import type { TransitionRule } from './transitions.ts';
import type { CaseView } from './types.ts';

const COORDINATORS: readonly Role[] = ['dispatcher', 'shift_leader'];

/**
 * On a centre's desk: reported, accepted, registered, returned by its unit (DISPUTED) or hung. A case with a unit
 * (DISPATCHED, IN_PROGRESS) must be returned first, so that a transfer never takes a case from under its handler.
 */
export const TRANSFERABLE_STATES: readonly State[] = ['REPORTED', 'ACCEPTED', 'REGISTERED', 'DISPUTED', 'HUNG'];
const OPEN: readonly State[] = STATE_NAMES.filter(isOpen);

const noPendingTransfer = (cv: CaseView): string | null => {
  if (!cv.platformRegionId) return '本案没有处理平台 / the case has no handling platform';
  const t = cv.pendingTransfer;
  return t ? `已有待${t.kind === 'escalate' ? '上级接收的上报' : '下级接收的下派'} / a ${t.kind === 'escalate' ? 'escalation' : 'assignment'} is already waiting for its receiver` : null;
};

const receivable = (cv: CaseView, actor: Actor): string | null => {
  if (!cv.pendingTransfer) return '没有待接收的上报或下派 / no escalation or assignment is waiting';
  if (cv.pendingTransfer.requestedBy === actor.userId) return '不能接收或退回自己发出的上报或下派 / you sent it: another coordinator of the receiving platform decides';
  return null;
};

export const LEVEL_TRANSITIONS: readonly TransitionRule[] = [
  {
    action: 'escalate', zh: '上报', en: 'Escalate',
    from: TRANSFERABLE_STATES, to: TRANSFERABLE_STATES, roles: COORDINATORS, side: 'platform', guardField: 'platform',
    guard: (cv) => noPendingTransfer(cv)
      ?? (cv.superiorPlatformId ? null : '市级平台没有上级平台 / the city platform has no superior to escalate to'),
  },
  {
    action: 'assign_down', zh: '下派', en: 'Assign down',
    from: TRANSFERABLE_STATES, to: TRANSFERABLE_STATES, roles: COORDINATORS, side: 'platform', guardField: 'platform',
    guard: (cv) => noPendingTransfer(cv)
      ?? (cv.hasLowerPlatform ? null : '街镇平台没有下级平台 / a street platform has no lower platform to assign to'),
  },
  {
    action: 'accept_transfer', zh: '接收', en: 'Accept transfer',
    from: OPEN, to: OPEN, roles: COORDINATORS, side: 'transfer_receiver', guard: receivable,
  },
  {
    action: 'refuse_transfer', zh: '退回（拒收）', en: 'Refuse transfer',
    from: OPEN, to: OPEN, roles: COORDINATORS, side: 'transfer_receiver', guard: receivable,
  },
];

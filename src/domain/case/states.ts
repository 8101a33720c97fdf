/**
 * Case states (domain.md §4) and closure types. Labels: Chinese first, English second (house rule 1).
 */

export type State =
  | 'REPORTED'
  | 'ACCEPTED'
  | 'VERIFYING'
  | 'REGISTERED'
  | 'DISPATCHED'
  | 'IN_PROGRESS'
  | 'DISPUTED'
  | 'HUNG'
  | 'DISPOSED'
  | 'CHECKING'
  | 'CLOSED_PENDING_CALLBACK'
  | 'ARCHIVED'
  | 'CANCELLED';

export const STATES: readonly { state: State; zh: string; en: string; open: boolean }[] = [
  { state: 'REPORTED', zh: '已上报', en: 'Reported', open: true },
  { state: 'ACCEPTED', zh: '已受理', en: 'Accepted', open: true },
  { state: 'VERIFYING', zh: '核实中', en: 'Verifying', open: true },
  { state: 'REGISTERED', zh: '已立案', en: 'Registered', open: true },
  { state: 'DISPATCHED', zh: '已派遣待签收', en: 'Dispatched', open: true },
  { state: 'IN_PROGRESS', zh: '处置中', en: 'In progress', open: true },
  { state: 'DISPUTED', zh: '退回待裁定', en: 'Disputed', open: true },
  { state: 'HUNG', zh: '已挂账', en: 'Hung', open: true },
  { state: 'DISPOSED', zh: '已处置', en: 'Disposed', open: true },
  { state: 'CHECKING', zh: '核查中', en: 'Checking', open: true },
  { state: 'CLOSED_PENDING_CALLBACK', zh: '已结案待回访', en: 'Closed, pending callback', open: true },
  { state: 'ARCHIVED', zh: '已归档', en: 'Archived', open: false },
  { state: 'CANCELLED', zh: '已作废', en: 'Cancelled', open: false },
];

export const STATE_NAMES: readonly State[] = STATES.map((s) => s.state);

export const isState = (value: unknown): value is State =>
  typeof value === 'string' && (STATE_NAMES as readonly string[]).includes(value);

/** Open = still in the loop (not ARCHIVED or CANCELLED). CLOSED_PENDING_CALLBACK is open: a callback may reopen it. */
export const isOpen = (state: State): boolean => state !== 'ARCHIVED' && state !== 'CANCELLED';

export const stateLabel = (state: State): { zh: string; en: string } => {
  const s = STATES.find((x) => x.state === state);
  return s ? { zh: s.zh, en: s.en } : { zh: state, en: state };
};

/** 结案类型 (domain.md §4): 正常 / 超时 / 差错 / 特殊. */
export type ClosureType = 'normal' | 'overdue' | 'erroneous' | 'special';

export const CLOSURE_TYPES: readonly { closureType: ClosureType; zh: string; en: string }[] = [
  { closureType: 'normal', zh: '正常结案', en: 'Normal' },
  { closureType: 'overdue', zh: '超时结案', en: 'Overdue' },
  { closureType: 'erroneous', zh: '差错结案', en: 'Erroneous' },
  { closureType: 'special', zh: '特殊结案', en: 'Special' },
];

export const CLOSURE_TYPE_NAMES: readonly ClosureType[] = CLOSURE_TYPES.map((c) => c.closureType);

/** Closed = the work is done and checked (结案): waiting for its callback or archived. */
export const isClosed = (state: State): boolean => state === 'CLOSED_PENDING_CALLBACK' || state === 'ARCHIVED';

/**
 * What a transition means to a task that follows its case (a 未诉先办 task, a shop-sign inspection): the case closed,
 * was cancelled (rejected, or merged into another case), or came back to work after either (重启 after closure, a
 * callback's 重办, a split off its master); null when none of these (CLOSED_PENDING_CALLBACK → ARCHIVED is no news).
 */
export type CaseMove = 'closed' | 'cancelled' | 'reopened';
export function caseMoveOf(from: State, to: State): CaseMove | null {
  const ended = (s: State) => isClosed(s) || s === 'CANCELLED';
  if (to === 'CANCELLED' && from !== 'CANCELLED') return 'cancelled';
  if (isClosed(to) && !ended(from)) return 'closed';
  if (ended(from) && !ended(to)) return 'reopened';
  return null;
}

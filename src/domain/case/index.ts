export {
  type State,
  type ClosureType,
  STATES,
  STATE_NAMES,
  isState,
  isOpen,
  isClosed,
  caseMoveOf,
  type CaseMove,
  stateLabel,
  CLOSURE_TYPES,
  CLOSURE_TYPE_NAMES,
} from './states.ts';
export type {
  Action,
  ActionInputs,
  ActionInput,
  CaseView,
  CasePatch,
  PendingRequest,
  Policy,
  Clock,
  Effect,
  HistoryEntry,
  Decision,
  RejectKind,
  VerifyOutcome,
  SupervisionLevel,
  CallbackAnswer,
  MergeTarget,
  Related,
  GridMemberFacts,
  DisputeOwner,
  ApprovedExtension,
} from './types.ts';
export { DEFAULT_POLICY } from './types.ts';
export {
  type Side,
  type TransitionRule,
  TRANSITIONS,
  ACTIONS,
  ACTION_NAMES,
  OPEN_STATES,
  isAction,
  ruleOf,
} from './transitions.ts';
export { allowedActions, resolvePolicy, refusal, commandActorsOf, disputeOwnerRegion, type Refusal } from './allowed.ts';
export { decide } from './decide.ts';
export type { Actor } from '../policy/scope.ts';
export type { Role } from '../policy/permissions.ts';

/**
 * How the case lifecycle reads to Open311 clients (one mapping for the request list and the update feed).
 *
 * GeoReport v2 knows only `open` and `closed` (docs/open311.md §1.11 item 2); mySociety's extension adds finer
 * statuses that FixMyStreet maps to its own report states (Open311.pm `map_state`). Our projection:
 *
 * | our state                                   | requests `status` | update `status` (extended)      | FixMyStreet shows |
 * |---------------------------------------------|-------------------|---------------------------------|-------------------|
 * | REPORTED                                    | open              | open                            | open              |
 * | ACCEPTED, VERIFYING                         | open              | investigating                   | investigating     |
 * | REGISTERED                                  | open              | action_scheduled                | action scheduled  |
 * | DISPATCHED, IN_PROGRESS, DISPUTED, DISPOSED, CHECKING | open    | in_progress                     | in progress       |
 * | HUNG (挂账: kept, cannot be fixed now)        | open              | action_scheduled                | action scheduled  |
 * | CLOSED_PENDING_CALLBACK (checked on site)   | closed            | fixed                           | fixed             |
 * | ARCHIVED after a fix (check, callback, 自行处置, normal/overdue closure) | closed | fixed          | fixed             |
 * | ARCHIVED by a special or erroneous closure  | closed            | no_further_action               | unable to fix     |
 * | CANCELLED: rejected as a duplicate          | closed            | duplicate                       | duplicate         |
 * | CANCELLED: out of scope (referred elsewhere) | closed           | not_councils_responsibility     | not responsible   |
 * | CANCELLED: invalid, or false on verification | closed           | no_further_action               | unable to fix     |
 * | linked to a master case (a duplicate)       | the master's      | the master's                    | the master's      |
 *
 * A rejected report is never "fixed": the extended statuses say why it was closed, and `status_notes` of the
 * request list says it in words (FixMyStreet reads status_notes as the update's text when it polls requests).
 * CLOSED_PENDING_CALLBACK is closed here although our loop still waits for the callback: the problem was fixed
 * and checked on site (GeoReport's "closed = resolved", and the citizen portal's 已办结); an unsatisfied callback
 * reopens it like any closed case.
 */
import { STATES } from '../../domain/case/states.ts';

export type CoreStatus = 'open' | 'closed';
export type ExtendedStatus =
  | 'open' | 'investigating' | 'action_scheduled' | 'in_progress' | 'fixed'
  | 'duplicate' | 'not_councils_responsibility' | 'no_further_action';

/** States GeoReport clients read as closed (`status=closed` lists them). */
export const OPEN311_CLOSED_STATES: readonly string[] = ['CLOSED_PENDING_CALLBACK', 'ARCHIVED', 'CANCELLED'];

export const coreStatusOf = (state: string): CoreStatus => (OPEN311_CLOSED_STATES.includes(state) ? 'closed' : 'open');

/** Why a case was cancelled, from the history row that cancelled it. */
export interface Cancellation {
  action: string;
  rejectKind?: string;
  referral?: string;
}

/** What closed an archived case: its closure type (结案类型). */
export interface CaseOutcome { state: string; closureType: string | null; cancellation?: Cancellation | null }

const BY_STATE: Readonly<Record<string, ExtendedStatus>> = {
  REPORTED: 'open', ACCEPTED: 'investigating', VERIFYING: 'investigating', REGISTERED: 'action_scheduled',
  DISPATCHED: 'in_progress', IN_PROGRESS: 'in_progress', DISPUTED: 'in_progress', DISPOSED: 'in_progress', CHECKING: 'in_progress',
  HUNG: 'action_scheduled', CLOSED_PENDING_CALLBACK: 'fixed',
};

export function cancelledStatus(c: Cancellation | null | undefined): ExtendedStatus {
  if (c?.action === 'reject' && c.rejectKind === 'duplicate') return 'duplicate';
  if (c?.action === 'reject' && c.rejectKind === 'out_of_scope') return 'not_councils_responsibility';
  return 'no_further_action';
}

export function extendedStatusOf(o: CaseOutcome): ExtendedStatus {
  if (o.state === 'ARCHIVED') return o.closureType === 'special' || o.closureType === 'erroneous' ? 'no_further_action' : 'fixed';
  if (o.state === 'CANCELLED') return cancelledStatus(o.cancellation);
  return BY_STATE[o.state] ?? 'open';
}

const LABELS = new Map(STATES.map((s) => [s.state as string, `${s.zh} / ${s.en}`]));

/** A referral shown to the public only when it is a service number (110, 12345 …), never free text. */
const publicReferral = (r: string | undefined): string | null => (r && /^\d{3,6}$/.test(r.trim()) ? r.trim() : null);

/** Why a request was closed without a fix, in words (Chinese, then English). */
export function cancellationNotes(c: Cancellation | null | undefined): string {
  if (c?.action === 'reject') {
    if (c.rejectKind === 'duplicate') return '不予受理：与已在办理的诉求重复 / Not accepted: a duplicate of a request already being handled';
    if (c.rejectKind === 'out_of_scope') {
      const r = publicReferral(c.referral);
      return r ? `不予受理：不属本平台受理范围，请联系 ${r} / Not accepted: not for this service; please contact ${r}`
        : '不予受理：不属本平台受理范围，已告知受理渠道 / Not accepted: not for this service; referred to the competent authority';
    }
    return '不予受理：经审核不是有效诉求 / Not accepted: not a valid report';
  }
  if (c?.action === 'verify') return '经现场核实情况不属实，不予立案 / Not confirmed on site; closed without action';
  return `${LABELS.get('CANCELLED')}`;
}

/** `status_notes` of a request: the fine state, and for closures without a fix, why. */
export function statusNotesOf(o: CaseOutcome): string {
  if (o.state === 'CANCELLED') return cancellationNotes(o.cancellation);
  if (o.state === 'ARCHIVED' && o.closureType === 'special') return '已归档：特殊结案，未按原诉求处置 / Archived: closed as a special case, not fixed as reported';
  if (o.state === 'ARCHIVED' && o.closureType === 'erroneous') return '已归档：差错结案 / Archived: closed as filed in error';
  return LABELS.get(o.state) ?? o.state;
}

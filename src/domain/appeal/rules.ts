/**
 * Appeals (申诉) and exclusions (无理诉求) — the two ways a case leaves (part of) the assessment, each reviewed by
 * another person (domain.md §7: "Unreasonable requests can be tagged after review and excluded from scores, with an
 * appeal path"). Pure: the case facts, the actor, the time and the calendar are arguments.
 *
 * Exclusion: centre staff request it with a reason; a leader (shift leader, centre leader, administrator) other than
 * the requester approves or rejects it; an approved exclusion may be revoked by a leader with a reason. While the
 * latest decision is "approved" the case leaves ALL scores; every exclusion is listed in its own report (who, why,
 * when, which unit benefited), so tagging cannot hide a unit's failures quietly.
 *
 * Appeal: a unit leader appeals a case that counts against their unit (the unit holds or held it: assigned, sub-unit,
 * assisting, or returned it), with a reason and evidence, within `workDaysAfterMonth` work days after the end of the
 * month the case counts in (the month it was closed, or the current month for an open case). Not on a cancelled
 * case (it does not count), nor on an excluded one (it counts nowhere already), nor twice at once. The centre (a
 * leader other than the appellant) accepts or rejects it with a reason; an accepted appeal removes the case from that
 * unit's assessment.
 */
import { DomainError, invalidAs } from '../errors.ts';
import type { Actor } from '../policy/scope.ts';
import { isAdmin } from '../policy/scope.ts';
import { isCentreStaff } from '../policy/visibility.ts';
import { addLimit } from '../deadline/deadline.ts';
import type { WorkCalendar } from '../deadline/deadline.types.ts';

const REVIEWERS = new Set(['shift_leader', 'centre_leader', 'admin']);
export const isReviewer = (actor: Pick<Actor, 'roles'>): boolean => actor.roles.some((r) => REVIEWERS.has(r));

export const requireReason = (v: unknown, field = 'reason'): string => {
  if (typeof v !== 'string' || v.trim() === '') throw invalidAs(field, { key: 'appeal.required_say_why' }, 'required: say why');
  if (v.length > 2000) throw invalidAs(field, { key: 'field.at_most_2000_characters' }, 'at most 2000 characters');
  return v.trim();
};

// ---- exclusions ----

export type ExclusionState = 'requested' | 'approved' | 'rejected' | 'revoked';

export function checkExclusionRequest(actor: Actor, caseState: string): void {
  if (!isAdmin(actor) && !isCentreStaff(actor)) {
    throw new DomainError('FORBIDDEN', '只有中心工作人员可以申请认定无理诉求 / only centre staff may request an exclusion', { field: 'caseId' , key: 'appeal.only_centre_requests' });
  }
  if (caseState === 'CANCELLED') throw new DomainError('INVALID_TRANSITION', '已作废的案件不计入考核，无需认定 / a cancelled case does not count', { field: 'caseId' , key: 'appeal.cancelled_no_exclusion' });
}

export function checkExclusionReview(actor: Actor, ex: { state: ExclusionState; requestedBy: string | null }, decision: unknown): 'approve' | 'reject' {
  if (decision !== 'approve' && decision !== 'reject') throw invalidAs('decision', { key: 'appeal.approve_or_reject' }, 'must be approve or reject');
  if (!isReviewer(actor)) throw new DomainError('FORBIDDEN', '只有值班长、中心领导可以审核 / only leaders review exclusions', { field: 'decision' , key: 'appeal.only_leaders_review' });
  if (ex.requestedBy === actor.userId) {
    throw new DomainError('SEPARATION_OF_DUTIES', '申请人不能审核自己的申请 / the requester may not review their own request', { field: 'requestedBy' , key: 'appeal.own_request' });
  }
  if (ex.state !== 'requested') throw new DomainError('CONFLICT', `the exclusion is ${ex.state}, not waiting for review`, { field: 'exclusionId' , key: 'appeal.exclusion_not_waiting' });
  return decision;
}

export function checkExclusionRevoke(actor: Actor, ex: { state: ExclusionState }): void {
  if (!isReviewer(actor)) throw new DomainError('FORBIDDEN', '只有值班长、中心领导可以撤销 / only leaders revoke exclusions', { field: 'exclusionId' , key: 'appeal.only_leaders_revoke' });
  if (ex.state !== 'approved') throw new DomainError('CONFLICT', `only an approved exclusion can be revoked (this one is ${ex.state})`, { field: 'exclusionId' , key: 'appeal.only_approved_revoked' });
}

// ---- appeals ----

export type AppealState = 'open' | 'accepted' | 'rejected';

/** The units a case concerns for its assessment: the units that hold or held it. */
export interface CaseUnits {
  assignedUnitId: string | null;
  subUnitId: string | null;
  assistingUnitIds: readonly string[];
  lastReturnedByUnitId: string | null;
}

export const concernsUnit = (c: CaseUnits, unitId: string): boolean =>
  c.assignedUnitId === unitId || c.subUnitId === unitId || c.assistingUnitIds.includes(unitId) || c.lastReturnedByUnitId === unitId;

/** The unit the appellant appeals for: the given one (theirs), or their one unit the case concerns. */
export function appealUnit(actor: Actor, c: CaseUnits, unitId: string | undefined): string {
  if (!isAdmin(actor) && !actor.roles.includes('unit_leader')) {
    throw new DomainError('FORBIDDEN', '只有处置单位负责人可以申诉 / only a unit leader may appeal', { field: 'unitId' , key: 'appeal.only_unit_leader' });
  }
  const u = unitId ?? actor.unitIds.find((x) => concernsUnit(c, x)) ?? actor.unitIds[0];
  if (!u) throw invalidAs('unitId', { key: 'appeal.required_unit_that_appeals' }, 'required: the unit that appeals');
  if (!isAdmin(actor) && !actor.unitIds.includes(u)) throw new DomainError('FORBIDDEN', 'unitId: you may appeal only for your own unit', { field: 'unitId' , key: 'appeal.own_unit_only' });
  if (!concernsUnit(c, u)) throw invalidAs('unitId', { key: 'appeal.case_does_not_concern_this' }, '该案件与本单位无关，不能申诉 / the case does not concern this unit');
  return u;
}

export function checkAppealable(caseState: string, excluded: boolean): void {
  if (caseState === 'CANCELLED') throw new DomainError('INVALID_TRANSITION', '已作废的案件不计入考核，不能申诉 / a cancelled case does not count: nothing to appeal', { field: 'caseId' , key: 'appeal.cancelled_no_appeal' });
  if (excluded) throw new DomainError('CONFLICT', '该案件已认定为无理诉求、不计入考核 / the case is excluded from the scores already', { field: 'caseId' , key: 'appeal.already_excluded' });
}

/** The month (YYYY-MM, city time) an instant falls in. */
export function periodOf(ms: number, utcOffsetMinutes: number): string {
  const d = new Date(ms + utcOffsetMinutes * 60_000);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The last instant to appeal a case counted in `period`: N work days after the month's end, at close of business. */
export function appealDeadline(cal: WorkCalendar, period: string, workDays: number): number {
  const [y, m] = period.split('-').map(Number);
  const nextMonth = Date.UTC(y, m, 1) - cal.data.utcOffsetMinutes * 60_000; // 00:00 city time on the 1st of the next month
  // The limit counts from the day after the start: start on the month's last instant, so its first day is the 1st.
  return addLimit(cal, nextMonth - 1, { amount: workDays, unit: 'work_days' });
}

export function checkAppealDecision(actor: Actor, ap: { state: AppealState; filedBy: string | null }, decision: unknown): 'accept' | 'reject' {
  if (decision !== 'accept' && decision !== 'reject') throw invalidAs('decision', { key: 'appeal.accept_or_reject' }, 'must be accept or reject');
  if (!isReviewer(actor)) throw new DomainError('FORBIDDEN', '只有中心值班长、中心领导可以裁决申诉 / only the centre\'s leaders decide appeals', { field: 'decision' , key: 'appeal.only_leaders_decide' });
  if (ap.filedBy === actor.userId) {
    throw new DomainError('SEPARATION_OF_DUTIES', '申诉人不能裁决自己的申诉 / the appellant may not decide their own appeal', { field: 'filedBy' , key: 'appeal.own_appeal' });
  }
  if (ap.state !== 'open') throw new DomainError('CONFLICT', `the appeal is ${ap.state} already`, { field: 'appealId' , key: 'appeal.already_decided' });
  return decision;
}

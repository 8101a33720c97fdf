/**
 * Presenters of the desk records: whitelisted fields, the names recorded then, and what the caller may do next (so
 * the console does not copy the rules). Reporters' personal data never appears here; cases are shown through the
 * case presenter (which masks it).
 */
import { maySeatCallbacks } from '../../../domain/callback/rules.ts';
import { isReviewer } from '../../../domain/appeal/rules.ts';
import { LEVEL_ZH, TIER_ZH, type Tier } from '../../../domain/supervision/rules.ts';
import type { NoticeLevel } from '../../../domain/callback/settings.ts';
import { isAdmin } from '../../../domain/policy/scope.ts';
import type { ReferenceCache } from '../../../runtime/reference-cache.ts';
import { fromJson } from '../../../storage/codec.ts';
import type { AppealRow } from '../../../storage/repositories/appeal.repository.ts';
import type { CallbackTaskRow } from '../../../storage/repositories/callback.repository.ts';
import type { DeskHistoryRow } from '../../../storage/repositories/desk-history.repository.ts';
import type { ExclusionRow } from '../../../storage/repositories/exclusion.repository.ts';
import type { NoticeRow } from '../../../storage/repositories/supervision.repository.ts';
import type { Principal } from '../../middleware/auth.ts';

export const iso = (ms: number | string | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());
const person = (id: string | null, name: string | null) => (id === null && name === null ? null : { id: id ?? '', name });
const unitOf = (ref: ReferenceCache, id: string | null) => (id ? { id, name: ref.current().units.get(id)?.name ?? id } : null);

export const presentDeskHistory = (h: DeskHistoryRow) => ({
  action: h.action, actor: person(h.actor_id, h.actor_name), at: iso(h.at)!, details: fromJson<Record<string, unknown>>(h.details, {}),
});

export function presentTask(t: CallbackTaskRow, ref: ReferenceCache, p: Principal, now: number, history?: DeskHistoryRow[]) {
  const s = ref.current().desks;
  const active = t.state === 'waiting' || t.state === 'claimed';
  const actions: string[] = [];
  const next = t.next_attempt_at === null ? null : Number(t.next_attempt_at);
  if (maySeatCallbacks(p) && t.state === 'waiting' && (next === null || next <= now)) actions.push('claim');
  if (t.state === 'claimed' && (t.claimed_by === p.userId || p.roles.includes('shift_leader') || isAdmin(p))) actions.push('release');
  if (t.state === 'claimed' && t.claimed_by === p.userId) actions.push('record');
  return {
    id: Number(t.id), caseId: Number(t.case_id), caseNo: t.case_no, round: Number(t.round), state: t.state as 'waiting', result: t.result,
    attempts: Number(t.attempts), maxAttempts: s.callback.maxAttempts, claimedBy: person(t.claimed_by, t.claimed_by_name), claimedAt: iso(t.claimed_at),
    nextAttemptAt: iso(next), dueAt: iso(t.due_at)!, overdue: active && now > Number(t.due_at), finishedAt: iso(t.finished_at),
    finishedBy: person(t.finished_by, t.finished_by_name), note: t.note, actions,
    ...(history ? { history: history.map(presentDeskHistory) } : {}),
  };
}

export function presentExclusion(e: ExclusionRow, ref: ReferenceCache, p: Principal, history?: DeskHistoryRow[]) {
  const actions: string[] = [];
  if (isReviewer(p) && e.state === 'requested' && e.requested_by !== p.userId) actions.push('review');
  if (isReviewer(p) && e.state === 'approved') actions.push('revoke');
  return {
    id: Number(e.id), caseId: Number(e.case_id), caseNo: e.case_no, unit: unitOf(ref, e.unit_id), state: e.state as 'requested', reason: e.reason,
    requestedBy: person(e.requested_by, e.requested_by_name), requestedAt: iso(e.requested_at)!,
    decidedBy: person(e.decided_by, e.decided_by_name), decidedAt: iso(e.decided_at), decisionNote: e.decision_note,
    revokedBy: person(e.revoked_by, e.revoked_by_name), revokedAt: iso(e.revoked_at), revokeReason: e.revoke_reason, actions,
    ...(history ? { history: history.map(presentDeskHistory) } : {}),
  };
}

export function presentAppeal(a: AppealRow, ref: ReferenceCache, p: Principal, history?: DeskHistoryRow[]) {
  const actions: string[] = [];
  if (isReviewer(p) && a.state === 'open' && a.filed_by !== p.userId) actions.push('decide');
  return {
    id: Number(a.id), caseId: Number(a.case_id), caseNo: a.case_no, unit: unitOf(ref, a.unit_id), period: a.period, state: a.state as 'open',
    reason: a.reason, evidence: fromJson<string[]>(a.evidence, []), filedBy: person(a.filed_by, a.filed_by_name), filedAt: iso(a.filed_at)!,
    deadlineAt: iso(a.deadline_at)!, decidedBy: person(a.decided_by, a.decided_by_name), decidedAt: iso(a.decided_at), decisionReason: a.decision_reason, actions,
    ...(history ? { history: history.map(presentDeskHistory) } : {}),
  };
}

export function presentNotice(n: NoticeRow, ref: ReferenceCache, p: Principal, now: number, history?: DeskHistoryRow[]) {
  const actions: string[] = [];
  const unitStaff = (p.roles.includes('unit_handler') || p.roles.includes('unit_leader')) && n.unit_id !== null && p.unitIds.includes(n.unit_id);
  if (n.state === 'open' && (unitStaff || isAdmin(p))) actions.push('answer');
  return {
    id: n.id, caseId: Number(n.case_id), caseNo: n.case_no, unit: unitOf(ref, n.unit_id), level: n.level as 'urge', levelLabel: LEVEL_ZH[n.level as NoticeLevel] ?? n.level,
    tier: n.tier as 'unit', tierLabel: TIER_ZH[n.tier as Tier] ?? n.tier, state: n.state as 'open', note: n.note,
    issuedBy: person(n.issued_by, n.issued_by_name), issuedAt: iso(n.issued_at)!, dueAt: iso(n.due_at)!, overdue: n.state === 'open' && now > Number(n.due_at),
    answer: n.answer, answeredBy: person(n.answered_by, n.answered_by_name), answeredAt: iso(n.answered_at),
    raiseCount: Number(n.raise_count), raisedAt: iso(n.raised_at), actions,
    ...(history ? { history: history.map(presentDeskHistory) } : {}),
  };
}

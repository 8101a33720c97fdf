/**
 * Shift handover (交接班, issue 9 §7): a shift leader closes the shift with what is open, what is urgent (a summary
 * generated from the cases and alerts the leader may see) and notes; the next shift's leader acknowledges it. Pure:
 * the facts and the time are handed in.
 */
import { DomainError, invalidAs } from '../errors.ts';
import { isAdmin, type Actor } from '../policy/scope.ts';

export interface CaseBrief { id: number; caseNo: string; state: string; urgency: string; alertLevel: string; dueAt: number | null }
export interface AlertBrief { alertId: number; caseId: number; caseNo: string; tierLevel: string | null; raisedAt: number }

export interface HandoverSummary {
  generatedAt: number;
  open: number;
  /** True when there were more open cases than were counted (`open` is then a lower bound). */
  openCapped: boolean;
  overdue: number;
  warning: number;
  /** 紧急 / 非常紧急 open cases, most urgent and nearest deadline first (at most 20). */
  urgent: CaseBrief[];
  /** The open cases whose deadlines come next (at most 20). */
  nextDue: CaseBrief[];
  /** Emergencies still ringing, unacknowledged. */
  ringing: AlertBrief[];
}

const URGENCY_RANK: Record<string, number> = { very_urgent: 0, urgent: 1, normal: 2 };

export function summarizeShift(facts: {
  open: number; openCapped: boolean; overdue: number; warning: number; urgent: CaseBrief[]; nextDue: CaseBrief[]; ringing: AlertBrief[];
}, now: number): HandoverSummary {
  const urgent = [...facts.urgent].sort((a, b) => (URGENCY_RANK[a.urgency] ?? 3) - (URGENCY_RANK[b.urgency] ?? 3)
    || (a.dueAt ?? Number.MAX_SAFE_INTEGER) - (b.dueAt ?? Number.MAX_SAFE_INTEGER) || a.id - b.id).slice(0, 20);
  return {
    generatedAt: now, open: facts.open, openCapped: facts.openCapped, overdue: facts.overdue, warning: facts.warning,
    urgent, nextDue: facts.nextDue.slice(0, 20), ringing: [...facts.ringing].sort((a, b) => a.raisedAt - b.raisedAt).slice(0, 50),
  };
}

export const LEADER_ROLES = ['shift_leader'] as const;
const isLeader = (a: Actor) => isAdmin(a) || a.roles.includes('shift_leader');

export interface HandoverInput { shiftLabel: string; notes: string; regionId?: string | null; nextLeaderId?: string | null }

/** Checks who closes and what; errors name the field. */
export function checkClose(actor: Actor, input: HandoverInput, nextLeader: Actor | null | undefined): { shiftLabel: string; notes: string; regionId: string | null } {
  if (!isLeader(actor)) throw new DomainError('FORBIDDEN', 'role: only a shift leader (值班长) closes a shift', { field: 'role', key: 'handover.only_leader_closes' });
  const shiftLabel = input.shiftLabel.trim();
  if (shiftLabel.length === 0 || shiftLabel.length > 100) throw invalidAs('shiftLabel', { key: 'handover.between_1_and_100_characters' }, 'between 1 and 100 characters (e.g. 12月6日 白班)');
  if (input.notes.length > 4000) throw invalidAs('notes', { key: 'handover.at_most_4_000_characters' }, 'at most 4,000 characters');
  const regionId = input.regionId ?? actor.regionIds[0] ?? null;
  if (input.regionId && !isAdmin(actor) && !actor.regionIds.includes(input.regionId)) throw invalidAs('regionId', { key: 'field.region_you_do_not_cover' }, 'a region you do not cover');
  if (input.nextLeaderId) {
    if (input.nextLeaderId === actor.userId) throw invalidAs('nextLeaderId', { key: 'handover.next_shift_s_leader_somebody' }, 'the next shift\'s leader is somebody else');
    if (!nextLeader || !isLeader(nextLeader)) throw invalidAs('nextLeaderId', { key: 'handover.not_active_shift_leader' }, 'not an active shift leader');
  }
  return { shiftLabel, notes: input.notes.trim(), regionId };
}

/** Who acknowledges: the named next leader, or (none named) any other shift leader covering the region. */
export function checkAcknowledgeHandover(actor: Actor, h: { closedBy: string; nextLeaderId: string | null; regionId: string | null; acknowledgedAt: number | null }): void {
  if (h.acknowledgedAt !== null) throw new DomainError('CONFLICT', 'state: the handover is already acknowledged', { field: 'state', key: 'handover.already_acknowledged' });
  if (!isLeader(actor)) throw new DomainError('FORBIDDEN', 'role: only a shift leader (值班长) acknowledges a handover', { field: 'role', key: 'handover.only_leader_acknowledges' });
  if (actor.userId === h.closedBy) throw new DomainError('FORBIDDEN', 'nextLeaderId: the leader who closed the shift cannot acknowledge it', { field: 'nextLeaderId', key: 'handover.closer_cannot_acknowledge' });
  if (h.nextLeaderId && h.nextLeaderId !== actor.userId && !isAdmin(actor)) {
    throw new DomainError('FORBIDDEN', 'nextLeaderId: the handover is addressed to another leader', { field: 'nextLeaderId', key: 'handover.addressed_to_other' });
  }
  if (!h.nextLeaderId && h.regionId && !isAdmin(actor) && !actor.regionIds.includes(h.regionId)) {
    throw new DomainError('FORBIDDEN', 'regionId: you do not cover the region of this shift', { field: 'regionId', key: 'handover.region_not_covered' });
  }
}

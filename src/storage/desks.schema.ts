/** Table types of the assessment desks (migration 023): callbacks, exclusions, appeals, supervision notices. */
import type { Generated } from 'kysely';

/** One callback (回访) of a case after its check: who took it, attempts, result (docs/issue-10/callbacks-appeals-supervision.md). */
export interface CallbackTaskTable {
  id: Generated<number>;
  case_id: number;
  case_no: string;
  /** 1 for the first callback; 2 after an unsatisfied answer reopened the case and it came back; … */
  round: number;
  state: string; // waiting | claimed | done | unreachable | rated
  result: string | null; // satisfied | basically_satisfied | unsatisfied | unreachable
  attempts: Generated<number>;
  claimed_by: string | null;
  claimed_by_name: string | null;
  claimed_at: number | null;
  next_attempt_at: number | null;
  opened_at: number;
  due_at: number;
  finished_at: number | null;
  finished_by: string | null;
  finished_by_name: string | null;
  note: string | null;
  version: Generated<number>;
}

/** A request to leave a case out of the scores as unreasonable (无理诉求), and its review. */
export interface ExclusionTable {
  id: Generated<number>;
  case_id: number;
  case_no: string;
  /** The unit that benefits (the case's unit when requested). */
  unit_id: string | null;
  district_id: string | null;
  street_id: string | null;
  community_id: string | null;
  state: string; // requested | approved | rejected | revoked
  reason: string;
  requested_by: string | null;
  requested_by_name: string | null;
  requested_at: number;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: number | null;
  decision_note: string | null;
  revoked_by: string | null;
  revoked_by_name: string | null;
  revoked_at: number | null;
  revoke_reason: string | null;
  version: Generated<number>;
}

/** A unit's appeal (申诉) against a counted case, and the centre's decision. */
export interface AppealTable {
  id: Generated<number>;
  case_id: number;
  case_no: string;
  unit_id: string;
  district_id: string | null;
  street_id: string | null;
  community_id: string | null;
  period: string;
  state: string; // open | accepted | rejected
  reason: string;
  evidence: string; // JSON attachment ids
  filed_by: string | null;
  filed_by_name: string | null;
  filed_at: number;
  deadline_at: number;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: number | null;
  decision_reason: string | null;
  version: Generated<number>;
}

/** A supervision notice (督办单): level, tier, its own deadline and the unit's answer. */
export interface SupervisionNoticeTable {
  id: string;
  case_id: number;
  case_no: string;
  unit_id: string | null;
  district_id: string | null;
  street_id: string | null;
  community_id: string | null;
  level: string; // urge | supervise | leader
  tier: string; // unit | district | city
  state: string; // open | answered
  note: string;
  issued_by: string | null;
  issued_by_name: string | null;
  issued_at: number;
  due_at: number;
  answer: string | null;
  answered_by: string | null;
  answered_by_name: string | null;
  answered_at: number | null;
  raise_count: Generated<number>;
  raised_at: number | null;
  version: Generated<number>;
}

/** The timeline of every desk record (callback, exclusion, appeal, supervision). */
export interface DeskHistoryTable {
  id: Generated<number>;
  kind: string;
  record_id: string;
  case_id: number;
  action: string;
  actor_id: string | null;
  actor_name: string | null;
  at: number;
  details: string;
}

/** Table types of the summons (吹哨报到, migration 016); part of `Database` in schema.ts. */
import type { Generated } from 'kysely';

/** Summons (吹哨报到, migration 016): a street's call on departments to come to a case (docs/issue-9/summons.md). */
export interface SummonsTable {
  id: Generated<number>;
  case_id: number;
  case_no: string;
  kind: string; // routine | tackling | emergency
  state: string; // open | closed
  reason: string;
  mode: string; // on_site | online
  place_address: string | null;
  place_lon: number | null;
  place_lat: number | null;
  district_id: string | null;
  street_id: string;
  community_id: string | null;
  issuer_unit_id: string | null;
  issued_by: string | null;
  issued_by_name: string | null;
  issued_at: number;
  report_limit_minutes: number;
  due_at: number;
  outcome: string | null; // resolved | dispatched | escalated
  outcome_note: string | null;
  closed_by: string | null;
  closed_by_name: string | null;
  closed_at: number | null;
  version: Generated<number>;
}

/** One summoned department of a summons: its report (报到) and the street's rating of its response. */
export interface SummonsUnitTable {
  summons_id: number;
  unit_id: string;
  position: number;
  state: string; // summoned | reported | absent
  issued_at: number;
  due_at: number;
  /** When the overdue job found it unreported past its limit (claimed once; see src/jobs/summons-overdue.job.ts). */
  overdue_at: number | null;
  reported_at: number | null;
  reported_by: string | null;
  reported_by_name: string | null;
  report_mode: string | null;
  report_lon: number | null;
  report_lat: number | null;
  report_distance_m: number | null;
  report_note: string | null;
  late: Generated<number>;
  rating: number | null;
  rating_comment: string | null;
  rated_by: string | null;
  rated_at: number | null;
}

/** The summons's own timeline (issued, reported, overdue, closed, absent, rated). */
export interface SummonsHistoryTable {
  id: Generated<number>;
  summons_id: number;
  action: string;
  unit_id: string | null;
  actor_id: string | null;
  actor_name: string | null;
  at: number;
  details: string;
}

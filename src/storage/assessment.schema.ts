/** Tables of the assessment (migration 022). */
import type { Generated } from 'kysely';

export interface AssessmentFactsTable {
  case_id: number;
  day: number;
  unit_id: string | null;
  appeal_unit_id: string | null;
  district_id: string | null;
  street_id: string | null;
  community_id: string | null;
  grid_id: string | null;
  matter_class: string;
  channel: string;
  urgency: string;
  reporter_id: string | null;
  verifier_id: string | null;
  checker_id: string | null;
  holder_user_id: string | null;
  flags: number;
  buck_passing: number;
  supervised: number;
  urged: number;
  d_dispatch: number | null;
  d_sign: number | null;
  d_handle: number | null;
  d_check: number | null;
  d_total: number | null;
  explain: string;
  computed_at: number;
}

/** One column per counter (src/domain/assessment/counters.ts COUNTER_COLUMNS). */
export type AssessmentCountersTable = { dim: string; day: number; key: string } & Record<string, number | string>;

export interface AssessmentFormulaTable {
  id: Generated<number>;
  effective_from: string;
  terms: string;
  note: string | null;
  created_by: string | null;
  created_at: number;
}

/** Table types of decision support (migration 024, docs/issue-10/decision-support.md); part of `Database` in schema.ts. */
import type { Generated } from 'kysely';

export interface HotspotDayTable {
  day: number; grid_id: string; h3: string; n: number;
  community_id: string | null; street_id: string | null; district_id: string | null;
}

/** Reports per (city day, grid): hotspot_days summed over its cells — the map's grid layer (migration 039b). */
export interface HotspotGridDayTable {
  day: number; grid_id: string; n: number; community_id: string | null; street_id: string | null; district_id: string | null;
}

export interface HotspotMatterDayTable extends HotspotDayTable { matter_code: string; month: number }

export interface TrendMonthTable {
  month: number; community_id: string; matter_code: string; n: number; street_id: string | null; district_id: string | null;
}

export interface RecurrencePointTable {
  case_id: number; matter_code: string; h3: string | null; part_id: string | null; at: number;
  lon: number | null; lat: number | null; problem_id: number | null;
}

export interface RecurringProblemTable {
  id: Generated<number>;
  matter_code: string;
  part_id: string | null;
  lon: number | null;
  lat: number | null;
  h3: string | null;
  address: string | null;
  grid_id: string | null;
  community_id: string | null;
  street_id: string | null;
  district_id: string | null;
  first_case_id: number;
  first_at: number;
  last_at: number;
  case_count: number;
  created_at: number;
  updated_at: number;
}

export interface RecurringProblemCaseTable { case_id: number; problem_id: number; at: number }

export interface GovernanceTopicTable {
  id: Generated<number>;
  month: number;
  problem_id: number;
  matter_code: string;
  title: string;
  month_count: number;
  rank: number;
  state: string;
  unit_id: string | null;
  note: string | null;
  community_id: string | null;
  street_id: string | null;
  district_id: string | null;
  created_at: number;
  updated_at: number;
  version: Generated<number>;
}

export interface ProactiveTaskTable {
  id: Generated<number>;
  problem_id: number;
  matter_code: string;
  pattern: string;
  due_day: number;
  explain_zh: string;
  explain_en: string;
  state: string;
  case_id: number | null;
  note: string | null;
  community_id: string | null;
  street_id: string | null;
  district_id: string | null;
  created_at: number;
  updated_at: number;
  version: Generated<number>;
}

export interface DecisionHistoryTable {
  id: Generated<number>;
  record_kind: string; // topic | proactive
  record_id: number;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_id: string | null;
  actor_name: string | null;
  at: number;
  details: string;
}

export interface DecideTables {
  hotspot_days: HotspotDayTable;
  hotspot_grid_days: HotspotGridDayTable;
  hotspot_matter_days: HotspotMatterDayTable;
  trend_months: TrendMonthTable;
  recurrence_points: RecurrencePointTable;
  recurring_problems: RecurringProblemTable;
  recurring_problem_cases: RecurringProblemCaseTable;
  governance_topics: GovernanceTopicTable;
  proactive_tasks: ProactiveTaskTable;
  decision_history: DecisionHistoryTable;
}

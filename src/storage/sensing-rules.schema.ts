/** Table types of sensing's control plane (issue 11, migration 030); part of `Database` in schema.ts. */
import type { Generated } from 'kysely';

/** The head of a rule: its version in force (definition JSON RuleDefinition), indexed by enabled. */
export interface SensingRuleTable {
  id: string;
  version: number;
  name: string;
  scope_kind: string;
  scope_id: string;
  enabled: number;
  definition: string;
  created_at: number;
  updated_at: number;
  updated_by: string | null;
}

/** Every saved version of a rule, immutable. */
export interface SensingRuleVersionTable {
  rule_id: string;
  version: number;
  definition: string;
  created_at: number;
  created_by: string | null;
  note: string | null;
}

export interface AlarmTable {
  id: string;
  source: string;
  device_id: string;
  device_type_id: string | null;
  vendor: string | null;
  ai_model: string | null;
  rule_id: string | null;
  rule_version: number | null;
  rule_name: string | null;
  detection_type: string | null;
  confidence: number | null;
  external_id: string | null;
  matter_code: string;
  urgency: string;
  state: string;
  review: string;
  false_alarm: Generated<number>;
  false_by: string | null;
  false_at: number | null;
  case_id: number | null;
  place_key: string | null;
  lon: number | null;
  lat: number | null;
  grid_id: string | null;
  community_id: string | null;
  street_id: string | null;
  district_id: string | null;
  owner_unit_id: string | null;
  scenario: string | null;
  values: string;
  snapshot_attachment_id: string | null;
  snapshot_url: string | null;
  raised_at: number;
  last_raised_at: number;
  cleared_at: number | null;
  repeat_count: Generated<number>;
  created_at: number;
  updated_at: number;
  version: Generated<number>;
}

export interface AlarmHistoryTable {
  id: Generated<number>;
  alarm_id: string;
  action: string;
  actor_id: string | null;
  actor_name: string | null;
  at: number;
  details: string;
}

export interface CameraTable {
  id: string;
  name: string;
  lon: number;
  lat: number;
  direction: number | null;
  stream_url: string | null;
  grid_id: string | null;
  street_id: string | null;
  district_id: string | null;
  created_at: number;
  updated_at: number;
}

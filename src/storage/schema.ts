/**
 * Table types for Kysely. Times are epoch ms, booleans 0/1, JSON as text (see db.ts).
 */
import type { Generated } from 'kysely';
import type { FieldDutyTable, FieldLatestTable, FieldTrackTable, RosterTable } from './field.schema.ts';
import type { AssessmentCountersTable, AssessmentFactsTable, AssessmentFormulaTable } from './assessment.schema.ts';
import type { SummonsTable, SummonsUnitTable, SummonsHistoryTable } from './summons.schema.ts';
import type { DeviceTypeTable, DeviceTable } from './sensing.schema.ts';
import type { AppealTable, CallbackTaskTable, DeskHistoryTable, ExclusionTable, SupervisionNoticeTable } from './desks.schema.ts';
import type { DecideTables } from './decide.schema.ts';
import type { ScenarioTables } from './scenario.schema.ts';
import type { AlarmHistoryTable, AlarmTable, CameraTable, SensingRuleTable, SensingRuleVersionTable } from './sensing-rules.schema.ts';
import type { ExportHistoryTable, ExportTable } from './export.schema.ts';
import type { DeviceHistoryTable, DeviceIngestStatsTable, ReadingRollupTable, ReadingTable } from './sensing-readings.schema.ts';
import type { EmergencyAlertTable, IncidentCaseTable, IncidentEntryTable, JobCursorTable, MajorIncidentTable, NotificationTable, NotifyDeliveryTable, NotifyPreferenceTable, ShiftHandoverTable } from './alerting.schema.ts';

export interface RegionTable {
  id: string;
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community';
  parent_id: string | null;
  depth: number;
  geometry: string | null;
  area_class: string | null;
  fallback_unit_id: string | null;
  created_at: number;
}

export interface GridTable {
  id: string;
  code: string;
  name: string;
  kind: 'unit' | 'responsibility';
  community_id: string;
  geometry: string;
  area_m2: number;
  area_class: string | null;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  created_at: number;
}

export interface UnitTable {
  id: string;
  code: string;
  name: string;
  kind: string;
  parent_id: string | null;
  region_id: string | null;
  active: number;
  created_at: number;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  roles: string;
  unit_ids: string;
  region_ids: string;
  active: number;
  created_at: number;
}

export interface SessionTable {
  id: string; // sha256 of the cookie token
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

export interface ApiKeyTable {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  roles: string;
  unit_ids: string;
  region_ids: string;
  created_by: string | null;
  created_at: number;
  revoked_at: number | null;
}

export interface MatterTypeTable {
  kind: 'matter' | 'part';
  code: string;
  name: string;
  class_code: string;
  class_name: string;
  registration_condition: string | null;
  closure_condition: string | null;
  local: number;
  created_at: number;
}

export interface TimeLimitTable {
  id: Generated<number>;
  matter_code: string;
  stage: string; // 'handle' | 'sign' | 'dispatch' | 'verify' | 'check' | 'dispute'
  urgency: string; // 'normal' | 'urgent' | 'very_urgent'
  area_class: string; // '' = any
  amount: number;
  unit: string;
  basis: string | null;
}

export interface PartTable {
  id: string;
  part_code: string;
  name: string;
  lon: number;
  lat: number;
  grid_id: string | null;
  owner_unit_id: string | null;
  maintainer_unit_id: string | null;
  state: string;
  created_at: number;
}

export interface RuleVersionTable {
  version: number;
  created_at: number;
  created_by: string | null;
  note: string | null;
  rule_count: number;
  report: string;
}

export interface RuleTable {
  version: number;
  id: string;
  matter_code: string | null;
  matter_class: string | null;
  region_id: string;
  part_owner_unit_id: string | null;
  unit_id: string;
  assisting_unit_ids: string;
  note: string | null;
}

export interface AdmissionTable {
  id: Generated<number>;
  matter_code: string | null;
  matter_class: string | null;
}

export interface CalendarDayTable {
  date: string;
  kind: 'holiday' | 'workday';
  name: string | null;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface CaseTable {
  id: Generated<number>;
  case_no: string;
  state: string;
  channel: string;
  trusted: number;
  needs_callback: number;
  matter_kind: string;
  matter_code: string;
  urgency: string;
  description: string;
  address: string | null;
  lon: number | null;
  lat: number | null;
  grid_id: string | null;
  community_id: string | null;
  street_id: string | null;
  district_id: string | null;
  area_class: string | null;
  part_id: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  assigned_unit_id: string | null;
  /** The assisting units the dispatcher named (联勤联动); their rows in case_assists follow (case repository). */
  assisting_unit_ids: string;
  sub_unit_id: string | null;
  routed_unit_id: string | null;
  /** The assisting units the responsibility list proposed (JSON list); null before migration 010. */
  routed_assisting_unit_ids: string | null;
  routing_outcome: string | null;
  rule_id: string | null;
  rule_version: number | null;
  dispatched_by: string | null;
  dispatched_at: number | null;
  return_count: number;
  postpone_count: number;
  rework_count: number;
  reopen_count: number;
  unsatisfied_count: number;
  supervision_count: number;
  last_returned_by_unit_id: string | null;
  pending_request: string | null;
  ever_overdue: number;
  closure_type: string | null;
  closed_at: number | null;
  // deadlines: the overall handling clock (starts at dispatch) and the current stage clock
  handle_limit_amount: number | null;
  handle_limit_unit: string | null;
  handle_started_at: number | null;
  handle_warn_at: number | null;
  handle_due_at: number | null;
  stage: string | null;
  stage_limit_unit: string | null;
  stage_warn_at: number | null;
  stage_due_at: number | null;
  suspended_at: number | null;
  alert_level: string; // 'normal' | 'warning' | 'overdue'
  next_alert_at: number | null;
  idempotency_key: string | null;
  external_id: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  version: number;
  /** Duplicate-detection grid cell of (lon, lat) (see domain/duplicates); null for rows from before migration 005. */
  dup_cell: string | null;
  /** Set when this report is a duplicate linked to (or merged into) a master case. */
  master_case_id: number | null;
  /** Hotline feedback deadline (12345 接诉即办) for cases filed from a call; null otherwise. */
  feedback_due_at: number | null;
  /** The answers to the matter's extra questions (JSON list, migration 011); null when none were asked. */
  attributes: string | null;
  // migration 012: the lifecycle's clocks and duties (docs/decisions.md, "Case lifecycle and clocks")
  /** When the handling clock was paused by a return to the centre (DISPUTED); null while it runs or is stopped. */
  handle_paused_at: number | null;
  /** The open dispute's owner: the coordinators covering this region (street, else district). */
  dispute_owner_region_id: string | null;
  /** Approved postponements, JSON [{ extra, unitId, userId, approvedAt }]: kept through rework and reopen. */
  approved_extensions: string;
  /** Everyone who dispatched the case or ruled its dispute, JSON list of user ids: none may judge its closure. */
  command_actor_ids: string;
  /** The grid member the case was given to as its handler (instead of a unit); null otherwise. */
  assigned_user_id: string | null;
  /** That grid member's display name when the case was given to them (shown without a user lookup). */
  assigned_user_name: string | null;
  /** The inspector or grid member named to verify the case while it is VERIFYING (migration 031); null otherwise. */
  verifier_user_id?: string | null;
  /** Their display name when named (shown without a user lookup). */
  verifier_user_name?: string | null;
  /** The feedback clock's level (normal | warning | overdue), kept by the deadline sweep (migration 014); null without one. */
  /** The character pairs of the description, address and matter name (src/domain/search/text-tokens.ts), indexed for search (migration 020). */
  search_text: string | null;
  feedback_level: string | null;
  /** The handling platform (migration 017): the street, district or city region whose centre coordinates the case. */
  platform_region_id?: string | null;
  /** The escalation or assignment waiting for its receiver (JSON PendingTransfer, migration 017); null when none. */
  pending_transfer?: string | null;
}

export interface CaseHistoryTable {
  id: Generated<number>;
  case_id: number;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_id: string | null;
  actor_name: string | null;
  at: number;
  reason: string | null;
  details: string;
  attachment_ids: string;
}

export interface AttachmentTable {
  id: string;
  case_id: number | null;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  path: string;
  created_by: string | null;
  created_at: number;
}

export interface SupervisionTable {
  id: Generated<number>;
  case_id: number;
  level: string;
  note: string;
  by_user_id: string | null;
  at: number;
}

export interface UnitCounterTable {
  unit_id: string;
  counter: string;
  value: number;
}

export interface OutboxTable {
  id: Generated<number>;
  topic: string;
  case_id: number | null;
  unit_ids: string; // JSON array of units concerned (for SSE filtering)
  region_ids: string; // JSON array of regions concerned
  payload: string;
  created_at: number;
}

export interface CounterTable {
  key: string;
  value: number;
}

export interface IdempotencyTable {
  key: string;
  scope: string;
  request_hash: string;
  result_id: string;
  created_at: number;
}

export interface PlaceTable {
  id: Generated<number>;
  kind: string;
  name: string;
  community_id: string | null;
  address: string | null;
  lon: number | null;
  lat: number | null;
  geometry: string;
  details: string;
}

export interface WebhookSubscriptionTable {
  id: string;
  name: string;
  url: string;
  secret: string;
  topics: string; // JSON array of outbox topics
  unit_ids: string | null; // JSON array; NULL = every unit
  active: number;
  created_by: string | null;
  created_at: number;
  cursor: number; // last outbox id fanned out
}

export interface WebhookDeliveryTable {
  id: Generated<number>;
  subscription_id: string;
  outbox_id: number;
  topic: string;
  status: 'pending' | 'delivered' | 'failed' | 'dead';
  attempts: number;
  next_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface KbArticleTable {
  id: Generated<number>;
  title: string;
  body: string;
  matter_code: string | null;
  keywords: string; // space- or comma-separated
  active: number;
  created_at: number;
  updated_at: number;
}

export interface HotlineCallTable {
  id: Generated<number>;
  caller_name: string | null;
  caller_phone: string;
  kind: string; // consult | help | complaint | report | suggestion
  urgency: string;
  description: string;
  matter_code: string | null;
  outcome: 'answered' | 'refused' | 'case' | 'linked';
  case_id: number | null;
  article_id: number | null;
  referral: string | null;
  refusal_reason: string | null;
  feedback_class: string | null;
  feedback_due_at: number | null;
  /** The feedback clock of a call that filed a case (migration 014): its warning (80 %), level and next sweep look. */
  feedback_warn_at: number | null;
  feedback_level: string | null;
  feedback_next_at: number | null;
  created_by: string | null;
  created_at: number;
  idempotency_key: string | null;
  request_hash: string | null;
}

/** The assisting units of each case, as rows (cases.assisting_unit_ids is the list as the case shows it). */
export interface CaseAssistTable {
  case_id: number;
  unit_id: string;
}

/** One assisting unit's task on a case (联勤联动, migration 015). */
export interface CaseAssistTaskTable {
  id: Generated<number>;
  case_id: number;
  unit_id: string;
  instruction: string;
  limit_amount: number | null;
  limit_unit: string | null;
  due_at: number | null;
  state: string;
  dispatched_at: number;
  dispatched_by: string | null;
  signed_at: number | null;
  signed_by: string | null;
  signed_by_name: string | null;
  done_at: number | null;
  done_by: string | null;
  result: string | null;
  photo_ids: string;
  return_reason: string | null;
  return_basis: string | null;
  returned_at: number | null;
  return_count: number;
  ruling: string | null;
  closed_at: number | null;
  previous_task_id: number | null;
  sign_ms: number | null;
  done_ms: number | null;
  overdue: number | null;
  /** When the assist overdue job found it unfinished past due_at (claimed once; migration 041). */
  overdue_at: number | null;
  version: number;
}

/** One row per case reported on the citizen portal (migration 009): the tracking code's hash and the rating. */
export interface PublicReportTable {
  case_id: number;
  code_hash: string;
  request_hash: string | null;
  created_at: number;
  rating: string | null;
  rating_comment: string | null;
  rated_at: number | null;
}

/** One saved version of a matter's extra questions (migration 011); the highest version is current. */
export interface MatterAttributeTable {
  matter_code: string;
  version: number;
  attributes: string; // JSON list of attribute definitions (src/domain/catalog/attributes.ts)
  created_at: number;
  created_by: string | null;
}

/** Escalations (上报) and assignments down (下派) between platforms, with their outcome (migration 017). */
export interface CaseTransferTable {
  id: Generated<number>;
  case_id: number;
  kind: string; // escalate | assign_down
  from_region_id: string;
  to_region_id: string;
  reason: string;
  requested_by: string | null;
  requested_by_name: string | null;
  requested_at: number;
  status: string; // pending | accepted | refused | withdrawn
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: number | null;
  decision_reason: string | null;
}

export interface Database extends DecideTables, ScenarioTables {
  job_cursors: JobCursorTable;
  notifications: NotificationTable;
  notify_preferences: NotifyPreferenceTable;
  notify_deliveries: NotifyDeliveryTable;
  emergency_alerts: EmergencyAlertTable;
  shift_handovers: ShiftHandoverTable;
  major_incidents: MajorIncidentTable;
  incident_cases: IncidentCaseTable;
  incident_entries: IncidentEntryTable;
  places: PlaceTable;
  regions: RegionTable;
  grids: GridTable;
  units: UnitTable;
  users: UserTable;
  sessions: SessionTable;
  api_keys: ApiKeyTable;
  matter_types: MatterTypeTable;
  time_limits: TimeLimitTable;
  parts: PartTable;
  rule_versions: RuleVersionTable;
  rules: RuleTable;
  admission_list: AdmissionTable;
  calendar_days: CalendarDayTable;
  settings: SettingTable;
  cases: CaseTable;
  /** SQLite only: the FTS5 index of cases.search_text (migration 020); `case_search` is its MATCH column. */
  case_search: { rowid: number; search_text: string; case_search: string };
  case_history: CaseHistoryTable;
  attachments: AttachmentTable;
  supervisions: SupervisionTable;
  unit_counters: UnitCounterTable;
  outbox: OutboxTable;
  counters: CounterTable;
  idempotency: IdempotencyTable;
  webhook_subscriptions: WebhookSubscriptionTable;
  webhook_deliveries: WebhookDeliveryTable;
  kb_articles: KbArticleTable;
  hotline_calls: HotlineCallTable;
  case_assists: CaseAssistTable;
  case_assist_tasks: CaseAssistTaskTable;
  public_reports: PublicReportTable;
  matter_attributes: MatterAttributeTable;
  case_transfers: CaseTransferTable;
  summons: SummonsTable;
  summons_units: SummonsUnitTable;
  summons_history: SummonsHistoryTable;
  device_types: DeviceTypeTable;
  devices: DeviceTable;
  sensing_rules: SensingRuleTable; // issue 11 control plane (migration 030)
  sensing_rule_versions: SensingRuleVersionTable;
  alarms: AlarmTable;
  alarm_history: AlarmHistoryTable;
  cameras: CameraTable;
  readings: ReadingTable;
  reading_rollups: ReadingRollupTable;
  device_history: DeviceHistoryTable;
  device_ingest_stats: DeviceIngestStatsTable;
  field_duty: FieldDutyTable;
  field_latest: FieldLatestTable;
  field_track: FieldTrackTable;
  rosters: RosterTable;
  // assessment desks (issue 10, migration 023)
  callback_tasks: CallbackTaskTable;
  exclusions: ExclusionTable;
  appeals: AppealTable;
  supervision_notices: SupervisionNoticeTable;
  desk_history: DeskHistoryTable;
  assessment_facts: AssessmentFactsTable;
  assessment_counters: AssessmentCountersTable;
  assessment_formulas: AssessmentFormulaTable;
  exports: ExportTable; // issue 10 part 6 (migration 025)
  export_history: ExportHistoryTable;
}

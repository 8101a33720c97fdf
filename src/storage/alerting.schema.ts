/** Tables of issue 9 parts 5–7 (migration 018): notifications, emergencies that ring, shift handover. */
import type { Generated } from 'kysely';

export interface JobCursorTable { name: string; cursor: number; updated_at: number }

export interface NotificationTable {
  id: Generated<number>;
  user_id: string;
  outbox_id: number;
  kind: string;
  topic: string;
  case_id: number | null;
  case_no: string | null;
  details: string; // JSON
  created_at: number;
  read_at: number | null;
}

export interface NotifyPreferenceTable { user_id: string; channel: string; kinds: string; address: string | null; updated_at: number }

export interface NotifyDeliveryTable {
  id: Generated<number>;
  notification_id: number;
  user_id: string;
  channel: string;
  status: string; // pending | sending | sent | failed
  attempts: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface EmergencyAlertTable {
  id: Generated<number>;
  case_id: number;
  case_no: string;
  state: string; // ringing | acknowledged | closed
  tier: number;
  tiers: string; // JSON RingTier[]
  unit_ids: string;
  region_ids: string;
  raised_at: number;
  ack_due_at: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  acknowledged_by_name: string | null;
  ack_note: string | null;
  version: number;
}

export interface ShiftHandoverTable {
  id: Generated<number>;
  region_id: string | null;
  shift_label: string;
  closed_by: string;
  closed_by_name: string;
  closed_at: number;
  summary: string; // JSON
  notes: string;
  next_leader_id: string | null;
  acknowledged_by: string | null;
  acknowledged_by_name: string | null;
  acknowledged_at: number | null;
  ack_note: string | null;
}

export interface MajorIncidentTable {
  id: Generated<number>;
  title: string;
  level: string;
  region_id: string | null;
  state: string; // open | closed
  commander_id: string;
  commander_name: string;
  opened_at: number;
  closed_at: number | null;
  report_count: number;
  version: number;
}

export interface IncidentCaseTable { incident_id: number; case_id: number; added_at: number }

export interface IncidentEntryTable {
  id: Generated<number>;
  incident_id: number;
  kind: string; // opened | case_added | report | resource | closed
  text: string;
  details: string; // JSON
  actor_id: string | null;
  actor_name: string | null;
  at: number;
}

/** Table types of the field resources (issue 9, migration 019); part of `Database` in schema.ts. */
import type { Generated } from 'kysely';

/** Field resources (migration 019): on-duty sessions, latest positions, tracks, rosters. */
export interface FieldDutyTable {
  id: Generated<number>;
  user_id: string;
  kind: string;
  unit_id: string | null;
  region_id: string | null;
  started_at: number;
  ended_at: number | null;
}

export interface FieldLatestTable {
  resource_id: string;
  kind: string;
  user_id: string | null;
  unit_id: string | null;
  label: string;
  on_duty: number;
  duty_since: number | null;
  lon: number | null;
  lat: number | null;
  at: number | null;
  grid_id: string | null;
  community_id: string | null;
  street_id: string | null;
  district_id: string | null;
  updated_at: number;
}

export interface FieldTrackTable {
  id: Generated<number>;
  resource_id: string;
  at: number;
  lon: number;
  lat: number;
  accuracy_m: number | null;
  grid_id: string | null;
}

export interface RosterTable {
  id: Generated<number>;
  user_id: string;
  unit_id: string | null;
  region_id: string | null;
  duty_role: string;
  start_at: number;
  end_at: number;
  note: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

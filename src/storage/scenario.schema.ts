/** Table types of the scenarios (migration 033, docs/issue-11/scenarios.md); part of `Database` in schema.ts. */
import type { Generated } from 'kysely';

export interface ShopSignTable {
  id: string; name: string; owner_name: string; owner_phone: string | null; address: string;
  lon: number; lat: number; grid_id: string | null; community_id: string | null; street_id: string | null; district_id: string | null;
  area_m2: number | null; inspect_every_days: number; last_inspected_at: number | null;
  created_at: number; updated_at: number; version: number;
}

export interface WindWarningTable {
  id: Generated<number>; level: string; region_id: string; note: string | null; signs: number;
  created_by: string | null; created_by_name: string | null; created_at: number;
}

export interface ShopSignInspectionTable {
  key: string; sign_id: string; kind: string; wind_warning_id: number | null; case_id: number | null;
  outcome: string; detail: string | null; created_at: number;
  /** open | closed | cancelled — follows the case (transitionCase); null when no case was filed (migration 039) */
  state: string | null; closed_at: number | null;
}

export interface ScenarioTables {
  shop_signs: ShopSignTable;
  wind_warnings: WindWarningTable;
  shop_sign_inspections: ShopSignInspectionTable;
}

/** Table types of city sensing (issue 11, migration 028); part of `Database` in schema.ts. */

/** Device types (migration 028): what a kind of device measures (docs/issue-11/). */
export interface DeviceTypeTable {
  id: string;
  name_zh: string;
  name_en: string;
  measurements: string; // JSON Measurement[]
  scenario: string | null;
  heartbeat_seconds: number;
  created_at: number;
  updated_at: number;
}

/** Devices (migration 028): registered sensors and cameras' analytics boxes, with place, attachment and state. */
export interface DeviceTable {
  id: string;
  type_id: string;
  name: string;
  vendor: string | null;
  model: string | null;
  lon: number | null;
  lat: number | null;
  grid_id: string | null;
  community_id: string | null;
  street_id: string | null;
  district_id: string | null;
  attachment_kind: string | null; // part | place | scenario
  attachment_id: string | null;
  scenario: string | null;
  owner_unit_id: string | null;
  state: string; // online | offline | fault | maintenance
  last_seen_at: number | null;
  /** Hash of the device's credential (scrypt or sha256 with salt; never returned); null = no credential. */
  secret_hash: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

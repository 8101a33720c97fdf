import type { Generated } from 'kysely';

/** Table types of sensing's data plane (issue 11, migration 029); part of `Database` in schema.ts. */

/** Readings (migration 029): one row per device and instant; values as JSON text `{"waterLevel":12.5}`. */
export interface ReadingTable {
  id: Generated<number>;
  device_id: string;
  at: number;
  vals: string;
}

/** Minute (res 60000) and hour (res 3600000) rollups per device and measurement key. */
export interface ReadingRollupTable {
  device_id: string;
  res: number;
  bucket: number;
  mkey: string;
  n: number;
  sum: number;
  min: number;
  max: number;
}

/** The device's own history: created, updated, imported, credential, state (with its source in `detail`). */
export interface DeviceHistoryTable {
  id: Generated<number>;
  device_id: string;
  at: number;
  kind: string;
  state: string | null;
  detail: string | null;
  actor_id: string | null;
}

/** What ingestion accepted and refused per device (flushed from memory every few seconds). */
export interface DeviceIngestStatsTable {
  device_id: string;
  accepted: number;
  rejected: number;
  by_reason: string; // JSON Record<reason, count>
  last_reason: string | null;
  last_field: string | null;
  last_message: string | null;
  last_rejected_at: number | null;
  updated_at: number;
}

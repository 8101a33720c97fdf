/** Table types of exports (migration 025, issue 10 part 6); part of `Database` in schema.ts. */
import type { Generated } from 'kysely';

/** One export request: its filter, its state (src/domain/export), its progress and, once generated, its file. */
export interface ExportTable {
  id: Generated<number>;
  kind: string; // cases
  format: string; // csv | xlsx
  /** The filter as the caller sent it (JSON): the same query as the case list. */
  filter: string;
  /** The requester's scope when they asked (JSON { roles, unitIds, regionIds }): the export sees and masks as they did. */
  principal: string;
  filename: string;
  state: string;
  reason: string | null;
  requested_by: string;
  requested_by_name: string | null;
  requested_at: number;
  /** Matching rows counted when requested (at most the policy's maxRows + 1). */
  total_rows: number;
  rows_written: number;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: number | null;
  decision_note: string | null;
  started_at: number | null;
  /** Progress doubles as a heartbeat: a generating export whose heartbeat stops is queued again. */
  heartbeat_at: number | null;
  finished_at: number | null;
  file_path: string | null;
  file_bytes: number | null;
  expires_at: number | null;
  error: string | null;
  version: Generated<number>;
}

/** The audit and the request's own history: every request, decision, generation, download and direct stream. */
export interface ExportHistoryTable {
  id: Generated<number>;
  /** Null for a direct download (no request record). */
  export_id: number | null;
  action: string; // requested | approved | rejected | generated | failed | downloaded | expired | streamed | stream_incomplete
  actor_id: string | null;
  actor_name: string | null;
  at: number;
  kind: string;
  format: string;
  filter: string;
  rows: number | null;
  details: string;
}

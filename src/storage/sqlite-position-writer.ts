/**
 * Field positions written off the request thread (issue 9 §4). better-sqlite3 runs every statement synchronously,
 * so 10,000 fixes a second written on the main thread hold the event loop for ~10 % of each second in slices of a
 * few milliseconds — and a dispatcher's "nearest people" request waits behind them. A worker thread with its own
 * connection to the same WAL file writes the batches instead; the main thread only hands the rows over (a structured
 * clone, well under a millisecond for a batch) and keeps answering requests. SQLite still allows one writer at a
 * time: the worker's transactions are short (one batch), and the main connection's busy_timeout waits them out.
 *
 * The worker answers every batch with ok or the error, so a request is answered only after its fixes are stored.
 */
import { startWriterWorker } from './sqlite-writer-worker.ts';

export const POSITION_TRACK_COLS = ['resource_id', 'at', 'lon', 'lat', 'accuracy_m', 'grid_id'] as const;
export const POSITION_LATEST_COLS = ['resource_id', 'kind', 'user_id', 'unit_id', 'label', 'on_duty', 'duty_since', 'lon', 'lat', 'at', 'grid_id',
  'community_id', 'street_id', 'district_id', 'updated_at'] as const;

/** The statements, shared by the worker and the synchronous path (field.repository.ts). */
export const POSITION_TRACK_SQL = `INSERT INTO field_track (${POSITION_TRACK_COLS.join(', ')}) VALUES (${POSITION_TRACK_COLS.map(() => '?').join(', ')})`;
export const POSITION_LATEST_SQL = `INSERT INTO field_latest (${POSITION_LATEST_COLS.join(', ')}) VALUES (${POSITION_LATEST_COLS.map(() => '?').join(', ')})
  ON CONFLICT (resource_id) DO UPDATE SET lon = excluded.lon, lat = excluded.lat, at = excluded.at, grid_id = excluded.grid_id,
    community_id = excluded.community_id, street_id = excluded.street_id, district_id = excluded.district_id, updated_at = excluded.updated_at
  WHERE field_latest.at IS NULL OR field_latest.at <= excluded.at`;

const WORKER = `
db.pragma('busy_timeout = 5000');
const track = db.prepare(workerData.trackSql);
const latest = db.prepare(workerData.latestSql);
const write = db.transaction((m) => {
  for (const r of m.track) track.run(r);
  for (const r of m.latest) latest.run(r);
});
`;

export type PositionValue = string | number | null;

export interface PositionWriter {
  /** Rows as arrays in the column orders above; resolves once committed, rejects with the store's error. */
  write(track: PositionValue[][], latest: PositionValue[][]): Promise<void>;
  stop(): Promise<void>;
}

export function startPositionWriter(file: string): PositionWriter {
  const w = startWriterWorker('position writer', file, WORKER, { trackSql: POSITION_TRACK_SQL, latestSql: POSITION_LATEST_SQL }, 64);
  return { write: (track, latest) => w.write({ track, latest }), stop: () => w.stop() };
}

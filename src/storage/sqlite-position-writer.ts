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
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

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
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
const track = db.prepare(workerData.trackSql);
const latest = db.prepare(workerData.latestSql);
const write = db.transaction((t, l) => {
  for (const r of t) track.run(r);
  for (const r of l) latest.run(r);
});
parentPort.on('message', (m) => {
  if (m === 'stop') { db.close(); parentPort.postMessage({ stopped: true }); return; }
  try { write(m.track, m.latest); parentPort.postMessage({ id: m.id, ok: true }); }
  catch (e) { parentPort.postMessage({ id: m.id, ok: false, message: String(e && e.message || e), code: e && e.code }); }
});
`;

export type PositionValue = string | number | null;

export interface PositionWriter {
  /** Rows as arrays in the column orders above; resolves once committed, rejects with the store's error. */
  write(track: PositionValue[][], latest: PositionValue[][]): Promise<void>;
  stop(): Promise<void>;
}

export function startPositionWriter(file: string): PositionWriter {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, {
    eval: true, workerData: { file, driver, trackSql: POSITION_TRACK_SQL, latestSql: POSITION_LATEST_SQL },
    resourceLimits: { maxOldGenerationSizeMb: 64 },
  });
  worker.unref();
  let next = 1;
  const waiting = new Map<number, { resolve(): void; reject(e: unknown): void }>();
  let broken: Error | null = null;
  const failAll = (err: Error) => {
    broken = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('message', (m: { id?: number; ok?: boolean; message?: string; code?: string; stopped?: boolean }) => {
    if (m.id === undefined) return;
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (waiting.size === 0) worker.unref();
    if (m.ok) w.resolve();
    else w.reject(Object.assign(new Error(m.message ?? 'position write failed'), { code: m.code }));
  });
  worker.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
  worker.on('exit', (code) => { if (waiting.size > 0 || code !== 0) failAll(new Error(`position writer stopped (exit ${code})`)); });
  return {
    write(track, latest) {
      if (broken) return Promise.reject(broken);
      const id = next++;
      // Keep the process alive while a batch is in flight (a request waits for it).
      if (waiting.size === 0) worker.ref();
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, track, latest });
      });
    },
    stop: () => new Promise<void>((resolve) => {
      const done = () => { void worker.terminate().finally(resolve); };
      worker.once('message', (m: { stopped?: boolean }) => { if (m.stopped) done(); });
      worker.once('error', done);
      worker.ref(); // an unref'd worker's answer would not keep the process waiting for it
      worker.postMessage('stop');
      setTimeout(done, 2000).unref();
    }),
  };
}

/**
 * Readings written off the event loop on SQLite (issue 11; like sqlite-position-writer.ts for field positions).
 * At tens of thousands of readings a second, better-sqlite3's synchronous inserts would hold the main thread — the
 * one that parses MQTT, answers the API and runs the rules — for a large share of every second. A worker thread with
 * its own connection to the same WAL file writes each group-committed batch in one transaction; the main thread
 * hands over three flat arrays (a cheap structured clone) and is told when the batch is durable (WAL, synchronous =
 * NORMAL: survives a crash of the process). Only then are the readings acknowledged to their sender.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

export const READING_INSERT_SQL = 'INSERT INTO readings (device_id, at, vals) VALUES (?, ?, ?) ON CONFLICT (device_id, at) DO NOTHING';

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 10000');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
db.pragma('cache_size = -65536');
const ins = db.prepare(workerData.sql);
const write = db.transaction((d, a, v) => { for (let i = 0; i < d.length; i++) ins.run(d[i], a[i], v[i]); });
parentPort.on('message', (m) => {
  if (m === 'stop') { db.close(); parentPort.postMessage({ stopped: true }); return; }
  try { write(m.d, m.a, m.v); parentPort.postMessage({ id: m.id, ok: true }); }
  catch (e) { parentPort.postMessage({ id: m.id, ok: false, message: String(e && e.message || e), code: e && e.code }); }
});
`;

export interface ReadingWriter {
  /** Parallel arrays: device ids, instants (ms), values as JSON text. Resolves once committed. */
  write(d: string[], a: number[], v: string[]): Promise<void>;
  stop(): Promise<void>;
}

export function startReadingWriter(file: string): ReadingWriter {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, sql: READING_INSERT_SQL }, resourceLimits: { maxOldGenerationSizeMb: 256 } });
  worker.unref();
  let next = 1;
  const waiting = new Map<number, { resolve(): void; reject(e: unknown): void }>();
  let broken: Error | null = null;
  const failAll = (err: Error) => {
    broken = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('message', (m: { id?: number; ok?: boolean; message?: string; code?: string }) => {
    if (m.id === undefined) return;
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (waiting.size === 0) worker.unref();
    if (m.ok) w.resolve();
    else w.reject(Object.assign(new Error(m.message ?? 'reading write failed'), { code: m.code }));
  });
  worker.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
  worker.on('exit', (code) => { if (waiting.size > 0 || code !== 0) failAll(new Error(`reading writer stopped (exit ${code})`)); });
  return {
    write(d, a, v) {
      if (broken) return Promise.reject(broken);
      const id = next++;
      if (waiting.size === 0) worker.ref();
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, d, a, v });
      });
    },
    stop: () => new Promise<void>((resolve) => {
      worker.ref(); // until it has closed its connection
      const done = () => { void worker.terminate().finally(resolve); };
      worker.once('message', (m: { stopped?: boolean }) => { if (m.stopped) done(); });
      worker.once('error', done);
      worker.postMessage('stop');
      setTimeout(done, 2000);
    }),
  };
}

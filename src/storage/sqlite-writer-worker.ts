/**
 * A writer thread for SQLite (field positions, sensor readings): a worker with its own connection to the same WAL file
 * runs the batches the main thread posts, one transaction each, and answers every batch with ok or the error, so a
 * caller is answered only once its rows are committed. `body` is the worker's own part: it has `db` (the connection)
 * and `workerData`, sets what pragmas it needs and defines `write(message)`. Each batch is written holding the file's
 * write lock (sqlite-write-lock.ts), so the main thread waits for it asynchronously instead of in SQLite's busy handler.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { releaseIfHeldBy, WORKER_LOCK_SOURCE, writeLockFor } from './sqlite-write-lock.ts';

const prelude = (body: string) => `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
${WORKER_LOCK_SOURCE}
${body}
parentPort.on('message', (m) => {
  if (m === 'stop') { db.close(); parentPort.postMessage({ stopped: true }); return; }
  try { locked(() => write(m)); parentPort.postMessage({ id: m.id, ok: true }); }
  catch (e) { parentPort.postMessage({ id: m.id, ok: false, message: String(e && e.message || e), code: e && e.code }); }
});
`;

export interface WriterWorker {
  /** Posts one batch (`payload` is structured-cloned); resolves once committed, rejects with the store's error. */
  write(payload: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export function startWriterWorker(name: string, file: string, body: string, data: Record<string, unknown>, maxOldGenerationSizeMb: number): WriterWorker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const lock = writeLockFor(file)?.buffer;
  const worker = new Worker(prelude(body), { eval: true, workerData: { ...data, file, driver, lock }, resourceLimits: { maxOldGenerationSizeMb } });
  const threadId = worker.threadId;
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
    else w.reject(Object.assign(new Error(m.message ?? `${name} failed`), { code: m.code }));
  });
  worker.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
  worker.on('exit', (code) => {
    if (lock) releaseIfHeldBy(lock, threadId);
    if (waiting.size > 0 || code !== 0) failAll(new Error(`${name} stopped (exit ${code})`));
  });
  return {
    write(payload) {
      if (broken) return Promise.reject(broken);
      const id = next++;
      // Keep the process alive while a batch is in flight (a caller waits for it).
      if (waiting.size === 0) worker.ref();
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ ...payload, id });
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

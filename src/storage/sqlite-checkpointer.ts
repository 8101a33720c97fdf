/**
 * WAL checkpoints off the request thread. With the default auto-checkpoint, every ~1,000 pages the writing
 * connection copies the WAL into the database file and fsyncs it, inside a request — a quarter of the CPU time
 * at thousands of cases a second. Instead the main connection never auto-checkpoints and a worker thread with
 * its own connection runs PASSIVE checkpoints (which never block the writer) every `intervalMs`. SQLite then
 * restarts the WAL from the beginning once it is fully checkpointed, so the file stays small.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 2000');
let timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { /* busy: next time */ }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') { clearInterval(timer); try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} db.close(); parentPort.postMessage('stopped'); }
});
`;

export interface Checkpointer { stop(): Promise<void> }

export function startCheckpointer(file: string, intervalMs = 1000): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, intervalMs }, resourceLimits: { maxOldGenerationSizeMb: 16 } });
  worker.unref();
  return {
    stop: () => new Promise<void>((resolve) => {
      const done = () => { void worker.terminate().finally(resolve); };
      worker.once('message', done);
      worker.once('error', done);
      worker.ref(); // an unref'd worker's answer would not keep the process waiting for it
      worker.postMessage('stop');
      setTimeout(done, 2000).unref();
    }),
  };
}

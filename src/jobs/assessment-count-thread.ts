/**
 * The assessment counting job on a thread of its own (assessment-count-worker.ts): its own context and store (SQLite:
 * its own connection, taking the main thread's write lock; PostgreSQL: its own pool), running `runAssessmentCount`
 * every `everyMs`, never overlapping itself. Messages: → 'stop'; ← 'log', 'stopped', 'failed'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config/env.ts';
import type { Logger } from '../runtime/context.ts';
import { createContext, closeContext } from '../runtime/bootstrap.ts';
import { adoptWriteLocks } from '../storage/sqlite-write-lock.ts';
import { runAssessmentCount } from './assessment-count.job.ts';

const port = parentPort!;
const { config, locks, everyMs } = workerData as { config: Config; locks?: Record<string, SharedArrayBuffer>; everyMs: number };
adoptWriteLocks(locks); // before the store opens: this thread's connection takes the main thread's write lock

const logAt = (level: 'info' | 'warn' | 'error') => (o: unknown, m?: string) => {
  const obj = o instanceof Error ? { err: o.message } : o;
  try { port.postMessage({ t: 'log', level, o: obj, m }); } catch { port.postMessage({ t: 'log', level, o: String(o), m }); }
};
const log: Logger = { info: logAt('info'), warn: logAt('warn'), error: logAt('error') } as Logger;

try {
  const ctx = await createContext(config, { log });
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = runAssessmentCount(ctx).then(
      (r) => { if (r.changed > 0) log.info(r, `assessment: ${r.changed} case(s) recounted`); },
      (err: unknown) => log.error(err, 'assessment counting failed'),
    ).finally(() => { running = undefined; });
  };
  const timer = setInterval(tick, everyMs);
  port.on('message', async (m: { t: string }) => {
    if (m.t !== 'stop') return;
    clearInterval(timer);
    await running;
    await closeContext(ctx);
    port.postMessage({ t: 'stopped' });
  });
} catch (err) {
  port.postMessage({ t: 'failed', message: String((err as Error)?.message ?? err) });
}

/**
 * Worker threads running our modules (the MQTT ingest worker, the assessment counting thread).
 *
 * A worker thread running one of our modules: compiled (dist/) it is plain JavaScript; from the sources (tsx) the
 * worker registers tsx first. `from` is the caller's import.meta.url, `name` the module beside it without extension.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from './context.ts';
import { releaseIfHeldBy, writeLockBuffers } from '../storage/sqlite-write-lock.ts';

export function moduleThread(from: string, name: string, workerData: unknown): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const file = new URL(`./${name}.ts`, from).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(file)}); });`, { eval: true, workerData });
}

/** A supervised thread (supervisedThread): the live worker, and a stop that lets it finish first. */
export interface SupervisedThread {
  readonly current: Worker;
  /** Asks the thread to stop ('stop'), waits for 'stopped' (or 'failed', its exit, `timeoutMs`), then `before`, then ends it. */
  stop(timeoutMs: number, before?: () => Promise<unknown>): Promise<void>;
}

/**
 * One of our modules on a worker thread that shares this thread's SQLite write locks (workerData.locks), started
 * again with a growing pause when it dies unexpectedly (a write lock it held is freed first). A `failed` message
 * ({ t: 'failed', message }) is logged and ends the thread (then restarted); every other message goes to `onMessage`.
 * `what` names it in the log ("mqtt: the ingest worker"). `onSpawn` runs for each new thread before its messages.
 */
export function supervisedThread(log: Logger, o: {
  from: string; name: string; what: string; data: Record<string, unknown>;
  onSpawn?: (w: Worker) => void; onMessage: (w: Worker, m: { t: string }) => void;
}): SupervisedThread {
  let worker!: Worker;
  let stopping = false;
  let restarts = 0;
  const spawn = () => {
    const locks = writeLockBuffers();
    const w = moduleThread(o.from, o.name, { ...o.data, locks });
    worker = w;
    const threadId = w.threadId;
    o.onSpawn?.(w);
    w.on('message', (m: { t: string; message?: string }) => {
      if (m.t !== 'failed') { o.onMessage(w, m); return; }
      log.error({}, `${o.what} failed: ${m.message}`);
      if (!stopping) void w.terminate();
    });
    w.on('error', (err) => log.error(err, `${o.what} failed`));
    w.on('exit', (code) => {
      for (const b of Object.values(locks)) releaseIfHeldBy(b, threadId);
      if (stopping || worker !== w) return;
      restarts++;
      log.error({ code }, `${o.what} stopped (exit ${code}); starting it again`);
      setTimeout(() => { if (!stopping) spawn(); }, Math.min(30_000, 1000 * restarts)).unref();
    });
  };
  spawn();
  return {
    get current() { return worker; },
    async stop(timeoutMs, before) {
      stopping = true;
      const w = worker;
      await new Promise<void>((resolve) => {
        const done = () => { clearTimeout(t); resolve(); };
        const t = setTimeout(done, timeoutMs);
        w.on('message', (m: { t: string }) => { if (m.t === 'stopped' || m.t === 'failed') done(); });
        w.once('exit', done);
        try { w.postMessage({ t: 'stop' }); } catch { done(); }
      });
      await before?.();
      await w.terminate();
    },
  };
}

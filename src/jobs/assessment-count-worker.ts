/**
 * Assessment counting off the main thread (issue 10: "counting must not slow case creation"). Recounting the cases
 * an outbox batch names reads their history and writes facts and counters; at full intake speed that took ~14 % of
 * the main thread's throughput (docs/issue-10/assessment.md §11). Here the job runs on its own thread
 * (assessment-count-thread.ts) with its own connection, so HTTP keeps the main thread; the cursor keeps it exactly
 * once as before. Opt-in (ASSESSMENT_WORKER=on) for shared stores (SQLite on a file, PostgreSQL): measured on SQLite
 * it did not help — its commits wait for the same single write lock as intake's, and intake's p99 rose. A thread that dies is started again (what it had not committed is counted again: recounting is
 * idempotent) and any write lock it held is freed.
 */
import type { Worker } from 'node:worker_threads';
import type { AppContext } from '../runtime/context.ts';
import { moduleThread } from '../runtime/worker-thread.ts';
import { releaseIfHeldBy, writeLockBuffers } from '../storage/sqlite-write-lock.ts';

type FromThread = { t: 'log'; level: 'info' | 'warn' | 'error'; o: unknown; m?: string } | { t: 'stopped' } | { t: 'failed'; message: string };

export class AssessmentCountWorker {
  private worker!: Worker;
  private stopping = false;
  private restarts = 0;

  constructor(private ctx: AppContext, private everyMs: number) {
    this.spawn();
  }

  private spawn(): void {
    const locks = writeLockBuffers();
    const w = moduleThread(import.meta.url, 'assessment-count-thread', { config: this.ctx.config, locks, everyMs: this.everyMs });
    this.worker = w;
    const threadId = w.threadId;
    w.on('message', (m: FromThread) => {
      if (m.t === 'log') this.ctx.log[m.level](m.o ?? {}, m.m);
      else if (m.t === 'failed') { this.ctx.log.error({}, `assessment: the counting thread failed: ${m.message}`); if (!this.stopping) void w.terminate(); }
    });
    w.on('error', (err) => this.ctx.log.error(err, 'assessment: the counting thread failed'));
    w.on('exit', (code) => {
      for (const b of Object.values(locks)) releaseIfHeldBy(b, threadId);
      if (this.stopping || this.worker !== w) return;
      this.restarts++;
      this.ctx.log.error({ code }, `assessment: the counting thread stopped (exit ${code}); starting it again`);
      setTimeout(() => { if (!this.stopping) this.spawn(); }, Math.min(30_000, 1000 * this.restarts)).unref();
    });
  }

  /** Lets the thread finish its batch (it commits or rolls back), then ends it. */
  async stop(): Promise<void> {
    this.stopping = true;
    const w = this.worker;
    await new Promise<void>((resolve) => {
      const done = () => { clearTimeout(t); resolve(); };
      const t = setTimeout(done, 10_000);
      w.on('message', (m: FromThread) => { if (m.t === 'stopped' || m.t === 'failed') done(); });
      w.once('exit', done);
      try { w.postMessage({ t: 'stop' }); } catch { done(); }
    });
    await w.terminate();
  }
}

/**
 * Assessment counting off the main thread (issue 10: "counting must not slow case creation"). Recounting the cases
 * an outbox batch names reads their history and writes facts and counters; at full intake speed that took ~14 % of
 * the main thread's throughput (docs/issue-10/assessment.md §11). Here the job runs on its own thread
 * (assessment-count-thread.ts) with its own connection, so HTTP keeps the main thread; the cursor keeps it exactly
 * once as before. Opt-in (ASSESSMENT_WORKER=on) for shared stores (SQLite on a file, PostgreSQL): measured on SQLite
 * it did not help — its commits wait for the same single write lock as intake's, and intake's p99 rose. A thread that dies is started again (what it had not committed is counted again: recounting is
 * idempotent) and any write lock it held is freed.
 */
import type { AppContext } from '../runtime/context.ts';
import { supervisedThread, type SupervisedThread } from '../runtime/worker-thread.ts';

type FromThread = { t: 'log'; level: 'info' | 'warn' | 'error'; o: unknown; m?: string } | { t: 'stopped' };

export class AssessmentCountWorker {
  private thread: SupervisedThread;

  constructor(ctx: AppContext, everyMs: number) {
    this.thread = supervisedThread(ctx.log, {
      from: import.meta.url, name: 'assessment-count-thread', what: 'assessment: the counting thread',
      data: { config: ctx.config, everyMs },
      onMessage: (_w, msg) => { const m = msg as FromThread; if (m.t === 'log') ctx.log[m.level](m.o ?? {}, m.m); },
    });
  }

  /** Lets the thread finish its batch (it commits or rolls back), then ends it. */
  stop(): Promise<void> {
    return this.thread.stop(10_000);
  }
}

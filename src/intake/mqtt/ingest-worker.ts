/**
 * The consumer of an external broker, run OFF the main thread (issue 11; docs/issue-11/ingestion.md "Ingest worker").
 * At tens of thousands of readings a second, parsing MQTT and JSON, checking, flood control, rule evaluation and the
 * commits would take the main thread for most of every second, and HTTP (case intake, the console) would wait behind
 * them. One worker thread (ingest-thread.ts) owns the MQTT client, its own store (SQLite: its own connection and
 * reading writer; PostgreSQL: its own pool) and its own rule engine; the PUBACK still leaves only after the commit, in
 * the worker. The main thread only does what it must:
 * - rule effects (raise / clear) arrive here and are written with the main context — alarms become cases through
 *   the intake contract exactly as before, one after another in the order they were posted;
 * - cache changes of this process (device edited, types or rules saved, heartbeat offline) are relayed to the worker.
 * Live events need nothing: the worker's state changes are outbox rows, which the main event hub tails.
 * When the worker dies unexpectedly it is started again (nothing it acknowledged is lost: acks follow commits; what it
 * had not acknowledged the broker delivers again). MQTT_INGEST_WORKER=off keeps the consumer on the main thread.
 */
import type { Worker } from 'node:worker_threads';
import { supervisedThread, type SupervisedThread } from '../../runtime/worker-thread.ts';
import type { AppContext } from '../../runtime/context.ts';
import { applyRuleEffect, type RuleEffect } from '../../runtime/rule-engine.ts';
import { filingIdle } from '../../commands/alarm-raise.ts';
import { sensingHooks } from '../../runtime/sensing-hooks.ts';
import type { IngestCounters } from '../../runtime/sensing-ingest.ts';

export interface ConsumerCounts { received: number; acked: number; failed: number; reconnects: number }

type FromWorker =
  | { t: 'started'; describe: string }
  | { t: 'ready' }
  | { t: 'counts'; counts: ConsumerCounts; ingest: IngestCounters }
  | { t: 'effect'; id: number; e: RuleEffect }
  | { t: 'log'; level: 'info' | 'warn' | 'error'; o: unknown; m?: string }
  | { t: 'stopped' };

export class IngestWorker {
  /** The worker's consumer counts and ingestion counters, as last reported (every 0.5 s and on stop). */
  readonly counts: ConsumerCounts = { received: 0, acked: 0, failed: 0, reconnects: 0 };
  ingest: IngestCounters | undefined;
  /** Effects written here, and those that failed. */
  readonly effects = { written: 0, failed: 0 };
  readonly describe: string;
  private thread: SupervisedThread;
  private base: ConsumerCounts = { received: 0, acked: 0, failed: 0, reconnects: 0 };
  private chain: Promise<unknown> = Promise.resolve();
  private readyNow = false;
  private onReady: (() => void)[] = [];
  private unlisten: () => void;

  constructor(private ctx: AppContext) {
    this.describe = `consumer in an ingest worker thread (${ctx.config.mqttClientId} at ${redact(ctx.config.mqttUrl ?? '')})`;
    this.unlisten = sensingHooks(ctx).onChanged((c) => { try { this.thread.current.postMessage({ t: 'changed', c }); } catch { /* worker restarting */ } });
    // SQLite: the worker's connections take the same write lock as this thread's (sqlite-write-lock.ts).
    this.thread = supervisedThread(ctx.log, {
      from: import.meta.url, name: 'ingest-thread', what: 'mqtt: the ingest worker', data: { config: ctx.config },
      // Counts of an earlier worker are kept: the new one starts from zero.
      onSpawn: () => { this.base = { ...this.counts }; },
      onMessage: (w, m) => this.onMessage(w, m as FromWorker),
    });
  }

  private onMessage(w: Worker, m: FromWorker): void {
    switch (m.t) {
      case 'effect':
        // One after another, in the order the worker evaluated them (as the in-thread engine writes them). The worker
        // acknowledges the readings once the alarm is stored; its case is filed after (a burst of alarms never holds
        // telemetry up; docs/issue-11/rules-alarms-video.md).
        this.chain = this.chain.then(() => applyRuleEffect(this.ctx, m.e, { deferFiling: true })).then(
          () => { this.effects.written++; w.postMessage({ t: 'effectDone', id: m.id }); },
          (err: unknown) => { this.effects.failed++; w.postMessage({ t: 'effectDone', id: m.id, error: String((err as Error)?.message ?? err) }); },
        );
        return;
      case 'counts':
        this.counts.received = this.base.received + m.counts.received;
        this.counts.acked = this.base.acked + m.counts.acked;
        this.counts.failed = this.base.failed + m.counts.failed;
        this.counts.reconnects = this.base.reconnects + m.counts.reconnects;
        this.ingest = m.ingest;
        return;
      case 'log':
        this.ctx.log[m.level](m.o ?? {}, m.m);
        return;
      case 'ready':
        this.readyNow = true;
        for (const f of this.onReady.splice(0)) f();
        return;
      default:
    }
  }

  /** Resolves once the worker's consumer is connected and subscribed (tests, bench). */
  ready(timeoutMs = 60_000): Promise<void> {
    if (this.readyNow) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('mqtt: the ingest worker did not subscribe in time')), timeoutMs);
      this.onReady.push(() => { clearTimeout(t); resolve(); });
    });
  }

  /** Lets the worker finish what it stores and acknowledges, and its effects be written here; then it exits. */
  async stop(): Promise<void> {
    this.unlisten();
    await this.thread.stop(15_000, () => this.chain.catch(() => undefined));
    await filingIdle(this.ctx); // cases of alarms stored before the stop (a hard stop leaves them to resumeSubmissions)
  }
}

const redact = (url: string): string => {
  try { const u = new URL(url); if (u.password) u.password = '***'; return u.toString(); } catch { return '(unparsable MQTT_URL)'; }
};

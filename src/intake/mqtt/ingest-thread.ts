/**
 * The MQTT ingest worker's thread (issue 11; started by ingest-worker.ts, docs/issue-11/ingestion.md). It owns the
 * consumer of the external broker and the whole data path behind it: parse, check, flood control, group commit (its
 * own store: on SQLite its own connection and reading writer, on PostgreSQL its own pool), the PUBACK after the
 * commit, and rule evaluation. What the main thread must act on is posted to it: rule effects (raise / clear →
 * alarms → cases through the intake contract, written with the main thread's context) and log lines. Device state
 * changes are written here (history row + outbox event: the main thread's event hub tails the outbox for live events).
 *
 * Messages in:  { t: 'changed', c: SensingChange } · { t: 'effectDone', id, error? } · { t: 'stop' }
 * Messages out: { t: 'ready' } · { t: 'counts', counts, ingest } · { t: 'effect', id, e: RuleEffect } · { t: 'log', … } ·
 *               { t: 'failed', message } · { t: 'stopped' }
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../config/env.ts';
import type { Logger } from '../../runtime/context.ts';
import { createContext, closeContext } from '../../runtime/bootstrap.ts';
import { sensingIngester, stopSensingIngester } from '../../runtime/sensing-ingest.ts';
import { startRuleEngine, type RuleEffect } from '../../runtime/rule-engine.ts';
import type { SensingChange } from '../../runtime/sensing-hooks.ts';
import { BrokerConsumer } from './broker-consumer.ts';
import { adoptWriteLocks } from '../../storage/sqlite-write-lock.ts';

const port = parentPort!;
const { config, locks } = workerData as { config: Config; locks?: Record<string, SharedArrayBuffer> };
// Before the store is opened: this thread's connections take the main thread's write lock (sqlite-write-lock.ts).
adoptWriteLocks(locks);

const logAt = (level: 'info' | 'warn' | 'error') => (o: unknown, m?: string) => {
  const obj = o instanceof Error ? { err: o.message } : (o && typeof o === 'object' && 'err' in o && (o as { err: unknown }).err instanceof Error)
    ? { ...o, err: ((o as { err: Error }).err).message } : o;
  try { port.postMessage({ t: 'log', level, o: obj, m }); } catch { port.postMessage({ t: 'log', level, o: String(o), m }); }
};
const log: Logger = { info: logAt('info'), warn: logAt('warn'), error: logAt('error') } as Logger;

let nextEffect = 1;
const effects = new Map<number, { resolve(): void; reject(e: Error): void }>();
const sink = (e: RuleEffect): Promise<void> => new Promise<void>((resolve, reject) => {
  const id = nextEffect++;
  effects.set(id, { resolve, reject });
  port.postMessage({ t: 'effect', id, e });
});

try {
  const ctx = await createContext(config, { log });
  const ingest = sensingIngester(ctx);
  // The whole registry in the device cache before the first message (100,000 devices: well under a second).
  const t0 = Date.now();
  const warmed = await ingest.warm();
  log.info({ devices: warmed, ms: Date.now() - t0 }, `mqtt: ingest worker cached ${warmed} device(s) in ${Date.now() - t0} ms`);
  const engine = await startRuleEngine(ctx, sink);
  const consumer = new BrokerConsumer(ctx, { url: config.mqttUrl!, clientId: config.mqttClientId, shareGroup: config.mqttShareGroup });
  const counts = () => ({ t: 'counts', counts: { ...consumer.counts }, ingest: { ...ingest.counters, byReason: { ...ingest.counters.byReason } } });
  const timer = setInterval(() => port.postMessage(counts()), 500);

  port.on('message', (m: { t: string; c?: SensingChange; id?: number; error?: string }) => {
    if (m.t === 'effectDone') {
      const w = effects.get(m.id!);
      effects.delete(m.id!);
      if (m.error === undefined) w?.resolve(); else w?.reject(new Error(m.error));
    } else if (m.t === 'changed') {
      const c = m.c!;
      if (c.kind === 'device') {
        ingest.forget(c.id);
        engine.forgetDevice(c.id);
      } else if (c.kind === 'types') ingest.forgetTypes();
      else if (c.kind === 'offline') ingest.markedOffline(c.ids);
      else void engine.reload().catch((err) => log.error(err, 'sensing: reloading the rules in the ingest worker failed'));
    } else if (m.t === 'stop') {
      void (async () => {
        clearInterval(timer);
        await consumer.stop();
        await stopSensingIngester(ctx);
        await engine.idle();
        port.postMessage(counts());
        await closeContext(ctx);
        port.postMessage({ t: 'stopped' });
      })().catch((err) => { port.postMessage({ t: 'failed', message: String((err as Error)?.message ?? err) }); });
    }
  });
  port.postMessage({ t: 'started', describe: consumer.describe });
  void consumer.ready(60_000).then(() => port.postMessage({ t: 'ready' }), (err) => log.warn({}, String((err as Error).message)));
} catch (err) {
  port.postMessage({ t: 'failed', message: String((err as Error)?.stack ?? err) });
}

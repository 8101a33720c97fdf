/**
 * City sensing over MQTT (issue 11 part 2), registered like every intake channel (../index.ts): a long-running
 * consumer started once the server listens. Two edges, one pipeline (runtime/sensing-ingest.ts):
 * - the embedded broker (aedes) on MQTT_PORT, on by default — when its port is taken the platform says so in one log
 *   line and runs on without it (HTTP ingestion and an external broker still work; the operator decides);
 * - the consumer of an external broker when MQTT_URL is set.
 * Readings are not cases: they reach the rules through `sensingHooks(ctx)`; alarms become cases through `submit`
 * (channel `iot`), which is the rules' part. docs/issue-11/ingestion.md.
 */
import type { IntakeChannel, RunningConsumer } from '../channel.ts';
import type { AppContext } from '../../runtime/context.ts';
import { sensingIngester, stopSensingIngester } from '../../runtime/sensing-ingest.ts';
import { startEmbeddedBroker } from './embedded-broker.ts';
import { BrokerConsumer } from './broker-consumer.ts';
import { IngestWorker } from './ingest-worker.ts';

/**
 * `worker`: run the external broker's consumer in its own thread (ingest-worker.ts; the server does so unless
 * MQTT_INGEST_WORKER=off). An in-memory SQLite store cannot be shared with a thread: then it runs here.
 */
export async function startMqtt(ctx: AppContext, opts: { worker?: boolean } = {}): Promise<(RunningConsumer & { port?: number; consumer?: BrokerConsumer | IngestWorker }) | null> {
  const { mqttPort, mqttHost, mqttUrl } = ctx.config;
  if (mqttPort === null && !mqttUrl) return null;
  const parts: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  let port: number | undefined;
  if (mqttPort !== null) {
    const b = await startEmbeddedBroker(ctx, mqttPort, mqttHost);
    if ('error' in b) {
      ctx.log.warn({}, `CityOps: embedded MQTT broker NOT started: ${b.error}; set MQTT_PORT to a free port (or MQTT_PORT=off, or MQTT_URL for an external broker) — running without it`);
      parts.push(`embedded broker off (${b.error})`);
    } else {
      port = b.port;
      parts.push(`embedded broker on mqtt://${mqttHost}:${b.port}`);
      stops.push(b.close);
    }
  }
  let consumer: BrokerConsumer | IngestWorker | undefined;
  if (mqttUrl) {
    consumer = opts.worker && ctx.store.sharable
      ? new IngestWorker(ctx)
      : new BrokerConsumer(ctx, { url: mqttUrl, clientId: ctx.config.mqttClientId, shareGroup: ctx.config.mqttShareGroup });
    // On this thread: the registry goes into the device cache now, not one miss per device's first message.
    if (consumer instanceof BrokerConsumer) void sensingIngester(ctx).warm().catch((err) => ctx.log.error(err, 'sensing: warming the device cache failed'));
    parts.push(consumer.describe);
    stops.push(() => consumer!.stop());
  }
  return {
    describe: parts.join('; '),
    port,
    consumer,
    stop: async () => {
      for (const s of stops.reverse()) await s();
      await stopSensingIngester(ctx);
    },
  };
}

export const mqttChannel: IntakeChannel = {
  name: 'mqtt',
  title: { zh: '物联感知 MQTT', en: 'Sensors over MQTT' },
  start: (ctx) => startMqtt(ctx, { worker: ctx.config.mqttIngestWorker }),
};

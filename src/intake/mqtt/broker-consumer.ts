/**
 * The consumer of an external broker (MQTT_URL: Mosquitto, EMQX …) — issue 11 part 2. It subscribes to
 * `cityops/+/telemetry` and `cityops/+/status` with QoS 1 in a persistent session (clean = false, a fixed client id):
 * while the platform is down or restarting the broker keeps the messages for it, and mqtt.js reconnects and
 * resubscribes by itself.
 *
 * Acknowledge after store. mqtt.js sends a PUBACK as soon as `handleMessage` calls back, and reads the next packet
 * only after that — so waiting for the store inside `handleMessage` (or in `customHandleAcks`, MQTT 5 only) would
 * process one message per commit. Instead `handleMessage` hands the message to the ingester and lets mqtt.js read
 * on, and the PUBACK it then sends is HELD (`_sendPacket` is wrapped for `puback` only) until the ingester answers
 * that the message's readings are committed. Held acknowledgements leave in the order the messages came (MQTT
 * 3.1.1 §4.6); one that belongs to a connection that has since closed is dropped (the broker sends that message
 * again in the new session, and the (device, instant) key makes the second copy a no-op). When storing fails,
 * nothing more is acknowledged on that connection and it is closed: the broker redelivers everything unacknowledged.
 *
 * The broker's own limits decide how many messages are in flight to us at once (Mosquitto `max_inflight_messages`,
 * default 20 — far too few for group commit; docs/issue-11/ingestion.md gives the settings). With MQTT 5 we ask for
 * a receive maximum of 65,535.
 */
import mqtt, { type IClientOptions, type MqttClient, type IPublishPacket, type Packet } from 'mqtt';
import type { AppContext } from '../../runtime/context.ts';
import { sensingIngester } from '../../runtime/sensing-ingest.ts';
import { parseTopic, STATUS_FILTER, TELEMETRY_FILTER } from './topics.ts';

export interface ConsumerOptions {
  url: string;
  clientId: string;
  shareGroup?: string;
  protocolVersion?: 4 | 5;
}

type SendPacket = (packet: Packet, cb?: (err?: Error) => void, cbStorePut?: () => void, noStore?: boolean) => void;

export class BrokerConsumer {
  readonly client: MqttClient;
  /** Messages handed to the ingester and acknowledged, and those whose storing failed (for the bench and tests). */
  readonly counts = { received: 0, acked: 0, failed: 0, reconnects: 0 };
  private held = new Map<number, Promise<boolean>>();
  private chain: Promise<unknown> = Promise.resolve();
  private brokenStream: unknown = null;
  private subscribed = false;
  private onSubscribed: (() => void)[] = [];
  readonly describe: string;

  constructor(private ctx: AppContext, opts: ConsumerOptions) {
    const ingest = sensingIngester(ctx);
    const options: IClientOptions = {
      clientId: opts.clientId, clean: false, protocolVersion: opts.protocolVersion ?? 5, reconnectPeriod: 1000, connectTimeout: 10_000, keepalive: 30,
      resubscribe: false,
      ...(opts.protocolVersion === 4 ? {} : { properties: { sessionExpiryInterval: 7 * 86_400, receiveMaximum: 65_535 } }),
    };
    const client = mqtt.connect(opts.url, options);
    this.client = client;
    const share = opts.shareGroup ? `$share/${opts.shareGroup}/` : '';
    this.describe = `consuming ${share}${TELEMETRY_FILTER} and ${STATUS_FILTER} from ${redact(opts.url)} as ${opts.clientId}`;
    client.on('connect', () => {
      // A resumed session keeps its subscriptions; subscribing again on every connect is harmless and covers a lost one.
      client.subscribe([`${share}${TELEMETRY_FILTER}`, `${share}${STATUS_FILTER}`], { qos: 1 }, (err) => {
        if (err) ctx.log.error(err, 'mqtt: subscribing failed');
        else { this.subscribed = true; for (const f of this.onSubscribed.splice(0)) f(); }
      });
    });
    client.on('reconnect', () => { this.counts.reconnects++; });
    client.on('error', (err) => ctx.log.warn({ err: err.message }, `mqtt: ${err.message}`));
    client.handleMessage = (packet: IPublishPacket, callback: (error?: Error) => void) => {
      this.counts.received++;
      const work = this.process(ingest, packet);
      if (packet.qos > 0 && packet.messageId !== undefined) this.held.set(packet.messageId, work);
      callback();
    };
    const c = client as unknown as { _sendPacket: SendPacket };
    const send = c._sendPacket.bind(client) as SendPacket;
    c._sendPacket = (packet, cb, cbStorePut, noStore) => {
      const id = (packet as { messageId?: number }).messageId;
      if (packet.cmd !== 'puback' || id === undefined || !this.held.has(id)) return send(packet, cb, cbStorePut, noStore);
      const stored = this.held.get(id)!;
      this.held.delete(id);
      const stream = client.stream;
      cb?.(); // mqtt.js reads on; the acknowledgement itself waits
      this.chain = this.chain.then(() => stored).then((ok) => {
        if (!ok) {
          this.counts.failed++;
          if (this.brokenStream !== stream) {
            this.brokenStream = stream;
            ctx.log.error({}, 'mqtt: storing failed; closing the connection so the broker delivers the unacknowledged messages again');
            stream.destroy();
          }
          return;
        }
        if (this.brokenStream === stream || client.stream !== stream || !client.connected) return; // an older connection's message
        send(packet);
        this.counts.acked++;
      });
    };
  }

  /** True once the readings are committed (or refused for good); false when storing failed. */
  private async process(ingest: ReturnType<typeof sensingIngester>, packet: IPublishPacket): Promise<boolean> {
    const t = parseTopic(packet.topic);
    if (!t) return true; // not ours: nothing to store
    try {
      if (t.kind === 'telemetry') await ingest.telemetry(t.deviceId, packet.payload);
      else await ingest.status(t.deviceId, packet.payload);
      return true;
    } catch (err) {
      this.ctx.log.error(err, `mqtt: storing a message of ${t.deviceId.slice(0, 80)} failed`);
      return false;
    }
  }

  /** Resolves once connected and subscribed (tests, bench). */
  ready(timeoutMs = 10_000): Promise<void> {
    if (this.subscribed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('mqtt: not subscribed in time')), timeoutMs);
      this.onSubscribed.push(() => { clearTimeout(t); resolve(); });
    });
  }

  async stop(): Promise<void> {
    // Let what is being stored finish and be acknowledged, then leave (the session stays at the broker).
    await this.chain.catch(() => undefined);
    await this.client.endAsync();
  }
}

const redact = (url: string): string => {
  try { const u = new URL(url); if (u.password) u.password = '***'; return u.toString(); } catch { return '(unparsable MQTT_URL)'; }
};

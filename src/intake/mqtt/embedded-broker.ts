/**
 * The embedded MQTT broker (aedes; MQTT 3.1.1) that `npm start` runs by default on MQTT_PORT (1883), so a newcomer's
 * sensors can connect with nothing else installed. Devices authenticate with their own credentials (username = device
 * id, password = the secret shown once at creation or rotation) and may publish only on their own topics: a device
 * publishing on another device's topic is refused, counted against it (reason wrong_topic) and disconnected.
 *
 * Publishes are handled inside `authorizePublish`: the broker sends PUBACK only after that callback, so a QoS 1
 * reading is acknowledged after it is stored. Refused readings (malformed, out of range, flood …) are acknowledged
 * too — sending them again would not help — and counted; a storage failure is not acknowledged (the device's
 * connection is closed, and it sends again when it reconnects). Telemetry is not forwarded to other clients.
 */
import net from 'node:net';
import { Aedes, type Client } from 'aedes';
import type { AppContext } from '../../runtime/context.ts';
import { sensingIngester } from '../../runtime/sensing-ingest.ts';
import { parseTopic } from './topics.ts';

export interface EmbeddedBroker {
  port: number;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(ctx: AppContext, port: number, host: string): Promise<EmbeddedBroker | { error: string }> {
  const ingest = sensingIngester(ctx);
  const deviceOf = new WeakMap<Client, string>();
  const broker = await Aedes.createBroker({
    id: 'cityops',
    authenticate: (client, username, password, done) => {
      const id = username ?? '';
      const secret = password ? password.toString() : '';
      ingest.authenticate(id, secret).then((ok) => {
        if (!ok) {
          const err = Object.assign(new Error('bad device id or secret'), { returnCode: 4 });
          return done(err, false);
        }
        deviceOf.set(client, id);
        done(null, true);
      }, (err) => done(Object.assign(err instanceof Error ? err : new Error(String(err)), { returnCode: 3 }), false));
    },
    authorizePublish: (client, packet, done) => {
      if (!client) return done(null); // the broker's own messages ($SYS)
      const me = deviceOf.get(client);
      const t = parseTopic(packet.topic);
      if (!me || !t) {
        if (me) ingest.refuse(me, { reason: 'wrong_topic', field: 'topic', message: `topic: ${packet.topic.slice(0, 100)} is not cityops/${me}/telemetry or /status` });
        return done(new Error('topic not allowed'));
      }
      if (t.deviceId !== me) {
        ingest.refuse(me, { reason: 'wrong_topic', field: 'topic', message: `topic: device ${me} may not publish on ${packet.topic.slice(0, 100)}` });
        return done(new Error('another device\'s topic'));
      }
      const work = t.kind === 'telemetry' ? ingest.telemetry(me, packet.payload) : ingest.status(me, packet.payload);
      work.then(() => done(null), (err) => {
        ctx.log.error(err, `mqtt (embedded): storing a message of ${me} failed; not acknowledged`);
        done(err instanceof Error ? err : new Error(String(err)));
      });
    },
    authorizeSubscribe: (client, sub, done) => {
      const me = deviceOf.get(client);
      // A device may listen on its own topics (commands, later); nothing else.
      if (me && sub.topic.startsWith(`cityops/${me}/`) && !sub.topic.includes('+') && !sub.topic.includes('#')) return done(null, sub);
      done(null, null);
    },
    // Telemetry stays in the platform: nothing is forwarded to subscribers.
    authorizeForward: (_client, packet) => (parseTopic(packet.topic) ? null : packet),
  });
  broker.on('clientError', () => { /* a device's broken connection is its own business */ });
  const server = net.createServer(broker.handle as (s: net.Socket) => void);
  const listening = await new Promise<{ ok: true } | { ok: false; error: NodeJS.ErrnoException }>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, error }));
    server.listen(port, host, () => resolve({ ok: true }));
  });
  if (!listening.ok) {
    await new Promise<void>((r) => broker.close(() => r()));
    const e = listening.error;
    return { error: e.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use` : `${e.code ?? ''} ${e.message}`.trim() };
  }
  const addr = server.address() as net.AddressInfo;
  return {
    port: addr.port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      broker.close();
      // Devices' sockets would keep server.close waiting; aedes.close ends them.
      setTimeout(resolve, 2000).unref();
    }),
  };
}

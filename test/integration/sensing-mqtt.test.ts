/**
 * Sensing over MQTT (issue 11 part 2): a real round trip through the embedded broker on an ephemeral port
 * (credentials, own topics only, stored → hooks called), and through the external Mosquitto on 127.0.0.1:1883
 * (QoS 1, acknowledged only after storing). Bad input is refused and counted per device without disturbing others.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { connect, endClients } from '../support/mqtt-clients.ts';
import { createTestEnv, storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { waterDevices } from '../support/sensing.ts';
import { startMqtt } from '../../src/intake/mqtt/mqtt.channel.ts';
import { sensingHooks } from '../../src/runtime/sensing-hooks.ts';
import { sensingIngester } from '../../src/runtime/sensing-ingest.ts';
import type { Reading } from '../../src/domain/sensing/types.ts';

const MOSQUITTO = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

const until = async (what: string, f: () => Promise<boolean> | boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};


const reachable = (url: string) => new Promise<boolean>((resolve) => {
  const u = new URL(url);
  const s = net.connect(Number(u.port || 1883), u.hostname, () => { s.end(); resolve(true); });
  s.on('error', () => resolve(false));
});

for (const store of storesUnderTest()) {
  describe(`sensing over MQTT, embedded broker [${store}]`, () => {
    let env: TestEnv;
    let secrets: Record<string, string>;
    let running: Awaited<ReturnType<typeof startMqtt>>;
    const heard: Reading[] = [];
    let url: string;

    before(async () => {
      env = await createTestEnv(store, { now: Date.now(), config: { mqttPort: 0, mqttHost: '127.0.0.1' } });
      secrets = await waterDevices(env.ctx, ['wl-1', 'wl-2']);
      sensingHooks(env.ctx).onReadings((r) => { heard.push(...r); });
      running = await startMqtt(env.ctx);
      assert.ok(running?.port, running?.describe);
      url = `mqtt://127.0.0.1:${running.port}`;
    });
    after(async () => { endClients(); await running?.stop(); await env.close(); });

    test('a wrong secret is refused at CONNECT', async () => {
      await assert.rejects(connect(url, { username: 'wl-1', password: 'nope' }), /Bad username or password|Not authorized|Connection refused/i);
      await assert.rejects(connect(url, { username: 'ghost', password: secrets['wl-1'] }));
    });

    test('telemetry over QoS 1 is stored before PUBACK, then the listeners hear it; the device comes online', async () => {
      const c = await connect(url, { username: 'wl-1', password: secrets['wl-1'], clientId: 'wl-1' });
      const at = env.clock.now() - 1000;
      await c.publishAsync('cityops/wl-1/telemetry', JSON.stringify([{ at, values: { waterLevel: 12.5, battery: 90 } }, { at: at + 500, waterLevel: 13, flooded: true }]), { qos: 1 });
      // The PUBACK came back: the readings must be stored already.
      const stored = await env.ctx.store.readings.range('wl-1', at - 1, at + 1000, 10);
      assert.deepEqual(stored.map((r) => r.values), [{ waterLevel: 12.5, battery: 90 }, { waterLevel: 13, flooded: 1 }]);
      await until('listeners', () => heard.filter((r) => r.deviceId === 'wl-1').length === 2);
      await until('online', async () => (await env.ctx.store.devices.findDevice('wl-1'))?.state === 'online');
      await c.endAsync();
    });

    test('many offline devices brought online by their readings at once: each one online, with its history row and event', async () => {
      const ids = Array.from({ length: 40 }, (_, i) => `wl-on-${i}`);
      await waterDevices(env.ctx, ids);
      const ingest = sensingIngester(env.ctx);
      const at = env.clock.now() - 1000;
      const answers = await Promise.all(ids.map((id) => ingest.telemetry(id, { at, values: { waterLevel: 3 } })));
      assert.ok(answers.every((a) => a.accepted === 1));
      await until('all online', async () => (await Promise.all(ids.map((id) => env.ctx.store.devices.findDevice(id)))).every((d) => d?.state === 'online'));
      for (const id of ids.slice(0, 3)) {
        const h = await env.ctx.store.devices.historyOf(id, 10);
        assert.deepEqual(h.filter((x) => x.kind === 'state').map((x) => `${x.state}/${JSON.parse(x.detail ?? '{}').source}`), ['online/reading']);
      }
    });

    test('publishing on another device\'s topic is refused (disconnected) and counted against the publisher', async () => {
      const c = await connect(url, { username: 'wl-1', password: secrets['wl-1'], clientId: 'wl-1b' });
      const closed = new Promise<void>((r) => c.once('close', () => r()));
      c.publish('cityops/wl-2/telemetry', JSON.stringify({ waterLevel: 5 }), { qos: 1 });
      await closed;
      c.end(true);
      assert.equal(await env.ctx.store.readings.count('wl-2'), 0);
      await sensingIngester(env.ctx).flushBookkeeping();
      const s = await env.ctx.store.devices.ingestStatsOf('wl-1');
      assert.equal(s.byReason.wrong_topic, 1);
      assert.equal(s.last?.field, 'topic');
    });

    test('bad readings are refused and counted per device, the good ones of the same message and of other devices kept', async () => {
      const a = await connect(url, { username: 'wl-1', password: secrets['wl-1'], clientId: 'wl-1c' });
      const b = await connect(url, { username: 'wl-2', password: secrets['wl-2'], clientId: 'wl-2' });
      const now = env.clock.now();
      await a.publishAsync('cityops/wl-1/telemetry', '{not json', { qos: 1 });
      await a.publishAsync('cityops/wl-1/telemetry', JSON.stringify([
        { at: now + 3_600_000, waterLevel: 1 }, { at: now - 10, waterLevel: 999 }, { at: now - 20, depth: 3 }, { at: now - 30, waterLevel: 7 },
      ]), { qos: 1 });
      await b.publishAsync('cityops/wl-2/telemetry', JSON.stringify({ waterLevel: 4 }), { qos: 1 });
      assert.equal((await env.ctx.store.readings.range('wl-1', now - 31, now - 29, 10)).length, 1);
      assert.equal(await env.ctx.store.readings.count('wl-2'), 1);
      await sensingIngester(env.ctx).flushBookkeeping();
      const s = await env.ctx.store.devices.ingestStatsOf('wl-1');
      assert.equal(s.byReason.malformed, 1);
      assert.equal(s.byReason.future, 1);
      assert.equal(s.byReason.out_of_range, 1);
      assert.equal(s.byReason.unknown_measurement, 1);
      assert.ok((await env.ctx.store.readings.count('wl-1')) >= 3);
      await a.endAsync();
      await b.endAsync();
    });

    test('a status message changes the device state, with a history row and an outbox event', async () => {
      const c = await connect(url, { username: 'wl-2', password: secrets['wl-2'], clientId: 'wl-2s' });
      await c.publishAsync('cityops/wl-2/status', JSON.stringify({ state: 'fault', detail: 'sensor blocked' }), { qos: 1 });
      assert.equal((await env.ctx.store.devices.findDevice('wl-2'))?.state, 'fault');
      const h = await env.ctx.store.devices.historyOf('wl-2', 10);
      assert.equal(h[0].state, 'fault');
      const ev = await env.db.selectFrom('outbox').selectAll().where('topic', '=', 'device.state_changed').execute();
      assert.ok(ev.some((e) => JSON.parse(e.payload).deviceId === 'wl-2' && JSON.parse(e.payload).state === 'fault'));
      await c.endAsync();
    });
  });

  describe(`sensing over MQTT, external Mosquitto [${store}]`, async () => {
    const up = await reachable(MOSQUITTO);
    let env: TestEnv;
    let running: Awaited<ReturnType<typeof startMqtt>>;
    const clientId = `cityops-test-${process.pid}-${store}`;

    before(async () => {
      if (!up) return;
      env = await createTestEnv(store, { now: Date.now(), config: { mqttPort: null, mqttUrl: MOSQUITTO, mqttClientId: clientId } });
      await waterDevices(env.ctx, ['mq-1', 'mq-2']);
    });
    after(async () => {
      endClients();
      await running?.stop();
      await env?.close();
    });

    test('readings published to Mosquitto are stored, and acknowledged only after', { skip: !up && `no broker at ${MOSQUITTO}` }, async () => {
      running = await startMqtt(env.ctx);
      await running!.consumer!.ready();
      const pub = await connect(MOSQUITTO, { clientId: `${clientId}-pub` });
      const now = env.clock.now();
      for (let i = 0; i < 50; i++) pub.publish(`cityops/mq-${1 + (i % 2)}/telemetry`, JSON.stringify({ at: now - 1000 + i, waterLevel: i }), { qos: 1 });
      pub.publish('cityops/unknown-dev/telemetry', JSON.stringify({ waterLevel: 1 }), { qos: 1 });
      await until('50 stored', async () => (await env.ctx.store.readings.count()) === 50).catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify(running!.consumer!.counts)} ${await env.ctx.store.readings.count()} ${JSON.stringify(sensingIngester(env.ctx).counters)}`); });
      await until('acked', () => running!.consumer!.counts.acked === 51);
      assert.equal(sensingIngester(env.ctx).counters.byReason.unknown_device, 1);
      await pub.endAsync();
    });

    test('while the store fails nothing is acknowledged; the broker delivers again and nothing is lost', { skip: !up && `no broker at ${MOSQUITTO}` }, async () => {
      const consumer = running!.consumer!;
      // The store fails once (a full disk).
      const ingester = sensingIngester(env.ctx);
      const real = ingester.write;
      let failures = 0;
      ingester.write = async (d, a, v) => { if (failures++ < 1) throw new Error('disk full'); return real(d, a, v); };
      const before = consumer.counts.acked;
      const pub = await connect(MOSQUITTO, { clientId: `${clientId}-pub2` });
      const now = env.clock.now();
      for (let i = 0; i < 20; i++) pub.publish('cityops/mq-1/telemetry', JSON.stringify({ at: now - 500 + i, waterLevel: 100 + i }), { qos: 1 });
      await until('all 20 stored after redelivery', async () => (await env.ctx.store.readings.range('mq-1', now - 500, now - 480, 100)).length === 20, 20_000);
      assert.ok(consumer.counts.failed >= 1, 'the failed batch was not acknowledged');
      assert.ok(consumer.counts.reconnects >= 1, 'the connection was closed to get a redelivery');
      assert.ok(consumer.counts.acked - before >= 20);
      await pub.endAsync();
    });
  });
}

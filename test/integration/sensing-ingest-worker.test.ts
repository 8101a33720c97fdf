/**
 * The external broker's consumer in its own worker thread (issue 11; src/intake/mqtt/ingest-worker.ts): readings
 * published to Mosquitto are stored and acknowledged by the worker (its own store connection), its rules fire there,
 * and the alarm becomes a case through the main thread's context; a device edited on the main thread is forgotten by
 * the worker too (its next reading is checked against what the registry says now).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { connect, endClients } from '../support/mqtt-clients.ts';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { seedSensingDevice } from '../support/sensing.ts';
import { createMatter } from '../../src/commands/matter-create.ts';
import { createRule, updateRule } from '../../src/commands/rule-save.ts';
import { startRuleEngine } from '../../src/runtime/rule-engine.ts';
import { sensingIngester } from '../../src/runtime/sensing-ingest.ts';
import { startMqtt } from '../../src/intake/mqtt/mqtt.channel.ts';
import { IngestWorker } from '../../src/intake/mqtt/ingest-worker.ts';

const MOSQUITTO = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

const until = async (what: string, f: () => Promise<boolean> | boolean, ms = 60_000) => { // generous: a worker thread compiles its modules under load
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

const reachable = (url: string) => new Promise<boolean>((resolve) => {
  const u = new URL(url);
  const s = net.connect(Number(u.port || 1883), u.hostname, () => { s.end(); resolve(true); });
  s.on('error', () => resolve(false));
});


for (const store of storesUnderTest()) {
  describe(`sensing over MQTT in the ingest worker [${store}]`, async () => {
    const up = await reachable(MOSQUITTO);
    const skip = !up && `no broker at ${MOSQUITTO}`;
    let env: TestEnv;
    let running: Awaited<ReturnType<typeof startMqtt>>;
    const clientId = `cityops-worker-test-${process.pid}-${store}`;

    before(async () => {
      if (!up) return;
      env = await createDemoEnv(store, { now: Date.now(), config: { mqttPort: null, mqttUrl: MOSQUITTO, mqttClientId: clientId } });
      await loadGridPoints(env);
      await createMatter(env.ctx, { code: '10090', name: '道路积水', classCode: '10', className: '其他事项类' }, null);
      await seedSensingDevice(env, { id: 'wk-1', typeId: 'water_level', point: demoPoint(env, 3) });
      await seedSensingDevice(env, { id: 'wk-2', typeId: 'water_level', point: demoPoint(env, 5) });
      const rule = await createRule(env.ctx, {
        name: '积水超过20厘米', scope: { kind: 'type', id: 'water_level' }, matterCode: '10090', urgency: 'urgent', suppressMinutes: 30,
        condition: { kind: 'threshold', measurement: 'waterLevel', op: '>', value: 20, forSeconds: 60, hysteresis: 2 },
      }, null, 'wk-rule');
      await updateRule(env.ctx, rule.id, rule.version, { ...rule, enabled: true }, null);
      await startRuleEngine(env.ctx);
    });
    after(async () => {
      endClients();
      await running?.stop();
      await env?.close();
    });

    test('readings go through the worker into the store, acknowledged after; its alarm becomes a case on the main thread', { skip }, async () => {
      running = await startMqtt(env.ctx, { worker: true });
      const w = running!.consumer!;
      assert.ok(w instanceof IngestWorker, 'a store on a file (or PostgreSQL) runs the consumer in a worker');
      await w.ready();
      const pub = await connect(MOSQUITTO, { clientId: `${clientId}-pub` });
      const t0 = Date.now() - 600_000;
      // wk-1 over the line for 2 minutes → one alarm; wk-2 normal; one unknown device.
      for (let i = 0; i < 20; i++) pub.publish('cityops/wk-1/telemetry', JSON.stringify({ at: t0 + i * 10_000, waterLevel: 40 + i }), { qos: 1 });
      for (let i = 0; i < 20; i++) pub.publish('cityops/wk-2/telemetry', JSON.stringify({ at: t0 + i * 10_000, waterLevel: 5 }), { qos: 1 });
      pub.publish('cityops/nobody/telemetry', JSON.stringify({ waterLevel: 1 }), { qos: 1 });
      await until('40 stored', async () => (await env.ctx.store.readings.count()) === 40);
      await until('41 acknowledged', () => w.counts.acked >= 41); // at least: a QoS 1 message the broker delivered again is acknowledged again
      assert.equal((w as IngestWorker).ingest?.byReason.unknown_device, 1, 'the worker counted the unknown device');
      assert.equal(sensingIngester(env.ctx).counters.accepted, 0, 'nothing was ingested on the main thread');
      await until('the alarm has its case', async () => ((await env.ctx.store.alarms.latestAlarmOf('wk-1', 'wk-rule'))?.case_id ?? null) !== null);
      const alarm = (await env.ctx.store.alarms.latestAlarmOf('wk-1', 'wk-rule'))!;
      assert.equal(alarm.state, 'raised');
      const c = await env.ctx.store.cases.findCase(alarm.case_id!);
      assert.equal(c?.channel, 'iot');
      assert.equal(await env.ctx.store.alarms.latestAlarmOf('wk-2', 'wk-rule'), undefined);
      // Sent again (a redelivery): a no-op.
      for (let i = 0; i < 5; i++) pub.publish('cityops/wk-1/telemetry', JSON.stringify({ at: t0 + i * 10_000, waterLevel: 40 + i }), { qos: 1 });
      await until('46 acknowledged', () => w.counts.acked === 46);
      assert.equal(await env.ctx.store.readings.count(), 40);
      await pub.endAsync();
    });

    test('a device edited on the main thread is forgotten by the worker: deleted, its readings are refused there', { skip }, async () => {
      const w = running!.consumer as IngestWorker;
      await env.db.deleteFrom('devices').where('id', '=', 'wk-2').execute();
      sensingIngester(env.ctx).forget('wk-2'); // what the device commands do
      const before = w.ingest?.byReason.unknown_device ?? 0;
      const pub = await connect(MOSQUITTO, { clientId: `${clientId}-pub2` });
      pub.publish('cityops/wk-2/telemetry', JSON.stringify({ waterLevel: 6 }), { qos: 1 });
      await until('refused as unknown', () => (w.ingest?.byReason.unknown_device ?? 0) === before + 1);
      await pub.endAsync();
    });
  });
}

/**
 * `cityops simulate sensors --devices N --rate R [--mqtt-url URL] [--batch B] [--register] [--per-device] [--seconds S]`
 * (issue 11 part 8): publishes realistic telemetry of N simulated devices (sim-000000…) at R readings a second in
 * total, QoS 1, to the configured broker — MQTT_URL, or the embedded broker on MQTT_PORT. A few devices misbehave the
 * way real ones do: a waterlogging point whose level rises, an old building that starts to tilt, a smoke detector that
 * sees smoke and heat, a hydrant losing pressure, a crowd area past its capacity, a trapped elevator, a lifted
 * manhole cover, a lone elderly resident's meter that stops moving, a loose shop sign (the eight scenario packs).
 * `--register` registers the devices first (idempotent). The embedded broker wants each device's own
 * credential, so `--per-device` connects every device itself (derived secrets, SIM_SECRET); an external broker takes
 * one connection for all (gateway style). `--batch B` puts B readings of a device in one message.
 */
import { parseArgs } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { loadConfig } from '../config/env.ts';
import { createContext, closeContext } from '../runtime/bootstrap.ts';
import { registerSimulatedDevices, simCapacity, simDeviceId, simSecret, simTypeOf } from '../commands/device-simulated.ts';

export const DEFAULT_SIM_SECRET = 'cityops-demo-simulator';

/**
 * One reading of device i at step `step` (its n-th message); anomalies on a few devices (about 1 in 97), each the way
 * real ones misbehave. Deterministic per (i, step).
 */
export function simulatedValues(i: number, step: number): Record<string, number> {
  const type = simTypeOf(i).id;
  const noise = (k: number) => (Math.sin(i * 12.9898 + step * 78.233 + k) * 43758.5453) % 1;
  const anomalous = i % 97 === 5;
  const r1 = Math.abs(noise(1)), r2 = Math.abs(noise(2));
  const r = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
  switch (type) {
    case 'water_level': return { waterLevel: r(anomalous ? Math.min(120, 3 + step * 0.8) : 2 + r1 * 6, 1), battery: Math.round(90 - (step % 1000) / 100) };
    case 'building_tilt': return { tilt: r(anomalous && step > 20 ? 2.5 + r1 : 0.2 + r1 * 0.3), crack: r(0.3 + r2 * 0.1 + (anomalous ? step * 0.01 : 0)) };
    case 'smoke_detector': return { smoke: Math.round(anomalous && step % 50 > 40 ? 400 + r1 * 600 : r1 * 15), temperature: r(22 + r2 * 4 + (anomalous && step % 50 > 40 ? 30 + (step % 50 - 40) * 5 : 0), 1) };
    case 'hydrant_pressure': return { pressure: r(anomalous && step > 30 ? 0.04 + r1 * 0.03 : 0.3 + r1 * 0.1, 3) };
    case 'crowd_counter': {
      // a daily-looking swell over ~200 messages; an anomalous area overflows past its capacity at the peak
      const capacity = simCapacity(i);
      const wave = 0.35 + 0.3 * Math.sin((step / 200) * 2 * Math.PI) + r1 * 0.05;
      const count = Math.round(capacity * (anomalous ? wave + 0.55 : wave));
      return { count, capacity, load: r((count / capacity) * 100, 1) };
    }
    case 'elevator_monitor': return { trapped: anomalous && step % 120 > 100 ? 1 : 0, fault: anomalous && step % 300 > 200 ? 1 : 0, floor: Math.floor(r1 * 30) };
    case 'manhole_cover': return { tilt: r(anomalous && step > 40 ? 20 + r1 * 30 : r1 * 2, 1), displacement: r(anomalous && step > 40 ? 8 + r2 * 5 : r2 * 0.5, 1) };
    case 'water_meter': {
      // a resident's meter moves a little most hours; an anomalous one (no use) stays put
      const used = anomalous ? 0 : Math.floor(step / 3) * 0.012 + (r1 > 0.6 ? 0.004 : 0);
      return { total: r(100 + (i % 50) + used, 3), flow: anomalous ? 0 : r(r1 > 0.6 ? 2 + r2 * 6 : 0, 1) };
    }
    case 'sign_tilt': return { tilt: r(anomalous && step > 60 ? 6 + r1 * 4 : r1 * 1.5, 1), vibration: r(anomalous ? 20 + r2 * 30 : r2 * 5, 1) };
    default: return {};
  }
}

export interface SimOptions { url: string; devices: number; rate: number; batch: number; seconds: number; perDevice: boolean; secret: string; offset?: number; log?: (m: string) => void }

export async function runSimulator(o: SimOptions): Promise<{ published: number; acked: number; readings: number }> {
  const log = o.log ?? ((m: string) => console.log(m));
  const clients: MqttClient[] = [];
  const connect = (opts: mqtt.IClientOptions) => new Promise<MqttClient>((resolve, reject) => {
    const c = mqtt.connect(o.url, { protocolVersion: 4, reconnectPeriod: 1000, ...opts });
    c.once('connect', () => resolve(c));
    c.once('error', (e) => reject(e));
  });
  if (o.perDevice) {
    for (let i = 0; i < o.devices; i++) {
      const id = simDeviceId(i);
      clients.push(await connect({ clientId: id, username: id, password: simSecret(id, o.secret) }));
    }
  } else clients.push(await connect({ clientId: `cityops-sim-${process.pid}` }));
  log(`simulating ${o.devices} device(s) at ${o.rate} reading(s)/s (${o.batch} per message) on ${o.url}`);
  const counts = { published: 0, acked: 0, readings: 0 };
  const step = new Map<number, number>();
  const start = Date.now();
  const tickMs = 20;
  const periodMs = Math.max(10, Math.round((o.devices / o.rate) * 1000));
  let next = 0;
  let due = 0;
  const end = o.seconds > 0 ? start + o.seconds * 1000 : Infinity;
  let lastLog = start;
  while (Date.now() < end) {
    due += (o.rate / o.batch) * (tickMs / 1000);
    const now = Date.now();
    while (due >= 1) {
      due--;
      const i = next;
      next = (next + 1) % o.devices;
      const s = step.get(i) ?? 0;
      step.set(i, s + o.batch);
      const id = simDeviceId(i + (o.offset ?? 0));
      // a batch holds the device's readings since its last message, one per reading period (devices / rate seconds),
      // never from before this run started (an earlier run's readings of the device may hold those instants)
      const readings = Array.from({ length: o.batch }, (_, k) => ({ at: Math.max(start + k, now - (o.batch - 1 - k) * periodMs - ((s + k) % 7)), values: simulatedValues(i, s + k) }));
      const c = o.perDevice ? clients[i] : clients[0];
      counts.published++;
      counts.readings += o.batch;
      c.publish(`cityops/${id}/telemetry`, JSON.stringify(o.batch === 1 ? readings[0] : readings), { qos: 1 }, (err) => { if (!err) counts.acked++; });
    }
    if (now - lastLog >= 5000) { lastLog = now; log(`  ${counts.readings} readings in ${counts.published} messages, ${counts.acked} acknowledged by the broker`); }
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await new Promise((r) => setTimeout(r, 500));
  await Promise.all(clients.map((c) => c.endAsync()));
  return counts;
}

export async function simulateCommand(argv: string[]): Promise<number> {
  if (argv[0] !== 'sensors') { console.error('usage: cityops simulate sensors --devices N --rate R [--mqtt-url URL] [--batch B] [--seconds S] [--register] [--per-device]'); return 2; }
  const { values } = parseArgs({
    args: argv.slice(1), strict: true,
    options: {
      devices: { type: 'string', default: '1000' }, rate: { type: 'string', default: '100' }, batch: { type: 'string', default: '1' }, seconds: { type: 'string', default: '0' },
      'mqtt-url': { type: 'string' }, register: { type: 'boolean', default: false }, 'per-device': { type: 'boolean', default: false },
    },
  });
  const config = loadConfig();
  const devices = Number(values.devices), rate = Number(values.rate), batch = Number(values.batch), seconds = Number(values.seconds);
  for (const [k, v] of Object.entries({ devices, rate, batch })) if (!Number.isFinite(v) || v < 1) { console.error(`error: --${k} must be a positive number`); return 2; }
  const secret = process.env.SIM_SECRET || DEFAULT_SIM_SECRET;
  const url = values['mqtt-url'] ?? config.mqttUrl ?? `mqtt://${config.mqttHost === '0.0.0.0' ? '127.0.0.1' : config.mqttHost}:${config.mqttPort ?? 1883}`;
  if (values.register) {
    const ctx = await createContext(config);
    const n = await registerSimulatedDevices(ctx, devices, secret);
    console.log(`registered ${n} new simulated device(s) (${devices} in all)`);
    await closeContext(ctx);
  }
  const perDevice = values['per-device'] || (!values['mqtt-url'] && !config.mqttUrl);
  const r = await runSimulator({ url, devices, rate, batch, seconds, perDevice, secret });
  console.log(`done: ${r.readings} readings in ${r.published} messages, ${r.acked} acknowledged`);
  return 0;
}

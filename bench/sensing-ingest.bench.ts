/**
 * Sensing ingestion (issue 11, docs/issue-11/ingestion.md): readings/s sustained from an external Mosquitto into
 * storage with 100,000 registered devices; kill -9 of the server under load (every reading the broker took is stored
 * in the end: nothing acknowledged is lost); case intake throughput while telemetry runs vs quiet.
 *
 * Env: BENCH_SENSING_DEVICES (100000), BENCH_SENSING_RATE (readings/s offered, 60000), BENCH_SENSING_BATCH (readings per
 * message, 10), BENCH_SECONDS (load duration, 20), BENCH_MQTT_URL (use this broker; default: a private Mosquitto with
 * max_inflight_messages 0 and max_queued_messages 0 on a free port — the settings docs/issue-11 recommends),
 * BENCH_DRAIN_STALL_S (15: seconds without progress before the drain gives up), BENCH_INGEST_WORKER (on; `off` runs the consumer on the server's main thread, as before the ingest worker:
 * written to bench/results/sensing-ingest-main-thread.json, for the before/after comparison).
 * BENCH_CAPACITY (on; the server's own rate on a backlog queued at the broker while it was stopped, BENCH_CAPACITY_SECONDS
 * of telemetry, 10), BENCH_KILL (on; `off` skips the kill -9 phase, e.g. for a CPU profile: BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR").
 * Run: node --import tsx bench/sensing-ingest.bench.ts  (writes bench/results/sensing-ingest.json)
 */
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config/env.ts';
import { createContext, closeContext } from '../src/runtime/bootstrap.ts';
import { seedDemo } from '../src/commands/demo-seed.ts';
import { createApiKey } from '../src/commands/apikey-create.ts';
import { registerSimulatedDevices, simDeviceId, simTypeOf } from '../src/commands/device-simulated.ts';
import { createRule } from '../src/commands/rule-save.ts';
import { installAllPacks } from '../src/commands/scenario-pack-install.ts';
import mqtt from 'mqtt';
import { openDatabase } from '../src/storage/db.ts';
import { startServer, type RunningServer } from './lib/server.ts';
import { randomGridPoints } from './lib/points.ts';
import { percentile, progress, writeResult } from './lib/results.ts';

export const SENSING_TARGET = 50_000;
export const ALARM_TO_CASE_TARGET_MS = 1000;
const PROBES = Number(process.env.BENCH_ALARM_PROBES ?? 60);

const freePort = () => new Promise<number>((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); }); });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function privateMosquitto(dir: string): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'max_inflight_messages 0', 'max_queued_messages 0', 'max_queued_bytes 0', 'log_dest none', ''].join('\n'));
  const child = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise<boolean>((r) => { const s = net.connect(port, '127.0.0.1', () => { s.end(); r(true); }); s.on('error', () => r(false)); });
    if (ok) break;
    await sleep(100);
  }
  return { url: `mqtt://127.0.0.1:${port}`, stop: () => { child.kill('SIGTERM'); } };
}

/** The publisher runs in its own process (the simulator), so its CPU is not the server's. */
function publisher(url: string, devices: number, rate: number, batch: number, seconds: number): { child: ChildProcess; done: Promise<{ published: number; acked: number; readings: number }> } {
  const script = fileURLToPath(new URL('./lib/sim-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify({ url, devices, rate, batch, seconds })], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  const done = new Promise<{ published: number; acked: number; readings: number }>((resolve, reject) => child.once('exit', () => {
    try { resolve(JSON.parse(out.trim().split('\n').pop()!)); } catch { reject(new Error(`publisher: ${out}`)); }
  }));
  return { child, done };
}

export async function benchSensingIngest(): Promise<Record<string, unknown>> {
  const devices = Number(process.env.BENCH_SENSING_DEVICES ?? 100_000);
  const rate = Number(process.env.BENCH_SENSING_RATE ?? 60_000);
  const batch = Number(process.env.BENCH_SENSING_BATCH ?? 10);
  const seconds = Number(process.env.BENCH_SECONDS ?? 20);
  const ingestWorker = process.env.BENCH_INGEST_WORKER !== 'off';
  // The drain gives up after this many seconds without a new stored reading (a loaded host restarts slowly).
  const stallSeconds = Number(process.env.BENCH_DRAIN_STALL_S ?? 15);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-sensing-bench-'));
  const broker = process.env.BENCH_MQTT_URL ? { url: process.env.BENCH_MQTT_URL, stop() {} } : await privateMosquitto(dir);
  progress(`sensing ingest: broker ${broker.url}; preparing a store with the demo city and ${devices.toLocaleString()} devices…`);
  const config = loadConfig({ DATA_DIR: dir } as NodeJS.ProcessEnv);
  const ctx = await createContext(config);
  await seedDemo(ctx);
  // the eight scenario packs' rules (water level, tilt, smoke AND heat, …): readings go through rules into storage
  const packRules = (await installAllPacks(ctx, null)).reduce((n, p) => n + p.rules.length, 0);
  const key = (await createApiKey(ctx, { name: 'bench', roles: ['operator'] }, null)).key;
  const t0 = Date.now();
  // Alarm probes: PROBES water-level devices registered beyond the publisher's range (it never sends them normal
  // readings), each sent one reading over the probe rule's line during the telemetry-only window.
  const probeIds: string[] = [];
  let extra = 0;
  while (probeIds.length < PROBES) { if (simTypeOf(devices + extra).id === 'water_level') probeIds.push(simDeviceId(devices + extra)); extra++; }
  await registerSimulatedDevices(ctx, devices + extra, 'bench', { credentials: false });
  const registerMs = Date.now() - t0;
  await createRule(ctx, {
    name: '基准探针：水位超过200厘米', scope: { kind: 'type', id: 'water_level' }, enabled: true,
    condition: { kind: 'threshold', measurement: 'waterLevel', op: '>', value: 200, forSeconds: 0 }, matterCode: '10090', urgency: 'urgent',
  }, null, 'bench-probe');
  const points = await randomGridPoints(openDatabase({ dataDir: dir }).db, 2000);
  await closeContext(ctx);
  const port = await freePort();
  const env = { DATA_DIR: dir, MQTT_URL: broker.url, MQTT_PORT: 'off', MQTT_CLIENT_ID: 'bench-ingest', READING_JOB_INTERVAL_MS: '60000', NOTIFY_INTERVAL_MS: '0', WEBHOOK_INTERVAL_MS: '0', MQTT_INGEST_WORKER: ingestWorker ? 'on' : 'off' };
  let server: RunningServer = await startServer(env, port);
  const raw = openDatabase({ dataDir: dir });
  const stored = async () => Number((await raw.db.selectFrom('readings').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
  const count = async () => Number((await raw.db.selectFrom('readings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  const intake = async (duration: number) => {
    let i = 0;
    const r = await autocannon({
      url: `${server.url}/api/v1/cases`, method: 'POST', connections: 8, duration,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      setupClient: (client: { setBody(b: string): void }) => { void client; },
      requests: [{ setupRequest: (req: Record<string, unknown>) => { const p = points[i++ % points.length]; return { ...req, body: JSON.stringify({ channel: 'hotline', matterCode: '06012', description: '基准测试：路面垃圾', location: { lon: p[0], lat: p[1] } }) }; } }],
    } as never) as unknown as { requests: { average: number }; latency: { p99: number }; non2xx: number };
    return { casesPerSecond: Math.round(r.requests.average), p99Ms: r.latency.p99, non2xx: r.non2xx };
  };

  // 1. case intake, quiet
  progress('case intake, quiet…');
  const quiet = await intake(Math.max(5, Math.round(seconds / 2)));
  progress(`case intake quiet: ${JSON.stringify(quiet)} (load average ${os.loadavg().join(' ')})`);

  // 2. sustained ingestion: `seconds` of telemetry alone (the sustained rate; alarm probes), then `seconds` more with case
  // intake running beside it (both rates reported).
  progress(`telemetry: offering ${rate.toLocaleString()} readings/s (${batch} per message) for ${seconds} s alone, then ${seconds} s beside case intake…`);
  const pub = publisher(broker.url, devices, rate, batch, 2 * seconds);
  await sleep(3000); // warm-up: device cache fill, first batches
  const window = async (ms: number, during?: () => Promise<void>) => {
    const perSecond: number[] = [];
    const s0 = await stored(), tA = Date.now();
    let prev = s0, tPrev = tA;
    const side = during?.();
    while (Date.now() - tA < ms) {
      await sleep(1000);
      const s = await stored(), t = Date.now();
      perSecond.push(Math.round(((s - prev) * 1000) / (t - tPrev)));
      prev = s; tPrev = t;
    }
    await side;
    return { readingsPerSecond: Math.round(((prev - s0) * 1000) / (tPrev - tA)), perSecond };
  };
  const probe = await alarmProbes(broker.url, raw, probeIds, (seconds - 5) * 1000);
  const alone = await window((seconds - 5) * 1000, () => probe.run());
  const probes = probe.result();
  progress(`telemetry alone: ${alone.readingsPerSecond.toLocaleString()} readings/s stored (per second ${alone.perSecond.join(' ')}); alarm → case p50 ${probes.p50Ms} ms, p99 ${probes.p99Ms} ms, max ${probes.maxMs} ms (${probes.filed}/${probes.sent} filed; load average ${os.loadavg().join(' ')})`);
  await sleep(4000); // into the publisher's second `seconds`
  let during: Awaited<ReturnType<typeof intake>> | undefined;
  const beside = await window((seconds - 6) * 1000, async () => { during = await intake(Math.max(5, seconds - 6)); });
  progress(`case intake while telemetry: ${JSON.stringify(during)}; telemetry beside it ${beside.readingsPerSecond.toLocaleString()} readings/s (per second ${beside.perSecond.join(' ')}; load average ${os.loadavg().join(' ')})`);
  const sent = await pub.done;
  // Drain: everything the broker took ends up stored (waits until the count reaches it, or stalls for 15 s).
  const drain = async (want: number) => {
    let last = -1, still = 0;
    for (;;) {
      const n = await count();
      if (n >= want) return n;
      still = n === last ? still + 1 : 0;
      if (still >= stallSeconds) return n;
      last = n;
      await sleep(1000);
    }
  };
  const drainStart = Date.now();
  await drain(sent.acked * batch);
  const drainMs = Date.now() - drainStart;
  const sustained = alone.readingsPerSecond;
  const storedAfterLoad = await count();
  const alarms = await raw.db.selectFrom('alarms').select(['review']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('review').execute();
  const alarmsRaised = Object.fromEntries(alarms.map((a) => [a.review, Number(a.n)]));
  progress(`sustained ${sustained.toLocaleString()} readings/s stored; offered ${sent.readings.toLocaleString()}, broker acknowledged ${(sent.acked * batch).toLocaleString()}, stored ${storedAfterLoad.toLocaleString()}; alarms by review ${JSON.stringify(alarmsRaised)}`);

  // 2b. capacity: the server is stopped while the publisher fills the broker's queue of its session, then started; the
  // rate from its first stored reading to its last is the server's own (no publisher sharing the two cores with it).
  let capacity: Record<string, number> | null = null;
  if (process.env.BENCH_CAPACITY !== 'off') {
    const backlogSeconds = Number(process.env.BENCH_CAPACITY_SECONDS ?? 10);
    progress(`capacity: server stopped; the broker queues ${backlogSeconds} s of telemetry…`);
    await server.stop();
    const b0 = await stored();
    const sentB = await publisher(broker.url, devices, rate, batch, backlogSeconds).done;
    const want = b0 + sentB.acked * batch; // ids: SQLite numbers stored rows without gaps here (no duplicates queued)
    server = await startServer(env, port);
    let tFirst = 0, first = 0, tLast = 0, last = b0, still = 0;
    const startedAt = Date.now();
    for (;;) {
      const n = await stored(), t = Date.now();
      if (n > b0 && !tFirst) { tFirst = t; first = n; }
      if (n > last) { last = n; tLast = t; still = 0; } else still++;
      if (n >= want || still * 100 >= stallSeconds * 1000) break;
      await sleep(100);
    }
    const readingsPerSecond = tLast > tFirst ? Math.round(((last - first) * 1000) / (tLast - tFirst)) : 0;
    capacity = { queued: sentB.acked * batch, stored: last - b0, readingsPerSecond, firstStoredAfterStartMs: tFirst - startedAt, drainMs: tLast - tFirst };
    progress(`capacity: ${capacity.queued.toLocaleString()} readings queued at the broker; stored at ${readingsPerSecond.toLocaleString()} readings/s (from the first stored reading to the last, ${capacity.drainMs} ms; load average ${os.loadavg().join(' ')})`);
  }

  // 3. kill -9 under load, restart, count (BENCH_KILL=off skips it: a profile, --cpu-prof, is written only by a server that exits)
  let kill9: Record<string, number> | null = null;
  if (process.env.BENCH_KILL !== 'off') {
    progress('kill -9 under load…');
    const before = await count();
    const pub2 = publisher(broker.url, devices, Math.round(rate / 2), batch, 12);
    await sleep(5000);
    process.kill(server.pid, 'SIGKILL');
    const killedAt = await count();
    await sleep(3000);
    server = await startServer(env, port);
    const sent2 = await pub2.done;
    const after = await drain(before + sent2.acked * batch);
    const expected = sent2.acked * batch; // readings the broker accepted from the publisher (its PUBACKs)
    const lost = Math.max(0, expected - (after - before));
    progress(`kill -9: broker accepted ${expected.toLocaleString()} readings; stored ${(after - before).toLocaleString()} (${(killedAt - before).toLocaleString()} before the kill); lost ${lost}`);
    kill9 = { brokerAccepted: expected, storedAfterRestart: after - before, storedBeforeKill: killedAt - before, lost };
  }

  await server.stop();
  raw.close().catch(() => undefined);
  broker.stop();
  const result = {
    scenario: 'sensing ingest from Mosquitto through rules into SQLite', ingestWorker, devices, registerMs, packRules, offeredReadingsPerSecond: rate, readingsPerMessage: batch, seconds,
    sustainedReadingsPerSecond: sustained, perSecond: alone.perSecond, alarmToCase: probes,
    besideCaseIntake: beside, alarmsByReview: alarmsRaised, storedAfterLoad, drainMs, offered: sent, loadAverage: os.loadavg(),
    capacity, kill9,
    caseIntake: { quiet, whileTelemetry: during ?? null },
    target: { readingsPerSecond: SENSING_TARGET, alarmToCaseP99Ms: ALARM_TO_CASE_TARGET_MS },
    pass: sustained >= SENSING_TARGET && kill9?.lost === 0 && probes.filed === probes.sent && (probes.p99Ms ?? Infinity) < ALARM_TO_CASE_TARGET_MS,
  };
  writeResult(ingestWorker ? 'sensing-ingest' : 'sensing-ingest-main-thread', result);
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

/**
 * Alarm → case under load: one reading over the probe rule's line per probe device, spread over `spanMs`, published
 * QoS 1 on a connection of its own; the latency is from the publish to the moment the alarm's case id is readable
 * in the store (the case is committed, so the queue lists it), polled every 20 ms. A probe not filed within 10 s
 * counts as not filed.
 */
async function alarmProbes(url: string, raw: ReturnType<typeof openDatabase>, ids: string[], spanMs: number) {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: `bench-probe-${process.pid}` });
  const sentAt = new Map<string, number>();
  const latency = new Map<string, number>();
  return {
    async run() {
      const gap = spanMs / ids.length;
      const poll = setInterval(() => {
        const waiting = ids.filter((d) => sentAt.has(d) && !latency.has(d));
        if (!waiting.length) return;
        const now = Date.now();
        void raw.db.selectFrom('alarms').select(['device_id']).where('device_id', 'in', waiting).where('case_id', 'is not', null).execute()
          .then((rows) => { for (const r of rows) if (!latency.has(r.device_id)) latency.set(r.device_id, now - sentAt.get(r.device_id)!); }, () => undefined);
      }, 20);
      for (const id of ids) {
        sentAt.set(id, Date.now());
        client.publish(`cityops/${id}/telemetry`, JSON.stringify({ at: Date.now(), values: { waterLevel: 250, battery: 80 } }), { qos: 1 });
        await sleep(gap);
      }
      const until = Date.now() + 10_000;
      while (latency.size < ids.length && Date.now() < until) await sleep(50);
      clearInterval(poll);
      await client.endAsync();
    },
    result() {
      const v = [...latency.values()];
      const q = (p: number) => (v.length ? percentile(v, p) : null);
      return { sent: ids.length, filed: v.length, p50Ms: q(50), p99Ms: q(99), maxMs: q(100) };
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const r = await benchSensingIngest();
  console.log(JSON.stringify(r, null, 2));
  process.exit(0);
}

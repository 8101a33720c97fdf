/**
 * Emergencies that ring (issue 9, Performance): an emergency reaches every connected console of its region —
 * 1,000 open live streams (SSE) — in p99 < 1 s.
 *
 * A fresh demo city (its own data dir, SQLite) is served by `cityops serve` in a child process with the alerting job
 * every NOTIFY_INTERVAL_MS (default 250 ms). BENCH_STREAMS streams (default 1,000, each its own socket, API keys of
 * dispatchers covering the city) listen; then BENCH_EMERGENCIES 非常紧急 cases (default 10, one every 1.5 s) are
 * reported. For every stream and every alert we record when its `emergency.raised` arrived:
 *  - raise → console: from the alert's own timestamp (`at`, the server's clock at the raise) to arrival — the
 *    fan-out to the consoles, the figure the target is about;
 *  - report → console: from sending the report to arrival — adds the case's creation and the job's polling interval.
 * Usage: node --import tsx bench/emergency-ring.bench.ts   (or npm run bench with BENCH_ONLY=emergency)
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/env.ts';
import { createContext, closeContext } from '../src/runtime/bootstrap.ts';
import { seedDemo } from '../src/commands/demo-seed.ts';
import { createApiKey } from '../src/commands/apikey-create.ts';
import { pointOnSurface } from '../src/domain/grid/index.ts';
import { startServer } from './lib/server.ts';
import { progress, writeResult } from './lib/results.ts';

export const RING_TARGET = { p99Ms: 1000 };

interface Stream { received: Map<number, number>; close(): void }

function openStream(url: string, key: string, onEvent: (alertId: number, atMs: number) => void): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const received = new Map<number, number>();
    const req = http.get(`${url}/api/v1/events`, { agent: false, headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) { reject(new Error(`stream: HTTP ${res.statusCode}`)); return; }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (!block.includes('event: emergency.raised')) continue;
          const now = Date.now();
          const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]) as { alertId: number; at: string };
          received.set(data.alertId, now);
          onEvent(data.alertId, Date.parse(data.at));
        }
      });
      resolve({ received, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};

export async function benchEmergencyRing(streams = Number(process.env.BENCH_STREAMS ?? 1000), emergencies = Number(process.env.BENCH_EMERGENCIES ?? 10)) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-bench-ring-'));
  const env = { DATA_DIR: dataDir, NOTIFY_INTERVAL_MS: process.env.NOTIFY_INTERVAL_MS ?? '250' };
  progress(`emergency ring: seeding the demo city into ${dataDir}…`);
  const ctx = await createContext(loadConfig(env as NodeJS.ProcessEnv));
  await seedDemo(ctx);
  const root = [...ctx.ref.current().regions.values()].find((r) => r.parentId === null)!.id;
  // A handful of keys (the streams share them): dispatchers of the whole city, and one operator who reports.
  const keys = await Promise.all(Array.from({ length: 10 }, (_, i) => createApiKey(ctx, { name: `ring-${i}`, roles: ['dispatcher'], regionIds: [root] }, null)));
  const reporter = await createApiKey(ctx, { name: 'ring-reporter', roles: ['operator'], regionIds: [root] }, null);
  const grid = [...ctx.ref.current().grids.values()][0];
  const g = await ctx.store.reference.loadReferenceRows();
  const point = pointOnSurface(JSON.parse(g.grids.find((x) => x.id === grid.id)!.geometry)) as [number, number];
  await closeContext(ctx);

  const server = await startServer(env, 18290);
  const latencies: number[] = [];
  const endToEnd: number[] = [];
  const reportedAt = new Map<number, number>();
  const open: Stream[] = [];
  try {
    progress(`emergency ring: opening ${streams.toLocaleString()} live streams…`);
    for (let i = 0; i < streams; i += 50) {
      open.push(...await Promise.all(Array.from({ length: Math.min(50, streams - i) }, (_, j) => openStream(server.url, keys[(i + j) % keys.length].key, (alertId, at) => {
        latencies.push(Date.now() - at);
        const r = reportedAt.get(alertId);
        if (r !== undefined) endToEnd.push(Date.now() - r);
      }))));
    }
    await new Promise((r) => setTimeout(r, 1000));
    for (let k = 0; k < emergencies; k++) {
      // Alert ids are 1, 2, … in a fresh store, in report order (only these cases ring).
      reportedAt.set(k + 1, Date.now());
      const res = await fetch(`${server.url}/api/v1/cases`, {
        method: 'POST', headers: { authorization: `Bearer ${reporter.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'patrol', matterCode: '06010', urgency: 'very_urgent', description: `基准测试紧急事件 ${k + 1}`, location: { lon: point[0], lat: point[1] } }),
      });
      if (res.status !== 201) throw new Error(`report: HTTP ${res.status} ${await res.text()}`);
      await res.body?.cancel();
      await new Promise((r) => setTimeout(r, 1500));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const missing = open.reduce((n, s) => n + Math.max(0, emergencies - s.received.size), 0);
    const result = {
      streams, emergencies, notifyIntervalMs: Number(env.NOTIFY_INTERVAL_MS), deliveries: latencies.length, missing,
      raiseToConsoleMs: { p50: pct(latencies, 0.5), p95: pct(latencies, 0.95), p99: pct(latencies, 0.99), max: pct(latencies, 1) },
      reportToConsoleMs: { p50: pct(endToEnd, 0.5), p99: pct(endToEnd, 0.99), max: pct(endToEnd, 1) },
      target: RING_TARGET,
      pass: missing === 0 && pct(latencies, 0.99) < RING_TARGET.p99Ms,
    };
    progress(`emergency ring: ${result.deliveries.toLocaleString()} deliveries, ${missing} missing; raise → console p99 ${result.raiseToConsoleMs.p99} ms`);
    writeResult('emergency-ring', result);
    return result;
  } finally {
    open.forEach((s) => s.close());
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchEmergencyRing();

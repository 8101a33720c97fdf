/**
 * The hotspot map alone (issue 10 part 5, target < 300 ms for the whole city over 90 days): reuses the store of
 * bench/recurrence.bench.ts (/tmp/cityops-bench-decide-N; built here — bulk load + one full rebuild — when missing),
 * skips the rebuild when the store has one, and measures only the map queries through app.inject, 3 warm-ups and
 * 20 timed runs each, with the load average beside the numbers. For before/after comparisons run back to back.
 * Usage: node --import tsx bench/hotspot-map.bench.ts [cases] (default 1,000,000)
 */
import fs from 'node:fs';
import os from 'node:os';
import { loadConfig } from '../src/config/env.ts';
import { createContext } from '../src/runtime/bootstrap.ts';
import { buildApp } from '../src/http/app.ts';
import { seedDemo } from '../src/commands/demo-seed.ts';
import { createApiKey } from '../src/commands/apikey-create.ts';
import { rebuildDecisionSupport } from '../src/commands/recurrence-rebuild.ts';
import { bulkLoad } from './recurrence.bench.ts';
import { closeBenchContext } from './lib/raw.ts';
import { progress, percentile } from './lib/results.ts';

const DAY = 86_400_000;
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

const n = Number(process.argv[2] ?? 1_000_000);
const dataDir = `/tmp/cityops-bench-decide-${n}`;
const marker = `${dataDir}/bench-decide.json`;
const fresh = !fs.existsSync(marker);
if (fresh) fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });
const config = loadConfig({ DATA_DIR: dataDir, SWEEP_INTERVAL_MS: '0', NOTIFY_INTERVAL_MS: '0', WEBHOOK_INTERVAL_MS: '0', LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv);
const ctx = await createContext(config);
const now = Date.UTC(2026, 10, 25, 2);
const meta = fresh ? { n, loadMs: 0, rebuilt: false } : JSON.parse(fs.readFileSync(marker, 'utf8')) as { n: number; loadMs: number; rebuilt?: boolean };
if (fresh) {
  await seedDemo(ctx);
  await ctx.ref.load();
  meta.loadMs = await bulkLoad(ctx, n, now, 0);
  fs.writeFileSync(marker, JSON.stringify(meta));
}
if (!meta.rebuilt) {
  const rb = await rebuildDecisionSupport(ctx, { say: progress });
  progress(`rebuild: ${rb.cases.toLocaleString()} cases in ${(rb.ms / 1000).toFixed(1)} s`);
  fs.writeFileSync(marker, JSON.stringify({ ...meta, rebuilt: true }));
}
const key = await createApiKey(ctx, { name: `bench-map-${Date.now()}`, roles: ['centre_leader'] }, null);
const app = await buildApp(ctx);
await app.ready();
const to = new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
const from = new Date(now - 89 * DAY + 8 * 3600_000).toISOString().slice(0, 10);
const queries: Record<string, string> = {
  'grid layer, whole city, 90 days': `/api/v1/decide/hotspots?from=${from}&to=${to}`,
  'H3 res 7, whole city, 90 days': `/api/v1/decide/hotspots?from=${from}&to=${to}&layer=h3&resolution=7`,
  'H3 res 9, whole city, 90 days': `/api/v1/decide/hotspots?from=${from}&to=${to}&layer=h3&resolution=9`,
};
const out: Record<string, unknown> = { storedCases: n, loadBefore: load() };
for (const [name, url] of Object.entries(queries)) {
  const xs: number[] = [];
  let body = '';
  for (let i = 0; i < 23; i++) {
    const t0 = performance.now();
    const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key.key}` } });
    if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 300)}`);
    if (i >= 3) xs.push(performance.now() - t0);
    body = r.body;
  }
  const b = JSON.parse(body) as { total: number; features: unknown[] };
  out[name] = { medianMs: percentile(xs, 50), p95Ms: percentile(xs, 95), total: b.total, features: b.features.length };
  progress(`${name}: median ${percentile(xs, 50)} ms, p95 ${percentile(xs, 95)} ms (${b.features.length} features, ${b.total} reports) — load ${load()}`);
}
out.loadAfter = load();
await app.close();
await closeBenchContext(ctx);
console.log(JSON.stringify(out, null, 2));
process.exit(0);

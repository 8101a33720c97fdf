/**
 * Field resources under load (issue 9 §4): 10,000 positions a second ingested over HTTP (vehicle systems posting
 * batches of 500 with an API key, each vehicle moving a few metres between fixes), while cases are created at a
 * steady rate and a dispatcher asks for the nearest people to random points, with 5,000 people on duty.
 * Server in its own process (as the other scenarios); load from this one (autocannon).
 *
 * The 5,000 people are put on duty in the store before the server starts (signing 5,000 people in over HTTP would
 * measure password hashing); their fixes are in the same spatial index as the vehicles', which move all the time.
 *
 * Env: BENCH_SECONDS (default 20), BENCH_FIELD_CASES (stored cases, default 10,000), BENCH_FIELD_RATE (fixes/s,
 * default 10,000), BENCH_FIELD_CASE_RATE (cases/s, default 100), BENCH_FIELD_PEOPLE (default 5,000),
 * BENCH_FIELD_QUERY_RATE (nearest queries/s, default 50).
 * Usage: node --import tsx bench/field-resources.bench.ts
 */
import autocannon from 'autocannon';
import { raw, closeBenchContext } from './lib/raw.ts';
import { prepareStore } from './lib/store.ts';
import { loadConfig } from '../src/config/env.ts';
import { createContext } from '../src/runtime/bootstrap.ts';
import { createApiKey } from '../src/commands/apikey-create.ts';
import { startServer } from './lib/server.ts';
import { progress, writeResult } from './lib/results.ts';

const BATCH = 500;
export const FIELD_TARGET = { fixesPerSecond: 10_000, nearestP99Ms: 20 };

export async function benchFieldResources(opts: { seconds: number; cases: number; rate: number; caseRate: number; people: number; queryRate: number }) {
  const store = await prepareStore('sqlite', opts.cases, progress);
  const ctx = await createContext(loadConfig(store.env as NodeJS.ProcessEnv));
  const db = raw(ctx).db;
  const now = Date.now();
  const ref = ctx.ref.current();
  const cityId = [...ref.regions.values()].find((r) => r.parentId === null)!.id;
  const unitId = [...ref.units.keys()][0];
  // A fresh field picture every run: the people on duty now, no vehicles, no tracks.
  await db.deleteFrom('field_track').execute();
  await db.deleteFrom('field_latest').execute();
  await db.deleteFrom('field_duty').execute();
  await db.deleteFrom('users').where('username', 'like', 'bench-field-%').execute();
  progress(`putting ${opts.people.toLocaleString()} people on duty…`);
  const kinds = ['inspector', 'grid_member', 'unit_handler'] as const;
  for (let i = 0; i < opts.people; i += 500) {
    const n = Math.min(500, opts.people - i);
    const users = Array.from({ length: n }, (_, k) => {
      const j = i + k;
      return { id: `bench-field-${j}`, username: `bench-field-${j}`, display_name: `外勤${j}`, password_hash: 'x', roles: JSON.stringify([kinds[j % 3]]),
        unit_ids: '[]', region_ids: JSON.stringify([cityId]), active: 1, created_at: now };
    });
    await db.insertInto('users').values(users).execute();
    await db.insertInto('field_duty').values(users.map((u, k) => ({ user_id: u.id, kind: kinds[(i + k) % 3], unit_id: null, region_id: cityId, started_at: now, ended_at: null }))).execute();
    await db.insertInto('field_latest').values(users.map((u, k) => {
      const p = store.points[(i + k) * 7 % store.points.length];
      const loc = ctx.ref.locate(p[0], p[1]);
      return { resource_id: `user:${u.id}`, kind: kinds[(i + k) % 3], user_id: u.id, unit_id: null, label: u.display_name, on_duty: 1, duty_since: now,
        lon: p[0] + ((k % 10) - 5) * 1e-4, lat: p[1] + ((k % 7) - 3) * 1e-4, at: now, grid_id: loc?.gridId ?? null, community_id: loc?.communityId ?? null,
        street_id: loc?.streetId ?? null, district_id: loc?.districtId ?? null, updated_at: now };
    })).execute();
  }
  const vehicleKey = await createApiKey(ctx, { name: 'bench vehicles', roles: ['unit_handler'], unitIds: [unitId] }, null);
  await closeBenchContext(ctx);

  const server = await startServer(store.env, 18530);
  const vehicles = opts.rate; // each vehicle reports about once a second
  const base = store.points.map(([lon, lat]) => [lon, lat]);
  let seq = 0;
  let accepted = 0;
  let rejected = 0;
  const positions = (duration: number) => autocannon({
    url: server.url, connections: 4, duration, overallRate: opts.rate / BATCH,
    requests: [{
      method: 'POST', path: '/api/v1/resources/positions',
      headers: { authorization: `Bearer ${vehicleKey.key}`, 'content-type': 'application/json' },
      setupRequest: (req: Record<string, unknown>) => {
        const t = Date.now();
        const items = Array.from({ length: BATCH }, () => {
          const v = seq++ % vehicles;
          const round = Math.floor(seq / vehicles);
          const [lon, lat] = base[v % base.length];
          // a few metres further along each round: well under any speed limit
          return { vehicleId: `V${v}`, lon: lon + (v % 13) * 1e-4 + round * 3e-5, lat: lat + (v % 11) * 1e-4, at: t };
        });
        return { ...req, body: JSON.stringify({ items }) };
      },
      onResponse: (status: number, body: string) => {
        if (status !== 200) { rejected += BATCH; return; }
        const r = JSON.parse(body) as { accepted: number; rejected: unknown[] };
        accepted += r.accepted;
        rejected += r.rejected.length;
      },
    }],
  });
  let ci = 0;
  const cases = (duration: number) => autocannon({
    url: server.url, connections: 4, duration, overallRate: opts.caseRate,
    requests: [{
      method: 'POST', path: '/api/v1/cases',
      headers: { authorization: `Bearer ${store.apiKey}`, 'content-type': 'application/json' },
      setupRequest: (req: Record<string, unknown>) => {
        const p = store.points[ci++ % store.points.length];
        return { ...req, body: JSON.stringify({ channel: 'hotline', matterCode: '06010', description: '基准测试：外勤力量', location: { lon: p[0], lat: p[1] } }) };
      },
    }],
  });
  let qi = 0;
  let serverMs: number[] = [];
  const nearest = (duration: number) => autocannon({
    url: server.url, connections: 2, duration, overallRate: opts.queryRate,
    requests: [{
      method: 'GET', headers: { authorization: `Bearer ${store.apiKey}` },
      setupRequest: (req: Record<string, unknown>) => {
        const p = store.points[(qi++ * 31) % store.points.length];
        return { ...req, path: `/api/v1/resources/nearest?lon=${p[0] + 2e-4}&lat=${p[1] - 1e-4}&limit=10` };
      },
      onResponse: (_status: number, _body: string, _ctx: unknown, headers: Record<string, string>) => {
        const m = /dur=([\d.]+)/.exec(String(headers?.['server-timing'] ?? ''));
        if (m) serverMs.push(Number(m[1]));
      },
    }],
  });
  progress('warm-up 3 s…');
  await Promise.all([positions(3), cases(3), nearest(3)]);
  accepted = 0;
  rejected = 0;
  serverMs = [];
  progress(`measuring ${opts.seconds} s: ${opts.rate.toLocaleString()} fixes/s in batches of ${BATCH}, ${opts.caseRate} cases/s, ${opts.queryRate} nearest queries/s, ${opts.people.toLocaleString()} people on duty…`);
  const [p, c, q] = await Promise.all([positions(opts.seconds), cases(opts.seconds), nearest(opts.seconds)]);
  const rss = server.rssMb();
  await server.stop();
  const lat = (r: { latency: { p50: number; p90: number; p99: number; max: number } }) => ({ p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max });
  const fixesPerSecond = Math.round(accepted / opts.seconds);
  const sorted = [...serverMs].sort((a, b) => a - b);
  const pct = (f: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] : NaN);
  const result = {
    seconds: opts.seconds, storedCases: opts.cases, peopleOnDuty: opts.people, vehicles,
    positions: { offeredPerSecond: opts.rate, batch: BATCH, fixesPerSecond, accepted, rejected, requestLatencyMs: lat(p), non2xx: p.non2xx, errors: p.errors },
    cases: { offeredPerSecond: opts.caseRate, casesPerSecond: Math.round(c.requests.average), latencyMs: lat(c), non2xx: c.non2xx, errors: c.errors },
    nearest: {
      offeredPerSecond: opts.queryRate, queriesPerSecond: Math.round(q.requests.average), latencyMs: lat(q), non2xx: q.non2xx, errors: q.errors,
      // the query itself inside the server (Server-Timing), apart from queueing behind ingest batches and the HTTP round trip
      queryMs: { samples: sorted.length, p50: pct(0.5), p90: pct(0.9), p99: pct(0.99), max: sorted[sorted.length - 1] ?? NaN },
    },
    serverRssMb: Math.round(rss),
    target: FIELD_TARGET,
    // the target is read on the query's own time; the HTTP latency under the ingest load is reported beside it
    pass: fixesPerSecond >= FIELD_TARGET.fixesPerSecond * 0.98 && pct(0.99) < FIELD_TARGET.nearestP99Ms && q.non2xx === 0 && c.non2xx === 0,
  };
  const file = writeResult('field-resources', result);
  progress(`fixes ${fixesPerSecond.toLocaleString()}/s (p99 ${p.latency.p99} ms per batch), cases ${result.cases.casesPerSecond}/s (p99 ${c.latency.p99} ms), `
    + `nearest query p99 ${pct(0.99)} ms in the server, ${q.latency.p99} ms over HTTP → ${file}`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const env = process.env;
  await benchFieldResources({
    seconds: Number(env.BENCH_SECONDS ?? 20), cases: Number(env.BENCH_FIELD_CASES ?? 10_000), rate: Number(env.BENCH_FIELD_RATE ?? 10_000),
    caseRate: Number(env.BENCH_FIELD_CASE_RATE ?? 100), people: Number(env.BENCH_FIELD_PEOPLE ?? 5_000), queryRate: Number(env.BENCH_FIELD_QUERY_RATE ?? 50),
  });
}

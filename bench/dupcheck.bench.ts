/**
 * Duplicate-check cost as the store grows (issue 3, Performance: "stays flat, indexed by cell and time").
 *
 *  1. The candidate lookup itself, timed straight against the store at several sizes (default 10 k, 100 k, 1 M):
 *     SQLite runs the statement of `candidates()` in case-create.repository.ts once per case (inside the write
 *     batch); PostgreSQL runs the query of `planDuplicates` once per group-committed batch (timed for batches of
 *     64 reports, per case = batch ÷ 64) and `findDuplicateCandidates` for a case written alone. The stores grow
 *     the way a city's does: the same report rate (the 1 M store's, ~2,740 a day), a longer history — so the
 *     check's 72 h window holds about the same number of cases whatever the size, and only the history grows.
 *     Probes: random points inside the grids, the common matters, "now" = the newest bulk-loaded case.
 *  2. Open311 POST throughput over HTTP on the largest store with the check on (the default) and off (the settings
 *     row `duplicate_policy` = {"enabled": false}; restored afterwards).
 * Usage: node --import tsx bench/dupcheck.bench.ts [sqlite,postgres] [10000,100000,1000000] [seconds] [connections]
 */
import { raw, closeBenchContext } from './lib/raw.ts';
import { prepareStore, type BenchStore } from './lib/store.ts';
import { randomGridPoints } from './lib/points.ts';
import { loadConfig } from '../src/config/env.ts';
import { createContext } from '../src/runtime/bootstrap.ts';
import type { AppContext } from '../src/runtime/context.ts';
import { DEFAULT_DUPLICATE_POLICY, dupCell, neighbourCells, radiusBox } from '../src/domain/duplicates/duplicates.ts';
import { sqliteCandidateSql } from '../src/storage/new-case/sqlite.ts';
import { findBatchCandidates } from '../src/storage/new-case/postgres.ts';
import { DUPLICATE_POLICY_KEY } from '../src/storage/repositories/duplicate.repository.ts';
import { startServer } from './lib/server.ts';
import { progress, writeResult } from './lib/results.ts';
import { COMMON_CODES, linkedSince, postLoad, serviceCodes } from './open311.bench.ts';

type Kind = 'sqlite' | 'postgres';
/** The report rate of the 1 M store (a year of history): smaller stores are shorter histories at the same rate. */
const CASES_PER_YEAR = 1_000_000;
const PROBES = 3000;
const WARMUP = 300;
const PG_BATCH = 64;
/**
 * Flat: the largest store's lookup may cost at most this many times the smallest's, compared by the median (the
 * mean is kept too, but one scheduling hiccup on a shared machine moves it more than the store size does).
 */
export const FLAT_FACTOR = 2;

interface Probe { matterCodes: string[]; cells: string[]; since: number; bbox: { minLon: number; maxLon: number; minLat: number; maxLat: number } }

const stats = (us: number[]) => {
  const s = [...us].sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 10) / 10;
  return { meanUs: Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 10) / 10, p50Us: q(0.5), p99Us: q(0.99) };
};

async function probesFor(ctx: AppContext, store: BenchStore): Promise<Probe[]> {
  const points = await randomGridPoints(raw(ctx).db, PROBES + WARMUP, 4242);
  const since = store.seededAt - DEFAULT_DUPLICATE_POLICY.windowHours * 3600_000;
  return points.map(([lon, lat], i) => ({
    matterCodes: [COMMON_CODES[i % COMMON_CODES.length]], cells: neighbourCells(dupCell(lon, lat)), since,
    bbox: radiusBox(lon, lat, DEFAULT_DUPLICATE_POLICY.radiusMeters),
  }));
}

/** SQLite: the statement of candidates() (case-create.repository.ts), one per case. */
function sqliteLookups(ctx: AppContext, probes: Probe[]) {
  const db = raw(ctx).sqlite!;
  const text = (p: Probe) => sqliteCandidateSql(p.matterCodes.length, p.cells.length);
  const stmt = db.prepare(text(probes[0]));
  const args = (p: Probe) => { const b = p.bbox; return [...p.matterCodes, ...p.cells, p.since, b.minLon, b.maxLon, b.minLat, b.maxLat]; };
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${text(probes[0])}`).all(...args(probes[0])) as { detail: string }[]).map((r) => r.detail);
  const us: number[] = [];
  let rows = 0;
  probes.forEach((p, i) => {
    const t = performance.now();
    const n = stmt.all(...args(p)).length;
    const dt = (performance.now() - t) * 1000;
    if (i >= WARMUP) { us.push(dt); rows += n; }
  });
  return { perCase: { ...stats(us), candidatesPerCase: Math.round((rows / us.length) * 100) / 100 }, plan };
}

/** PostgreSQL: planDuplicates' one query per batch (per case = batch ÷ size), and findDuplicateCandidates for one case. */
async function postgresLookups(ctx: AppContext, probes: Probe[]) {
  const batchQuery = (ps: Probe[]) => ({ execute: () => findBatchCandidates(raw(ctx).db, ps) });
  const single: number[] = [];
  let singleRows = 0;
  for (let i = 0; i < probes.length; i++) {
    const t = performance.now();
    const n = (await ctx.store.duplicates.findDuplicateCandidates(probes[i])).length;
    const dt = (performance.now() - t) * 1000;
    if (i >= WARMUP) { single.push(dt); singleRows += n; }
  }
  const perCaseInBatch: number[] = [];
  let batchRows = 0;
  for (let i = 0; i + PG_BATCH <= probes.length; i += PG_BATCH) {
    const ps = probes.slice(i, i + PG_BATCH);
    const t = performance.now();
    const n = (await batchQuery(ps).execute()).length;
    const dt = (performance.now() - t) * 1000;
    if (i >= WARMUP) { perCaseInBatch.push(dt / PG_BATCH); batchRows += n; }
  }
  const plan = ((await findBatchCandidates(raw(ctx).db, probes.slice(0, PG_BATCH), true)) as unknown as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']);
  return {
    perCase: { ...stats(perCaseInBatch), candidatesPerBatch: Math.round((batchRows / perCaseInBatch.length) * 10) / 10, batchSize: PG_BATCH },
    alone: { ...stats(single), candidatesPerCase: Math.round((singleRows / single.length) * 100) / 100 },
    plan,
  };
}

/** Open311 POST over HTTP with the policy as it is, then with {"enabled": false}; the row is restored after. */
async function httpOnOff(kind: Kind, store: BenchStore, ctx: AppContext, seconds: number, connections: number) {
  const points = await randomGridPoints(raw(ctx).db, 50_000);
  const original = await ctx.store.settings.read(DUPLICATE_POLICY_KEY);
  const out: Record<string, unknown> = {};
  try {
    for (const mode of ['on', 'off'] as const) {
      if (mode === 'off') await ctx.store.settings.write(DUPLICATE_POLICY_KEY, { ...((original as object | undefined) ?? {}), enabled: false });
      // a fresh server per mode: the policy is cached per process for a few seconds
      const server = await startServer(store.env, 18520 + (kind === 'postgres' ? 1 : 0));
      try {
        const codes = await serviceCodes(server.url);
        progress(`dupcheck ${kind}: HTTP, check ${mode}: warm-up 3 s…`);
        await postLoad(server, store, points, codes, 3, connections);
        const t0 = Date.now();
        progress(`dupcheck ${kind}: HTTP, check ${mode}: Open311 POST, measuring ${seconds} s with ${connections} connections…`);
        const r = await postLoad(server, store, points, codes, seconds, connections);
        const linked = await linkedSince(ctx, t0);
        out[mode] = {
          requestsPerSecond: Math.round(r.requests.average), non2xx: r.non2xx, errors: r.errors,
          latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max }, duplicates: linked,
        };
        progress(`dupcheck ${kind}: check ${mode}: ${Math.round(r.requests.average).toLocaleString()} req/s, p99 ${r.latency.p99} ms, ` +
          `${linked.linked.toLocaleString()} of ${linked.created.toLocaleString()} linked, non-2xx ${r.non2xx}`);
      } finally {
        await server.stop();
      }
    }
  } finally {
    if (original === undefined) await raw(ctx).db.deleteFrom('settings').where('key', '=', DUPLICATE_POLICY_KEY).execute();
    else await ctx.store.settings.write(DUPLICATE_POLICY_KEY, original);
  }
  const on = out.on as { requestsPerSecond: number; non2xx: number; errors: number };
  const off = out.off as { requestsPerSecond: number };
  const costUsPerRequest = Math.round((1e6 / on.requestsPerSecond - 1e6 / off.requestsPerSecond) * 10) / 10;
  return { on: out.on, off: out.off, throughputCost: Math.round((1 - on.requestsPerSecond / off.requestsPerSecond) * 1000) / 10 + '%', costUsPerRequest };
}

export async function benchDupcheck(kinds: Kind[], sizes: number[], seconds: number, connections: number) {
  sizes = [...sizes].sort((a, b) => a - b);
  const curves: Record<string, unknown[]> = {};
  const http: Record<string, unknown> = {};
  const flat: Record<string, { ratio: number; pass: boolean }> = {};
  for (const kind of kinds) {
    curves[kind] = [];
    for (const n of sizes) {
      const spanDays = Math.round((365 * n / CASES_PER_YEAR) * 100) / 100;
      const store = await prepareStore(kind, n, progress, { spanDays });
      const ctx = await createContext(loadConfig(store.env as NodeJS.ProcessEnv));
      try {
        const present = Number((await raw(ctx).db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
        const probes = await probesFor(ctx, store);
        const inWindow = Number((await raw(ctx).db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n'))
          .where('created_at', '>=', probes[0].since).where('dup_cell', 'is not', null).executeTakeFirstOrThrow()).n);
        progress(`dupcheck ${kind}: ${present.toLocaleString()} stored (${spanDays} days of history), ${inWindow.toLocaleString()} in the 72 h window; ${PROBES.toLocaleString()} lookups…`);
        const r = kind === 'sqlite' ? sqliteLookups(ctx, probes) : await postgresLookups(ctx, probes);
        curves[kind].push({ storedCases: present, historyDays: spanDays, casesInWindow: inWindow, ...r });
        progress(`dupcheck ${kind}: ${present.toLocaleString()} stored: ${r.perCase.meanUs} µs/case (p50 ${r.perCase.p50Us}, p99 ${r.perCase.p99Us})` +
          ('alone' in r ? `; a case alone ${r.alone.meanUs} µs` : '') + `; plan: ${r.plan.slice(0, 3).join(' | ').slice(0, 200)}`);
        if (n === sizes[sizes.length - 1]) http[kind] = await httpOnOff(kind, store, ctx, seconds, connections);
      } finally {
        await closeBenchContext(ctx);
      }
    }
    const pts = curves[kind] as { perCase: { p50Us: number } }[];
    const ratio = pts[pts.length - 1].perCase.p50Us / pts[0].perCase.p50Us;
    flat[kind] = { ratio: Math.round(ratio * 100) / 100, pass: ratio <= FLAT_FACTOR };
  }
  const result = {
    sizes, probes: PROBES, window: `${DEFAULT_DUPLICATE_POLICY.windowHours} h`, casesPerYear: CASES_PER_YEAR,
    lookup: curves, flat: { target: `largest ≤ ${FLAT_FACTOR}× smallest (median µs per case)`, ...flat }, http, seconds, connections,
    pass: Object.values(flat).every((f) => f.pass),
  };
  const file = writeResult('dupcheck', result);
  progress(`dupcheck: ${Object.entries(flat).map(([k, f]) => `${k} ${f.ratio}× from ${sizes[0].toLocaleString()} to ${sizes[sizes.length - 1].toLocaleString()}`).join(', ')} → ${file}`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [kinds = 'sqlite,postgres', sizes = '10000,100000,1000000', seconds = '20', conns = '32'] = process.argv.slice(2);
  await benchDupcheck(kinds.split(',') as Kind[], sizes.split(',').map(Number), Number(seconds), Number(conns));
}

/**
 * Open311 GeoReport v2 over HTTP with N cases stored (issue 3, Performance):
 *  - POST requests.json, form-encoded with api_key, through the whole pipeline INCLUDING the duplicate check (on by
 *    default, inside the write batch): random points inside the demo city's grids, service codes from the catalog
 *    (mostly the common matters the store is seeded with, so some reports are duplicates of stored cases; the rest
 *    uniform over every service). Counts the reports linked as duplicates during the run.
 *  - GET requests.json: the default window (90 days, up to 1,000 items), by service_code (a common and a rare
 *    code), by status (open, closed), and GET one request. Each list is measured uncached (a distinct, ignored
 *    jurisdiction_id per request defeats the render cache, as constant writes would), the default window also as
 *    served (cache on, nothing written meanwhile).
 *  - For each list query: the SQL the repository runs, its plan (EXPLAIN) and its in-process time, so a slow
 *    percentile can be told apart from rendering.
 * Server in its own process; load from this one (autocannon).
 * Usage: node --import tsx bench/open311.bench.ts [sqlite|postgres] [storedCases] [seconds] [connections] [getConnections]
 */
import { raw, closeBenchContext } from './lib/raw.ts';
import autocannon from 'autocannon';
import { CompiledQuery, sql, type RootOperationNode } from 'kysely';
import { prepareStore, type BenchStore } from './lib/store.ts';
import { randomGridPoints, rng } from './lib/points.ts';
import { loadConfig } from '../src/config/env.ts';
import { createContext } from '../src/runtime/bootstrap.ts';
import type { AppContext } from '../src/runtime/context.ts';
import { listOpen311Cases } from '../src/storage/repositories/open311.repository.ts';
import { filterFromQuery } from '../src/intake/open311/open311.query.ts';
import { startServer, type RunningServer } from './lib/server.ts';
import { progress, writeResult } from './lib/results.ts';

/** The matters the bench stores are seeded with (bench/lib/seed-cases.ts): the common ones. */
export const COMMON_CODES = ['06010', '06012', '09009', '06036', '07001', '06013', '09006', '01001'];
/** Share of POSTs that use a common code; the rest are uniform over the whole service list. */
const COMMON_SHARE = 0.75;

export const POST_TARGET = { requestsPerSecond: 2000, p99Ms: 50 };
export const GET_TARGET = { p99Ms: 100 };

export interface LoadResult {
  requestsPerSecond: number; totalRequests: number; non2xx: number; errors: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

function summarise(r: any): LoadResult {
  return {
    requestsPerSecond: Math.round(r.requests.average), totalRequests: r.requests.total, non2xx: r.non2xx, errors: r.errors,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
  };
}

/** A required question of a service definition (GET services/{code}.json), answered by the load generator. */
interface Question { code: string; datatype: string; values?: { key: string }[] }
export interface ServiceCodes { all: string[]; common: string[]; questions: Map<string, Question[]> }

/**
 * The service codes the endpoint offers (GET services.json), the POST generator's code mix, and for services with
 * `metadata=true` their required questions — a client answers them as FixMyStreet's form makes citizens do.
 */
export async function serviceCodes(url: string): Promise<ServiceCodes> {
  const r = await fetch(`${url}/open311/v2/services.json`);
  if (!r.ok) throw new Error(`services.json: HTTP ${r.status}`);
  const services = (await r.json()) as { service_code: string; metadata: boolean }[];
  const all = services.map((s) => s.service_code);
  const questions = new Map<string, Question[]>();
  for (const s of services.filter((x) => x.metadata)) {
    const d = await fetch(`${url}/open311/v2/services/${s.service_code}.json`);
    if (!d.ok) throw new Error(`services/${s.service_code}.json: HTTP ${d.status}`);
    const def = (await d.json()) as { attributes: (Question & { required: boolean; variable: boolean })[] };
    questions.set(s.service_code, def.attributes.filter((a) => a.required && a.variable));
  }
  return { all, common: COMMON_CODES.filter((c) => all.includes(c)), questions };
}

/** An answer of the right type to each required question. */
function answers(qs: Question[] | undefined, pick: () => number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const q of qs ?? []) {
    const v = q.values?.length ? q.values[Math.floor(pick() * q.values.length)].key
      : q.datatype === 'number' ? String(1 + Math.floor(pick() * 5))
        : q.datatype === 'datetime' ? new Date().toISOString() : `LD-${String(Math.floor(pick() * 10_000)).padStart(4, '0')}`;
    out[`attribute[${q.code}]`] = v;
  }
  return out;
}

/** Open311 POST load: each request a new report at a random point with a code from the mix. */
export function postLoad(server: RunningServer, store: BenchStore, points: [number, number][], codes: ServiceCodes,
  duration: number, connections: number): Promise<any> {
  const rand = rng(duration * 7919 + connections);
  let i = 0;
  return autocannon({
    url: server.url, connections, duration, pipelining: 1,
    requests: [{
      method: 'POST', path: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      setupRequest: (req: Record<string, unknown>) => {
        const [lon, lat] = points[i++ % points.length];
        const list = rand() < COMMON_SHARE ? codes.common : codes.all;
        const code = list[Math.floor(rand() * list.length)];
        const body = new URLSearchParams({
          api_key: store.apiKey, service_code: code, lat: String(lat), long: String(lon),
          description: '基准测试：市民随手拍上报 (bench)', phone: '13800000000', ...answers(codes.questions.get(code), rand),
        }).toString();
        return { ...req, body };
      },
    }],
  });
}

/** Reports created since `t` (by the bench's channel), and how many were linked as duplicates — of stored cases or of the run's own. */
export async function linkedSince(ctx: AppContext, t: number, channel = 'open311') {
  const r = await sql<{ created: number | string; linked: number | string; linked_stored: number | string }>`
    SELECT count(*) AS created,
      count(c.master_case_id) AS linked,
      sum(CASE WHEN m.created_at < ${t} THEN 1 ELSE 0 END) AS linked_stored
    FROM cases c LEFT JOIN cases m ON m.id = c.master_case_id
    WHERE c.created_at >= ${t} AND c.channel = ${channel}`.execute(raw(ctx).db);
  const row = r.rows[0];
  const created = Number(row.created), linked = Number(row.linked), linkedStored = Number(row.linked_stored ?? 0);
  return { created, linked, linkedToStoredCases: linkedStored, linkedToThisRun: linked - linkedStored, linkedShare: created ? Math.round((linked / created) * 1000) / 1000 : 0 };
}

/** Stored open cases the duplicate check can see at `now` (in its 72 h window, with a cell, not duplicates). */
export async function candidatesInWindow(ctx: AppContext, now: number, windowHours = 72): Promise<number> {
  const r = await raw(ctx).db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('created_at', '>=', now - windowHours * 3600_000).where('dup_cell', 'is not', null)
    .where('master_case_id', 'is', null).where('state', 'not in', ['ARCHIVED', 'CANCELLED']).executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * The list query as the repository runs it: the SQL captured from listOpen311Cases (its last statement; the
 * ones before are the cached id-bound probes), the plan, and the median in-process time over `reps` runs.
 */
async function explainList(ctx: AppContext, query: Record<string, string>, reps = 15) {
  const captured: RootOperationNode[] = [];
  const spy = raw(ctx).db.withPlugin({
    transformQuery: (a) => { captured.push(a.node); return a.node; },
    transformResult: async (a) => a.result,
  });
  const filter = filterFromQuery(query, Date.now(), ctx.config.utcOffsetMinutes);
  const conn = { db: spy, dialect: raw(ctx).dialect };
  const rows = await listOpen311Cases(conn, filter);
  const times: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t = performance.now();
    await listOpen311Cases(conn, filter);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const node = captured[captured.length - 1];
  const q = raw(ctx).db.getExecutor().compileQuery(node, { queryId: 'explain' } as never);
  let plan: string[];
  if (raw(ctx).dialect === 'sqlite') {
    plan = (raw(ctx).sqlite!.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail);
  } else {
    const r = await raw(ctx).db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, [...q.parameters]));
    plan = r.rows.map((x) => x['QUERY PLAN']);
  }
  return { sql: q.sql, parameters: q.parameters.map((p) => (typeof p === 'number' && p > 1e12 ? `${p} (${new Date(p).toISOString()})` : p)), rows: rows.length, medianMs: Math.round(times[times.length >> 1] * 100) / 100, maxMs: Math.round(times[times.length - 1] * 100) / 100, plan };
}

export async function benchOpen311(kind: 'sqlite' | 'postgres', stored: number, seconds: number, connections: number, getConnections: number) {
  const store = await prepareStore(kind, stored, progress);
  const ctx = await createContext(loadConfig(store.env as NodeJS.ProcessEnv));
  const present = Number((await raw(ctx).db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const inWindow = await candidatesInWindow(ctx, Date.now());
  progress(`open311 ${kind}: ${present.toLocaleString()} stored cases, ${inWindow.toLocaleString()} of them open in the duplicate check's 72 h window`);
  progress(`open311 ${kind}: drawing 50,000 random report points inside the grids…`);
  const points = await randomGridPoints(raw(ctx).db, 50_000);
  const server = await startServer(store.env, 18510 + (kind === 'postgres' ? 1 : 0));
  let post: LoadResult & { duplicates: Awaited<ReturnType<typeof linkedSince>> };
  const gets: Record<string, unknown>[] = [];
  const queries: Record<string, unknown> = {};
  let rssAfter: number;
  try {
    const codes = await serviceCodes(server.url);
    progress(`open311 ${kind}: ${codes.all.length} services; ${Math.round(COMMON_SHARE * 100)}% of reports use the ${codes.common.length} common ones`);

    // ---- POST
    progress(`open311 ${kind}: POST warm-up 3 s…`);
    await postLoad(server, store, points, codes, 3, connections);
    const t0 = Date.now();
    progress(`open311 ${kind}: POST requests.json, measuring ${seconds} s with ${connections} connections (duplicate check on)…`);
    const r = summarise(await postLoad(server, store, points, codes, seconds, connections));
    const duplicates = await linkedSince(ctx, t0);
    post = { ...r, duplicates };
    progress(`open311 ${kind}: POST ${r.requestsPerSecond.toLocaleString()} req/s, p99 ${r.latencyMs.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}; ` +
      `${duplicates.created.toLocaleString()} reports, ${duplicates.linked.toLocaleString()} linked as duplicates ` +
      `(${duplicates.linkedToStoredCases.toLocaleString()} of stored cases, ${duplicates.linkedToThisRun.toLocaleString()} of this run's)`);

    // ---- GET
    const rare = codes.all.find((c) => !COMMON_CODES.includes(c))!;
    const maxId = Number((await raw(ctx).db.selectFrom('cases').select((eb) => eb.fn.max('id').as('v')).executeTakeFirstOrThrow()).v);
    const pick = rng(42);
    const ids = Array.from({ length: 5000 }, () => 1 + Math.floor(pick() * maxId));
    const caseNos = (await raw(ctx).db.selectFrom('cases').select('case_no').where('id', 'in', ids).execute()).map((x) => x.case_no);
    // `short`: the summary table's name (the chart's label column is narrow)
    const variants: { name: string; label: string; short: string; query?: Record<string, string>; path: (i: number) => string; judged: boolean; conns?: number }[] = [
      { name: 'default', label: 'GET requests.json, default window (90 days, ≤ 1,000)', short: 'list, default window', query: {}, path: (i) => `/open311/v2/requests.json?jurisdiction_id=b${i}`, judged: true },
      { name: 'default-1client', label: 'GET requests.json, default window, one client at a time', short: 'list, default window', path: (i) => `/open311/v2/requests.json?jurisdiction_id=c${i}`, judged: false, conns: 1 },
      { name: 'default-cached', label: 'GET requests.json, default window, render cache on', short: 'list, default, cache on', path: () => '/open311/v2/requests.json', judged: false },
      { name: 'service_code-common', label: `GET requests.json?service_code=06012 (common)`, short: 'list, common service_code', query: { service_code: '06012' }, path: (i) => `/open311/v2/requests.json?service_code=06012&jurisdiction_id=b${i}`, judged: false },
      { name: 'service_code-rare', label: `GET requests.json?service_code=${rare} (rare)`, short: 'list, rare service_code', query: { service_code: rare }, path: (i) => `/open311/v2/requests.json?service_code=${rare}&jurisdiction_id=b${i}`, judged: false },
      { name: 'status-open', label: 'GET requests.json?status=open', short: 'list, status=open', query: { status: 'open' }, path: (i) => `/open311/v2/requests.json?status=open&jurisdiction_id=b${i}`, judged: false },
      { name: 'status-closed', label: 'GET requests.json?status=closed', short: 'list, status=closed', query: { status: 'closed' }, path: (i) => `/open311/v2/requests.json?status=closed&jurisdiction_id=b${i}`, judged: false },
      { name: 'one', label: 'GET requests/{id}.json', short: 'one request', path: (i) => `/open311/v2/requests/${caseNos[i % caseNos.length]}.json`, judged: false },
    ];
    for (const v of variants) {
      if (v.query) {
        progress(`open311 ${kind}: EXPLAIN ${v.name}…`);
        queries[v.name] = await explainList(ctx, v.query);
        const q = queries[v.name] as { rows: number; medianMs: number; plan: string[] };
        progress(`  ${q.rows} rows, query ${q.medianMs} ms in-process; plan: ${q.plan.join(' | ').slice(0, 300)}`);
      }
      const probe = await fetch(`${server.url}${v.path(0)}`);
      const body = await probe.text();
      const items = probe.ok ? (JSON.parse(body) as unknown[]).length : 0;
      let n = 0;
      const conns = v.conns ?? getConnections;
      const run = (duration: number) => autocannon({
        url: server.url, connections: conns, duration, pipelining: 1,
        requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: v.path(++n) }) }],
      });
      await run(1);
      progress(`open311 ${kind}: ${v.label}: measuring ${seconds} s with ${conns} connection(s) (${items} items, ${Math.round(body.length / 1024)} KiB)…`);
      const g = summarise(await run(seconds));
      const pass = g.non2xx === 0 && g.errors === 0 && g.latencyMs.p99 < GET_TARGET.p99Ms;
      gets.push({ name: v.name, scenario: v.label, short: v.short, items, bytes: body.length, connections: conns, ...g, judged: v.judged, pass });
      progress(`open311 ${kind}: ${v.name}: ${g.requestsPerSecond.toLocaleString()} req/s, p50 ${g.latencyMs.p50} ms, p99 ${g.latencyMs.p99} ms, non-2xx ${g.non2xx}`);
    }
    rssAfter = server.rssMb();
  } finally {
    await server.stop();
    await closeBenchContext(ctx);
  }
  const postPass = post.non2xx === 0 && post.errors === 0 && post.requestsPerSecond >= POST_TARGET.requestsPerSecond && post.latencyMs.p99 < POST_TARGET.p99Ms;
  const judged = gets.find((g) => g.judged) as { pass: boolean; latencyMs: { p99: number } };
  const result = {
    store: kind, storedCases: present, openCasesInDuplicateWindow: inWindow, seconds, connections, getConnections,
    post: { ...post, target: POST_TARGET, pass: postPass },
    get: gets, getTarget: GET_TARGET, queries,
    serverRssMbAfter: Math.round(rssAfter),
    pass: postPass && judged.pass,
  };
  const file = writeResult(kind === 'sqlite' ? 'open311' : `open311-${kind}`, result);
  progress(`open311 ${kind}: POST ${post.requestsPerSecond} req/s p99 ${post.latencyMs.p99} ms; GET default p99 ${judged.latencyMs.p99} ms → ${file}`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [kind = 'sqlite', stored = '1000000', seconds = '20', conns = '32', getConns = '8'] = process.argv.slice(2);
  await benchOpen311(kind as 'sqlite' | 'postgres', Number(stored), Number(seconds), Number(conns), Number(getConns));
}

/**
 * Case creation through the whole pipeline over HTTP (validate → locate → route → deadlines → case + history +
 * outbox) with N cases already stored. Server in its own process; load from this one (autocannon).
 * Usage: node --import tsx bench/case-create.bench.ts [sqlite|postgres] [storedCases] [seconds] [connections]
 */
import { raw, closeBenchContext } from './lib/raw.ts';
import autocannon from 'autocannon';
import { prepareStore } from './lib/store.ts';
import { loadConfig } from '../src/config/env.ts';
import { createContext } from '../src/runtime/bootstrap.ts';
import { startServer } from './lib/server.ts';
import { progress, writeResult } from './lib/results.ts';

export async function benchCaseCreate(kind: 'sqlite' | 'postgres', stored: number, seconds: number, connections: number) {
  // `stored` is the bulk-loaded size; earlier runs on the same store add their cases, so the result reports the count.
  const store = await prepareStore(kind, stored, progress);
  const counting = await createContext(loadConfig(store.env as NodeJS.ProcessEnv));
  const present = Number((await raw(counting).db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  await closeBenchContext(counting);
  const server = await startServer(store.env, 18500 + (kind === 'postgres' ? 1 : 0));
  const rssBefore = server.rssMb();
  let i = 0;
  const matters = ['06010', '06012', '09009', '06036', '07001', '06013'];
  const run = (duration: number) => autocannon({
    url: server.url, connections, duration, pipelining: 1,
    requests: [{
      method: 'POST', path: '/api/v1/cases',
      headers: { authorization: `Bearer ${store.apiKey}`, 'content-type': 'application/json' },
      setupRequest: (req: Record<string, unknown>) => {
        const p = store.points[i++ % store.points.length];
        return { ...req, body: JSON.stringify({ channel: 'hotline', matterCode: matters[i % matters.length], description: '基准测试：路面垃圾', location: { lon: p[0], lat: p[1] }, reporter: { phone: '13800000000' } }) };
      },
    }],
  });
  progress(`${kind}: warm-up 3 s…`);
  await run(3);
  progress(`${kind}: measuring ${seconds} s with ${connections} connections on ${present.toLocaleString()} stored cases…`);
  const r = await run(seconds);
  const rssAfter = server.rssMb();
  await server.stop();
  const ok = r.non2xx === 0 && r.errors === 0;
  const target = kind === 'sqlite' ? { casesPerSecond: 3000, p99Ms: 50 } : { casesPerSecond: 1000 };
  const result = {
    store: kind, storedCases: present, seconds, connections,
    casesPerSecond: Math.round(r.requests.average), totalRequests: r.requests.total, non2xx: r.non2xx, errors: r.errors,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    serverRssMb: { before: Math.round(rssBefore), after: Math.round(rssAfter) },
    target,
    pass: ok && r.requests.average >= target.casesPerSecond && (!('p99Ms' in target) || r.latency.p99 < (target.p99Ms ?? Infinity)),
  };
  const file = writeResult(`case-create-${kind}`, result);
  progress(`${kind}: ${result.casesPerSecond} cases/s, p99 ${r.latency.p99} ms, RSS ${result.serverRssMb.after} MB, errors ${r.errors}, non-2xx ${r.non2xx} → ${file}`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [kind = 'sqlite', stored = '1000000', seconds = '20', conns = '32'] = process.argv.slice(2);
  await benchCaseCreate(kind as 'sqlite' | 'postgres', Number(stored), Number(seconds), Number(conns));
}

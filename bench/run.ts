/**
 * `npm run bench`: every scenario, results in bench/results/*.json and a summary table (and an SVG chart).
 * Env: BENCH_CASES (stored cases, default 1,000,000), BENCH_SECONDS (load duration, default 20),
 * BENCH_CONNECTIONS (default 32), BENCH_ONLY (comma list: grid,sqlite,postgres,sweep).
 */
import { execFileSync } from 'node:child_process';
import { benchCaseCreate } from './case-create.bench.ts';
import { benchSweep } from './deadline-sweep.bench.ts';
import { progress, writeResult } from './lib/results.ts';
import { writeChart } from './lib/chart.ts';

const cases = Number(process.env.BENCH_CASES ?? 1_000_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const only = new Set((process.env.BENCH_ONLY ?? 'grid,sqlite,postgres,sweep').split(','));
const summary: { scenario: string; result: string; target: string; pass: boolean; ratio: number }[] = [];

if (only.has('grid')) {
  progress('grid lookup (40,000 grids)…');
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/grid-lookup.bench.ts'], { stdio: 'inherit' });
  const r = JSON.parse((await import('node:fs')).readFileSync('bench/results/grid-lookup.json', 'utf8'));
  summary.push({ scenario: 'point → grid lookup, 40,000 grids', result: `${Math.round(r.lookupsPerSecond).toLocaleString()} lookups/s`, target: '≥ 500,000/s', pass: r.pass, ratio: r.lookupsPerSecond / 500_000 });
}
for (const kind of ['sqlite', 'postgres'] as const) {
  if (!only.has(kind)) continue;
  const r = await benchCaseCreate(kind, cases, seconds, connections);
  summary.push({
    scenario: `case creation over HTTP, ${kind}, ${r.storedCases.toLocaleString()} stored`,
    result: `${r.casesPerSecond.toLocaleString()} cases/s, p99 ${r.latencyMs.p99} ms`,
    target: kind === 'sqlite' ? '≥ 3,000/s, p99 < 50 ms' : '≥ 1,000/s', pass: r.pass,
    ratio: Math.min(r.casesPerSecond / r.target.casesPerSecond, 'p99Ms' in r.target ? (r.target.p99Ms ?? Infinity) / r.latencyMs.p99 : Infinity),
  });
  summary.push({ scenario: `server RSS after load, ${kind}, ${r.storedCases.toLocaleString()} stored`, result: `${r.serverRssMb.after} MB`, target: '< 300 MB', pass: r.serverRssMb.after < 300, ratio: 300 / r.serverRssMb.after });
}
if (only.has('sweep')) {
  const r = await benchSweep('sqlite', cases);
  summary.push({ scenario: `deadline sweep tick, ${r.openCases.toLocaleString()} open cases`, result: `${r.steadyTickMs} ms`, target: '< 200 ms', pass: r.pass, ratio: 200 / Math.max(r.steadyTickMs, 0.1) });
}
writeResult('summary', { summary });
writeChart(summary);
console.log('\n| scenario | result | target | pass |\n|---|---|---|---|');
for (const s of summary) console.log(`| ${s.scenario} | ${s.result} | ${s.target} | ${s.pass ? 'yes' : 'NO'} |`);

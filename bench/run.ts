/**
 * `npm run bench`: every scenario, results in bench/results/*.json and a summary table (and an SVG chart).
 * Env: BENCH_CASES (stored cases, default 1,000,000), BENCH_SECONDS (load duration, default 20),
 * BENCH_CONNECTIONS (default 32), BENCH_ONLY (comma list: grid,sqlite,postgres,sweep,open311,dupcheck,console,search,emergency,field,assessment,rules,export,recurrence),
 * BENCH_SEARCH_STORES (default sqlite,postgres), BENCH_SEARCH_REQUESTS (per kind of search and sort, default 200),
 * BENCH_GET_CONNECTIONS (Open311 GET load, default 8), BENCH_DUP_SIZES (store sizes for the duplicate-check curve,
 * default 10000,100000,BENCH_CASES), BENCH_DUP_STORES (default sqlite,postgres).
 */
import { execFileSync } from 'node:child_process';
import { benchCaseCreate } from './case-create.bench.ts';
import { benchSweep } from './deadline-sweep.bench.ts';
import { benchOpen311, GET_TARGET } from './open311.bench.ts';
import { benchDupcheck, FLAT_FACTOR } from './dupcheck.bench.ts';
import { benchConsole, CONSOLE_TARGET } from './console.bench.ts';
import { benchCaseSearch, SEARCH_TARGET_P99_MS } from './case-search.bench.ts';
import { benchEmergencyRing, RING_TARGET } from './emergency-ring.bench.ts';
import { benchFieldResources, FIELD_TARGET } from './field-resources.bench.ts';
import { benchAssessment } from './assessment.bench.ts';
import { benchSensingRules, RULES_TARGET } from './sensing-rules.bench.ts';
import { benchExport, EXPORT_TARGET } from './export.bench.ts';
import { benchRecurrence, HOTSPOT_TARGET_MS } from './recurrence.bench.ts';
import { progress, writeResult } from './lib/results.ts';
import { writeChart, type Curve } from './lib/chart.ts';

const cases = Number(process.env.BENCH_CASES ?? 1_000_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const getConnections = Number(process.env.BENCH_GET_CONNECTIONS ?? 8);
const only = new Set((process.env.BENCH_ONLY ?? 'grid,sqlite,postgres,sweep,open311,dupcheck,console,search,emergency,field,assessment,rules,export,recurrence').split(','));
const summary: { scenario: string; result: string; target: string; pass: boolean; ratio: number }[] = [];
const curves: Curve[] = [];

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
if (only.has('open311')) {
  const r = await benchOpen311('sqlite', cases, seconds, connections, getConnections);
  const p = r.post;
  summary.push({
    scenario: `Open311 POST, sqlite, ${r.storedCases.toLocaleString()} stored, dup check on`,
    result: `${p.requestsPerSecond.toLocaleString()} req/s, p99 ${p.latencyMs.p99} ms; ${p.duplicates.linked.toLocaleString()} of ${p.duplicates.created.toLocaleString()} linked`,
    target: '≥ 2,000/s, p99 < 50 ms', pass: p.pass,
    ratio: Math.min(p.requestsPerSecond / p.target.requestsPerSecond, p.target.p99Ms / Math.max(p.latencyMs.p99, 0.1)),
  });
  for (const g of r.get as { short: string; requestsPerSecond: number; latencyMs: { p99: number }; connections: number; pass: boolean }[]) {
    summary.push({
      scenario: `Open311 GET ${g.short}, ${g.connections} conn.`,
      result: `p99 ${g.latencyMs.p99} ms, ${g.requestsPerSecond.toLocaleString()} req/s`, target: `p99 < ${GET_TARGET.p99Ms} ms`, pass: g.pass,
      ratio: GET_TARGET.p99Ms / Math.max(g.latencyMs.p99, 0.1),
    });
  }
}
if (only.has('console')) {
  const r = await benchConsole(cases);
  const q = r.queue as { firstRowsMs: number; scroll: { p95Ms: number; longFrames: number } };
  const b = r.bigScreen as { mapReadyMs: number; colouredGrids: number; grids: number; frames: { p95Ms: number; maxMs: number; longFrames: number } };
  summary.push({ scenario: 'console first load (sign-in form usable, cold)', result: `${r.firstLoadMs.median} ms (median of 3)`, target: `< ${CONSOLE_TARGET.firstLoadMs} ms`, pass: r.firstLoadMs.median < CONSOLE_TARGET.firstLoadMs, ratio: CONSOLE_TARGET.firstLoadMs / r.firstLoadMs.median });
  summary.push({ scenario: `case queue, ${r.storedCases.toLocaleString()} open cases: scroll 200 screens`, result: `first rows ${q.firstRowsMs} ms; p95 frame ${q.scroll.p95Ms} ms, ${q.scroll.longFrames} long frames`, target: `p95 frame < ${CONSOLE_TARGET.p95FrameMs} ms`, pass: q.scroll.p95Ms < CONSOLE_TARGET.p95FrameMs, ratio: CONSOLE_TARGET.p95FrameMs / Math.max(q.scroll.p95Ms, 0.1) });
  summary.push({ scenario: `big screen, ${b.grids.toLocaleString()} grids, 10 new cases/s for 10 s`, result: `map coloured after ${b.mapReadyMs} ms; p95 frame ${b.frames.p95Ms} ms, max ${b.frames.maxMs} ms, ${b.frames.longFrames} long frames`, target: `p95 frame < ${CONSOLE_TARGET.p95FrameMs} ms`, pass: b.frames.p95Ms < CONSOLE_TARGET.p95FrameMs, ratio: CONSOLE_TARGET.p95FrameMs / Math.max(b.frames.p95Ms, 0.1) });
}
if (only.has('field')) {
  const r = await benchFieldResources({ seconds, cases: Math.min(cases, 10_000), rate: 10_000, caseRate: 100, people: 5_000, queryRate: 50 });
  summary.push({
    scenario: `field positions ingested, ${r.peopleOnDuty.toLocaleString()} people on duty, ${r.cases.casesPerSecond} cases/s alongside`,
    result: `${r.positions.fixesPerSecond.toLocaleString()} fixes/s; nearest people p99 ${r.nearest.latencyMs.p99} ms`,
    target: `≥ ${FIELD_TARGET.fixesPerSecond.toLocaleString()}/s; p99 < ${FIELD_TARGET.nearestP99Ms} ms`, pass: r.pass,
    ratio: Math.min(r.positions.fixesPerSecond / FIELD_TARGET.fixesPerSecond, FIELD_TARGET.nearestP99Ms / Math.max(r.nearest.latencyMs.p99, 0.1)),
  });
}
if (only.has('assessment')) {
  // issue 10: all indicators for all units and streets for a month, and a drill-down page (BENCH_ASSESSMENT_CASES, default BENCH_CASES)
  for (const kind of (process.env.BENCH_ASSESSMENT_STORES ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[]) {
    const r = await benchAssessment(kind, Number(process.env.BENCH_ASSESSMENT_CASES ?? cases));
    summary.push({
      scenario: `assessment: all units + streets for a month, ${kind}, ${r.cases.toLocaleString()} cases`,
      result: `${r.allUnitsAndStreetsMs.p50} ms; drill-down page ${r.drillDownPageMs.p50} ms`, target: '< 500 ms; < 100 ms', pass: r.pass,
      ratio: Math.min(500 / Math.max(r.allUnitsAndStreetsMs.p50, 0.1), 100 / Math.max(r.drillDownPageMs.p50, 0.1)),
    });
  }
}
if (only.has('dupcheck')) {
  const sizes = (process.env.BENCH_DUP_SIZES ?? `10000,100000,${cases}`).split(',').map(Number);
  const kinds = (process.env.BENCH_DUP_STORES ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[];
  const r = await benchDupcheck(kinds, sizes, seconds, connections);
  const series: Curve['series'] = [];
  for (const kind of kinds) {
    const pts = r.lookup[kind] as { storedCases: number; perCase: { meanUs: number; p50Us: number; p99Us: number }; alone?: { p50Us: number } }[];
    const base = pts[0].perCase.p50Us;
    for (const pt of pts) {
      summary.push({
        scenario: `dup-check lookup, ${kind}${kind === 'postgres' ? ' (batch)' : ''}, ${pt.storedCases.toLocaleString()} stored`,
        result: `median ${pt.perCase.p50Us} µs/case (mean ${pt.perCase.meanUs}, p99 ${pt.perCase.p99Us})`, target: `≤ ${FLAT_FACTOR}× the median at ${pts[0].storedCases.toLocaleString()}`,
        pass: pt.perCase.p50Us <= FLAT_FACTOR * base, ratio: (FLAT_FACTOR * base) / pt.perCase.p50Us,
      });
    }
    series.push({ name: `${kind}${kind === 'postgres' ? ', per case in a batch of 64' : ', per case'}`, points: pts.map((pt) => ({ x: pt.storedCases, y: pt.perCase.p50Us })) });
    if (kind === 'postgres') series.push({ name: 'postgres, one case alone', points: pts.map((pt) => ({ x: pt.storedCases, y: pt.alone!.p50Us })) });
    const h = r.http[kind] as { on: { requestsPerSecond: number; non2xx: number; errors: number }; off: { requestsPerSecond: number }; throughputCost: string } | undefined;
    if (h) {
      const target = kind === 'sqlite' ? 2000 : 1000;
      summary.push({
        scenario: `Open311 POST, ${kind}, dup check on vs off`,
        result: `on ${h.on.requestsPerSecond.toLocaleString()}/s, off ${h.off.requestsPerSecond.toLocaleString()}/s (−${h.throughputCost})`,
        target: `on ≥ ${target.toLocaleString()}/s`, pass: h.on.non2xx === 0 && h.on.errors === 0 && h.on.requestsPerSecond >= target, ratio: h.on.requestsPerSecond / target,
      });
    }
  }
  curves.push({ title: 'Duplicate-check candidate lookup vs stored cases', xLabel: 'stored cases (log)', yLabel: 'µs per case (median)', series });
}
if (only.has('search')) {
  for (const kind of (process.env.BENCH_SEARCH_STORES ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[]) {
    const r = await benchCaseSearch(kind, cases, Number(process.env.BENCH_SEARCH_REQUESTS ?? 200));
    summary.push({
      scenario: `queue search (q=…), ${kind}, ${r.storedCases.toLocaleString()} stored: ${r.results.length / 2} kinds × 2 sorts`,
      result: `worst p99 ${r.worstP99Ms} ms (all: p50 ${r.overall.p50}, p99 ${r.overall.p99})`, target: `p99 < ${SEARCH_TARGET_P99_MS} ms`,
      pass: r.pass, ratio: SEARCH_TARGET_P99_MS / Math.max(r.worstP99Ms, 0.1),
    });
  }
}
if (only.has('rules')) { // issue 11: readings through the rule engine (BENCH_ONLY=rules)
  const r = await benchSensingRules();
  summary.push({ scenario: `readings through the rules, ${r.devices.toLocaleString()} devices × 3 rules`, result: `${r.readingsPerSecond.toLocaleString()} readings/s`, target: `≥ ${RULES_TARGET.toLocaleString()}/s`, pass: r.pass, ratio: r.readingsPerSecond / RULES_TARGET });
}
if (only.has('emergency')) {
  const r = await benchEmergencyRing();
  summary.push({
    scenario: `emergency to ${r.streams.toLocaleString()} live consoles (${r.emergencies} alerts)`,
    result: `raise → console p99 ${r.raiseToConsoleMs.p99} ms (report → console p99 ${r.reportToConsoleMs.p99} ms), ${r.missing} missed`,
    target: `p99 < ${RING_TARGET.p99Ms} ms, none missed`, pass: r.pass, ratio: RING_TARGET.p99Ms / Math.max(r.raiseToConsoleMs.p99, 0.1),
  });
}
if (only.has('export')) {
  const r = await benchExport(cases, 'xlsx');
  summary.push({
    scenario: `export ${r.storedCases.toLocaleString()} cases to XLSX (streamed)`, result: `${r.rowsPerSecond.toLocaleString()} rows/s, peak RSS ${r.peakRssMb} MB`,
    target: `peak RSS < ${EXPORT_TARGET.peakRssMb} MB`, pass: r.pass, ratio: EXPORT_TARGET.peakRssMb / Math.max(r.peakRssMb, 1),
  });
}
if (only.has('recurrence')) { // issue 10 part 5: rebuild + hotspot map + incremental run (BENCH_RECURRENCE_CASES, default BENCH_CASES)
  const r = await benchRecurrence(Number(process.env.BENCH_RECURRENCE_CASES ?? cases));
  summary.push({
    scenario: `hotspot map, whole city, 90 days, ${r.storedCases.toLocaleString()} reports (rebuild ${r.rebuild ? `${r.rebuild.casesPerSecond.toLocaleString()}/s` : 'skipped'}, incremental ${r.incremental.casesPerSecond.toLocaleString()}/s)`,
    result: `grid layer median ${r.hotspot90MedianMs} ms`, target: `< ${HOTSPOT_TARGET_MS} ms (p95 of every layer)`, pass: r.pass,
    ratio: HOTSPOT_TARGET_MS / Math.max(r.hotspot90MedianMs, 0.1),
  });
}
writeResult('summary', { summary });
writeChart(summary, curves);
console.log('\n| scenario | result | target | pass |\n|---|---|---|---|');
for (const s of summary) console.log(`| ${s.scenario} | ${s.result} | ${s.target} | ${s.pass ? 'yes' : 'NO'} |`);

/**
 * Assessment at scale (issue 10 part A): all indicators and scores for all units and all streets for one month, and
 * one unit's drill-down page, on a store of N cases (default 1,000,000; the target is 10,000,000).
 * The store is made by bench/lib/assessment-seed.ts: the demo city's generated history (real cases with their
 * history rows, counted by the real rebuild) copied inside the database up to N cases, the counters scaled by the
 * number of copies; a sample of the copies is then recounted by the real counting and one day's counters compared
 * with its facts (`verify` in the result).
 * Usage: node --import tsx bench/assessment.bench.ts [sqlite|postgres] [cases]   (postgres: BENCH_PG_URL, default
 * postgresql://postgres@127.0.0.1:5432/bench_assessment — created if missing; BENCH_PG_DROP=1 drops it afterwards)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config/env.ts';
import { createContext } from '../src/runtime/bootstrap.ts';
import { closeBenchContext } from './lib/raw.ts';
import { seedAssessmentStore, verifySample, type SeedReport } from './lib/assessment-seed.ts';
import {
  COUNTER_COLUMNS, DEFAULT_FORMULA, indicatorValues, monthPeriod, score, sumsOf,
} from '../src/domain/assessment/index.ts';
import { progress, writeResult } from './lib/results.ts';

const MONTH = '2026-11';

async function timeIt(fn: () => Promise<unknown>, runs = 7): Promise<{ p50: number; min: number; max: number }> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) { const t = performance.now(); await fn(); ms.push(performance.now() - t); }
  ms.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { p50: round(ms[Math.floor(ms.length / 2)]), min: round(ms[0]), max: round(ms[ms.length - 1]) };
}

export async function benchAssessment(kind: 'sqlite' | 'postgres', n: number) {
  const dataDir = path.resolve(`bench/data/assessment-${kind}-${n}`);
  const pgUrl = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/bench_assessment';
  const marker = path.join(dataDir, 'generated.json');
  const env = { DATA_DIR: dataDir, ...(kind === 'postgres' ? { DATABASE_URL: pgUrl } : {}) } as NodeJS.ProcessEnv;
  const load = () => os.loadavg().map((x) => Math.round(x * 100) / 100);
  let gen: SeedReport;
  if (!fs.existsSync(marker)) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true });
    if (kind === 'postgres') {
      const u = new URL(pgUrl); const db = u.pathname.slice(1); u.pathname = '/postgres';
      const c = new pg.Client({ connectionString: u.toString() }); await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`); await c.query(`CREATE DATABASE ${db}`); await c.end();
    }
    const ctx = await createContext(loadConfig(env));
    progress(`${kind}: seeding ${n.toLocaleString()} cases (template, real counting, copies)…`);
    gen = await seedAssessmentStore(ctx, n, progress);
    await closeBenchContext(ctx);
    fs.writeFileSync(marker, JSON.stringify(gen));
  } else gen = JSON.parse(fs.readFileSync(marker, 'utf8'));
  const ctx = await createContext(loadConfig(env));
  const store = ctx.store;
  const p = monthPeriod(MONTH);
  const loadBefore = load();
  const table = await timeIt(async () => {
    const rows = await store.assessment.sumCounters({ dims: ['unit', 'street'], fromDay: p.fromDay, toDay: p.toDay });
    return rows.map((x) => { const s = sumsOf(x.vector); return { i: indicatorValues(s), s: score(DEFAULT_FORMULA.terms, s) }; });
  });
  const all = await store.assessment.sumCounters({ dims: ['unit', 'street'], fromDay: p.fromDay, toDay: p.toDay });
  const toHandleAt = COUNTER_COLUMNS.indexOf('to_handle');
  // the drill-down of the unit with the most cases to handle this month (the heaviest page there is)
  const unit = all.filter((x) => x.dim === 'unit').sort((a, b) => b.vector[toHandleAt] - a.vector[toHandleAt])[0];
  const drill = await timeIt(() => store.assessment.drillDown({ dim: 'unit', key: unit.key, counter: 'handled_on_time', fromDay: p.fromDay, toDay: p.toDay, limit: 50 }));
  const drillLast = await timeIt(async () => {
    // a later page: keyset from the middle of the month
    await store.assessment.drillDown({ dim: 'unit', key: unit.key, counter: 'to_handle', fromDay: p.fromDay, toDay: p.toDay, after: { day: p.fromDay + 14, caseId: 0 }, limit: 50 });
  });
  const loadAfter = load();
  progress('checking a sample: recount of 1,000 cases over the copies, and one day\'s counters against its facts…');
  const verify = await verifySample(ctx, gen, p.fromDay + 9);
  await closeBenchContext(ctx);
  const result = {
    store: kind, cases: gen.cases, storeSize: { cases: gen.cases, historyRows: gen.historyRows, historyCopies: gen.historyCopies, template: gen.template, copies: gen.copies },
    month: MONTH, generation: gen, counterColumns: COUNTER_COLUMNS.length,
    allUnitsAndStreetsMs: table, rows: all.length, drillUnit: { key: unit.key, toHandleInMonth: unit.vector[toHandleAt] },
    drillDownPageMs: drill, drillDownLaterPageMs: drillLast, verify, loadAverage: { before: loadBefore, after: loadAfter },
    target: { allUnitsAndStreetsMs: 500, drillDownPageMs: 100 },
    pass: table.p50 < 500 && drill.p50 < 100 && drillLast.p50 < 100,
  };
  const file = writeResult(`assessment-${kind}${gen.cases >= 5_000_000 ? '-10m' : ''}`, result);
  progress(`${kind}, ${gen.cases.toLocaleString()} cases: all units + streets ${table.p50} ms (p50 of 7), drill-down page ${drill.p50} ms, later page ${drillLast.p50} ms; `
    + `sample: ${verify.factsChanged} of ${verify.recounted} facts changed, ${verify.counterDiffs} counter differences; load ${loadAfter.join(' ')} → ${file}`);
  if (kind === 'postgres' && process.env.BENCH_PG_DROP === '1') {
    const u = new URL(pgUrl); const db = u.pathname.slice(1); u.pathname = '/postgres';
    const c = new pg.Client({ connectionString: u.toString() }); await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`); await c.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [kind = 'sqlite', n = '1000000'] = process.argv.slice(2);
  await benchAssessment(kind as 'sqlite' | 'postgres', Number(n));
}

/**
 * Assessment at scale (issue 10 part A): all indicators and scores for all units and all streets for one month, and
 * one unit's drill-down page, on a store of N cases (default 1,000,000; the target is 10,000,000).
 * The generator writes cases, their facts and the counters directly (fast path, batched): cases over 12 months,
 * 55 units, 10 streets, 50 communities, 1,000 grids. Counters are written for the slices the query reads and those of
 * small cardinality (city, district, street, unit, matter class, channel, urgency); grid, community and person
 * counters live in other key ranges of the same primary key and do not change these reads.
 * Usage: node --import tsx bench/assessment.bench.ts [sqlite|postgres] [cases]   (postgres: BENCH_PG_URL, default
 * postgresql://postgres@127.0.0.1:5432/bench_assessment — created if missing)
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DbHandle } from '../src/storage/db.ts';
import { migrate } from '../src/storage/migrate.ts';
import { storeOver } from '../src/storage/store.ts';
import { factsRow } from '../src/storage/repositories/assessment.repository.ts';
import {
  COUNTER_COLUMNS, DEFAULT_FORMULA, contributions, indicatorValues, monthPeriod, parseSliceKey, score, sumsOf, type Facts, type Flag,
} from '../src/domain/assessment/index.ts';
import { progress, writeResult } from './lib/results.ts';

const MONTH = '2026-11';
const SMALL_DIMS = new Set(['city', 'district', 'street', 'unit', 'matter_class', 'channel', 'urgency']);

function rng(seed: number) { let s = seed >>> 0; return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32); }

function synthFacts(i: number, r: () => number, day: number): Facts {
  const flags = new Set<Flag>(['reported', 'accepted', 'valid']);
  const dispatched = r() < 0.95;
  if (dispatched) {
    flags.add('dispatched'); flags.add('to_handle');
    if (r() < 0.96) flags.add('dispatched_right'); else flags.add('returned');
    if (r() < 0.9) { flags.add('handled'); if (r() < 0.85) flags.add('handled_on_time'); } else if (r() < 0.5) flags.add('overdue_open');
    if (flags.has('handled') && r() < 0.9) { flags.add('closed'); if (r() < 0.85) flags.add('closed_on_time'); }
    if (r() < 0.05) flags.add('rework');
    if (r() < 0.03) flags.add('postponed');
    if (r() < 0.9) flags.add('signed_on_time');
    if (r() < 0.4) { flags.add('called_back'); if (r() < 0.9) { flags.add('satisfied'); flags.add('resolved'); } }
  } else flags.add('cancelled');
  const handle = flags.has('handled') ? Math.floor(r() * 3000) : null;
  return {
    caseId: i + 1, day, unitId: dispatched ? `U${i % 55}` : null, appealUnitId: null, districtId: 'D1', streetId: `S${(i * 7) % 10}`,
    communityId: `C${i % 50}`, gridId: `G${i % 1000}`, matterClass: String(6 + (i % 5)).padStart(2, '0'), channel: ['patrol', 'hotline', 'app'][i % 3],
    urgency: i % 20 === 0 ? 'urgent' : 'normal', reporterId: i % 3 === 0 ? `P${i % 200}` : null, verifierId: null, checkerId: flags.has('closed') ? `P${(i + 7) % 200}` : null,
    holderUserId: null, flags, counts: { buck_passing: r() < 0.01 ? 1 : 0, supervised: r() < 0.02 ? 1 : 0, urged: 0 },
    durations: { dispatch: Math.floor(r() * 60), sign: Math.floor(r() * 120), handle, check: null, total: null },
    explain: { dispatchedAt: 0, disposedAt: 0, disposeDueAt: 0, late: false },
  };
}

const MONTH_STARTS = Array.from({ length: 12 }, (_, k) => { const d = new Date(Date.UTC(2025, 11 + k, 1)); return d; });

async function generate(h: DbHandle, n: number) {
  const r = rng(42);
  const counters = new Map<string, number[]>();
  const t0 = performance.now();
  const caseRows: unknown[][] = [];
  const factRows: ReturnType<typeof factsRow>[] = [];
  const flush = async () => {
    if (h.sqlite) {
      const ci = h.sqlite.prepare('INSERT INTO cases (id, case_no, state, channel, trusted, needs_callback, matter_kind, matter_code, urgency, description, assisting_unit_ids, assigned_unit_id, street_id, grid_id, created_at, updated_at) VALUES (?,?,?,?,0,0,\'matter\',?,?,?,\'[]\',?,?,?,?,?)');
      const cols = Object.keys(factRows[0]);
      const fi = h.sqlite.prepare(`INSERT INTO assessment_facts (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`);
      h.sqlite.transaction(() => {
        for (const c of caseRows) ci.run(...(c as never[]));
        for (const f of factRows) fi.run(...(cols.map((k) => (f as unknown as Record<string, unknown>)[k]) as never[]));
      })();
    } else {
      await h.db.transaction().execute(async (trx) => {
        for (let i = 0; i < caseRows.length; i += 1000) {
          await trx.insertInto('cases').values(caseRows.slice(i, i + 1000).map((c) => ({
            id: c[0], case_no: c[1], state: c[2], channel: c[3], trusted: 0, needs_callback: 0, matter_kind: 'matter', matter_code: c[4], urgency: c[5],
            description: c[6], assisting_unit_ids: '[]', assigned_unit_id: c[7], street_id: c[8], grid_id: c[9], created_at: c[10], updated_at: c[11],
          })) as never).execute();
          await trx.insertInto('assessment_facts').values(factRows.slice(i, i + 1000)).execute();
        }
      });
    }
    caseRows.length = 0; factRows.length = 0;
  };
  for (let i = 0; i < n; i++) {
    const m = MONTH_STARTS[i % 12];
    const dayOfMonth = 1 + Math.floor(r() * 28);
    const day = m.getUTCFullYear() * 10000 + (m.getUTCMonth() + 1) * 100 + dayOfMonth;
    const f = synthFacts(i, r, day);
    const at = Date.UTC(m.getUTCFullYear(), m.getUTCMonth(), dayOfMonth, 2);
    caseRows.push([i + 1, `${day}${String(i).padStart(8, '0')}`, f.flags.has('closed') ? 'ARCHIVED' : 'IN_PROGRESS', f.channel, `06010`, f.urgency, '基准', f.unitId, f.streetId, f.gridId, at, at]);
    factRows.push(factsRow(f, at));
    for (const [k, v] of contributions(f)) {
      if (!SMALL_DIMS.has(parseSliceKey(k).dim)) continue;
      const cur = counters.get(k);
      if (!cur) counters.set(k, v); else for (let j = 0; j < v.length; j++) cur[j] += v[j];
    }
    if (caseRows.length >= 20_000) { await flush(); if (i % 200_000 < 20_000) progress(`  ${(i + 1).toLocaleString()} cases, ${Math.round((performance.now() - t0) / 1000)} s`); }
  }
  if (caseRows.length) await flush();
  await storeOver(h).assessment.applyCounterDeltas(counters);
  return { ms: Math.round(performance.now() - t0), counterRows: counters.size };
}

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
  let gen: { ms: number; counterRows: number } | undefined;
  if (!fs.existsSync(marker)) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true });
    if (kind === 'postgres') {
      const u = new URL(pgUrl); const db = u.pathname.slice(1); u.pathname = '/postgres';
      const c = new pg.Client({ connectionString: u.toString() }); await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${db}`); await c.query(`CREATE DATABASE ${db}`); await c.end();
    }
    const h = openDatabase({ dataDir, ...(kind === 'postgres' ? { databaseUrl: pgUrl } : {}) });
    await migrate(h);
    progress(`${kind}: generating ${n.toLocaleString()} cases with facts and counters…`);
    gen = await generate(h, n);
    if (kind === 'postgres') await h.db.executeQuery({ sql: 'ANALYZE', parameters: [], query: { kind: 'RawNode' } as never } as never).catch(() => undefined);
    await h.close();
    fs.writeFileSync(marker, JSON.stringify(gen));
  } else gen = JSON.parse(fs.readFileSync(marker, 'utf8'));
  const h = openDatabase({ dataDir, ...(kind === 'postgres' ? { databaseUrl: pgUrl } : {}) });
  const store = storeOver(h);
  const p = monthPeriod(MONTH);
  const table = await timeIt(async () => {
    const rows = await store.assessment.sumCounters({ dims: ['unit', 'street'], fromDay: p.fromDay, toDay: p.toDay });
    return rows.map((x) => { const s = sumsOf(x.vector); return { i: indicatorValues(s), s: score(DEFAULT_FORMULA.terms, s) }; });
  });
  const rowsRead = (await store.assessment.sumCounters({ dims: ['unit', 'street'], fromDay: p.fromDay, toDay: p.toDay })).length;
  const drill = await timeIt(() => store.assessment.drillDown({ dim: 'unit', key: 'U7', counter: 'handled_on_time', fromDay: p.fromDay, toDay: p.toDay, limit: 50 }));
  const drillLast = await timeIt(async () => {
    // a later page: keyset from the middle of the month
    await store.assessment.drillDown({ dim: 'unit', key: 'U7', counter: 'to_handle', fromDay: p.fromDay, toDay: p.toDay, after: { day: p.fromDay + 14, caseId: 0 }, limit: 50 });
  });
  await h.close();
  const result = {
    store: kind, cases: n, month: MONTH, generation: gen, counterColumns: COUNTER_COLUMNS.length,
    allUnitsAndStreetsMs: table, rows: rowsRead, drillDownPageMs: drill, drillDownLaterPageMs: drillLast,
    target: { allUnitsAndStreetsMs: 500, drillDownPageMs: 100 },
    pass: table.p50 < 500 && drill.p50 < 100 && drillLast.p50 < 100,
  };
  const file = writeResult(`assessment-${kind}`, result);
  progress(`${kind}, ${n.toLocaleString()} cases: all units + streets ${table.p50} ms (p50 of 7), drill-down page ${drill.p50} ms, later page ${drillLast.p50} ms → ${file}`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [kind = 'sqlite', n = '1000000'] = process.argv.slice(2);
  await benchAssessment(kind as 'sqlite' | 'postgres', Number(n));
}

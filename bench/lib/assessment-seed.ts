/**
 * A fast seeder for the assessment bench at 10,000,000 cases (issue 10, Performance).
 *
 * 1. Template: the demo city and its generated history (src/demo/history: 13 months with seasons, recurring spots,
 *    late units, returns, postponements, hangs, callbacks, exclusions, appeals; every case with its real history
 *    rows), T cases, counted by the real rebuild (`rebuildMonth`, the code `cityops assessment rebuild` runs), so its
 *    facts and counters come from the counting itself.
 * 2. Copies: the template is copied K − 1 times inside the database (INSERT … SELECT over a recursive CTE on SQLite,
 *    generate_series on PostgreSQL; a few copies per transaction): cases (id + k·S, case number + `.k`, so a copy keeps
 *    its report day; `search_text` left empty, the text index is not what this bench reads), their history rows and
 *    their facts. A copy has the same slices (unit, regions, grid, matter, channel, urgency, day) and history as its
 *    original, so its contribution to every counter is the original's: the counters become K × the template's, one
 *    UPDATE, exactly what counting the K·T cases one by one would give.
 * 3. Check on a sample (`verifySample`): the real recount over cases of several copies must change no facts, and one
 *    day's counters must equal the sum of that day's facts (what rebuild compares).
 */
import { sql } from 'kysely';
import type { AppContext } from '../../src/runtime/context.ts';
import { raw } from './raw.ts';
import { seedDemo } from '../../src/commands/demo-seed.ts';
import { seedDemoHistory, monthsBetween } from '../../src/commands/demo-history.ts';
import { rebuildMonth } from '../../src/commands/assessment-rebuild.ts';
import { recountCases } from '../../src/commands/assessment-count.ts';
import { COUNTER_COLUMNS, contributions } from '../../src/domain/assessment/index.ts';

const HISTORY_COPIES = 3;

export interface SeedReport {
  template: number; copies: number; stride: number; cases: number; historyRows: number; historyCopies: number;
  ms: { template: number; count: number; copy: number }; seededAt: number;
}

async function columnsOf(ctx: AppContext, table: string): Promise<string[]> {
  const h = raw(ctx);
  if (h.dialect === 'sqlite') return (h.sqlite!.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((r) => r.name);
  const r = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_name = ${table} AND table_schema = current_schema() ORDER BY ordinal_position`.execute(h.db);
  return r.rows.map((x) => x.column_name);
}

export async function seedAssessmentStore(ctx: AppContext, n: number, say: (m: string) => void, templateCases = 20_000): Promise<SeedReport> {
  const h = raw(ctx);
  const t0 = Date.now();
  say('seeding the demo city…');
  await seedDemo(ctx);
  const summary = await seedDemoHistory(ctx, { create: true, totalCases: templateCases, batchDays: 14, log: say });
  if (!summary) throw new Error('demo history did not run');
  const tTemplate = Date.now() - t0;
  say(`template: ${summary.cases.toLocaleString('en')} cases, ${summary.historyRows.toLocaleString('en')} history rows in ${(tTemplate / 1000).toFixed(1)} s; counting them with rebuild…`);
  for (const month of monthsBetween(summary.from, summary.to)) {
    const r = await rebuildMonth(ctx, month);
    say(`  counted ${month}: ${r.cases.toLocaleString('en')} cases`);
  }
  // The instant the counting ended: facts that depend on the time (a deadline passing: overdue_open) are as of then.
  const seededAt = ctx.clock.now();
  const tCount = Date.now() - t0 - tTemplate;
  const stat = await sql<{ lo: number; hi: number; c: number }>`SELECT min(id) AS lo, max(id) AS hi, count(*) AS c FROM cases`.execute(h.db);
  const S = Number(stat.rows[0].hi);
  const T = Number(stat.rows[0].c);
  const K = Math.max(1, Math.round(n / T));
  const histCount = Number((await sql<{ c: number }>`SELECT count(*) AS c FROM case_history`.execute(h.db)).rows[0].c);

  // History rows (9 a case) are most of the copying; the indicators and drill-downs never read them. By default only
  // the first copies get theirs (the ones the sample check recounts); BENCH_ASSESSMENT_HISTORY=all copies them all.
  const allHistory = process.env.BENCH_ASSESSMENT_HISTORY === 'all';
  const copiedHistory = allHistory ? K : Math.min(K, HISTORY_COPIES + 1);
  const caseCols = (await columnsOf(ctx, 'cases'));
  const caseExpr = caseCols.map((c) => {
    if (c === 'id') return 'c.id + ks.k * ' + S;
    if (c === 'case_no') return "c.case_no || '.' || CAST(ks.k AS TEXT)";
    if (c === 'search_text') return 'NULL';
    if (c === 'master_case_id') return 'c.master_case_id + ks.k * ' + S;
    if (c === 'external_id') return "c.external_id || '.' || CAST(ks.k AS TEXT)";
    return `c.${c}`;
  });
  const histCols = (await columnsOf(ctx, 'case_history')).filter((c) => c !== 'id');
  const histExpr = histCols.map((c) => (c === 'case_id' ? `x.case_id + ks.k * ${S}` : `x.${c}`));
  const factCols = await columnsOf(ctx, 'assessment_facts');
  const factExpr = factCols.map((c) => (c === 'case_id' ? `f.case_id + ks.k * ${S}` : `f.${c}`));
  const ks = (a: number, b: number) => (h.dialect === 'sqlite'
    ? `(WITH RECURSIVE s(k) AS (SELECT ${a} UNION ALL SELECT k + 1 FROM s WHERE k < ${b - 1}) SELECT k FROM s) ks`
    : `generate_series(${a}, ${b - 1}) AS ks(k)`);
  const stmts = (a: number, b: number) => [
    `INSERT INTO cases (${caseCols.join(',')}) SELECT ${caseExpr.join(',')} FROM ${ks(a, b)} CROSS JOIN cases c WHERE c.id <= ${S} `,
    ...(allHistory || a <= HISTORY_COPIES ? [`INSERT INTO case_history (${histCols.join(',')}) SELECT ${histExpr.join(',')} FROM ${ks(a, allHistory ? b : Math.min(b, HISTORY_COPIES + 1))} CROSS JOIN case_history x WHERE x.case_id <= ${S} `] : []),
    `INSERT INTO assessment_facts (${factCols.join(',')}) SELECT ${factExpr.join(',')} FROM ${ks(a, b)} CROSS JOIN assessment_facts f WHERE f.case_id <= ${S} `,
  ];
  // Secondary indexes are dropped for the copy and built again after it (one sorted build each, much faster than
  // 10,000,000 random index inserts); the primary keys and unique constraints stay.
  const tables = ['cases', 'case_history', 'assessment_facts'];
  const indexes = h.dialect === 'sqlite'
    ? (h.sqlite!.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('cases', 'case_history', 'assessment_facts')`).all() as { name: string; sql: string }[])
    : (await sql<{ name: string; sql: string }>`SELECT i.indexname AS name, i.indexdef AS sql FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename = ANY(${tables})
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`.execute(h.db)).rows;
  if (h.dialect === 'sqlite') {
    h.sqlite!.pragma('cache_size = -1048576');
    h.sqlite!.pragma('synchronous = OFF');
  }
  for (const ix of indexes) await sql.raw(`DROP INDEX ${ix.name}`).execute(h.db);
  say(`copying the template ${K - 1} times → ${(K * T).toLocaleString('en')} cases, ${(copiedHistory * histCount).toLocaleString('en')} history rows (${allHistory ? 'every copy' : `template + ${copiedHistory - 1} copies`})`);
  const t1 = Date.now();
  const per = Math.max(1, Math.floor(200_000 / T)); // ~200k cases per transaction
  for (let a = 1; a < K; a += per) {
    const b = Math.min(K, a + per);
    if (h.dialect === 'sqlite') {
      const db = h.sqlite!;
      db.transaction(() => { for (const s of stmts(a, b)) db.exec(s); })();
    } else {
      await h.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL synchronous_commit = off`.execute(trx);
        for (const s of stmts(a, b)) await sql.raw(s).execute(trx);
      });
    }
    const done = b * T;
    const secs = (Date.now() - t1) / 1000;
    const rate = ((b - 1) * T) / secs;
    say(`  ${done.toLocaleString('en')} / ${(K * T).toLocaleString('en')} cases (${Math.round(rate).toLocaleString('en')} cases/s, ~${Math.round(((K - b) * T) / rate)} s left)`);
  }
  const tIx = Date.now();
  for (const ix of indexes) {
    const t = Date.now();
    if (h.dialect === 'sqlite') await sql.raw(ix.sql).execute(h.db);
    else {
      await h.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL maintenance_work_mem = '512MB'`.execute(trx);
        await sql.raw(ix.sql).execute(trx);
      });
    }
    say(`  index ${ix.name} built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  say(`indexes built in ${((Date.now() - tIx) / 1000).toFixed(0)} s`);
  // Every copy adds exactly its original's contribution to the same counter rows.
  if (K > 1) await sql.raw(`UPDATE assessment_counters SET ${COUNTER_COLUMNS.map((c) => `${c} = ${c} * ${K}`).join(', ')}`).execute(h.db);
  if (h.dialect === 'postgres') await sql.raw(`SELECT setval(pg_get_serial_sequence('cases', 'id'), ${K * S})`).execute(h.db);
  const tCopy = Date.now() - t1;
  say(`copied in ${(tCopy / 1000).toFixed(0)} s; ANALYZE…`);
  await sql`ANALYZE`.execute(h.db);
  return { template: T, copies: K, stride: S, cases: K * T, historyRows: copiedHistory * histCount, historyCopies: copiedHistory, ms: { template: tTemplate, count: tCount, copy: tCopy }, seededAt };
}

/**
 * The sample check: the real recount of `sample` cases spread over the copies (at the instant the template was
 * counted, so open cases' deadlines stand as they were) must change no facts; and one day's counter rows must equal
 * the sum of that day's facts, as rebuild compares them.
 */
export interface SampleCheck {
  recounted: number; factsChanged: number; changes: { caseId: number; added: string[]; removed: string[] }[]; dayCounterRows: number; counterDiffs: number;
}

export async function verifySample(ctx: AppContext, seed: SeedReport, day: number, sample = 1000): Promise<SampleCheck> {
  const S = seed.stride;
  const ids: number[] = [];
  for (let i = 0; i < sample; i++) ids.push(1 + ((i * 7919) % S) + (i % (seed.historyCopies ?? seed.copies)) * S);
  const r = await ctx.store.transaction(async (tx) => {
    await tx.assessment.lockCounting();
    return recountCases(tx, ids, seed.seededAt, ctx.config.utcOffsetMinutes);
  });
  const expected = new Map<string, number[]>();
  for (const f of await ctx.store.assessment.factsOfDay(day)) {
    for (const [k, v] of contributions(f)) {
      const cur = expected.get(k);
      if (!cur) expected.set(k, v.slice()); else for (let i = 0; i < v.length; i++) cur[i] += v[i];
    }
  }
  const stored = await ctx.store.assessment.countersOfDay(day);
  let diffs = 0;
  for (const k of new Set([...expected.keys(), ...stored.keys()])) {
    const e = expected.get(k), s = stored.get(k);
    for (let i = 0; i < COUNTER_COLUMNS.length; i++) if ((e?.[i] ?? 0) !== (s?.[i] ?? 0)) diffs++;
  }
  const changes = r.changed.slice(0, 20).map((c) => ({
    caseId: c.caseId, added: [...c.after.flags].filter((f) => !c.before?.flags.has(f)), removed: [...(c.before?.flags ?? [])].filter((f) => !c.after.flags.has(f)),
  }));
  return { recounted: r.cases, factsChanged: r.changed.length, changes, dayCounterRows: stored.size, counterDiffs: diffs };
}

/**
 * Prepares (or reuses) a benchmark store: the demo city plus N bulk-loaded open cases, and an API key.
 * A reused store is first brought up to date, with progress: migrations added since it was seeded (a new index on a
 * million rows takes a while), and the duplicate-check cell of stores seeded before the seeder recorded it.
 */
import { raw, closeBenchContext } from './raw.ts';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/env.ts';
import { createContext } from '../../src/runtime/bootstrap.ts';
import { openDatabase, type DbHandle } from '../../src/storage/db.ts';
import { migrate } from '../../src/storage/migrate.ts';
import { seedDemo } from '../../src/commands/demo-seed.ts';
import { createApiKey } from '../../src/commands/apikey-create.ts';
import { pointOnSurface } from '../../src/domain/grid/index.ts';
import { DEFAULT_DUPLICATE_POLICY, dupCell } from '../../src/domain/duplicates/duplicates.ts';
import { bulkSeedCases } from './seed-cases.ts';

export interface BenchStore {
  env: Record<string, string>; apiKey: string; points: [number, number][]; cases: number; dataDir: string; seededAt: number; sweepCursor: number;
  /** Days the bulk-loaded cases span (default 365). */
  spanDays?: number;
  /** Every bulk-loaded case has its duplicate-check cell (stores seeded before this was recorded get it on reuse). */
  dupCells?: boolean;
  /** The highest id of the bulk-loaded cases: cases above it were added by benchmark runs. */
  seededMaxId?: number;
}

export function saveStore(store: BenchStore): void {
  fs.writeFileSync(path.join(store.dataDir, 'bench-store.json'), JSON.stringify(store));
}

/** Migration files on disk (`NNN-name.ts`), for naming what a cached store has not applied yet. */
function migrationNames(): string[] {
  const dir = path.resolve('src/storage/migrations');
  return fs.readdirSync(dir).filter((f) => /^\d{3}-.+\.ts$/.test(f) && !f.endsWith('.test.ts')).map((f) => f.slice(0, -3)).sort();
}

/** A ticker for long single statements (index builds, backfills): "still …, N s" every 10 s. */
function ticking<T>(say: (m: string) => void, what: string, work: Promise<T>): Promise<T> {
  const t0 = Date.now();
  const timer = setInterval(() => say(`  still ${what}… ${Math.round((Date.now() - t0) / 1000)} s`), 10_000);
  return work.finally(() => clearInterval(timer));
}

/** Migrations the cached store has not seen yet, applied here (not in the server, whose start has a time limit). */
async function migrateCached(h: DbHandle, store: BenchStore, say: (m: string) => void): Promise<boolean> {
  let applied: string[] = [];
  try {
    const r = await h.db.selectFrom('cityops_migrations' as never).select('name' as never).execute();
    applied = (r as { name: string }[]).map((x) => x.name);
  } catch { /* no table yet */ }
  const pending = migrationNames().filter((n) => !applied.includes(n));
  if (pending.length === 0) return false;
  say(`migrating the cached store: ${pending.join(', ')} over ${store.cases.toLocaleString()} cases (index builds may take a while)…`);
  const t0 = Date.now();
  const done = await ticking(say, 'migrating', migrate(h));
  say(`migrated in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${done.length ? done.join(', ') : 'nothing registered (files not in the migration list yet)'}`);
  return done.length > 0;
}

/** Stores seeded before the seeder recorded `dup_cell`: fill it in, in id chunks, with progress. */
async function backfillDupCells(h: DbHandle, say: (m: string) => void): Promise<void> {
  const chunk = 50_000;
  const range = await h.db.selectFrom('cases').select((eb) => [eb.fn.min('id').as('lo'), eb.fn.max('id').as('hi')]).executeTakeFirst();
  if (!range || range.lo === null) return;
  const lo = Number(range.lo), hi = Number(range.hi);
  say(`recording the duplicate-check cell of ${(hi - lo + 1).toLocaleString()} cached cases (seeded before the seeder did)…`);
  const t0 = Date.now();
  for (let a = lo; a <= hi; a += chunk) {
    const rows = await h.db.selectFrom('cases').select(['id', 'lon', 'lat'])
      .where('id', '>=', a).where('id', '<', a + chunk).where('dup_cell', 'is', null).where('lon', 'is not', null).execute();
    const ids = rows.map((r) => Number(r.id));
    const cells = rows.map((r) => dupCell(Number(r.lon), Number(r.lat)));
    if (h.dialect === 'sqlite') {
      const db = h.sqlite!;
      const up = db.prepare('UPDATE cases SET dup_cell = ? WHERE id = ?');
      db.transaction(() => { ids.forEach((id, i) => up.run(cells[i], id)); })();
    } else if (ids.length) {
      await sql`UPDATE cases SET dup_cell = v.c FROM unnest(${ids}::bigint[], ${cells}::text[]) AS v(id, c) WHERE cases.id = v.id`.execute(h.db);
    }
    const n = Math.min(hi, a + chunk - 1) - lo + 1;
    if ((a - lo) % (chunk * 4) === 0 || a + chunk > hi) say(`  ${n.toLocaleString()} / ${(hi - lo + 1).toLocaleString()} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
}

/**
 * Reports that earlier runs added through the API would crowd the duplicate check's window (one 10 s run adds
 * more reports than the city's three days), and the linked share would grow run after run: they stop being
 * candidates (their cell is cleared), so each run meets the window as seeded.
 */
async function resetDuplicateWindow(h: DbHandle, store: BenchStore, say: (m: string) => void): Promise<void> {
  if (store.seededMaxId === undefined) {
    const r = await h.db.selectFrom('cases').select((eb) => eb.fn.max('id').as('v')).where('created_by', '=', 'bench').executeTakeFirst();
    store.seededMaxId = Number(r?.v ?? 0);
    saveStore(store);
  }
  const r = await h.db.updateTable('cases').set({ dup_cell: null }).where('id', '>', store.seededMaxId).where('dup_cell', 'is not', null).executeTakeFirst();
  const n = Number(r.numUpdatedRows);
  if (n > 0) say(`${n.toLocaleString()} reports from earlier runs are no longer duplicate candidates (the window is as seeded)`);
  const windowMs = DEFAULT_DUPLICATE_POLICY.windowHours * 3600_000;
  const age = Date.now() - store.seededAt;
  if (age > windowMs / 2) {
    say(`note: the store was seeded ${(age / 86400_000).toFixed(1)} days ago, so ${age >= windowMs ? 'none' : 'only part'} of its cases fall in ` +
      `the duplicate check's ${DEFAULT_DUPLICATE_POLICY.windowHours} h window (HTTP runs link fewer duplicates); delete ${store.dataDir} to reseed`);
  }
}

/** Where a store lives: `bench/data/<kind>-<cases>` (plus `-<days>d` when the cases span other than a year). */
function storeName(kind: string, cases: number, spanDays: number): string {
  return `${kind}-${cases}${spanDays === 365 ? '' : `-${String(spanDays).replace('.', '_')}d`}`;
}

export async function prepareStore(
  kind: 'sqlite' | 'postgres', cases: number, say: (m: string) => void, opts: { spanDays?: number } = {},
): Promise<BenchStore> {
  const spanDays = opts.spanDays ?? 365;
  const label = storeName(kind, cases, spanDays);
  const dataDir = path.resolve(`bench/data/${label}`);
  const meta = path.join(dataDir, 'bench-store.json');
  let databaseUrl: string | undefined;
  if (kind === 'postgres') {
    const base = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test';
    const u = new URL(base);
    u.pathname = `/cityops_bench_${label.slice(kind.length + 1).replace(/-/g, '_')}`;
    databaseUrl = u.toString();
  }
  if (fs.existsSync(meta)) {
    const store: BenchStore = JSON.parse(fs.readFileSync(meta, 'utf8'));
    say(`reusing ${kind} store with ${cases.toLocaleString()} cases (${dataDir})`);
    const h = openDatabase({ databaseUrl: store.env.DATABASE_URL, dataDir: store.dataDir });
    try {
      let changed = await migrateCached(h, store, say);
      if (!store.dupCells) {
        await ticking(say, 'recording cells', backfillDupCells(h, say));
        store.dupCells = true;
        changed = true;
      }
      await resetDuplicateWindow(h, store, say);
      if (changed) {
        // fresh planner statistics for the new index / column (the seeder ANALYZEd the store once)
        say('ANALYZE…');
        await ticking(say, 'analyzing', sql`ANALYZE`.execute(h.db));
        saveStore(store);
      }
    } finally {
      await h.close();
    }
    return store;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  if (databaseUrl) {
    const admin = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test' });
    await admin.connect();
    const name = new URL(databaseUrl).pathname.slice(1);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  }
  const env: Record<string, string> = { DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  const ctx = await createContext(loadConfig(env as NodeJS.ProcessEnv));
  say(`seeding the demo city into ${kind}…`);
  await seedDemo(ctx);
  const now = Date.now();
  await bulkSeedCases(ctx, cases, now, say, spanDays);
  const key = await createApiKey(ctx, { name: 'bench', roles: ['operator', 'dispatcher'] }, null);
  const seededMaxId = Number((await raw(ctx).db.selectFrom('cases').select((eb) => eb.fn.max('id').as('v')).executeTakeFirst())?.v ?? 0);
  const grids = await raw(ctx).db.selectFrom('grids').select('geometry').execute();
  const points = grids.map((g) => pointOnSurface(JSON.parse(g.geometry)) as [number, number]);
  await closeBenchContext(ctx);
  const store: BenchStore = { env, apiKey: key.key, points, cases, dataDir, seededAt: now, sweepCursor: now, spanDays, dupCells: true, seededMaxId };
  fs.writeFileSync(meta, JSON.stringify(store));
  return store;
}

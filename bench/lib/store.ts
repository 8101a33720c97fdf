/** Prepares (or reuses) a benchmark store: the demo city plus N bulk-loaded open cases, and an API key. */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/env.ts';
import { createContext, closeContext } from '../../src/core/bootstrap.ts';
import { seedDemo } from '../../src/commands/demo-seed.ts';
import { createApiKey } from '../../src/commands/apikey-create.ts';
import { pointOnSurface } from '../../src/domain/grid/index.ts';
import { bulkSeedCases } from './seed-cases.ts';

export interface BenchStore { env: Record<string, string>; apiKey: string; points: [number, number][]; cases: number; dataDir: string; seededAt: number; sweepCursor: number }

export function saveStore(store: BenchStore): void {
  fs.writeFileSync(path.join(store.dataDir, 'bench-store.json'), JSON.stringify(store));
}

export async function prepareStore(kind: 'sqlite' | 'postgres', cases: number, say: (m: string) => void): Promise<BenchStore> {
  const dataDir = path.resolve(`bench/data/${kind}-${cases}`);
  const meta = path.join(dataDir, 'bench-store.json');
  let databaseUrl: string | undefined;
  if (kind === 'postgres') {
    const base = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test';
    const u = new URL(base);
    u.pathname = `/cityops_bench_${cases}`;
    databaseUrl = u.toString();
  }
  if (fs.existsSync(meta)) {
    say(`reusing ${kind} store with ${cases.toLocaleString()} cases (${dataDir})`);
    return JSON.parse(fs.readFileSync(meta, 'utf8'));
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
  await bulkSeedCases(ctx, cases, now, say);
  const key = await createApiKey(ctx, { name: 'bench', roles: ['operator', 'dispatcher'] }, null);
  const grids = await ctx.db.selectFrom('grids').select('geometry').execute();
  const points = grids.map((g) => pointOnSurface(JSON.parse(g.geometry)) as [number, number]);
  await closeContext(ctx);
  const store: BenchStore = { env, apiKey: key.key, points, cases, dataDir, seededAt: now, sweepCursor: now };
  fs.writeFileSync(meta, JSON.stringify(store));
  return store;
}

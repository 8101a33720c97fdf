/**
 * Test stores: every integration/API test runs on SQLite, and also on PostgreSQL when TEST_DATABASE_URL is set
 * (each test context gets its own fresh database there, dropped afterwards).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config/env.ts';
import { createContext, closeContext } from '../../src/runtime/bootstrap.ts';
import { FakeClock } from '../../src/runtime/clock.ts';
import type { AppContext } from '../../src/runtime/context.ts';
import { buildApp, type App } from '../../src/http/app.ts';
import { openDatabase, type Db } from '../../src/storage/db.ts';

export type Store = 'sqlite' | 'postgres';

export function storesUnderTest(): Store[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestEnv {
  store: Store;
  ctx: AppContext;
  /**
   * A second, raw connection to the same database, for tests to look at (and deliberately spoil) stored rows. The
   * platform itself never sees a query builder outside src/storage; tests may.
   */
  db: Db;
  app: App;
  clock: FakeClock;
  dataDir: string;
  close(): Promise<void>;
}

/** 2026-11-25 (Wednesday) 10:00 in UTC+8 — a working day. */
export const T0 = Date.UTC(2026, 10, 25, 2, 0, 0);

async function freshPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL!;
  const name = `cityops_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function createTestEnv(store: Store, opts: { now?: number; config?: Partial<Config> } = {}): Promise<TestEnv> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-test-'));
  let drop = async () => {};
  let databaseUrl: string | undefined;
  if (store === 'postgres') {
    const db = await freshPgDatabase();
    databaseUrl = db.url;
    drop = db.drop;
  }
  // The suites stand behind a pretend proxy: a test names its client address with X-Forwarded-For (rate limits).
  const config = loadConfig({ DATA_DIR: dataDir } as NodeJS.ProcessEnv, { databaseUrl, sweepIntervalMs: 0, trustProxy: true, ...opts.config });
  const clock = new FakeClock(opts.now ?? T0);
  const ctx = await createContext(config, { clock });
  const app = await buildApp(ctx);
  await app.ready();
  const raw = openDatabase({ databaseUrl, dataDir, poolSize: 2 });
  return {
    store, ctx, app, clock, dataDir, db: raw.db,
    close: async () => {
      await app.close();
      await closeContext(ctx);
      await raw.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

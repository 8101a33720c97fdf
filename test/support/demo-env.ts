/** A test environment with the demo city seeded (regions, grids, units, rules, limits, calendar). */
import { createTestEnv, type Store, type TestEnv } from './test-context.ts';
import type { Config } from '../../src/config/env.ts';
import { seedDemo } from '../../src/commands/demo-seed.ts';

/**
 * Duplicate detection (issue 3 §5) is off unless `duplicates: true`: most suites report many cases of one matter at
 * one point and drive each through the workflow; test/api/duplicates.test.ts turns it on.
 */
export async function createDemoEnv(store: Store, opts: { now?: number; config?: Partial<Config>; duplicates?: boolean } = {}): Promise<TestEnv> {
  const env = await createTestEnv(store, opts);
  await seedDemo(env.ctx);
  // The platform checks for duplicates by default; here only the suites that test it keep it on.
  await env.ctx.store.duplicates.saveDuplicatePolicy({ enabled: !!opts.duplicates });
  return env;
}

/** A point inside a grid of the demo city, and the grid's community (the first grid of the first community). */
export function demoPoint(env: TestEnv, n = 0): { lon: number; lat: number; gridId: string; communityId: string } {
  const ref = env.ctx.ref.current();
  const grids = [...ref.grids.values()];
  const g = grids[n % grids.length];
  const p = gridPoints.get(g.id);
  if (!p) throw new Error('call loadGridPoints first');
  return { ...p, gridId: g.id, communityId: g.communityId };
}

const gridPoints = new Map<string, { lon: number; lat: number }>();
export async function loadGridPoints(env: TestEnv): Promise<void> {
  const { pointOnSurface } = await import('../../src/domain/grid/index.ts');
  const rows = await env.db.selectFrom('grids').select(['id', 'geometry']).execute();
  for (const r of rows) {
    const [lon, lat] = pointOnSurface(JSON.parse(r.geometry));
    gridPoints.set(r.id, { lon, lat });
  }
}

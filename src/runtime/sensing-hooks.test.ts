import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sensingHooks } from './sensing-hooks.ts';
import type { AppContext } from './context.ts';

test('listeners get stored readings in order; one failing listener neither throws nor stops the next', async () => {
  const errors: unknown[] = [];
  const ctx = { log: { info() {}, warn() {}, error: (o: unknown) => errors.push(o) } } as unknown as AppContext;
  const seen: string[] = [];
  const hooks = sensingHooks(ctx);
  assert.equal(sensingHooks(ctx), hooks, 'one registry per context');
  hooks.onReadings(() => { throw new Error('boom'); });
  hooks.onReadings((rs) => { seen.push(...rs.map((r) => r.deviceId)); });
  hooks.onStatus((cs) => { seen.push(...cs.map((c) => `${c.deviceId}:${c.state}`)); });
  await hooks.readingsStored([{ deviceId: 'd1', at: 1, values: { level: 3 } }, { deviceId: 'd2', at: 2, values: {} }]);
  await hooks.statusChanged([{ deviceId: 'd1', at: 3, state: 'offline' }]);
  assert.deepEqual(seen, ['d1', 'd2', 'd1:offline']);
  assert.equal(errors.length, 1);
});

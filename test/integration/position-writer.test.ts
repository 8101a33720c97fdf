/**
 * Field positions on SQLite are written by a worker thread with its own connection (src/storage/sqlite-position-writer.ts):
 * a write resolves only once its rows are committed and readable from the main connection, a newer fix wins over an
 * older one, and a failed batch rejects (the request then fails instead of acknowledging lost fixes).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDemoEnv } from '../support/demo-env.ts';
import type { TestEnv } from '../support/test-context.ts';
import type { LatestRow } from '../../src/storage/repositories/field.repository.ts';

const latestRow = (id: string, at: number, lon: number): LatestRow => ({
  resource_id: id, kind: 'vehicle', user_id: null, unit_id: null, label: id, on_duty: 1, duty_since: at, lon, lat: 31.2, at,
  grid_id: null, community_id: null, street_id: null, district_id: null, updated_at: at,
});

describe('position writer [sqlite]', () => {
  let env: TestEnv;
  before(async () => { env = await createDemoEnv('sqlite'); });
  after(async () => env.close());

  test('batches written off the request thread are committed when the write resolves; the newer fix wins', async () => {
    const t0 = Date.now();
    const track = Array.from({ length: 600 }, (_, i) => ({ resource_id: `vehicle:W${i % 3}`, at: t0 + i, lon: 121.4 + i * 1e-6, lat: 31.2, accuracy_m: null, grid_id: null }));
    await env.ctx.store.field.writePositionBatch(track, [latestRow('vehicle:W0', t0 + 10, 121.41)]);
    // An older fix for the same vehicle does not overwrite the newer one.
    await env.ctx.store.field.writePositionBatch([], [latestRow('vehicle:W0', t0 + 5, 121.49)]);
    const stored = await env.db.selectFrom('field_track').select((eb) => eb.fn.countAll<number>().as('n')).where('resource_id', 'like', 'vehicle:W%').executeTakeFirstOrThrow();
    assert.equal(Number(stored.n), 600);
    const [latest] = await env.ctx.store.field.findLatest(['vehicle:W0']);
    assert.equal(latest.lon, 121.41);
    assert.equal(latest.at, t0 + 10);
  });

  test('a batch the store refuses rejects instead of being acknowledged', async () => {
    const bad = { resource_id: 'vehicle:X', at: Date.now(), lon: null as unknown as number, lat: 31.2, accuracy_m: null, grid_id: null };
    await assert.rejects(env.ctx.store.field.writePositionBatch([bad], []), /NOT NULL/);
    const n = await env.db.selectFrom('field_track').select((eb) => eb.fn.countAll<number>().as('n')).where('resource_id', '=', 'vehicle:X').executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 0);
  });
});

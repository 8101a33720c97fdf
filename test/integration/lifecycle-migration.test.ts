/**
 * Migration 012 on cases stored before it, on each store: everyone who dispatched or ruled is found in the history
 * (separation of duties holds for old cases too), and an open dispute gets its owner and the instant of its return
 * as the pause of its handling clock.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { backfill } from '../../src/storage/migrations/012-lifecycle-clocks.ts';

for (const store of storesUnderTest()) {
  describe(`migration 012 backfill [${store}]`, () => {
    let env: TestEnv;
    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
    });
    after(async () => env.close());

    test('dispatchers and rulers from the history; open disputes get an owner and a paused clock', async () => {
      const inspector = await userClient(env.app, env.ctx, 'inspector');
      const a = await userClient(env.app, env.ctx, 'dispatcher');
      const b = await userClient(env.app, env.ctx, 'dispatcher');
      const made = [];
      for (const n of [1, 2, 3]) {
        const p = demoPoint(env, n);
        const r = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: `迁移 ${n}`, location: { lon: p.lon, lat: p.lat } });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        made.push(r.body as { id: number; routing: { unit: { id: string } }; street: { id: string } });
      }
      const [ruled, disputed, fresh] = made;
      for (const c of [ruled, disputed]) {
        const unitId = c.routing.unit.id;
        assert.equal((await a.post(`/api/v1/cases/${c.id}/dispatch`, { unitId })).status, 200);
        const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
        env.clock.advance(60_000);
        assert.equal((await handler.post(`/api/v1/cases/${c.id}/return`, { reason: 'r', basis: 'b' })).status, 200);
      }
      const returnedAt = env.clock.now();
      env.clock.advance(60_000);
      assert.equal((await b.post(`/api/v1/cases/${ruled.id}/rule-dispute`, { unitId: ruled.routing.unit.id, ruling: '原单位' })).status, 200);

      // As a store from before migration 012 has them.
      await env.db.updateTable('cases').set({ command_actor_ids: '[]', dispute_owner_region_id: null, handle_paused_at: null })
        .where('id', 'in', made.map((c) => c.id)).execute();
      await backfill(env.db as never, store);
      await backfill(env.db as never, store); // a second run changes nothing

      const rows = await env.db.selectFrom('cases').select(['id', 'command_actor_ids', 'dispute_owner_region_id', 'handle_paused_at'])
        .where('id', 'in', made.map((c) => c.id)).orderBy('id').execute();
      const byId = new Map(rows.map((r) => [Number(r.id), r]));
      assert.deepEqual(JSON.parse(byId.get(ruled.id)!.command_actor_ids).sort(), [a.userId, b.userId].sort());
      assert.equal(byId.get(ruled.id)!.dispute_owner_region_id, null, 'no longer disputed');
      assert.deepEqual(JSON.parse(byId.get(disputed.id)!.command_actor_ids), [a.userId]);
      assert.equal(byId.get(disputed.id)!.dispute_owner_region_id, disputed.street.id);
      assert.equal(Number(byId.get(disputed.id)!.handle_paused_at), returnedAt);
      assert.deepEqual(JSON.parse(byId.get(fresh.id)!.command_actor_ids), []);
    });
  });
}

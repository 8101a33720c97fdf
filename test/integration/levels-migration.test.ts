/**
 * Migration 017 on cases stored before it, on each store: every case gets the handling platform the default level
 * policy gives at intake (the street; the district for a district bureau's matter or a 非常紧急 case), the same as a
 * case created today.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { backfill } from '../../src/storage/migrations/017-levels.ts';

for (const store of storesUnderTest()) {
  describe(`migration 017 backfill [${store}]`, () => {
    let env: TestEnv;
    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
    });
    after(async () => env.close());

    test('old cases get the platform intake gives today', async () => {
      const inspector = await userClient(env.app, env.ctx, 'inspector');
      const p = demoPoint(env, 0);
      const made: { id: number; platform: { region: { id: string } }; street: { id: string }; district: { id: string } }[] = [];
      // 06001 → the street's 城管中队 (street); 06010 → the district's 环卫所 (district); 06001 非常紧急 → district.
      for (const [matterCode, urgency] of [['06001', 'normal'], ['06010', 'normal'], ['06001', 'very_urgent']]) {
        const r = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode, urgency, description: '迁移', location: { lon: p.lon, lat: p.lat } });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        made.push(r.body);
      }
      const [street, district, urgent] = made;
      assert.deepEqual([street.platform.region.id, district.platform.region.id, urgent.platform.region.id], [street.street.id, district.district.id, urgent.district.id]);

      await env.db.updateTable('cases').set({ platform_region_id: null }).where('id', 'in', made.map((c) => c.id)).execute();
      await backfill(env.db as never);
      await backfill(env.db as never); // a second run changes nothing
      const rows = await env.db.selectFrom('cases').select(['id', 'platform_region_id']).where('id', 'in', made.map((c) => c.id)).execute();
      const byId = new Map(rows.map((r) => [Number(r.id), r.platform_region_id]));
      for (const c of made) assert.equal(byId.get(c.id), c.platform.region.id, `case ${c.id}`);
    });
  });
}

/** The case list: scoped to what the caller may see, filtered, paged newest first. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';

for (const store of storesUnderTest()) {
  describe(`case list [${store}]`, () => {
    let env: TestEnv;
    let op: Client;
    const byStreet = new Map<string, number[]>();
    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      op = await userClient(env.app, env.ctx, 'operator');
      // one case in each of 60 grids spread over the district
      for (let i = 0; i < 60; i++) {
        const p = demoPoint(env, i * 17);
        const r = await op.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: `列表测试 ${i}`, location: { lon: p.lon, lat: p.lat } });
        assert.equal(r.status, 201);
        const street = r.body.street.id as string;
        byStreet.set(street, [...(byStreet.get(street) ?? []), r.body.id]);
      }
    });
    after(async () => env.close());

    test("centre staff of one street see exactly that street's cases", async () => {
      const [street, ids] = [...byStreet.entries()].sort((a, b) => b[1].length - a[1].length)[0];
      assert.ok(byStreet.size > 1, 'the cases fall in several streets');
      const local = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [street] });
      const r = await local.get('/api/v1/cases?limit=500');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.items.map((c: { id: number }) => c.id).sort((a: number, b: number) => a - b), [...ids].sort((a, b) => a - b));
      const other = [...byStreet.entries()].find(([s]) => s !== street)![1][0];
      assert.equal((await local.get(`/api/v1/cases/${other}`)).status, 404, 'a case elsewhere is not disclosed');
    });

    test('pages newest first with beforeId, and filters by state', async () => {
      const first = await op.get('/api/v1/cases?limit=25');
      assert.equal(first.body.items.length, 25);
      const ids = first.body.items.map((c: { id: number }) => c.id);
      assert.deepEqual(ids, [...ids].sort((a: number, b: number) => b - a));
      const second = await op.get(`/api/v1/cases?limit=25&beforeId=${first.body.nextBeforeId}`);
      assert.ok(second.body.items.every((c: { id: number }) => c.id < Math.min(...ids)));
      const reported = await op.get('/api/v1/cases?state=REPORTED&limit=500');
      assert.equal(reported.body.items.length, 60);
      const none = await op.get('/api/v1/cases?state=ARCHIVED');
      assert.equal(none.body.items.length, 0);
      const bad = await op.get('/api/v1/cases?state=FLYING');
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.field, /state/);
    });

    test("unit staff see only their unit's cases", async () => {
      const some = (await op.get('/api/v1/cases?limit=1')).body.items[0];
      const unitId = some.routing.unit.id;
      const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
      assert.equal((await handler.get('/api/v1/cases')).body.items.length, 0, 'nothing is dispatched yet');
    });
  });
}

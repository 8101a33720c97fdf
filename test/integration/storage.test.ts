/** Store-level guarantees on both stores: migrations are idempotent; the case history is append-only. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { createCase } from '../../src/commands/case-create.ts';

for (const store of storesUnderTest()) {
  describe(`storage [${store}]`, () => {
    let env: TestEnv;
    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
    });
    after(async () => env.close());

    test('running the migrations again applies nothing', async () => {
      assert.deepEqual(await env.ctx.store.migrate(), []);
    });

    test('history rows cannot be changed or deleted', async () => {
      const p = demoPoint(env, 2);
      const r = await createCase(env.ctx, { channel: 'hotline', matterCode: '06010', description: '垃圾', location: { lon: p.lon, lat: p.lat } },
        { userId: 'u1', roles: ['operator'], unitIds: [], regionIds: [] });
      await assert.rejects(env.db.updateTable('case_history').set({ reason: 'rewritten' }).where('case_id', '=', r.row.id).execute(), /append-only/);
      await assert.rejects(env.db.deleteFrom('case_history').where('case_id', '=', r.row.id).execute(), /append-only/);
      const rows = await env.db.selectFrom('case_history').selectAll().where('case_id', '=', r.row.id).execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0].reason, null);
    });

    test('stage limits are data: the demo seeds dispatch/sign/verify/check rows for every matter', async () => {
      const limit = env.ctx.ref.limitFor('06010', 'dispatch', 'urgent', null);
      assert.deepEqual(limit, { amount: 10, unit: 'natural_minutes' });
      const sign = env.ctx.ref.limitFor('09009', 'sign', 'normal', null);
      assert.deepEqual(sign, { amount: 1, unit: 'work_hours' });
    });
  });
}

/** The deadline sweep raises each warning and overdue flag exactly once, also with two sweeps running at once. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { runDeadlineSweep } from '../../src/jobs/deadline-sweep.job.ts';

for (const store of storesUnderTest()) {
  describe(`deadline sweep [${store}]`, () => {
    let env: TestEnv;
    let inspector: Client, dispatcher: Client, handler: Client;
    let unitId: string;
    before(async () => {
      // the fake clock jumps days ahead: keep the test sessions alive
      env = await createDemoEnv(store, { config: { sessionIdleMs: 365 * 86400_000, sessionTtlMs: 365 * 86400_000 } });
      await loadGridPoints(env);
      unitId = env.ctx.ref.current().routing.route({ matterCode: '09009', regionId: demoPoint(env, 1).communityId }).unitId;
      inspector = await userClient(env.app, env.ctx, 'inspector');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
    });
    after(async () => env.close());

    const newDispatchedCase = async (n: number) => {
      const p = demoPoint(env, n);
      const c = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '09009', description: '机动车乱停放', location: { lon: p.lon, lat: p.lat } });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      const d = await dispatcher.post(`/api/v1/cases/${c.body.id}/dispatch`, { unitId: c.body.routing.unit.id });
      assert.equal(d.status, 200, JSON.stringify(d.body));
      return d.body;
    };
    const history = async (id: number) => (await dispatcher.get(`/api/v1/cases/${id}/history`)).body.items.map((h: { action: string }) => h.action);

    test('warning then overdue, once each; re-running finds nothing', async () => {
      const c = await newDispatchedCase(1);
      const due = Date.parse(c.deadlines.handleDueAt);
      const warn = Date.parse(c.deadlines.handleWarnAt);
      assert.ok(warn < due);
      env.clock.set(warn + 1000);
      const r1 = await runDeadlineSweep(env.ctx);
      assert.ok(r1.warnings >= 1);
      assert.equal((await dispatcher.get(`/api/v1/cases/${c.id}`)).body.deadlines.alertLevel, 'warning');
      const again = await runDeadlineSweep(env.ctx);
      assert.equal(again.warnings + again.overdue, 0, 'idempotent: nothing fires twice');
      env.clock.set(due + 1000);
      const r2 = await runDeadlineSweep(env.ctx);
      assert.ok(r2.overdue >= 1);
      const after = (await dispatcher.get(`/api/v1/cases/${c.id}`)).body;
      assert.equal(after.deadlines.alertLevel, 'overdue');
      assert.equal(after.deadlines.everOverdue, true);
      const h = await history(c.id);
      assert.equal(h.filter((a: string) => a === 'deadline_warning').length, 1);
      assert.equal(h.filter((a: string) => a === 'deadline_overdue').length, 1);
    });

    test('a hung case is excluded from overdue; resuming shifts its deadline', async () => {
      const c = await newDispatchedCase(2);
      await handler.post(`/api/v1/cases/${c.id}/sign`, {});
      const req = await handler.post(`/api/v1/cases/${c.id}/request-hang`, { reason: '需市级协调' });
      assert.equal(req.status, 200, JSON.stringify(req.body));
      const hung = await dispatcher.post(`/api/v1/cases/${c.id}/approve-hang`, {});
      assert.equal(hung.body.state, 'HUNG');
      env.clock.advance(10 * 24 * 3600_000);
      const r = await runDeadlineSweep(env.ctx);
      const view = (await dispatcher.get(`/api/v1/cases/${c.id}`)).body;
      assert.equal(view.deadlines.alertLevel, 'normal', `hung cases are not overdue (${JSON.stringify(r)})`);
      const resumed = await dispatcher.post(`/api/v1/cases/${c.id}/resume`, {});
      assert.equal(resumed.body.state, 'IN_PROGRESS');
      assert.ok(Date.parse(resumed.body.deadlines.handleDueAt) > Date.parse(c.deadlines.handleDueAt) + 5 * 24 * 3600_000);
    });

    test('two sweeps at once fire each alert once', async () => {
      const cases = [];
      for (let i = 0; i < 8; i++) cases.push(await newDispatchedCase(30 + i));
      env.clock.set(Math.max(...cases.map((c) => Date.parse(c.deadlines.handleDueAt))) + 1000);
      const [a, b] = await Promise.all([runDeadlineSweep(env.ctx, { batchSize: 3 }), runDeadlineSweep(env.ctx, { batchSize: 3 })]);
      for (const c of cases) {
        const h = await history(c.id);
        assert.equal(h.filter((x: string) => x === 'deadline_overdue').length, 1, `case ${c.id}: ${h.join(',')} (${JSON.stringify([a, b])})`);
      }
    });
  });
}

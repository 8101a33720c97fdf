/**
 * Major-incident mode (issue 9 §5): a commander opens an incident, groups two cases under it (once each), adds the
 * first report and an update (首报, 续报1) and a resource, and closes it; the case's history says it was grouped;
 * bad input names the field and leaves nothing; a unit handler may read but not command; a closed incident is final.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';

for (const store of storesUnderTest()) {
  describe(`major incidents [${store}]`, () => {
    let env: TestEnv;
    let commander: Client, operator: Client, leader: Client;
    const caseIds: number[] = [];

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      commander = await userClient(env.app, env.ctx, 'dispatcher');
      operator = await userClient(env.app, env.ctx, 'operator');
      leader = await userClient(env.app, env.ctx, 'unit_leader', { unitIds: [[...env.ctx.ref.current().units.keys()][0]] });
      const p = demoPoint(env, 2);
      for (const d of ['燃气泄漏，有异味', '燃气泄漏，周边居民疏散']) {
        const c = await operator.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', urgency: 'very_urgent', description: d, location: { lon: p.lon, lat: p.lat } });
        assert.equal(c.status, 201, JSON.stringify(c.body));
        caseIds.push(c.body.id);
      }
    });
    after(async () => env.close());

    test('open, group cases, 首报 / 续报, a resource, close', async () => {
      const bad = await commander.post('/api/v1/incidents', { title: '燃气泄漏', level: 'V' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'level');
      const notCommander = await operator.post('/api/v1/incidents', { title: '燃气泄漏', level: 'III' });
      assert.equal(notCommander.status, 403);
      assert.equal(notCommander.body.error.field, 'role');
      assert.equal(await env.db.selectFrom('major_incidents').select('id').executeTakeFirst(), undefined, 'refused: nothing written');

      const o = await commander.post('/api/v1/incidents', { title: '滨湖路燃气管道泄漏', level: 'III' });
      assert.equal(o.status, 201, JSON.stringify(o.body));
      const id = o.body.id;
      assert.equal(o.body.state, 'open');
      assert.ok(o.body.canCommand);
      for (const c of [...caseIds, caseIds[0]]) assert.equal((await commander.post(`/api/v1/incidents/${id}/cases`, { caseId: c })).status, 200);
      const missing = await commander.post(`/api/v1/incidents/${id}/cases`, { caseId: 999999 });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error.field, 'caseId');
      await commander.post(`/api/v1/incidents/${id}/reports`, { text: '现场已警戒，燃气公司抢修队赶赴' });
      const r2 = await commander.post(`/api/v1/incidents/${id}/reports`, { text: '泄漏点已关阀，疏散居民 120 人' });
      assert.equal(r2.body.reportCount, 2);
      const empty = await commander.post(`/api/v1/incidents/${id}/reports`, { text: '   ' });
      assert.equal(empty.status, 400);
      assert.equal(empty.body.error.field, 'text');
      const res = await commander.post(`/api/v1/incidents/${id}/resources`, { kind: 'team', name: '区燃气抢修队', quantity: 12 });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const badRes = await commander.post(`/api/v1/incidents/${id}/resources`, { kind: 'dragon', name: 'x' });
      assert.equal(badRes.status, 400);
      assert.equal(badRes.body.error.field, 'kind');

      const d = await commander.get(`/api/v1/incidents/${id}`);
      assert.deepEqual(d.body.cases.map((c: { id: number }) => c.id).sort(), [...caseIds].sort(), 'each case once');
      assert.deepEqual(d.body.timeline.map((e: { kind: string }) => e.kind), ['opened', 'case_added', 'case_added', 'report', 'report', 'resource']);
      assert.deepEqual(d.body.timeline[4].details.label, { zh: '续报1', en: 'Update 1' });
      const hist = await env.db.selectFrom('case_history').select('action').where('case_id', '=', caseIds[0]).where('action', '=', 'incident_linked').execute();
      assert.equal(hist.length, 1);

      const read = await leader.get(`/api/v1/incidents/${id}`);
      assert.equal(read.status, 200);
      assert.equal(read.body.canCommand, false);
      assert.equal((await leader.post(`/api/v1/incidents/${id}/reports`, { text: '我来续报' })).status, 403);

      const closed = await commander.post(`/api/v1/incidents/${id}/close`, { summary: '险情排除' });
      assert.equal(closed.body.state, 'closed');
      const after = await commander.post(`/api/v1/incidents/${id}/reports`, { text: '补充' });
      assert.equal(after.status, 409);
      assert.equal(after.body.error.field, 'state');
      assert.equal((await commander.get('/api/v1/incidents?state=closed')).body.items[0].id, id);
      assert.equal((await commander.get('/api/v1/incidents/xyz')).status, 404);
    });
  });
}

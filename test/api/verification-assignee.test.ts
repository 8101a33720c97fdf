/**
 * 派发核实 to a named verifier (issue 8, docs/issue-8/verification-assignee.md): request_verify may name an active
 * inspector or grid member covering the case (else 400 naming verifierId); then only they may verify (403 naming
 * verifierId), the history names them, they are notified, and verifying clears the name.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { act } from '../support/case-flow.ts';
import { runNotifyFanout } from '../../src/jobs/notify-fanout.job.ts';

for (const store of storesUnderTest()) {
  describe(`named verifier [${store}]`, () => {
    let env: TestEnv;
    let op: Client, dispatcher: Client, insp: Client, insp2: Client, faraway: Client, unitUser: Client;
    let n = 0;
    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      op = await userClient(env.app, env.ctx, 'operator');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      insp = await userClient(env.app, env.ctx, 'inspector');
      insp2 = await userClient(env.app, env.ctx, 'inspector');
      // an inspector covering only a community other than the cases' own
      const p = demoPoint(env, 0);
      const other = [...env.ctx.ref.current().regions.values()].find((r) => r.level === 'community' && r.id !== p.communityId);
      assert.ok(other, 'the demo city has two communities');
      faraway = await userClient(env.app, env.ctx, 'inspector', { regionIds: [other.id] });
      unitUser = await userClient(env.app, env.ctx, 'dispatcher');
    });
    after(async () => env.close());

    const accepted = async () => {
      const p = demoPoint(env, 0);
      const r = await op.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', urgency: 'normal', description: `指定核实 ${++n}`, location: { lon: p.lon, lat: p.lat } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return act(op, r.body.id, 'accept');
    };

    test('a wrong verifierId is refused with 400 naming it, and nothing changes', async () => {
      const c = await accepted();
      for (const verifierId of ['no-such-user', dispatcher.userId, unitUser.userId, faraway.userId]) {
        const r = await dispatcher.post(`/api/v1/cases/${c.id}/request-verify`, { verifierId });
        assert.equal(r.status, 400, `${verifierId}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.field, 'verifierId');
      }
      const after = await op.get(`/api/v1/cases/${c.id}`);
      assert.equal(after.body.state, 'ACCEPTED');
      assert.equal(after.body.version, c.version);
    });

    test('the plain list of who may be named: inspectors covering the case (not the far-away one); only for those who may request it', async () => {
      const c = await accepted();
      const r = await dispatcher.get(`/api/v1/cases/${c.id}/verifiers`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const ids = r.body.items.map((x: any) => x.id);
      assert.ok(ids.includes(insp.userId) && ids.includes(insp2.userId), JSON.stringify(ids));
      assert.ok(!ids.includes(faraway.userId) && !ids.includes(dispatcher.userId));
      assert.equal((await insp.get(`/api/v1/cases/${c.id}/verifiers`)).status, 403);
    });

    test('named: another inspector gets 403 naming verifierId; the named one verifies; history and notification name them', async () => {
      const c = await accepted();
      const sent = await act(dispatcher, c.id, 'request-verify', { verifierId: insp.userId, note: '就近核实' });
      assert.equal(sent.state, 'VERIFYING');
      assert.equal(sent.verifier.id, insp.userId);
      assert.ok(sent.verifier.name);
      // the other inspector is not offered verify, and is refused
      assert.ok(!(await insp2.get(`/api/v1/cases/${c.id}`)).body.allowedActions.includes('verify'));
      const refused = await insp2.post(`/api/v1/cases/${c.id}/verify`, { outcome: 'confirmed' });
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.equal(refused.body.error.field, 'verifierId');
      // the named one is offered it and sees who must verify
      const mine = await insp.get(`/api/v1/cases/${c.id}`);
      assert.ok(mine.body.allowedActions.includes('verify'));
      assert.equal(mine.body.verifier.id, insp.userId);
      // the history row names the verifier (id and name)
      const h = await dispatcher.get(`/api/v1/cases/${c.id}/history`);
      const row = (h.body.items ?? h.body).find((x: any) => x.action === 'request_verify');
      assert.equal(row.details.verifierId, insp.userId);
      assert.ok(row.details.verifierName);
      // the named verifier is notified; the other inspector is not
      await runNotifyFanout(env.ctx);
      const bell = (await insp.get('/api/v1/notifications')).body;
      assert.ok(bell.items.some((x: any) => x.caseId === c.id && x.kind === 'new_task'), JSON.stringify(bell));
      const other = (await insp2.get('/api/v1/notifications')).body;
      assert.ok(!other.items.some((x: any) => x.caseId === c.id));
      const done = await act(insp, c.id, 'verify', { outcome: 'confirmed' });
      assert.equal(done.state, 'REGISTERED');
      assert.equal(done.verifier, null);
    });

    test('without verifierId nothing changes: any inspector in scope verifies', async () => {
      const c = await accepted();
      const sent = await act(dispatcher, c.id, 'request-verify', {});
      assert.equal(sent.verifier, null);
      assert.equal((await act(insp2, c.id, 'verify', { outcome: 'confirmed' })).state, 'REGISTERED');
    });
  });
}

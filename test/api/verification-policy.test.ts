/**
 * Which reports wait for an on-site verification is city policy (issue 8): by default a public report waits, a
 * 非常紧急 one is registered and dispatched at once; a city may add matters or classes; bad input names the field
 * and changes nothing; a bad stored row leaves the defaults in force and is reported.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';
import { act } from '../support/case-flow.ts';

for (const store of storesUnderTest()) {
  describe(`verification policy [${store}]`, () => {
    let env: TestEnv;
    let op: Client, admin: Client;
    let n = 0;
    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      op = await userClient(env.app, env.ctx, 'operator');
      admin = await userClient(env.app, env.ctx, 'admin');
    });
    after(async () => env.close());

    const put = (c: Client, body: unknown) => request(env.app, 'PUT', '/api/v1/verification-policy', {
      cookie: c.headers.cookie, headers: { 'x-csrf-token': c.headers['x-csrf-token'] }, body,
    });
    const accepted = async (urgency: string, matterCode = '06010') => {
      const p = demoPoint(env, 50 + n++ * 11);
      const r = await op.post('/api/v1/cases', { channel: 'hotline', matterCode, urgency, description: `核实策略 ${n}`, location: { lon: p.lon, lat: p.lat }, emergencyConfirmed: true });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return act(op, r.body.id, 'accept');
    };

    test('defaults: an ordinary hotline report waits for verification, a 非常紧急 one is registered at once', async () => {
      const ordinary = await accepted('normal');
      assert.ok(!ordinary.allowedActions.includes('register') && ordinary.allowedActions.includes('request_verify'), ordinary.allowedActions.join());
      assert.equal((await op.post(`/api/v1/cases/${ordinary.id}/register`, {})).status, 409);
      const urgent = await accepted('very_urgent');
      assert.ok(urgent.allowedActions.includes('register'), urgent.allowedActions.join());
      assert.equal((await act(op, urgent.id, 'register')).state, 'REGISTERED');
      const got = await op.get('/api/v1/verification-policy');
      assert.deepEqual(got.body.immediateUrgencies, ['very_urgent']);
      assert.equal(got.body.problems, undefined);
    });

    test('a city registers a whole class at once; cases waiting follow the new policy', async () => {
      const waiting = await accepted('normal');
      const r = await put(admin, { channels: ['hotline', 'open311'], immediateUrgencies: ['very_urgent'], immediateMatters: ['06'] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.immediateMatters, ['06']);
      assert.ok((await op.get(`/api/v1/cases/${waiting.id}`)).body.allowedActions.includes('register'));
      const other = await accepted('normal', '01001');
      assert.ok(!other.allowedActions.includes('register'), 'another class still waits');
    });

    test('bad input names the field and changes nothing; only rule.manage may change it', async () => {
      const before = (await op.get('/api/v1/verification-policy')).body;
      const bad = await put(admin, { channels: ['hotline', 'carrier-pigeon'], immediateUrgencies: [], immediateMatters: [] });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'channels.1');
      const badMatter = await put(admin, { channels: [], immediateUrgencies: [], immediateMatters: ['6010'] });
      assert.equal(badMatter.status, 400);
      assert.deepEqual((await op.get('/api/v1/verification-policy')).body, before);
      assert.equal((await put(op, { channels: [], immediateUrgencies: [], immediateMatters: [] })).status, 403);
    });

    test('a bad stored row leaves the defaults in force and is reported to those who may fix it', async () => {
      await env.ctx.store.settings.write('verification_policy', { channels: 'all' });
      await env.ctx.ref.load();
      const r = await admin.get('/api/v1/verification-policy');
      assert.deepEqual(r.body.channels, ['hotline', 'open311', 'app', 'media', 'petition']);
      assert.equal(r.body.problems[0].setting, 'verification_policy');
    });
  });
}

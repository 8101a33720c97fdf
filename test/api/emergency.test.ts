/**
 * Emergencies at the seat (issue 8): the city's emergency words make the suggestion say "threat to life" with the
 * referral (119 first for a fire); a hotline report whose words mean a threat to life is refused below 非常紧急
 * unless the seat confirms it is not an emergency (nothing written); the words are the city's data; a long
 * description is suggested from a body, not a URL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, request, type Client } from '../support/api-client.ts';

const FIRE = '着火了！居民楼着火了，里面好像还有人';

for (const store of storesUnderTest()) {
  describe(`emergencies at the seat [${store}]`, () => {
    let env: TestEnv;
    let op: Client;
    let admin: Client;
    let where: { lon: number; lat: number };
    const count = async () => Number((await env.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const putWords = (c: Client, body: unknown) => request(env.app, 'PUT', '/api/v1/hotline/emergency-words', {
      cookie: c.headers.cookie, headers: { 'x-csrf-token': c.headers['x-csrf-token'] }, body,
    });

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      op = await userClient(env.app, env.ctx, 'operator');
      admin = await userClient(env.app, env.ctx, 'admin');
      const p = demoPoint(env, 4);
      where = { lon: p.lon, lat: p.lat };
    });
    after(async () => { await env.close(); });

    test('the suggestion names the threat to life and the referrals, 119 first; an ordinary report has none', async () => {
      const r = await op.post('/api/v1/catalog/suggest', { text: FIRE });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.emergency.level, 'life');
      assert.equal(r.body.emergency.referrals[0].code, '119');
      assert.equal(r.body.emergency.referrals[0].zh, '119 火警');
      assert.deepEqual(r.body.emergency.words, ['着火', '里面好像还有人']);
      const plain = await op.get(`/api/v1/catalog/suggest?text=${encodeURIComponent('小区门口井盖坏了')}`);
      assert.deepEqual(plain.body.emergency, { level: null, referrals: [], words: [] });
      assert.ok(plain.body.items.length > 0);
    });

    test('a 1,800-character description is suggested from the body (it no longer goes in the URL)', async () => {
      const long = `${'小区门口的井盖坏了，'.repeat(180)}`;
      assert.equal(long.length, 1800);
      const r = await op.post('/api/v1/catalog/suggest', { text: long, limit: 3 });
      assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
      assert.ok(r.body.items.length > 0);
      const bad = await op.post('/api/v1/catalog/suggest', { text: '' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'text');
    });

    test('a hotline report of a fire is refused below 非常紧急 (nothing written) unless the seat confirms; other channels are not asked', async () => {
      const body = { channel: 'hotline', matterCode: '06012', description: FIRE, location: where, reporter: { phone: '13800000009' } };
      const before = await count();
      const refused = await op.post('/api/v1/cases', body);
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'CONFLICT');
      assert.equal(refused.body.error.field, 'urgency');
      assert.equal(refused.body.error.details.emergency.level, 'life');
      assert.equal(await count(), before, 'nothing written');
      const urgent = await op.post('/api/v1/cases', { ...body, urgency: 'very_urgent' });
      assert.equal(urgent.status, 201, JSON.stringify(urgent.body));
      assert.equal(urgent.body.urgency, 'very_urgent');
      const confirmed = await op.post('/api/v1/cases', { ...body, description: `${FIRE}（来电人称是电视剧情节）`, emergencyConfirmed: true });
      assert.equal(confirmed.status, 201, JSON.stringify(confirmed.body));
      const order = await op.post('/api/v1/hotline/work-orders', { caller: { phone: '13800000010' }, kind: 'report', description: FIRE, matterCode: '06012', location: where });
      assert.equal(order.status, 409, JSON.stringify(order.body));
      assert.equal(order.body.error.field, 'urgency');
      const patrolLike = await op.post('/api/v1/cases', { ...body, channel: 'other', description: `${FIRE}（另案）` });
      assert.equal(patrolLike.status, 201, 'only the seat\'s own reports are held to it');
    });

    test('the words are the city\'s: replaced as a whole by an administrator, validated first, used at once', async () => {
      const before = await op.get('/api/v1/hotline/emergency-words');
      assert.equal(before.status, 200);
      assert.ok(before.body.rules.length > 5);
      const bad = await putWords(admin, { rules: [{ words: ['山火'], level: 'fatal' }] });
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      assert.match(bad.body.error.field, /rules\.0\.level|rules\/0\/level/);
      assert.deepEqual((await op.get('/api/v1/hotline/emergency-words')).body.rules, before.body.rules, 'nothing written');
      assert.equal((await putWords(op, { rules: [] })).status, 403);
      const ok = await putWords(admin, { rules: [{ words: ['山火'], level: 'life', referrals: ['119'] }] });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal((await op.post('/api/v1/catalog/suggest', { text: '后山起了山火' })).body.emergency.level, 'life');
      assert.equal((await op.post('/api/v1/catalog/suggest', { text: FIRE })).body.emergency.level, null, 'the old list is gone');
      assert.equal((await putWords(admin, before.body)).status, 200);
    });
  });
}

for (const store of storesUnderTest()) {
  describe(`a caller's history at the seat [${store}]`, () => {
    let env: TestEnv;
    let op: Client;
    let dispatcher: Client;
    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      op = await userClient(env.app, env.ctx, 'operator');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
    });
    after(async () => { await env.close(); });

    test('cases are listed by the reporter\'s phone, however it was written; only for those who may read personal data', async () => {
      const p = demoPoint(env, 6);
      const a = await op.post('/api/v1/cases', { channel: 'hotline', matterCode: '06012', description: '路面脏', location: { lon: p.lon, lat: p.lat }, reporter: { phone: '+86 139 1234 0077' } });
      assert.equal(a.status, 201, JSON.stringify(a.body));
      await op.post('/api/v1/cases', { channel: 'hotline', matterCode: '06012', description: '路面又脏了', location: { lon: p.lon, lat: p.lat }, reporter: { phone: '13912340078' } });
      const mine = await op.get('/api/v1/cases?reporterPhone=13912340077');
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      assert.deepEqual(mine.body.items.map((c: any) => c.caseNo), [a.body.caseNo]);
      assert.equal(mine.body.total, 1);
      const refused = await dispatcher.get('/api/v1/cases?reporterPhone=13912340077');
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.field, 'reporterPhone');
    });
  });
}

/** 12345 hotline: knowledge base, direct answers, refusals with referral, new cases, repeat calls as 催办. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, T0, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, request, type Client } from '../support/api-client.ts';

for (const store of storesUnderTest()) {
  describe(`hotline work orders [${store}]`, () => {
    let env: TestEnv;
    let op: Client;
    let admin: Client;
    let dispatcher: Client;
    let where: { lon: number; lat: number };

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      op = await userClient(env.app, env.ctx, 'operator');
      admin = await userClient(env.app, env.ctx, 'admin');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      const p = demoPoint(env, 3);
      where = { lon: p.lon, lat: p.lat };
    });
    after(async () => { await env.close(); });

    const order = (body: Record<string, unknown>) => op.post('/api/v1/hotline/work-orders', body);
    const hotlineCases = async () => Number((await env.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).where('channel', '=', 'hotline').executeTakeFirstOrThrow()).n);

    test('KB search finds an article by a Chinese keyword, the better match first; admins add and edit articles', async () => {
      const r = await op.get(`/api/v1/kb?q=${encodeURIComponent('垃圾什么时候清运')}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(r.body.items.length >= 2);
      assert.equal(r.body.items[0].title, '生活垃圾清运时间');
      assert.ok(r.body.items[0].score > r.body.items[1].score);
      const none = await op.get(`/api/v1/kb?q=${encodeURIComponent('量子纠缠')}`);
      assert.deepEqual(none.body.items, []);
      const created = await admin.post('/api/v1/kb', { title: '共享单车乱停放', body: '由运营企业 2 小时内清理。', keywords: '共享单车 乱停放', matterCode: '09010' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const found = await op.get(`/api/v1/kb?q=${encodeURIComponent('共享单车')}&matterCode=09010`);
      assert.equal(found.body.items[0].id, created.body.id);
      assert.equal((await op.post('/api/v1/kb', { title: 'x', body: 'y' })).status, 403);
      const put = await request(env.app, 'PUT', `/api/v1/kb/${created.body.id}`, {
        cookie: admin.headers.cookie, headers: { 'x-csrf-token': admin.headers['x-csrf-token'] },
        body: { title: '共享单车乱停放', body: '已停用', active: false },
      });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.equal((await op.get(`/api/v1/kb?q=${encodeURIComponent('共享单车')}`)).body.items.length, 0);
    });

    test('a consultation answered from the KB is recorded as 直接答复 and creates no case', async () => {
      const kb = await op.get(`/api/v1/kb?q=${encodeURIComponent('停水通知')}`);
      const before = await hotlineCases();
      const r = await order({ caller: { name: '张三', phone: '13800000001' }, kind: 'consult', description: '问下周停水安排', answer: { articleId: kb.body.items[0].id } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.outcome, 'answered');
      assert.equal(r.body.call.articleId, kb.body.items[0].id);
      assert.equal(r.body.article.title, '停水通知查询');
      assert.equal(r.body.case, undefined);
      assert.equal(await hotlineCases(), before);
      const calls = await op.get('/api/v1/hotline/calls?phone=13800000001');
      assert.equal(calls.body.items.length, 1);
      assert.equal(calls.body.items[0].caller.phone, '13800000001');
    });

    test('an out-of-scope call is refused with the referral recorded, no case', async () => {
      const before = await hotlineCases();
      const r = await order({ caller: { phone: '13800000002' }, kind: 'help', description: '楼下着火了', refuse: { reason: '火警，属紧急警情', referral: '119' } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.outcome, 'refused');
      assert.equal(r.body.call.referral, '119');
      assert.equal(r.body.call.refusalReason, '火警，属紧急警情');
      assert.equal(await hotlineCases(), before);
      const row = await env.db.selectFrom('hotline_calls').selectAll().where('caller_phone', '=', '13800000002').executeTakeFirstOrThrow();
      assert.equal(row.outcome, 'refused');
      assert.equal(row.referral, '119');
    });

    test('a complaint creates a hotline case; a repeat call links to it as a 催办 instead of a second case', async () => {
      const before = await hotlineCases();
      const body = { caller: { name: '李四', phone: '13900000003' }, kind: 'complaint', description: '小区门口有人占道经营', matterCode: '09006', location: where };
      const r = await order(body);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.outcome, 'case');
      assert.equal(r.body.case.state, 'REPORTED');
      assert.equal(r.body.case.channel, 'hotline');
      assert.equal(r.body.call.caseId, r.body.case.id);
      assert.equal(r.body.call.feedbackClass, 'general');
      // General: 7 days (Beijing 接诉即办), counted from the next day to close of business of the 7th: Wed 25 Nov → Wed 2 Dec 17:30.
      assert.equal(r.body.call.createdAt, '2026-11-25T02:00:00.000Z');
      assert.equal(r.body.call.feedbackDueAt, '2026-12-02T09:30:00.000Z');
      const stored = await env.db.selectFrom('cases').select(['reporter_phone', 'needs_callback']).where('id', '=', r.body.case.id).executeTakeFirstOrThrow();
      assert.equal(stored.reporter_phone, '13900000003');
      assert.equal(Number(stored.needs_callback), 1);
      assert.equal(await hotlineCases(), before + 1);

      const again = await order({ ...body, description: '怎么还没人管？' });
      assert.equal(again.status, 201, JSON.stringify(again.body));
      assert.equal(again.body.outcome, 'linked');
      assert.equal(again.body.case.id, r.body.case.id);
      assert.equal(again.body.case.counters.supervisions, 1);
      assert.equal(await hotlineCases(), before + 1);
      const sup = await env.db.selectFrom('supervisions').selectAll().where('case_id', '=', r.body.case.id).execute();
      assert.equal(sup.length, 1);
      assert.equal(sup[0].level, 'urge');
      assert.match(sup[0].note, /怎么还没人管/);
      // another matter from the same phone is its own case
      const other = await order({ ...body, matterCode: '06028', description: '夜间噪声扰民' });
      assert.equal(other.body.outcome, 'case');
      assert.notEqual(other.body.case.id, r.body.case.id);
      // the calls list masks the phone for roles without personal_data.read
      const masked = await dispatcher.get('/api/v1/hotline/calls?phone=13900000003&limit=10');
      assert.equal(masked.status, 200, JSON.stringify(masked.body));
      assert.equal(masked.body.items.length, 3);
      assert.equal(masked.body.items[0].caller.phone, '139****0003');
      assert.deepEqual(masked.body.items.map((c: { outcome: string }) => c.outcome), ['case', 'linked', 'case']);
    });

    test('a very urgent call gets the 2 h feedback limit', async () => {
      const r = await order({ caller: { phone: '13900000004' }, kind: 'help', urgency: 'very_urgent', description: '井盖缺失有人掉下去风险', matterCode: '06010', location: where });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.call.feedbackClass, 'threat');
      assert.equal(Date.parse(r.body.call.feedbackDueAt), Date.parse(r.body.call.createdAt) + 2 * 3_600_000);
      assert.ok(Date.parse(r.body.call.createdAt) >= T0);
    });

    test('a retried work order with the same Idempotency-Key returns the first call and case; other content is 409', async () => {
      const count = async () => Number((await env.db.selectFrom('hotline_calls').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const body = { caller: { phone: '13900000011' }, kind: 'help', description: '路灯不亮，晚上很黑', matterCode: '06012', location: where };
      const key = { 'idempotency-key': `wo-${store}-1` };
      const n0 = await count();
      const c0 = await hotlineCases();
      const first = await op.post('/api/v1/hotline/work-orders', body, key);
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(first.body.outcome, 'case');
      // the case carries the call's feedback deadline
      assert.equal(first.body.case.deadlines.feedbackDueAt, first.body.call.feedbackDueAt);
      const again = await op.post('/api/v1/hotline/work-orders', { description: body.description, kind: 'help', matterCode: '06012', location: where, caller: { phone: '13900000011' } }, key);
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.call.id, first.body.call.id);
      assert.equal(again.body.case.id, first.body.case.id);
      assert.equal(await count(), n0 + 1);
      assert.equal(await hotlineCases(), c0 + 1);
      const changed = await op.post('/api/v1/hotline/work-orders', { ...body, description: '另一件事' }, key);
      assert.equal(changed.status, 409, JSON.stringify(changed.body));
      assert.equal(changed.body.error.field, 'Idempotency-Key');
      // a refusal retried is still one refusal; concurrent first attempts write one call
      const refuse = { caller: { phone: '13900000012' }, kind: 'help', description: '家里着火了', refuse: { reason: '紧急警情', referral: '119' } };
      const rkey = { 'idempotency-key': `wo-${store}-2` };
      const [r1, r2] = await Promise.all([op.post('/api/v1/hotline/work-orders', refuse, rkey), op.post('/api/v1/hotline/work-orders', refuse, rkey)]);
      assert.deepEqual([r1.status, r2.status].sort(), [200, 201], JSON.stringify([r1.body, r2.body]));
      assert.equal(r1.body.call.id, r2.body.call.id);
      assert.equal(await count(), n0 + 2);
    });

    test('bad input: invalid phone names caller.phone, missing matterCode names it, anonymous is 401; nothing written', async () => {
      const count = async () => Number((await env.db.selectFrom('hotline_calls').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const n0 = await count();
      const bad = await order({ caller: { phone: '12345abc' }, kind: 'complaint', description: '乱停车', matterCode: '09009', location: where });
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      assert.equal(bad.body.error.field, 'caller.phone');
      const noMatter = await order({ caller: { phone: '13900000005' }, kind: 'complaint', description: '乱停车', location: where });
      assert.equal(noMatter.status, 400, JSON.stringify(noMatter.body));
      assert.equal(noMatter.body.error.field, 'matterCode');
      const answerNotConsult = await order({ caller: { phone: '13900000005' }, kind: 'complaint', description: 'x', answer: { articleId: 1 } });
      assert.equal(answerNotConsult.status, 400);
      assert.equal(answerNotConsult.body.error.field, 'answer');
      const anon = await request(env.app, 'POST', '/api/v1/hotline/work-orders', { body: { caller: { phone: '13900000005' }, kind: 'consult', description: 'x' } });
      assert.equal(anon.status, 401);
      assert.equal((await request(env.app, 'GET', '/api/v1/kb?q=x')).status, 401);
      assert.equal(await count(), n0);
    });
  });
}

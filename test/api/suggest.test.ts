/** GET /catalog/suggest: matter codes from the reporter's words, from the catalogue and the knowledge base's keywords. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';

const q = (text: string, more = '') => `/api/v1/catalog/suggest?text=${encodeURIComponent(text)}${more}`;

for (const store of storesUnderTest()) {
  describe(`matter suggestion [${store}]`, () => {
    let env: TestEnv;
    let operator: Client;
    before(async () => {
      env = await createDemoEnv(store);
      operator = await userClient(env.app, env.ctx, 'operator');
    });
    after(async () => env.close());

    test('typical reports: the right matter first, with its name and why', async () => {
      const cover = await operator.get(q('小区门口井盖坏了'));
      assert.equal(cover.status, 200, JSON.stringify(cover.body));
      assert.equal(cover.body.text, '小区门口井盖坏了');
      assert.equal(cover.body.items.length, 5);
      assert.match(cover.body.items[0].name, /井盖/);
      assert.ok(cover.body.items[0].matched.includes('井盖'));
      assert.ok(env.ctx.ref.current().matters.has(cover.body.items[0].code), 'a code the case form accepts');
      const expect: [string, string][] = [['路灯不亮', '01037'], ['占道经营', '09006'], ['乱堆物料', '06036'], ['有人在路边摆摊', '09006'], ['机动车乱停', '09009']];
      for (const [text, code] of expect) {
        const r = await operator.get(q(text, '&limit=1'));
        assert.deepEqual(r.body.items.map((s: { code: string }) => s.code), [code], text);
        assert.ok(r.body.items[0].score > 0 && r.body.items[0].score <= 1);
      }
      assert.deepEqual((await operator.get(q('谢谢你们'))).body.items, []);
    });

    test("the knowledge base's keywords teach it (seen within a minute)", async () => {
      const text = '门口有个柴火垛挡路';
      assert.notEqual((await operator.get(q(text, '&limit=1'))).body.items[0]?.code, '06036');
      const admin = await userClient(env.app, env.ctx, 'admin');
      const kb = await admin.post('/api/v1/kb', { title: '柴火垛清理', body: '柴火垛属乱堆杂物，由街道处置。', matterCode: '06036', keywords: '柴火垛 投诉' });
      assert.equal(kb.status, 201, JSON.stringify(kb.body));
      env.clock.advance(61_000);
      const r = await operator.get(q(text, '&limit=1'));
      assert.equal(r.body.items[0].code, '06036');
      assert.deepEqual(r.body.items[0].matched, ['柴火垛']);
    });

    test('400 naming the field; 401 without credentials', async () => {
      for (const [url, field] of [['/api/v1/catalog/suggest', 'text'], [q(''), 'text'], [q('井盖', '&limit=0'), 'limit'], [q('井盖', '&limit=21'), 'limit'], [q('井盖', '&x=1'), 'x']]) {
        const r = await operator.get(url);
        assert.equal(r.status, 400, url);
        assert.equal(r.body.error.code, 'VALIDATION_FAILED');
        assert.equal(r.body.error.field, field, url);
        assert.match(r.body.error.message, new RegExp(field));
      }
      assert.equal((await operator.get(q('井'.repeat(2001)))).status, 400);
      assert.equal((await request(env.app, 'GET', q('井盖'))).status, 401);
    });
  });
}

/** A seat's own log (issue 8): GET /hotline/calls?mine=true&since=… lists and counts only the calls this seat took. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';

for (const store of storesUnderTest()) {
  describe(`a seat's own log [${store}]`, () => {
    let env: TestEnv;
    let seatA: Client, seatB: Client;
    before(async () => {
      env = await createDemoEnv(store);
      seatA = await userClient(env.app, env.ctx, 'operator');
      seatB = await userClient(env.app, env.ctx, 'operator');
    });
    after(async () => env.close());

    const answer = async (who: Client, phone: string) => {
      const kb = await who.get(`/api/v1/kb?q=${encodeURIComponent('停水通知')}`);
      const r = await who.post('/api/v1/hotline/work-orders', { caller: { phone }, kind: 'consult', description: '问停水', answer: { articleId: kb.body.items[0].id } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    };
    const refuse = async (who: Client, phone: string) => {
      const r = await who.post('/api/v1/hotline/work-orders', { caller: { phone }, kind: 'complaint', description: '家里着火了', refuse: { reason: '转119', referral: '119' } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    };

    test('mine lists and counts only this seat\'s calls since the given instant', async () => {
      const start = new Date(env.ctx.clock.now()).toISOString();
      await answer(seatA, '13800000101');
      await refuse(seatA, '13800000102');
      await answer(seatB, '13800000103');
      const a = await seatA.get(`/api/v1/hotline/calls?mine=true&since=${encodeURIComponent(start)}`);
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(a.body.items.length, 2);
      assert.deepEqual(a.body.counts, { answered: 1, refused: 1 });
      assert.ok(a.body.items.every((c: { createdBy: string }) => c.createdBy === seatA.userId));
      const b = await seatB.get(`/api/v1/hotline/calls?mine=true&since=${encodeURIComponent(start)}`);
      assert.deepEqual(b.body.counts, { answered: 1 });
      const later = new Date(env.ctx.clock.now() + 3600_000).toISOString();
      const none = await seatA.get(`/api/v1/hotline/calls?mine=true&since=${encodeURIComponent(later)}`);
      assert.deepEqual([none.body.items.length, none.body.counts], [0, {}]);
      const all = await seatA.get('/api/v1/hotline/calls');
      assert.equal(all.body.counts, undefined, 'counts only for a seat\'s own log');
      assert.ok(all.body.items.length >= 3);
    });

    test('a bad instant names since', async () => {
      const r = await seatA.get('/api/v1/hotline/calls?mine=true&since=yesterday');
      assert.equal(r.status, 400);
      assert.equal(r.body.error.field, 'since');
    });
  });
}

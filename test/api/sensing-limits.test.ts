/**
 * The reading limits (settings row `sensing_limits`, issue 11): read and changed by an administrator over
 * /api/v1/sensing/limits (fields not sent keep their value), a bad value refused naming the field, the change recorded
 * as a config event and applied by the ingester at once; a bad stored row falls back to the defaults.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';
import { waterDevices } from '../support/sensing.ts';
import { DEFAULT_SENSING_LIMITS } from '../../src/domain/sensing/reading-limits.ts';

const URL = '/api/v1/sensing/limits';
const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

for (const store of storesUnderTest()) {
  describe(`sensing limits [${store}]`, () => {
    let env: TestEnv;
    let admin: Client, operator: Client;
    let secret: string;
    const put = (c: Client, body: unknown) => request(env.app, 'PUT', URL, { body, headers: c.headers });

    before(async () => {
      env = await createDemoEnv(store);
      admin = await userClient(env.app, env.ctx, 'admin');
      operator = await userClient(env.app, env.ctx, 'operator');
      secret = (await waterDevices(env.ctx, ['wl-lim']))['wl-lim']!;
    });
    after(async () => env.close());

    test('defaults are answered; only an administrator may read or change them', async () => {
      const r = await admin.get(URL);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, DEFAULT_SENSING_LIMITS);
      assert.equal((await operator.get(URL)).status, 403);
      assert.equal((await put(operator, { maxFutureMs: 1000 })).status, 403);
    });

    test('a value out of range is refused naming the field; nothing is stored', async () => {
      const r = await put(admin, { maxFutureMs: -1 });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error.field, 'body.maxFutureMs');
      const big = await put(admin, { burst: 0 });
      assert.equal(big.status, 400);
      assert.equal(big.body.error.field, 'body.burst');
      assert.equal(await env.ctx.store.settings.read('sensing_limits'), undefined);
    });

    test('a change keeps the fields not sent, is recorded as a config event and applies to ingestion at once', async () => {
      const now = env.clock.now();
      const ahead = { at: now + 30 * 60_000, waterLevel: 7 };
      const before = await request(env.app, 'POST', `/api/v1/sensors/wl-lim/telemetry`, { body: ahead, headers: basic('wl-lim', secret) });
      assert.equal(before.status, 400, 'half an hour ahead is refused by the default 5 minutes');
      const r = await put(admin, { maxFutureMs: 3_600_000, rawDays: 60 });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, { ...DEFAULT_SENSING_LIMITS, maxFutureMs: 3_600_000, rawDays: 60 });
      assert.deepEqual((await admin.get(URL)).body, r.body);
      const again = await put(admin, { burst: 50 });
      assert.equal(again.body.maxFutureMs, 3_600_000, 'a field not sent keeps its value');
      assert.equal(again.body.burst, 50);
      const ev = await env.db.selectFrom('outbox').select('payload').where('topic', '=', 'sensing_limits.replaced').execute();
      assert.equal(ev.length, 2);
      const after = await request(env.app, 'POST', `/api/v1/sensors/wl-lim/telemetry`, { body: ahead, headers: basic('wl-lim', secret) });
      assert.equal(after.status, 200, JSON.stringify(after.body));
      assert.equal(after.body.accepted, 1);
    });

    test('a bad stored row falls back to the defaults (the server keeps working)', async () => {
      await env.ctx.store.settings.write('sensing_limits', { maxFutureMs: 'soon' });
      await env.ctx.ref.load();
      assert.deepEqual(env.ctx.ref.current().sensingLimits, DEFAULT_SENSING_LIMITS);
      assert.ok(env.ctx.ref.current().problems.some((p) => p.setting === 'sensing_limits'));
      assert.deepEqual((await admin.get(URL)).body, DEFAULT_SENSING_LIMITS);
    });
  });
}

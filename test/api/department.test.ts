/** Department systems: pushes idempotent by the sender's own id; signed webhooks with retries and a delivery log. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, request, type Client } from '../support/api-client.ts';
import { createApiKey } from '../../src/commands/apikey-create.ts';
import { runWebhookDelivery } from '../../src/jobs/webhook-delivery.job.ts';
import { verifyWebhookSignature } from '../../src/intake/department/webhook.policy.ts';

interface Reception { path: string; headers: http.IncomingHttpHeaders; body: string }

for (const store of storesUnderTest()) {
  describe(`department systems [${store}]`, () => {
    let env: TestEnv;
    let admin: Client;
    let key: string;
    let otherKey: string;
    let good: Record<string, unknown>;
    let server: http.Server;
    let base: string;
    const received: Reception[] = [];
    const answer = new Map<string, number>(); // path → status to answer (default 200)

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      admin = await userClient(env.app, env.ctx, 'admin');
      key = (await createApiKey(env.ctx, { name: '城管局业务系统' }, null)).key;
      otherKey = (await createApiKey(env.ctx, { name: '水务局业务系统' }, null)).key;
      const p = demoPoint(env, 5);
      good = { matterCode: '06012', description: '道路不洁（部门系统推送）', location: { lon: p.lon, lat: p.lat }, externalId: 'CG-2026-0001' };
      server = http.createServer((req, res) => {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (c) => { body += c; });
        req.on('end', () => {
          received.push({ path: req.url ?? '', headers: req.headers, body });
          res.statusCode = answer.get(req.url ?? '') ?? 200;
          res.end('ok');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise((resolve) => server.close(resolve));
      await env.close();
    });

    const push = (body: unknown, headers: Record<string, string> = {}, k = key) =>
      request(env.app, 'POST', '/api/v1/department/cases', { body, headers: { authorization: `Bearer ${k}`, ...headers } });
    const getExt = (id: string, k = key) => request(env.app, 'GET', `/api/v1/department/cases/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${k}` } });
    const act = async (id: number, action: string, body: Record<string, unknown> = {}) => {
      const r = await admin.post(`/api/v1/cases/${id}/${action}`, body);
      assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const deliveries = async (id: string, status?: string) => {
      const r = await admin.get(`/api/v1/webhooks/${id}/deliveries${status ? `?status=${status}` : ''}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.items as { id: number; eventId: number; topic: string; status: string; attempts: number; nextAttemptAt: string | null; lastStatusCode: number | null; lastError: string | null }[];
    };
    const subscribe = async (path: string, extra: Record<string, unknown> = {}) => {
      const r = await admin.post('/api/v1/webhooks', { name: `接收方 ${path}`, url: `${base}${path}`, ...extra });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.match(r.body.secret, /^whsec_/);
      return r.body as { id: string; secret: string };
    };

    test('a push without a key is a 401; without externalId a 400 naming it; a channel may not be chosen', async () => {
      const anon = await request(env.app, 'POST', '/api/v1/department/cases', { body: good });
      assert.equal(anon.status, 401);
      const { externalId: _omit, ...withoutId } = good;
      const bad = await push(withoutId);
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      assert.equal(bad.body.error.field, 'externalId');
      assert.match(bad.body.error.message, /externalId/);
      const ch = await push({ ...good, channel: 'superior' });
      assert.equal(ch.status, 400);
      assert.equal(ch.body.error.field, 'channel');
    });

    test('a push creates a department case; a resend returns it (200); other content under the same id is a 409', async () => {
      const a = await push(good);
      assert.equal(a.status, 201, JSON.stringify(a.body));
      assert.equal(a.body.channel, 'department');
      assert.equal(a.body.externalId, 'CG-2026-0001');
      assert.equal(a.headers.location, `/api/v1/cases/${a.body.id}`);
      const b = await push(good);
      assert.equal(b.status, 200);
      assert.equal(b.body.id, a.body.id);
      // the same content with its fields in another order is the same push
      const reordered = Object.fromEntries(Object.entries(good).reverse());
      assert.equal((await push(reordered)).body.id, a.body.id);
      const c = await push({ ...good, description: '另一件事' });
      assert.equal(c.status, 409, JSON.stringify(c.body));
      assert.equal(c.body.error.field, 'externalId');
      // another sender's identical id is its own case: idempotency is per key
      const o = await push(good, {}, otherKey);
      assert.equal(o.status, 201);
      assert.notEqual(o.body.id, a.body.id);
    });

    test('with an Idempotency-Key header, that key decides, and a conflict names it', async () => {
      const h = { 'idempotency-key': 'cg-batch-7-item-3' };
      const a = await push({ ...good, externalId: 'CG-2026-0002' }, h);
      assert.equal(a.status, 201);
      assert.equal((await push({ ...good, externalId: 'CG-2026-0002' }, h)).body.id, a.body.id);
      const c = await push({ ...good, externalId: 'CG-2026-0003' }, h);
      assert.equal(c.status, 409);
      assert.equal(c.body.error.field, 'Idempotency-Key');
    });

    test('GET by external id returns the sender\'s own case only', async () => {
      const created = await push({ ...good, externalId: 'CG/2026 0004' });
      const r = await getExt('CG/2026 0004');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.id, created.body.id);
      assert.equal((await getExt('CG/2026 0004', otherKey)).status, 404);
      assert.equal((await getExt('never-pushed')).status, 404);
      assert.equal((await request(env.app, 'GET', '/api/v1/department/cases/x')).status, 401);
    });

    test('a bad webhook URL is a 400 naming url; managing webhooks needs apikey.manage', async () => {
      for (const url of ['ftp://dept.example.cn/hook', 'not a url']) {
        const r = await admin.post('/api/v1/webhooks', { name: '坏地址', url });
        assert.equal(r.status, 400, url);
        assert.equal(r.body.error.field, 'url');
      }
      const forbidden = await request(env.app, 'POST', '/api/v1/webhooks', { body: { name: 'x', url: `${base}/x` }, headers: { authorization: `Bearer ${key}` } });
      assert.equal(forbidden.status, 403);
    });

    test('state changes are delivered signed; the log shows them; a second run sends nothing again', async () => {
      const sub = await subscribe('/ok');
      const c = (await push({ ...good, externalId: 'CG-2026-0100' })).body;
      await act(c.id, 'accept');
      await act(c.id, 'register');
      await act(c.id, 'dispatch', { unitId: c.routing.unit.id });
      const r1 = await runWebhookDelivery(env.ctx);
      assert.equal(r1.delivered, 4, JSON.stringify(r1));
      const mine = received.filter((x) => x.path === '/ok');
      assert.equal(mine.length, 4);
      const events = mine.map((x) => JSON.parse(x.body)).sort((a, b) => a.id - b.id);
      assert.deepEqual(events.map((e) => e.topic), ['case.created', 'case.transitioned', 'case.transitioned', 'case.transitioned']);
      assert.deepEqual(events.slice(1).map((e) => e.data.to), ['ACCEPTED', 'REGISTERED', 'DISPATCHED']);
      assert.ok(events.every((e) => e.data.id === c.id && e.data.caseNo === c.caseNo));
      for (const x of mine) {
        const ts = String(x.headers['x-cityops-timestamp']);
        const sig = String(x.headers['x-cityops-signature']);
        assert.equal(x.headers['content-type'], 'application/json');
        assert.equal(x.headers['x-cityops-event'], JSON.parse(x.body).topic);
        assert.equal(Number(ts), Math.floor(env.clock.now() / 1000));
        assert.ok(verifyWebhookSignature(sub.secret, ts, x.body, sig, { nowSeconds: Math.floor(env.clock.now() / 1000) }));
        const raw = crypto.createHmac('sha256', sub.secret).update(`${ts}.${x.body}`).digest('hex');
        assert.equal(sig, `sha256=${raw}`);
        assert.ok(!verifyWebhookSignature('wrong-secret', ts, x.body, sig));
      }
      const log = await deliveries(sub.id);
      assert.equal(log.length, 4);
      assert.ok(log.every((d) => d.status === 'delivered' && d.attempts === 1 && d.lastStatusCode === 200));
      assert.deepEqual(new Set(mine.map((x) => x.headers['x-cityops-delivery'])), new Set(log.map((d) => String(d.id))));
      // twice more, concurrently and then again: nothing is sent twice
      await Promise.all([runWebhookDelivery(env.ctx), runWebhookDelivery(env.ctx)]);
      await runWebhookDelivery(env.ctx);
      assert.equal(received.filter((x) => x.path === '/ok').length, 4);
      const list = await admin.get('/api/v1/webhooks');
      assert.ok(list.body.items.some((w: { id: string; secret?: string }) => w.id === sub.id && w.secret === undefined));
    });

    test('a failing receiver is retried with backoff, then delivered; a deactivated subscription gets nothing', async () => {
      answer.set('/flaky', 500);
      const sub = await subscribe('/flaky', { topics: ['case.created'] });
      await push({ ...good, externalId: 'CG-2026-0200' });
      await runWebhookDelivery(env.ctx);
      let [d] = await deliveries(sub.id);
      assert.equal(d.status, 'pending');
      assert.equal(d.attempts, 1);
      assert.equal(d.lastStatusCode, 500);
      assert.ok(Date.parse(d.nextAttemptAt!) > env.clock.now(), 'the retry is in the future');
      answer.set('/flaky', 200);
      await runWebhookDelivery(env.ctx); // not due yet
      assert.equal(received.filter((x) => x.path === '/flaky').length, 1);
      env.clock.advance(3600_000);
      await runWebhookDelivery(env.ctx);
      [d] = await deliveries(sub.id);
      assert.equal(d.status, 'delivered');
      assert.equal(d.attempts, 2);
      assert.equal(received.filter((x) => x.path === '/flaky').length, 2);
      assert.equal((await deliveries(sub.id, 'pending')).length, 0);

      const off = await admin.post(`/api/v1/webhooks/${sub.id}/deactivate`);
      assert.equal(off.status, 200);
      assert.equal(off.body.active, false);
      await push({ ...good, externalId: 'CG-2026-0201' });
      await runWebhookDelivery(env.ctx);
      assert.equal(received.filter((x) => x.path === '/flaky').length, 2);
      assert.equal((await admin.get('/api/v1/webhooks/whk_nope/deliveries')).status, 404);
    });

    test('an unreachable receiver is given up after 8 attempts (dead), with the error logged', async () => {
      const probe = http.createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const port = (probe.address() as AddressInfo).port;
      await new Promise((resolve) => probe.close(resolve)); // nothing listens there now
      const r = await admin.post('/api/v1/webhooks', { name: '已下线系统', url: `http://127.0.0.1:${port}/gone`, topics: ['case.created'] });
      assert.equal(r.status, 201);
      await push({ ...good, externalId: 'CG-2026-0300' });
      for (let i = 1; i <= 8; i++) {
        await runWebhookDelivery(env.ctx);
        const [d] = await deliveries(r.body.id);
        assert.equal(d.attempts, i);
        assert.equal(d.status, i < 8 ? 'pending' : 'dead');
        env.clock.advance(3600_000);
      }
      const [d] = await deliveries(r.body.id, 'dead');
      assert.equal(d.lastStatusCode, null);
      assert.ok(d.lastError, 'the network error is in the log');
      await runWebhookDelivery(env.ctx);
      assert.equal((await deliveries(r.body.id))[0].attempts, 8, 'a dead delivery is not retried');
    });
  });
}

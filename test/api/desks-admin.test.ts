/**
 * Issue 8 (administration, language, phone view): a calendar day set by hand with a reason; the webhook list with
 * its delivery log in numbers; the seats' standard replies (话术库) as versioned city data; errors carrying a
 * catalogue key and parameters for the console; the routing explanation with unit names; and the phone roles'
 * live stream, scoped by the visibility policy.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';
import { runWebhookDelivery } from '../../src/jobs/webhook-delivery.job.ts';

const put = (env: TestEnv, c: Client, url: string, body: unknown) => request(env.app, 'PUT', url, { body, headers: c.headers });

async function openStream(base: string, headers: Record<string, string>) {
  const ac = new AbortController();
  const res = await fetch(`${base}/api/v1/events`, { headers, signal: ac.signal });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  let buf = '';
  const events: { event: string; data: any }[] = [];
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += new TextDecoder().decode(value);
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const f: Record<string, string> = {};
          for (const line of block.split('\n')) { const m = /^(\w+): (.*)$/.exec(line); if (m) f[m[1]] = m[2]; }
          if (f.event) events.push({ event: f.event, data: JSON.parse(f.data) });
        }
      }
    } catch { /* aborted */ }
  })();
  return { events, close: async () => { ac.abort(); await pump; } };
}

async function waitFor(pred: () => boolean, what: string) {
  for (let i = 0; i < 500 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(pred(), `timed out waiting for ${what}`);
}

for (const store of storesUnderTest()) {
  describe(`issue 8 administration, language and the phone's stream [${store}]`, () => {
    let env: TestEnv;
    let admin: Client, operator: Client;
    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      admin = await userClient(env.app, env.ctx, 'admin');
      operator = await userClient(env.app, env.ctx, 'operator');
    });
    after(async () => env.close());

    test('a day set by hand: a holiday with its reason changes deadlines; the reason is kept; refusals name the field and leave nothing', async () => {
      const deadline = async () => (await operator.get('/api/v1/calendar/deadline?start=2026-11-03T10:00:00%2B08:00&amount=1&unit=work_days')).body.deadline as string;
      const before_ = await deadline();
      const r = await put(env, admin, '/api/v1/calendar/days/2026-11-04', { kind: 'holiday', reason: '防汛停工' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.previous, 'normal');
      assert.notEqual(await deadline(), before_, 'the next work day moved past the new holiday');
      const cal = (await operator.get('/api/v1/calendar?year=2026')).body;
      assert.ok(cal.holidays.some((h: any) => h.date === '2026-11-04' && h.name === '防汛停工'));
      assert.ok(cal.days.some((d: any) => d.date === '2026-11-04' && d.kind === 'holiday' && d.name === '防汛停工'));
      // a Saturday worked, with its reason
      const sat = await put(env, admin, '/api/v1/calendar/days/2026-11-07', { kind: 'workday', reason: '防汛补班' });
      assert.equal(sat.status, 200, JSON.stringify(sat.body));
      assert.ok((await operator.get('/api/v1/calendar?year=2026')).body.days.some((d: any) => d.date === '2026-11-07' && d.kind === 'workday' && d.name === '防汛补班'));
      // back to normal
      assert.equal((await put(env, admin, '/api/v1/calendar/days/2026-11-04', { kind: 'normal', reason: '撤销' })).status, 200);
      assert.equal(await deadline(), before_);
      // refusals
      const weekday = await put(env, admin, '/api/v1/calendar/days/2026-11-05', { kind: 'workday', reason: '补班' });
      assert.equal(weekday.status, 400);
      assert.equal(weekday.body.error.field, 'kind');
      assert.equal(weekday.body.error.key, 'calendar.makeup_not_weekend');
      const noReason = await put(env, admin, '/api/v1/calendar/days/2026-11-05', { kind: 'holiday', reason: ' ' });
      assert.equal(noReason.status, 400);
      assert.equal(noReason.body.error.field, 'reason');
      assert.equal(noReason.body.error.key, 'field.required');
      assert.equal((await put(env, admin, '/api/v1/calendar/days/2026-02-30', { kind: 'holiday', reason: 'x' })).body.error.field, 'date');
      assert.ok(!(await operator.get('/api/v1/calendar?year=2026')).body.days.some((d: any) => d.date === '2026-11-05'), 'a refusal left nothing behind');
      assert.equal((await put(env, operator, '/api/v1/calendar/days/2026-11-06', { kind: 'holiday', reason: 'x' })).status, 403);
      const events = await env.db.selectFrom('outbox').select(['payload']).where('topic', '=', 'calendar.day_changed').execute();
      assert.equal(events.length, 3);
      assert.deepEqual({ ...JSON.parse(events[0].payload), referenceVersion: 0 }, { date: '2026-11-04', from: 'normal', to: 'holiday', reason: '防汛停工', referenceVersion: 0, by: admin.userId });
    });

    test('the webhook list counts each subscription\'s deliveries and shows its latest failure', async () => {
      const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.statusCode = req.url === '/down' ? 503 : 200; res.end(); }); });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const ok = await admin.post('/api/v1/webhooks', { name: '正常系统', url: `${base}/ok`, topics: ['case.created'] });
        const down = await admin.post('/api/v1/webhooks', { name: '故障系统', url: `${base}/down`, topics: ['case.created'] });
        assert.equal(ok.status, 201);
        const p = demoPoint(env, 2);
        assert.equal((await operator.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: '垃圾', location: { lon: p.lon, lat: p.lat } })).status, 201);
        await runWebhookDelivery(env.ctx, { random: () => 0 });
        const list = await admin.get('/api/v1/webhooks');
        assert.equal(list.status, 200);
        const a = list.body.items.find((w: any) => w.id === ok.body.id);
        const b = list.body.items.find((w: any) => w.id === down.body.id);
        assert.deepEqual({ ...a.deliveries, lastFailure: a.deliveries.lastFailure }, { pending: 0, delivered: 1, failed: 0, dead: 0, lastFailure: null });
        assert.equal(b.deliveries.pending, 1, 'the failed one waits for its retry');
        assert.equal(b.deliveries.lastFailure.lastStatusCode, 503);
        assert.equal(b.deliveries.lastFailure.attempts, 1);
        assert.equal(b.deliveries.lastFailure.topic, 'case.created');
        assert.equal('secret' in a, false);
        assert.equal((await operator.get('/api/v1/webhooks')).status, 403);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    test('standard replies: defaults, a new version replaces them whole, the seat gets those for its call best first', async () => {
      const d = await operator.get('/api/v1/hotline/replies');
      assert.equal(d.status, 200);
      assert.equal(d.body.version, 1);
      assert.ok(d.body.replies.length > 0);
      const lib = [
        { id: 'hello', title: '开场白', text: '您好，12345 热线' },
        { id: 'trash', title: '垃圾清运答复', text: '生活垃圾每日清运两次', matterCodes: ['06010'] },
        { id: 'complain', title: '投诉安抚', text: '理解您的心情', requestKinds: ['complaint'] },
      ];
      const saved = await put(env, admin, '/api/v1/hotline/replies', { replies: lib });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(saved.body.version, 2);
      const forCall = await operator.get('/api/v1/hotline/replies?matterCode=06010&requestKind=consult');
      assert.deepEqual(forCall.body.replies.map((r: any) => r.id), ['trash', 'hello']);
      const complaint = await operator.get('/api/v1/hotline/replies?matterCode=07001&requestKind=complaint');
      assert.deepEqual(complaint.body.replies.map((r: any) => r.id), ['complain', 'hello']);
      // refused: an unknown matter, a missing text — nothing changes
      const bad = await put(env, admin, '/api/v1/hotline/replies', { replies: [{ id: 'x', title: 'x', text: 'y', matterCodes: ['99999'] }] });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'replies[0].matterCodes[0]');
      const empty = await put(env, admin, '/api/v1/hotline/replies', { replies: [{ id: 'x', title: 'x', text: '' }] });
      assert.equal(empty.status, 400);
      assert.equal(empty.body.error.key, 'field.required');
      assert.equal((await operator.get('/api/v1/hotline/replies')).body.version, 2);
      assert.equal((await put(env, operator, '/api/v1/hotline/replies', { replies: lib })).status, 403);
    });

    test('errors carry a key and parameters the console translates; the routing explanation names units, not ids', async () => {
      const login = await request(env.app, 'POST', '/api/v1/auth/login', { body: { username: 'nobody', password: 'wrong password!' } });
      assert.equal(login.status, 401);
      assert.equal(login.body.error.key, 'auth.wrong_credentials');
      const missing = await operator.post('/api/v1/cases', { channel: 'hotline', description: 'x', location: { lon: 120.3, lat: 31.5 } });
      assert.equal(missing.status, 400);
      assert.deepEqual([missing.body.error.key, missing.body.error.params.field], ['field.required', 'matterCode']);
      const outside = await operator.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: 'x', location: { lon: 100, lat: 20 } });
      assert.equal(outside.status, 422);
      assert.equal(outside.body.error.key, 'location.outside_grid');
      assert.equal(outside.body.error.params.lon, '100.000000');
      const p = demoPoint(env, 4);
      const x = await operator.get(`/api/v1/routing/explain?matterCode=06010&lon=${p.lon}&lat=${p.lat}`);
      assert.equal(x.status, 200);
      const unit = env.ctx.ref.current().units.get(x.body.decision.unit.id)!;
      assert.match(x.body.explanation.key, /^routing\./);
      assert.equal(x.body.explanation.params.unit, unit.name);
      assert.ok(!Object.values(x.body.explanation.params).includes(unit.id), 'no unit id in the explanation');
    });

    test('the phone roles get the live stream, filtered by the visibility policy: another street\'s case is not delivered', async () => {
      const base = await env.app.listen({ port: 0, host: '127.0.0.1' });
      const ref = env.ctx.ref.current();
      const streetOf = (n: number) => ref.regions.get(demoPoint(env, n).communityId)!.parentId!;
      const a = 0;
      const b = [...Array(ref.grids.size).keys()].find((i) => streetOf(i) !== streetOf(a))!;
      const mine = await userClient(env.app, env.ctx, 'grid_member', { regionIds: [streetOf(a)] });
      const theirs = await userClient(env.app, env.ctx, 'grid_member', { regionIds: [streetOf(b)] });
      const insp = await userClient(env.app, env.ctx, 'inspector', { regionIds: [streetOf(b)] });
      const s1 = await openStream(base, mine.headers);
      const s2 = await openStream(base, theirs.headers);
      const s3 = await openStream(base, insp.headers);
      try {
        const pa = demoPoint(env, a);
        const pb = demoPoint(env, b);
        const ca = await operator.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: '甲街道垃圾', location: { lon: pa.lon, lat: pa.lat } });
        const cb = await operator.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: '乙街道垃圾', location: { lon: pb.lon, lat: pb.lat } });
        assert.equal(ca.status, 201);
        assert.equal(cb.status, 201);
        await waitFor(() => s1.events.some((e) => e.data.id === ca.body.id), 'the grid member\'s own street case');
        await waitFor(() => s2.events.some((e) => e.data.id === cb.body.id), 'the other street\'s case on its own member\'s stream');
        await waitFor(() => s3.events.some((e) => e.data.id === cb.body.id), 'the inspector\'s area case');
        assert.equal(s1.events.filter((e) => e.data.id === cb.body.id).length, 0, 'another street\'s case is not delivered');
        assert.equal(s2.events.filter((e) => e.data.id === ca.body.id).length, 0);
        assert.equal(s3.events.filter((e) => e.data.id === ca.body.id).length, 0);
        assert.equal(s1.events.filter((e) => e.event.startsWith('calendar.') || e.event.startsWith('hotline.')).length, 0, 'no configuration events');
      } finally {
        await Promise.all([s1.close(), s2.close(), s3.close()]);
      }
    });
  });
}

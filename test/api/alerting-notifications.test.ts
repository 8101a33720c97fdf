/**
 * Notifications (issue 9 §6): outbox rows become the notifications of the people they concern — made once per
 * user even when the fan-out runs twice at once, never for the actor — listed, counted and marked read by their
 * owner only; the bell hears of them on the live stream; preferences send chosen kinds out (delivery log).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, request, type Client } from '../support/api-client.ts';
import { runNotifyFanout } from '../../src/jobs/notify-fanout.job.ts';
import { createContext, closeContext } from '../../src/runtime/bootstrap.ts';
import type { OutboundChannel, OutboundMessage } from '../../src/runtime/outbound-channels.ts';

/** The live stream of one client: the topics (and data) it received. */
async function openStream(base: string, headers: Record<string, string>) {
  const ac = new AbortController();
  const res = await fetch(`${base}/api/v1/events`, { headers, signal: ac.signal });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  let buf = '';
  const events: { event: string; data: Record<string, unknown> }[] = [];
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
          const ev = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
        }
      }
    } catch { /* aborted */ }
  })();
  return { events, close: async () => { ac.abort(); await pump; } };
}

for (const store of storesUnderTest()) {
  describe(`notifications [${store}]`, () => {
    let env: TestEnv;
    let operator: Client, dispatcher: Client, handler: Client, other: Client, inspector: Client;
    let unitId: string;
    const sent: OutboundMessage[] = [];
    const channels = new Map<string, OutboundChannel>([['log', { name: 'log', send: async (m) => { sent.push(m); } }]]);
    const fanout = () => runNotifyFanout(env.ctx, { channels });
    const put = (c: Client, url: string, body: unknown) => request(env.app, 'PUT', url, {
      cookie: c.headers.cookie, headers: { 'x-csrf-token': c.headers['x-csrf-token'] }, body,
    });

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      const p = demoPoint(env, 3);
      unitId = env.ctx.ref.current().routing.route({ matterCode: '06010', regionId: p.communityId }).unitId;
      operator = await userClient(env.app, env.ctx, 'operator');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      inspector = await userClient(env.app, env.ctx, 'inspector');
      handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
      other = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
      await fanout(); // whatever the seed left in the outbox
    });
    after(async () => env.close());

    async function dispatchedCase(by: Client = dispatcher): Promise<number> {
      const p = demoPoint(env, 3);
      const c = await operator.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: '垃圾满溢', location: { lon: p.lon, lat: p.lat } });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      await operator.post(`/api/v1/cases/${c.body.id}/accept`, {});
      await operator.post(`/api/v1/cases/${c.body.id}/request-verify`, {});
      await inspector.post(`/api/v1/cases/${c.body.id}/verify`, { outcome: 'confirmed' });
      const d = await by.post(`/api/v1/cases/${c.body.id}/dispatch`, { unitId });
      assert.equal(d.status, 200, JSON.stringify(d.body));
      return c.body.id;
    }

    test('a dispatch becomes one new-task notification per handler of the unit, once, even with two fan-outs at once', async () => {
      const id = await dispatchedCase();
      const [a, b] = await Promise.all([fanout(), fanout()]);
      assert.ok(a.notifications + b.notifications >= 2);
      await fanout();
      for (const c of [handler, other]) {
        const r = await c.get('/api/v1/notifications');
        assert.equal(r.status, 200);
        const mine = r.body.items.filter((n: { caseId: number; kind: string }) => n.caseId === id && n.kind === 'new_task');
        assert.equal(mine.length, 1, JSON.stringify(r.body.items));
        assert.equal(mine[0].label.zh, '新任务');
        assert.match(mine[0].caseNo, /^\d{14,}$/);
      }
      const rows = await env.db.selectFrom('notifications').select(['user_id']).where('case_id', '=', id).where('kind', '=', 'new_task').execute();
      const users = rows.map((r) => r.user_id);
      assert.equal(new Set(users).size, users.length, 'one per handler, no duplicates');
      assert.ok(users.includes(handler.userId) && users.includes(other.userId));
      assert.ok(!users.includes(dispatcher.userId) && !users.includes(operator.userId), 'only the unit\'s people');
      const cursor = await env.db.selectFrom('job_cursors').select('cursor').where('name', '=', 'notifications').executeTakeFirstOrThrow();
      const last = await env.db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow();
      assert.ok(Number(cursor.cursor) >= Number(last.m) - 1, 'the cursor is at the end (the last row may be the fan-out\'s own)');
    });

    test('a restarted process (or a second node) goes on from the stored cursor: nothing lost, nothing twice', async () => {
      const ids = [await dispatchedCase(), await dispatchedCase(), await dispatchedCase()];
      const first = await runNotifyFanout(env.ctx, { channels, batch: 1, maxBatches: 2 }); // stops part-way ("crash")
      assert.equal(first.events, 2);
      const node2 = await createContext(env.ctx.config, { clock: env.clock });
      try {
        // PostgreSQL: two nodes at once. SQLite is one process by design: the restarted process, then the old one again.
        if (store === 'postgres') await Promise.all([runNotifyFanout(node2, { channels }), runNotifyFanout(env.ctx, { channels })]);
        else {
          await runNotifyFanout(node2, { channels });
          await runNotifyFanout(env.ctx, { channels });
        }
      } finally {
        await closeContext(node2);
      }
      for (const id of ids) {
        const rows = await env.db.selectFrom('notifications').select('user_id').where('case_id', '=', id).where('kind', '=', 'new_task').where('user_id', '=', handler.userId).execute();
        assert.equal(rows.length, 1, `case ${id}: one new-task notification for the handler`);
      }
    });

    test('the actor is not told of their own act: a handler who returns the case gets nothing, the dispatcher hears of it', async () => {
      const id = await dispatchedCase();
      await fanout();
      const before = (await dispatcher.get('/api/v1/notifications/unread-count')).body.unread;
      const r = await handler.post(`/api/v1/cases/${id}/return`, { reason: '不属于本单位职责范围', basis: '清单第12项' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      await fanout();
      const mine = (await handler.get('/api/v1/notifications')).body.items.filter((n: { caseId: number; kind: string }) => n.caseId === id && n.kind === 'task_returned');
      assert.equal(mine.length, 0);
      // The city-wide dispatcher covers the city root, not the case's street: a return is for the place's coordinators.
      const city = (await dispatcher.get('/api/v1/notifications/unread-count')).body.unread;
      assert.equal(city, before);
      const ref = env.ctx.ref.current();
      const c = await env.db.selectFrom('cases').select(['street_id']).where('id', '=', id).executeTakeFirstOrThrow();
      const local = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [c.street_id!] });
      assert.ok(ref.regions.has(c.street_id!));
      // It was made before this user existed: a new return is needed for them to hear of it.
      const again = await dispatchedCase();
      await handler.post(`/api/v1/cases/${again}/return`, { reason: '不属于本单位职责范围', basis: '清单第12项' });
      await fanout();
      const got = (await local.get('/api/v1/notifications')).body.items.filter((n: { caseId: number }) => n.caseId === again);
      assert.deepEqual(got.map((n: { kind: string }) => n.kind), ['task_returned']);
    });

    test('the live stream tells the notified users, and nobody else, that they have something new (without naming the others)', async () => {
      const base = await env.app.listen({ port: 0, host: '127.0.0.1' });
      const mine = await openStream(base, handler.headers);
      const theirs = await openStream(base, operator.headers);
      try {
        await dispatchedCase();
        await fanout();
        await env.ctx.events.flush();
        const t0 = Date.now();
        while (!mine.events.some((e) => e.event === 'notification.created') && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
        const got = mine.events.filter((e) => e.event === 'notification.created');
        assert.ok(got.length >= 1, 'the handler hears of it');
        assert.equal(got[0].data.userIds, undefined, 'the other recipients are not named');
        assert.equal(theirs.events.filter((e) => e.event === 'notification.created').length, 0, 'the operator (not notified) hears nothing');
      } finally {
        await mine.close();
        await theirs.close();
      }
    });

    test('mark read: own ids only, then all; the count follows; bad bodies name the field', async () => {
      await dispatchedCase();
      await fanout();
      const list = await handler.get('/api/v1/notifications?unread=true&limit=5');
      assert.ok(list.body.unread >= 1);
      const id = list.body.items[0].id;
      const stranger = await other.post('/api/v1/notifications/read', { ids: [id] });
      assert.equal(stranger.body.marked, 0, 'somebody else\'s notification is not marked');
      const one = await handler.post('/api/v1/notifications/read', { ids: [id] });
      assert.equal(one.status, 200);
      assert.equal(one.body.marked, 1);
      assert.equal(one.body.unread, list.body.unread - 1);
      const all = await handler.post('/api/v1/notifications/read', { all: true });
      assert.equal(all.body.unread, 0);
      assert.equal((await handler.get('/api/v1/notifications/unread-count')).body.unread, 0);
      const bad = await handler.post('/api/v1/notifications/read', {});
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'ids');
      const bad2 = await handler.post('/api/v1/notifications/read', { ids: ['x'] });
      assert.equal(bad2.status, 400);
      assert.match(bad2.body.error.field, /^ids/);
    });

    test('preferences send chosen kinds out through the channel and log the delivery; bad preferences are refused by field', async () => {
      const saved = await put(handler, '/api/v1/notifications/preferences', { channel: 'log', kinds: ['new_task'], address: null });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const bad = await put(handler, '/api/v1/notifications/preferences', { channel: 'log', kinds: ['lunch'] });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.field, /^kinds/);
      sent.length = 0;
      await dispatchedCase();
      await fanout();
      assert.equal(sent.filter((m) => m.userId === handler.userId && m.kind === 'new_task').length, 1, JSON.stringify(sent));
      assert.match(sent[0].text, /新任务/);
      const log = await handler.get('/api/v1/notifications/deliveries');
      assert.equal(log.body.items[0].status, 'sent');
      assert.equal(log.body.items[0].channel, 'log');
    });
  });
}

/** Live events over SSE: a committed case shows up on the stream of those who may see it, and only theirs. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';

async function openStream(base: string, headers: Record<string, string>) {
  const ac = new AbortController();
  const res = await fetch(`${base}/api/v1/events`, { headers, signal: ac.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = res.body!.getReader();
  let buf = '';
  const events: { id: string; event: string; data: any }[] = [];
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
          for (const line of block.split('\n')) {
            const m = /^(\w+): (.*)$/.exec(line);
            if (m) f[m[1]] = m[2];
          }
          if (f.event) events.push({ id: f.id, event: f.event, data: JSON.parse(f.data) });
        }
      }
    } catch { /* aborted */ }
  })();
  return { events, close: async () => { ac.abort(); await pump; } };
}

async function waitFor(pred: () => boolean, ms = 5000) {
  const t = Date.now();
  while (!pred()) {
    if (Date.now() - t > ms) throw new Error('timed out waiting for the event');
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const store of storesUnderTest()) {
  describe(`live events [${store}]`, () => {
    let env: TestEnv;
    let base: string;
    let operator: Client, dispatcher: Client, handler: Client, stranger: Client;
    let unitId: string;
    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      base = await env.app.listen({ port: 0, host: '127.0.0.1' });
      const p = demoPoint(env, 3);
      unitId = env.ctx.ref.current().routing.route({ matterCode: '06010', regionId: p.communityId }).unitId;
      const strangerUnit = [...env.ctx.ref.current().units.keys()].find((u) => u !== unitId)!;
      operator = await userClient(env.app, env.ctx, 'operator');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
      stranger = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [strangerUnit] });
    });
    after(async () => env.close());

    test('created and dispatched cases stream to the centre and to the assigned unit only', async () => {
      const centre = await openStream(base, operator.headers);
      const unit = await openStream(base, handler.headers);
      const other = await openStream(base, stranger.headers);
      const p = demoPoint(env, 3);
      const c = await operator.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: '垃圾', location: { lon: p.lon, lat: p.lat } });
      assert.equal(c.status, 201);
      await waitFor(() => centre.events.some((e) => e.event === 'case.created' && e.data.id === c.body.id));
      await operator.post(`/api/v1/cases/${c.body.id}/accept`, {});
      await operator.post(`/api/v1/cases/${c.body.id}/request-verify`, {});
      const insp = await userClient(env.app, env.ctx, 'inspector');
      await insp.post(`/api/v1/cases/${c.body.id}/verify`, { outcome: 'confirmed' });
      const d = await dispatcher.post(`/api/v1/cases/${c.body.id}/dispatch`, { unitId });
      assert.equal(d.status, 200);
      await waitFor(() => unit.events.some((e) => e.event === 'case.transitioned' && e.data.action === 'dispatch' && e.data.id === c.body.id));
      await waitFor(() => centre.events.filter((e) => e.data.id === c.body.id).length >= 5);
      assert.equal(other.events.filter((e) => e.data.id === c.body.id).length, 0, 'another unit sees nothing of it');
      await Promise.all([centre.close(), unit.close(), other.close()]);
    });

    test('an anonymous stream is refused', async () => {
      const res = await fetch(`${base}/api/v1/events`);
      assert.equal(res.status, 401);
      assert.equal((await res.json()).error.code, 'UNAUTHENTICATED');
    });
  });
}

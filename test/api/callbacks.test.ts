/**
 * The callback queue (回访, issue 10 part 4): hotline cases with a contact wait for their callback after the check;
 * a seat claims one (no other seat may), records 满意 / 基本满意 / 不满意 / 无法联系. Unsatisfied reopens once, again
 * escalates; unreachable retries after the city's spacing and the last attempt archives the case as unreachable (not
 * called back); the citizen's own rating closes the callback in work. Every step is in the case's history.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { crewFor, disposeAndCheck, throughCheck, type Crew } from '../support/case-flow.ts';

const MIN = 60_000;

for (const store of storesUnderTest()) {
  describe(`callback queue [${store}]`, () => {
    let env: TestEnv;
    let crew: Crew;
    let seat2: Client;
    let point: { lon: number; lat: number };
    let n = 0;

    const closedHotlineCase = async (): Promise<number> => {
      const created = await crew.operator.post('/api/v1/cases', {
        channel: 'hotline', matterCode: '06010', description: `楼下垃圾没人清 ${++n}`, location: point, reporter: { name: '李四', phone: `1381234${String(1000 + n)}` },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const c = await throughCheck(env, crew, created.body.id);
      assert.equal(c.state, 'CLOSED_PENDING_CALLBACK');
      return created.body.id;
    };
    const history = async (id: number) => (await crew.operator.get(`/api/v1/cases/${id}/history`)).body;
    const claim = (who: Client, caseId: number) => who.post('/api/v1/callbacks/claim', { caseId });
    const result = (who: Client, taskId: number, body: object) => who.post(`/api/v1/callbacks/${taskId}/result`, body);

    before(async () => {
      env = await createDemoEnv(store, { config: { sessionIdleMs: 365 * 86400_000, sessionTtlMs: 365 * 86400_000 } });
      await loadGridPoints(env);
      const p = demoPoint(env, 3);
      point = { lon: p.lon, lat: p.lat };
      crew = await crewFor(env, env.ctx.ref.current().routing.route({ matterCode: '06010', regionId: p.communityId }).unitId);
      seat2 = await userClient(env.app, env.ctx, 'operator');
    });
    after(async () => env.close());

    test('the queue lists the case with the phone for seats; one seat claims it, the other is refused', async () => {
      const id = await closedHotlineCase();
      const q = await crew.operator.get('/api/v1/callbacks');
      assert.equal(q.status, 200, JSON.stringify(q.body));
      const item = q.body.items.find((i: { case: { id: number } }) => i.case.id === id);
      assert.ok(item, 'in the queue');
      assert.equal(item.task, null);
      assert.deepEqual(item.actions, ['claim']);
      assert.equal(item.case.reporter.masked, false, 'the seat sees the phone to call');
      const handlerView = await crew.handler.get(`/api/v1/cases/${id}`);
      assert.equal(handlerView.body.reporter.masked, true, 'the unit does not');

      const c1 = await claim(crew.operator, id);
      assert.equal(c1.status, 200, JSON.stringify(c1.body));
      assert.equal(c1.body.state, 'claimed');
      assert.equal(c1.body.claimedBy.id, crew.operator.userId);
      assert.deepEqual(c1.body.actions.sort(), ['record', 'release']);
      const c2 = await claim(seat2, id);
      assert.equal(c2.status, 409, JSON.stringify(c2.body));
      assert.equal(c2.body.error.field, 'taskId');
      assert.equal((await claim(crew.handler, id)).status, 403, 'units do not make callbacks');
      // not the holder: may not record
      const r2 = await result(seat2, c1.body.id, { result: 'satisfied' });
      assert.equal(r2.status, 409);
      assert.equal(r2.body.error.field, 'taskId');
      const mine = await crew.operator.get('/api/v1/callbacks?view=mine');
      assert.ok(mine.body.items.some((i: { case: { id: number } }) => i.case.id === id));

      const done = await result(crew.operator, c1.body.id, { result: 'basically_satisfied', note: '基本满意' });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.deepEqual([done.body.state, done.body.result], ['done', 'basically_satisfied']);
      assert.equal((await crew.operator.get(`/api/v1/cases/${id}`)).body.state, 'ARCHIVED');
      const cb = (await history(id)).items.at(-1);
      assert.deepEqual([cb.action, cb.details.satisfied, cb.details.result], ['callback', true, 'basically_satisfied']);
      const desks = (await crew.operator.get(`/api/v1/cases/${id}/desks`)).body;
      assert.deepEqual(desks.callbacks.map((t: { state: string }) => t.state), ['done']);
      assert.deepEqual(desks.callbacks[0].history.map((h: { action: string }) => h.action), ['claimed', 'answered']);
    });

    test('unsatisfied reopens once (重办); unsatisfied again escalates to supervision', async () => {
      const id = await closedHotlineCase();
      const t1 = (await claim(crew.operator, id)).body;
      const bad = await result(crew.operator, t1.id, { result: 'unsatisfied' });
      assert.equal(bad.status, 400, 'unsatisfied needs a note');
      assert.equal(bad.body.error.field, 'note');
      const r1 = await result(crew.operator, t1.id, { result: 'unsatisfied', note: '垃圾还在' });
      assert.equal(r1.status, 200, JSON.stringify(r1.body));
      let c = (await crew.operator.get(`/api/v1/cases/${id}`)).body;
      assert.deepEqual([c.state, c.counters.reopen, c.counters.unsatisfied], ['IN_PROGRESS', 1, 1]);
      await disposeAndCheck(env, crew, id);
      const t2 = (await claim(seat2, id)).body;
      assert.equal(t2.round, 2, 'a new round of callback');
      assert.equal((await result(seat2, t2.id, { result: 'unsatisfied', note: '还是没清' })).status, 200);
      c = (await crew.operator.get(`/api/v1/cases/${id}`)).body;
      assert.equal(c.counters.unsatisfied, 2);
      assert.ok((await history(id)).supervisions.some((s: { level: string }) => s.level === 'leader'), 'escalated to supervision');
    });

    test('unreachable: retries wait the city spacing; the last attempt archives as unreachable, not called back', async () => {
      const put = await (await userClient(env.app, env.ctx, 'admin')).post('/api/v1/desks/settings', {});
      assert.equal(put.status, 404, 'settings are replaced with PUT');
      const id = await closedHotlineCase();
      const t = (await claim(crew.operator, id)).body;
      assert.equal(t.maxAttempts, 3);
      const a1 = await result(crew.operator, t.id, { result: 'unreachable', note: '无人接听' });
      assert.equal(a1.status, 200, JSON.stringify(a1.body));
      assert.deepEqual([a1.body.state, a1.body.attempts, a1.body.claimedBy], ['waiting', 1, null]);
      assert.ok(a1.body.nextAttemptAt);
      const early = await claim(seat2, id);
      assert.equal(early.status, 409);
      assert.equal(early.body.error.field, 'nextAttemptAt');
      let h = (await history(id)).items.at(-1);
      assert.deepEqual([h.action, h.fromState, h.toState, h.details.result, h.details.attempt], ['callback_attempt', 'CLOSED_PENDING_CALLBACK', 'CLOSED_PENDING_CALLBACK', 'unreachable', 1]);
      env.clock.advance(121 * MIN);
      assert.equal((await claim(seat2, id)).status, 200, 'any seat may take the retry');
      assert.equal((await result(seat2, t.id, { result: 'unreachable' })).status, 200);
      env.clock.advance(121 * MIN);
      assert.equal((await claim(crew.operator, id)).status, 200);
      const last = await result(crew.operator, t.id, { result: 'unreachable' });
      assert.equal(last.status, 200, JSON.stringify(last.body));
      assert.deepEqual([last.body.state, last.body.result, last.body.attempts], ['unreachable', 'unreachable', 3]);
      const c = (await crew.operator.get(`/api/v1/cases/${id}`)).body;
      assert.equal(c.state, 'ARCHIVED');
      const items = (await history(id)).items;
      assert.equal(items.filter((x: { action: string }) => x.action === 'callback').length, 0, 'not counted as called back');
      h = items.at(-1);
      assert.deepEqual([h.action, h.details.final, h.details.attempt], ['callback_attempt', true, 3]);
      assert.equal(items.at(-2).action, 'close');
      assert.equal(items.at(-2).actor.id, 'system:callback');
    });

    test('settings are city data: bad input names the field and leaves nothing; the new count applies', async () => {
      const admin = await userClient(env.app, env.ctx, 'admin');
      const cur = (await admin.get('/api/v1/desks/settings')).body;
      const put = (body: unknown) => env.app.inject({ method: 'PUT', url: '/api/v1/desks/settings', headers: { ...admin.headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
      const bad = await put({ ...cur, callback: { ...cur.callback, maxAttempts: 0 } });
      assert.equal(bad.statusCode, 400, bad.body);
      assert.match(JSON.parse(bad.body).error.field ?? JSON.parse(bad.body).error.message, /maxAttempts/);
      assert.equal((await admin.get('/api/v1/desks/settings')).body.callback.maxAttempts, 3);
      const ok = await put({ ...cur, callback: { ...cur.callback, maxAttempts: 1 } });
      assert.equal(ok.statusCode, 200, ok.body);
      const id = await closedHotlineCase();
      const t = (await claim(crew.operator, id)).body;
      const r = await result(crew.operator, t.id, { result: 'unreachable' });
      assert.equal(r.body.state, 'unreachable', 'one attempt only now');
      assert.equal((await put(cur)).statusCode, 200);
    });

    test('the citizen\'s rating closes the callback in work and is recorded as public_rating', async () => {
      const boundary = '----cb' + Math.random().toString(16).slice(2);
      const fields = { matterCode: '06010', lon: String(point.lon), lat: String(point.lat), description: '门口垃圾没人清理好几天了', phone: '13912345001' };
      const payload = Buffer.concat([...Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)), Buffer.from(`--${boundary}--\r\n`)]);
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/public/reports', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-forwarded-for': '10.9.0.1' } });
      assert.equal(r.statusCode, 201, r.body);
      const rep = JSON.parse(r.body);
      const id = Number((await env.db.selectFrom('cases').select('id').where('case_no', '=', rep.caseNo).executeTakeFirstOrThrow()).id);
      await throughCheck(env, crew, id);
      const t = (await claim(crew.operator, id)).body;
      const rated = await env.app.inject({ method: 'POST', url: `/api/v1/public/cases/${rep.caseNo}/rating`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ code: rep.trackingCode, rating: 'satisfied' }) });
      assert.equal(rated.statusCode, 200, rated.body);
      const desks = (await crew.operator.get(`/api/v1/cases/${id}/desks`)).body;
      assert.deepEqual([desks.callbacks[0].id, desks.callbacks[0].state, desks.callbacks[0].result], [t.id, 'rated', 'satisfied']);
      const items = (await history(id)).items;
      const pr = items.find((x: { action: string }) => x.action === 'public_rating');
      assert.deepEqual([pr.details.result, pr.details.source], ['satisfied', 'portal']);
      assert.equal(items.find((x: { action: string }) => x.action === 'callback').details.result, 'satisfied');
      assert.equal((await result(crew.operator, t.id, { result: 'satisfied' })).status, 409, 'nothing left to record');
    });
  });
}

/**
 * A citizen's rating on the portal is their answer to the callback (回访): it feeds the same record as the operator's
 * callback — 不满意 reopens a case waiting for its callback (once; a second unsatisfied answer escalates it to
 * supervision), 满意 archives it, 不满意 reopens a case archived without a callback shortly before — recorded as the
 * citizen (public:portal), in one transaction with the rating.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request } from '../support/api-client.ts';
import { act, crewFor, disposeAndCheck, throughCheck, type Crew } from '../support/case-flow.ts';

const DAY = 24 * 3_600_000;

function form(fields: Record<string, string>) {
  const boundary = '----rating' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([...Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)), Buffer.from(`--${boundary}--\r\n`)]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

for (const store of storesUnderTest()) {
  describe(`portal rating as the callback [${store}]`, () => {
    let env: TestEnv;
    let crew: Crew;
    let point: { lon: number; lat: number };
    let n = 0;

    const report = async (withPhone: boolean) => {
      const { payload, contentType } = form({
        matterCode: '06010', lon: String(point.lon), lat: String(point.lat), description: `小区门口垃圾堆了三天没人清 ${++n}`,
        ...(withPhone ? { phone: `1391234${String(5000 + n)}` } : {}),
      });
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/public/reports', payload, headers: { 'content-type': contentType, 'x-forwarded-for': `10.1.0.${n}` } });
      assert.equal(r.statusCode, 201, r.body);
      const body = JSON.parse(r.body);
      const row = await env.db.selectFrom('cases').select(['id']).where('case_no', '=', body.caseNo).executeTakeFirstOrThrow();
      return { caseNo: body.caseNo as string, code: body.trackingCode as string, id: Number(row.id) };
    };
    const rate = (r: { caseNo: string; code: string }, rating: string, comment?: string) =>
      request(env.app, 'POST', `/api/v1/public/cases/${r.caseNo}/rating`, { body: { code: r.code, rating, ...(comment ? { comment } : {}) } });
    const caseOf = async (id: number) => (await crew.operator.get(`/api/v1/cases/${id}`)).body;
    const history = async (id: number) => (await crew.operator.get(`/api/v1/cases/${id}/history`)).body;

    before(async () => {
      env = await createDemoEnv(store, { config: { sessionIdleMs: 365 * 86400_000, sessionTtlMs: 365 * 86400_000 } });
      await loadGridPoints(env);
      const p = demoPoint(env, 7);
      point = { lon: p.lon, lat: p.lat };
      crew = await crewFor(env, env.ctx.ref.current().routing.route({ matterCode: '06010', regionId: p.communityId }).unitId);
    });
    after(async () => env.close());

    test('不满意 on a case waiting for its callback reopens it as a callback; once more unsatisfied escalates it', async () => {
      const r = await report(true);
      const checked = await throughCheck(env, crew, r.id);
      assert.equal(checked.state, 'CLOSED_PENDING_CALLBACK');
      const rated = await rate(r, 'unsatisfied', '垃圾还在');
      assert.equal(rated.status, 200, JSON.stringify(rated.body));
      assert.equal(rated.body.rating.value, 'unsatisfied');
      assert.equal(rated.body.status, 'open', 'the case is being handled again');
      assert.equal(rated.body.stage, 'handling');
      const c = await caseOf(r.id);
      assert.equal(c.state, 'IN_PROGRESS');
      assert.equal(c.counters.unsatisfied, 1);
      assert.equal(c.counters.reopen, 1);
      assert.ok(c.deadlines.handleDueAt, 'the unit has a fresh handling clock');
      const h = await history(r.id);
      const cb = h.items.findLast((x: { action: string }) => x.action === 'callback');
      assert.equal(cb.action, 'callback');
      assert.deepEqual([cb.fromState, cb.toState], ['CLOSED_PENDING_CALLBACK', 'IN_PROGRESS']);
      assert.equal(cb.actor.id, 'public:portal');
      assert.equal(cb.actor.name, '市民本人（门户评价）');
      assert.equal(cb.details.satisfied, false);
      assert.match(cb.reason, /不满意（垃圾还在）/);

      // handled again and checked: a second rating is refused (once), and changes nothing
      const again = await disposeAndCheck(env, crew, r.id);
      assert.equal(again.state, 'CLOSED_PENDING_CALLBACK');
      const twice = await rate(r, 'unsatisfied');
      assert.equal(twice.status, 409, JSON.stringify(twice.body));
      assert.equal(twice.body.error.field, 'rating');
      assert.equal((await caseOf(r.id)).state, 'CLOSED_PENDING_CALLBACK', 'a refused rating leaves nothing behind');
      assert.equal((await history(r.id)).items.filter((x: { action: string }) => x.action === 'callback').length, 1);
      // the operator's callback continues the same record: unsatisfied a second time → escalated to supervision
      const esc = await act(crew.operator, r.id, 'callback', { satisfied: false, note: '仍不满意' });
      assert.equal(esc.state, 'IN_PROGRESS');
      assert.equal(esc.counters.unsatisfied, 2);
      assert.ok((await history(r.id)).supervisions.some((s: { level: string }) => s.level === 'leader'), 'escalated');
    });

    test('满意 on a case waiting for its callback is the callback: archived, satisfied', async () => {
      const r = await report(true);
      await throughCheck(env, crew, r.id);
      const rated = await rate(r, 'basically_satisfied');
      assert.equal(rated.status, 200, JSON.stringify(rated.body));
      assert.equal(rated.body.status, 'closed');
      const c = await caseOf(r.id);
      assert.equal(c.state, 'ARCHIVED');
      assert.equal(c.counters.unsatisfied, 0);
      const cb = (await history(r.id)).items.findLast((x: { action: string }) => x.action === 'callback');
      assert.deepEqual([cb.action, cb.actor.id, cb.details.satisfied], ['callback', 'public:portal', true]);
      assert.equal((await crew.operator.post(`/api/v1/cases/${r.id}/callback`, { satisfied: true })).status, 409, 'nothing left for the operator to call about');
    });

    test('不满意 on a case archived without a callback reopens it, within 30 days of closing', async () => {
      const r = await report(false);
      const checked = await throughCheck(env, crew, r.id);
      assert.equal(checked.state, 'ARCHIVED', 'no phone, no callback');
      const rated = await rate(r, 'unsatisfied', '根本没清');
      assert.equal(rated.status, 200, JSON.stringify(rated.body));
      const c = await caseOf(r.id);
      assert.equal(c.state, 'IN_PROGRESS');
      assert.equal(c.counters.reopen, 1);
      const step = (await history(r.id)).items.findLast((x: { action: string }) => x.action === 'reopen');
      assert.deepEqual([step.action, step.fromState, step.toState, step.actor.id], ['reopen', 'ARCHIVED', 'IN_PROGRESS', 'public:portal']);
      assert.match(step.reason, /不满意（根本没清）/);

      // closed long ago: the rating is recorded, the case stays archived
      const old = await report(false);
      await throughCheck(env, crew, old.id);
      env.clock.advance(31 * DAY);
      const late = await rate(old, 'unsatisfied');
      assert.equal(late.status, 200, JSON.stringify(late.body));
      assert.equal(late.body.rating.value, 'unsatisfied');
      assert.equal((await caseOf(old.id)).state, 'ARCHIVED');
      assert.deepEqual((await history(old.id)).items.slice(-2).map((x: { action: string }) => x.action), ['check_pass', 'public_rating'], 'recorded, no step');
    });
  });
}

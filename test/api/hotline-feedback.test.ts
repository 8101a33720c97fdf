/**
 * The 12345 feedback deadline (接诉即办) is the city's data and a clock like any other: GET/PUT
 * /api/v1/hotline/feedback-limits; 紧急 is the 24 h class; the deadline sweep warns at 80 % and flags it overdue (once
 * each, also with two sweeps at once) until the caller is answered; the case shows the level.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, T0, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';
import { runDeadlineSweep } from '../../src/jobs/deadline-sweep.job.ts';
import { act, crewFor, throughCheck, type Crew } from '../support/case-flow.ts';

const V1 = '/api/v1';
const HOUR = 3_600_000;

for (const store of storesUnderTest()) {
  describe(`hotline feedback deadline [${store}]`, () => {
    let env: TestEnv;
    let op: Client, admin: Client, leader: Client;
    let crew: Crew;
    let where: { lon: number; lat: number };
    let phone = 13700000000;
    const put = (c: Client, body: unknown) => request(env.app, 'PUT', `${V1}/hotline/feedback-limits`, {
      body, cookie: c.headers.cookie, headers: { 'x-csrf-token': c.headers['x-csrf-token'] },
    });
    const order = async (body: Record<string, unknown>) => {
      const r = await op.post(`${V1}/hotline/work-orders`, {
        caller: { phone: String(++phone) }, kind: 'complaint', description: '小区门口有人占道经营', matterCode: '09006', location: where, ...body,
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    const history = async (id: number) => (await leader.get(`${V1}/cases/${id}/history`)).body.items as { action: string; details: Record<string, unknown> }[];
    const feedbackSteps = async (id: number) => (await history(id)).filter((h) => h.details.clock === 'feedback').map((h) => h.action);
    const caseOf = async (id: number) => (await op.get(`${V1}/cases/${id}`)).body;

    before(async () => {
      env = await createDemoEnv(store, { config: { sessionIdleMs: 365 * 86400_000, sessionTtlMs: 365 * 86400_000 } });
      await loadGridPoints(env);
      op = await userClient(env.app, env.ctx, 'operator');
      admin = await userClient(env.app, env.ctx, 'admin');
      leader = await userClient(env.app, env.ctx, 'shift_leader');
      const p = demoPoint(env, 5);
      where = { lon: p.lon, lat: p.lat };
      crew = await crewFor(env, env.ctx.ref.current().routing.route({ matterCode: '09006', regionId: p.communityId }).unitId);
    });
    after(async () => env.close());

    test('the limits in force: Beijing by default, readable by the seats; 紧急 is the 24 h class, not 7 days', async () => {
      assert.equal((await request(env.app, 'GET', `${V1}/hotline/feedback-limits`)).status, 401);
      const r = await op.get(`${V1}/hotline/feedback-limits`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const l = r.body.limits;
      assert.deepEqual([l.threat.amount, l.threat.unit, l.utility.amount, l.utility.unit], [2, 'natural_hours', 24, 'natural_hours']);
      assert.deepEqual([l.general.amount, l.general.unit, l.complex.amount, l.complex.unit], [7, 'natural_days', 15, 'natural_days']);
      assert.deepEqual(r.body.urgencyClasses, { normal: null, urgent: 'utility', very_urgent: 'threat' });
      assert.equal(r.body.problems, undefined, 'problems are for those who may change the limits');
      assert.deepEqual((await admin.get(`${V1}/hotline/feedback-limits`)).body.problems, []);

      const urgent = await order({ urgency: 'urgent' });
      assert.equal(urgent.call.feedbackClass, 'utility');
      assert.equal(Date.parse(urgent.call.feedbackDueAt), Date.parse(urgent.call.createdAt) + 24 * HOUR);
      assert.equal(urgent.case.deadlines.feedbackDueAt, urgent.call.feedbackDueAt);
      assert.equal(urgent.case.deadlines.feedbackLevel, 'normal');
      assert.equal(urgent.call.feedbackLevel, 'normal');
      assert.equal(Date.parse(urgent.call.feedbackWarnAt), Date.parse(urgent.call.createdAt) + 0.8 * 24 * HOUR);
    });

    test('a city changes its limits: validated before anything is written; new calls use them at once', async () => {
      const version = (await env.db.selectFrom('settings').select('value').where('key', '=', 'reference_version').executeTakeFirstOrThrow()).value;
      assert.equal((await put(op, { limits: { general: { amount: 5, unit: 'work_days' } } })).status, 403);
      for (const [body, field] of [
        [{ limits: { general: { amount: 0, unit: 'work_days' } } }, 'limits.general.amount'],
        [{ limits: { general: { amount: 5, unit: 'fortnights' } } }, 'limits.general.unit'],
        [{ urgencyClasses: { urgent: 'soon' } }, 'urgencyClasses.urgent'],
        [{ utilityMatterClasses: ['1'] }, 'utilityMatterClasses.0'],
      ] as [unknown, string][]) {
        const r = await put(admin, body);
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.equal(r.body.error.field, field, JSON.stringify(r.body));
      }
      const still = await env.db.selectFrom('settings').select('value').where('key', '=', 'reference_version').executeTakeFirstOrThrow();
      assert.equal(still.value, version, 'nothing written');
      assert.equal(await env.db.selectFrom('settings').select('value').where('key', '=', 'hotline_feedback_limits').executeTakeFirst(), undefined);

      const r = await put(admin, { limits: { general: { amount: 5, unit: 'work_days' } }, urgencyClasses: { urgent: null } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual([r.body.limits.general.amount, r.body.limits.general.unit], [5, 'work_days']);
      assert.deepEqual([r.body.limits.threat.amount, r.body.limits.threat.unit], [2, 'natural_hours'], 'omitted parts keep their defaults');
      const ev = await env.db.selectFrom('outbox').select('payload').where('topic', '=', 'hotline.feedback_limits_replaced').execute();
      assert.equal(ev.length, 1);
      // 5 work days from Wednesday 25 Nov 10:00 (the day rule): close of business of Wednesday 2 Dec; urgent is now general too
      const c = await order({ urgency: 'urgent' });
      assert.equal(c.call.feedbackClass, 'general');
      assert.equal(c.call.feedbackDueAt, '2026-12-02T09:30:00.000Z');
      const back = await put(admin, {});
      assert.equal(back.status, 200);
      assert.deepEqual(back.body.urgencyClasses, { normal: null, urgent: 'utility', very_urgent: 'threat' });
    });

    test('a stored value that cannot be used is reported to administrators and the defaults apply', async () => {
      await env.db.insertInto('settings').values({ key: 'hotline_feedback_limits', value: '{"limits":{"threat":{"amount":-2,"unit":"natural_hours"}}}' })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: '{"limits":{"threat":{"amount":-2,"unit":"natural_hours"}}}' })).execute();
      await env.ctx.ref.load();
      const r = await admin.get(`${V1}/hotline/feedback-limits`);
      assert.equal(r.body.problems.length, 1);
      assert.match(r.body.problems[0].message, /^hotline_feedback_limits\.limits\.threat\.amount/);
      assert.equal(r.body.limits.threat.amount, 2);
      const c = await order({ urgency: 'very_urgent', description: '井盖缺失有人掉下去风险' });
      assert.equal(Date.parse(c.call.feedbackDueAt), Date.parse(c.call.createdAt) + 2 * HOUR);
      assert.equal((await put(admin, {})).status, 200);
      assert.deepEqual((await admin.get(`${V1}/hotline/feedback-limits`)).body.problems, []);
    });

    test('the feedback clock warns at 80 % and goes overdue once each; the case and the call show the level', async () => {
      env.clock.set(T0);
      const c = await order({ description: '占道经营' });
      assert.equal(c.call.feedbackClass, 'general');
      const id = c.case.id;
      const warn = Date.parse(c.call.feedbackWarnAt);
      const due = Date.parse(c.call.feedbackDueAt);
      assert.ok(T0 < warn && warn < due);
      env.clock.set(warn - 1000);
      await runDeadlineSweep(env.ctx);
      assert.equal((await caseOf(id)).deadlines.feedbackLevel, 'normal');
      env.clock.set(warn + 1000);
      const r1 = await runDeadlineSweep(env.ctx);
      assert.ok(r1.warnings >= 1, JSON.stringify(r1));
      const v = await caseOf(id);
      assert.equal(v.deadlines.feedbackLevel, 'warning');
      assert.deepEqual(await feedbackSteps(id), ['deadline_warning']);
      const again = await runDeadlineSweep(env.ctx);
      assert.equal(again.warnings + again.overdue, 0, 'idempotent');
      env.clock.set(due + 1000);
      const r2 = await runDeadlineSweep(env.ctx);
      assert.ok(r2.overdue >= 1, JSON.stringify(r2));
      assert.equal((await caseOf(id)).deadlines.feedbackLevel, 'overdue');
      assert.deepEqual(await feedbackSteps(id), ['deadline_warning', 'deadline_overdue']);
      const h = (await history(id)).find((x) => x.action === 'deadline_overdue' && x.details.clock === 'feedback')!;
      assert.equal(h.details.callId, c.call.id);
      const ev = (await env.db.selectFrom('outbox').select(['topic', 'payload']).where('case_id', '=', id).where('topic', '=', 'case.deadline_overdue').execute())
        .map((e) => JSON.parse(e.payload)).filter((p) => p.clock === 'feedback');
      assert.equal(ev.length, 1);
      assert.equal(ev[0].level, 'overdue');
      const calls = await op.get(`${V1}/hotline/calls?phone=${c.call.caller.phone}`);
      assert.equal(calls.body.items[0].feedbackLevel, 'overdue');
    });

    test('an answered caller stops the clock at the level it had; a result still waiting for its callback does not', async () => {
      env.clock.set(T0 + 10 * 24 * HOUR);
      // very urgent: 2 h; the shift leader closes it (special closure) after 30 minutes: the caller has the answer
      const early = await order({ urgency: 'very_urgent', description: '井盖缺失' });
      // answered after the warning: stays yellow, never red
      const late = await order({ urgency: 'very_urgent', description: '井盖缺失', matterCode: '06010' });
      env.clock.advance(30 * 60_000);
      const closed = await leader.post(`${V1}/cases/${early.case.id}/close`, { closureType: 'special', reason: '已电话答复来电人' });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      env.clock.set(Date.parse(late.call.feedbackWarnAt) + 60_000);
      await runDeadlineSweep(env.ctx);
      assert.equal((await caseOf(late.case.id)).deadlines.feedbackLevel, 'warning');
      const rejected = await leader.post(`${V1}/cases/${late.case.id}/reject`, { reason: '已转 119', rejectKind: 'out_of_scope', referral: '119' });
      assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
      env.clock.set(Date.parse(late.call.feedbackDueAt) + 3 * HOUR);
      await runDeadlineSweep(env.ctx);
      assert.equal((await caseOf(early.case.id)).deadlines.feedbackLevel, 'normal');
      assert.deepEqual(await feedbackSteps(early.case.id), []);
      assert.equal((await caseOf(late.case.id)).deadlines.feedbackLevel, 'warning');
      assert.deepEqual(await feedbackSteps(late.case.id), ['deadline_warning']);
      const rows = await env.db.selectFrom('hotline_calls').select(['feedback_next_at']).where('case_id', 'in', [early.case.id, late.case.id]).execute();
      assert.deepEqual(rows.map((r) => r.feedback_next_at), [null, null], 'a stopped clock is not looked at again');

      // handled and checked in time, but nobody has called the caller back: the clock runs on until the callback
      env.clock.set(T0 + 14 * 24 * HOUR);
      const waiting = await order({ urgency: 'urgent', description: '占道经营堵住消防通道' });
      const checked = await throughCheck(env, crew, waiting.case.id);
      assert.equal(checked.state, 'CLOSED_PENDING_CALLBACK');
      env.clock.set(Date.parse(waiting.call.feedbackDueAt) + 60_000);
      await runDeadlineSweep(env.ctx);
      assert.equal((await caseOf(waiting.case.id)).deadlines.feedbackLevel, 'overdue');
      const called = await act(crew.operator, waiting.case.id, 'callback', { satisfied: true });
      assert.equal(called.state, 'ARCHIVED');
      assert.equal(called.deadlines.feedbackLevel, 'overdue', 'a late answer stays late');
    });

    test('two sweeps at once raise each feedback alert once', async () => {
      env.clock.set(T0 + 20 * 24 * HOUR);
      const ids: number[] = [];
      for (let i = 0; i < 7; i++) ids.push((await order({ urgency: 'very_urgent', description: `井盖缺失 ${i}` })).case.id);
      env.clock.advance(3 * HOUR);
      const [a, b] = await Promise.all([runDeadlineSweep(env.ctx, { batchSize: 3 }), runDeadlineSweep(env.ctx, { batchSize: 3 })]);
      for (const id of ids) assert.deepEqual(await feedbackSteps(id), ['deadline_overdue'], `case ${id} (${JSON.stringify([a, b])})`);
    });
  });
}

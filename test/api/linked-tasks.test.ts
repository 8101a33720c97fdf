/**
 * Tasks follow their case (issue 10; docs/issue-10/decision-support.md "Tasks close with their case"): an adopted
 * 未诉先办 task resolves when its proactive case is closed, comes back when the case is reopened and is dismissed
 * when the case is merged away; a shop-sign inspection closes and reopens with its case. Each move is written in the
 * case's own transaction (a transition that fails leaves the task untouched), with the task's history row and event,
 * and the case's history row names it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';
import { act, disposeAndCheck, crewFor, type Crew } from '../support/case-flow.ts';
import { transitionCase } from '../../src/commands/case-transition.ts';
import { caseMoveOf } from '../../src/domain/case/states.ts';
import { proactiveOnCase } from '../../src/domain/recurrence/lifecycle.ts';

test('caseMoveOf / proactiveOnCase: closure, cancellation and coming back', () => {
  assert.equal(caseMoveOf('CHECKING', 'ARCHIVED'), 'closed');
  assert.equal(caseMoveOf('CHECKING', 'CLOSED_PENDING_CALLBACK'), 'closed');
  assert.equal(caseMoveOf('CLOSED_PENDING_CALLBACK', 'ARCHIVED'), null);
  assert.equal(caseMoveOf('CLOSED_PENDING_CALLBACK', 'IN_PROGRESS'), 'reopened');
  assert.equal(caseMoveOf('ARCHIVED', 'IN_PROGRESS'), 'reopened');
  assert.equal(caseMoveOf('IN_PROGRESS', 'CANCELLED'), 'cancelled');
  assert.equal(caseMoveOf('CANCELLED', 'REGISTERED'), 'reopened');
  assert.equal(caseMoveOf('DISPATCHED', 'IN_PROGRESS'), null);
  assert.equal(proactiveOnCase('adopted', 'closed'), 'resolved');
  assert.equal(proactiveOnCase('adopted', 'cancelled'), 'dismissed');
  assert.equal(proactiveOnCase('resolved', 'reopened'), 'adopted');
  assert.equal(proactiveOnCase('resolved', 'closed'), null);
  assert.equal(proactiveOnCase('proposed', 'closed'), null);
});

for (const store of storesUnderTest()) {
  describe(`tasks follow their case [${store}]`, () => {
    let env: TestEnv;
    let leader: Client, shift: Client, admin: Client, operator: Client;
    let crew: Crew;
    let A: ReturnType<typeof demoPoint>;

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      A = demoPoint(env, 0);
      const unitId = [...env.ctx.ref.current().units.values()].find((u) => u.active)!.id;
      crew = await crewFor(env, unitId);
      leader = await userClient(env.app, env.ctx, 'centre_leader');
      shift = await userClient(env.app, env.ctx, 'shift_leader');
      admin = await userClient(env.app, env.ctx, 'admin');
      operator = await userClient(env.app, env.ctx, 'operator');
    });
    after(async () => env?.close());

    /** A proposed 未诉先办 task on a recurring problem at A, adopted by the leader: its proactive case. */
    async function adoptedTask(): Promise<{ id: number; caseId: number; version: number }> {
      const now = env.clock.now();
      const ref = env.ctx.ref.current();
      const street = ref.regions.get(A.communityId)!.parentId!;
      const problemId = await env.ctx.store.recurrence.insertProblem({
        matter_code: '06010', part_id: null, lon: A.lon, lat: A.lat, h3: null, address: '同一路口', grid_id: A.gridId, community_id: A.communityId,
        street_id: street, district_id: ref.regions.get(street)!.parentId, first_case_id: 0, first_at: now - 30 * 86_400_000, last_at: now, case_count: 6,
        created_at: now, updated_at: now,
      });
      const [id] = await env.ctx.store.topics.insertProactive([{
        problem_id: problemId, matter_code: '06010', pattern: JSON.stringify({ kind: 'weekend', value: 6, matches: 6, total: 6 }), due_day: 20991231,
        explain_zh: '周末反复出现', explain_en: 'comes back on weekends', state: 'proposed', case_id: null, note: null,
        community_id: A.communityId, street_id: street, district_id: ref.regions.get(street)!.parentId, created_at: now, updated_at: now, version: 1,
      }]);
      const a = await leader.post(`/api/v1/decide/proactive/${id}/adopt`, { version: 1 });
      assert.equal(a.status, 200, JSON.stringify(a.body));
      return { id, caseId: a.body.caseId, version: a.body.version };
    }
    const task = async (id: number) => (await leader.get(`/api/v1/decide/proactive/${id}`)).body;

    test('an adopted task resolves when its case is closed, is adopted again when the case is reopened', async () => {
      const t = await adoptedTask();
      const c0 = (await leader.get(`/api/v1/cases/${t.caseId}`)).body;
      assert.equal(c0.channel, 'proactive');
      await act(crew.dispatcher, t.caseId, 'dispatch', { unitId: crew.unitId });
      await act(crew.handler, t.caseId, 'sign');
      assert.equal((await task(t.id)).state, 'adopted', 'work on the case does not move the task');
      const closed = await disposeAndCheck(env, crew, t.caseId);
      assert.equal(closed.state, 'ARCHIVED', 'no citizen to call back: archived at the check');
      const done = await task(t.id);
      assert.equal(done.state, 'resolved');
      assert.deepEqual(done.history.map((h: { action: string }) => h.action), ['adopt', 'case_closed']);
      assert.equal(done.history[1].details.caseId, t.caseId);
      const hist = (await leader.get(`/api/v1/cases/${t.caseId}/history`)).body;
      const row = (hist.items ?? hist).find((h: { action: string }) => h.action === 'check_pass');
      assert.deepEqual(row.details.linkedTasks, [{ kind: 'proactive', id: t.id, from: 'adopted', to: 'resolved' }]);
      const events = await env.db.selectFrom('outbox').select(['topic', 'payload']).where('topic', 'like', 'proactive.%').execute();
      assert.ok(events.some((e) => e.topic === 'proactive.resolved' && JSON.parse(String(e.payload)).byCase === true));
      await act(shift, t.caseId, 'reopen', { reason: '复发' });
      const back = await task(t.id);
      assert.equal(back.state, 'adopted');
      assert.deepEqual(back.history.map((h: { action: string }) => h.action), ['adopt', 'case_closed', 'case_reopened']);
    });

    test('the task moves in the case\'s transaction: a transition that fails leaves it adopted; a merged case dismisses it', async () => {
      const t = await adoptedTask();
      const u = (await env.ctx.store.auth.findUserById(shift.userId))!;
      const who = { userId: u.id, name: u.displayName, roles: u.roles, unitIds: u.unitIds, regionIds: u.regionIds };
      await assert.rejects(transitionCase(env.ctx, t.caseId, { action: 'close', closureType: 'special', reason: '统一改造' } as never, who, {
        within: async () => { throw new Error('boom after the task moved'); },
      }), /boom/);
      assert.equal((await task(t.id)).state, 'adopted', 'rolled back with the case');
      assert.notEqual((await leader.get(`/api/v1/cases/${t.caseId}`)).body.state, 'ARCHIVED');
      // merged into another open case of its class: the task is dismissed with it
      const other = await operator.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: '路口垃圾', location: { lon: A.lon, lat: A.lat } });
      assert.equal(other.status, 201, JSON.stringify(other.body));
      await act(shift, t.caseId, 'merge-into', { masterCaseId: other.body.id, reason: '同一问题' });
      const gone = await task(t.id);
      assert.equal(gone.state, 'dismissed');
      assert.equal(gone.history.at(-1).action, 'case_cancelled');
      assert.equal(gone.history.at(-1).details.caseAction, 'merge_into');
    });

    test('a shop-sign inspection closes with its case and reopens with it', async () => {
      const put = (url: string, body: unknown) => request(env.app, 'PUT', url, { cookie: admin.headers.cookie, headers: { 'x-csrf-token': admin.headers['x-csrf-token'] }, body });
      const s = await put('/api/v1/shop-signs/lt-1', { name: '老字号招牌', ownerName: '李四', ownerPhone: '13900001111', address: '中山路1号', lon: A.lon, lat: A.lat });
      assert.equal(s.status, 200, JSON.stringify(s.body));
      const w = await operator.post('/api/v1/wind-warnings', { level: 'blue', regionId: A.communityId });
      assert.equal(w.status, 200, JSON.stringify(w.body));
      const caseId = w.body.inspections.find((i: { signId: string }) => i.signId === 'lt-1').caseId;
      const insp = async () => (await operator.get('/api/v1/shop-signs/lt-1/inspections')).body.items[0];
      assert.equal((await insp()).state, 'open');
      await act(crew.dispatcher, caseId, 'dispatch', { unitId: crew.unitId });
      assert.equal((await insp()).state, 'open');
      await act(shift, caseId, 'close', { closureType: 'special', reason: '已加固，现场核实无隐患' });
      const closed = await insp();
      assert.equal(closed.state, 'closed');
      assert.ok(closed.closedAt);
      await act(shift, caseId, 'reopen', { reason: '复查发现松动' });
      const back = await insp();
      assert.equal(back.state, 'open');
      assert.equal(back.closedAt, null);
      const events = await env.db.selectFrom('outbox').select('topic').where('case_id', '=', caseId).execute();
      assert.deepEqual(events.map((e) => e.topic).filter((x) => x.startsWith('shop_sign.')), ['shop_sign.inspection_closed', 'shop_sign.inspection_reopened']);
    });
  });
}

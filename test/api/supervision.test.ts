/**
 * Supervision (督办), issue 10 part 4: overdue cases are candidates; a notice (督办单) goes out through the case's
 * `supervise` action with its own level, tier and deadline; the unit answers; the raise job lifts the tier when the
 * notice goes unanswered or the case is overdue again — once, however often it runs.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { act, crewFor, photo, type Crew } from '../support/case-flow.ts';
import { runDeadlineSweep } from '../../src/jobs/deadline-sweep.job.ts';
import { runSupervisionRaise } from '../../src/jobs/supervision-raise.job.ts';

const DAY = 86_400_000;

for (const store of storesUnderTest()) {
  describe(`supervision notices [${store}]`, () => {
    let env: TestEnv;
    let crew: Crew;
    let shift: Client;
    let point: { lon: number; lat: number };

    before(async () => {
      env = await createDemoEnv(store, { config: { sessionIdleMs: 365 * 86400_000, sessionTtlMs: 365 * 86400_000 } });
      await loadGridPoints(env);
      const p = demoPoint(env, 9);
      point = { lon: p.lon, lat: p.lat };
      crew = await crewFor(env, env.ctx.ref.current().routing.route({ matterCode: '06010', regionId: p.communityId }).unitId);
      shift = await userClient(env.app, env.ctx, 'shift_leader');
    });
    after(async () => env.close());

    test('overdue → candidate → notice → unanswered raise (once) → answer → overdue again raise', async () => {
      const created = await crew.inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: '主干道暴露垃圾', location: point });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id;
      await act(crew.dispatcher, id, 'dispatch', { unitId: crew.unitId });
      await act(crew.handler, id, 'sign');
      env.clock.advance(4 * DAY);
      await runDeadlineSweep(env.ctx);
      const cands = await shift.get('/api/v1/supervision/candidates?kind=overdue');
      assert.equal(cands.status, 200, JSON.stringify(cands.body));
      assert.ok(cands.body.items.some((i: { case: { id: number }; notice: unknown }) => i.case.id === id && i.notice === null), 'an overdue case is a candidate');
      assert.ok((await shift.get(`/api/v1/cases/${id}/desks`)).body.actions.includes('supervise'));

      const opLevel = await crew.operator.post('/api/v1/supervision/notices', { caseId: id, level: 'supervise', note: '请尽快处置' });
      assert.equal(opLevel.status, 403, 'seats may only urge');
      assert.equal(opLevel.body.error.field, 'level');
      const badLevel = await shift.post('/api/v1/supervision/notices', { caseId: id, level: 'shout', note: 'x' });
      assert.equal(badLevel.status, 400);
      const issued = await shift.post('/api/v1/supervision/notices', { caseId: id, level: 'supervise', note: '超期未处置，请于48小时内答复' });
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      assert.deepEqual([issued.body.level, issued.body.tier, issued.body.state, issued.body.unit.id], ['supervise', 'unit', 'open', crew.unitId]);
      const again = await shift.post('/api/v1/supervision/notices', { caseId: id, level: 'urge', note: '再催' });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.field, 'caseId');
      const hist = (await crew.operator.get(`/api/v1/cases/${id}/history`)).body;
      const sv = hist.items.at(-1);
      assert.deepEqual([sv.action, sv.details.level, sv.details.noticeId, sv.details.tier], ['supervise', 'supervise', issued.body.id, 'unit']);
      assert.equal((await crew.operator.get(`/api/v1/cases/${id}`)).body.counters.supervisions, 1);

      // unanswered past its deadline: raised to the district, once
      env.clock.advance(49 * 3_600_000);
      assert.deepEqual(await runSupervisionRaise(env.ctx), { raised: 1 });
      assert.deepEqual(await runSupervisionRaise(env.ctx), { raised: 0 }, 'never twice');
      const raised = (await shift.get('/api/v1/supervision/notices?raised=true')).body.items.find((x: { id: string }) => x.id === issued.body.id);
      assert.deepEqual([raised.tier, raised.raiseCount, raised.state, raised.overdue], ['district', 1, 'open', false]);
      const r = (await crew.operator.get(`/api/v1/cases/${id}/history`)).body.items.at(-1);
      assert.deepEqual([r.action, r.details.noticeId, r.details.fromTier, r.details.toTier], ['supervision_raised', issued.body.id, 'unit', 'district']);

      // the unit answers (another unit may not even see the notice)
      const stranger = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [[...env.ctx.ref.current().units.keys()].find((u) => u !== crew.unitId)!] });
      assert.equal((await stranger.post(`/api/v1/supervision/notices/${issued.body.id}/answer`, { answer: '与我无关' })).status, 404);
      assert.equal((await crew.handler.post(`/api/v1/supervision/notices/${issued.body.id}/answer`, { answer: '' })).status, 400);
      const ans = await crew.handler.post(`/api/v1/supervision/notices/${issued.body.id}/answer`, { answer: '已安排清运车辆，今日内清理完毕' });
      assert.equal(ans.status, 200, JSON.stringify(ans.body));
      assert.deepEqual(ans.body.history.map((h: { action: string }) => h.action), ['issued', 'raised', 'answered']);
      assert.equal((await crew.operator.get(`/api/v1/cases/${id}/history`)).body.items.at(-1).action, 'supervision_answered');
      assert.deepEqual(await runSupervisionRaise(env.ctx), { raised: 0 }, 'answered, and the overdue was before the answer');

      // reworked after a failed check and overdue again: raised to the city
      await act(crew.handler, id, 'dispose', { result: '已清理', photos: [await photo(env, crew.handler)] });
      await act(crew.dispatcher, id, 'send-check');
      await act(crew.checker, id, 'check-fail', { reason: '仍有垃圾' });
      env.clock.advance(4 * DAY);
      await runDeadlineSweep(env.ctx);
      assert.deepEqual(await runSupervisionRaise(env.ctx), { raised: 1 });
      assert.deepEqual(await runSupervisionRaise(env.ctx), { raised: 0 });
      const city = (await shift.get(`/api/v1/cases/${id}/desks`)).body.notices[0];
      assert.deepEqual([city.tier, city.state, city.raiseCount, city.answer], ['city', 'open', 2, null]);
    });
  });
}

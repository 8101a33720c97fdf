/**
 * Exclusions (无理诉求) and appeals (申诉), issue 10 part 4: each reviewed by another person, recorded on the case (the
 * assessment reads the history rows), and listed in its own report. Bad input names the field.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { crewFor, photo, throughCheck, type Crew } from '../support/case-flow.ts';

const DAY = 86_400_000;

for (const store of storesUnderTest()) {
  describe(`exclusions and appeals [${store}]`, () => {
    let env: TestEnv;
    let crew: Crew;
    let leaderU: Client;
    let centre: Client;
    let shift1: Client;
    let shift2: Client;
    let otherUnit: string;
    let point: { lon: number; lat: number };
    let n = 0;

    const closedCase = async (): Promise<number> => {
      const created = await crew.operator.post('/api/v1/cases', {
        channel: 'hotline', matterCode: '06010', description: `垃圾堆放 ${++n}`, location: point, reporter: { phone: `1371234${String(1000 + n)}` },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await throughCheck(env, crew, created.body.id);
      return created.body.id;
    };
    const history = async (id: number) => (await crew.operator.get(`/api/v1/cases/${id}/history`)).body.items;

    before(async () => {
      env = await createDemoEnv(store, { config: { sessionIdleMs: 365 * 86400_000, sessionTtlMs: 365 * 86400_000 } });
      await loadGridPoints(env);
      const p = demoPoint(env, 5);
      point = { lon: p.lon, lat: p.lat };
      crew = await crewFor(env, env.ctx.ref.current().routing.route({ matterCode: '06010', regionId: p.communityId }).unitId);
      otherUnit = [...env.ctx.ref.current().units.keys()].find((u) => u !== crew.unitId)!;
      leaderU = await userClient(env.app, env.ctx, 'unit_leader', { unitIds: [crew.unitId] });
      centre = await userClient(env.app, env.ctx, 'centre_leader');
      shift1 = await userClient(env.app, env.ctx, 'shift_leader');
      shift2 = await userClient(env.app, env.ctx, 'shift_leader');
    });
    after(async () => env.close());

    test('an appeal with evidence: bad input names the field; the centre accepts it; it is on the case and in the report', async () => {
      const id = await closedCase();
      const evidence = await photo(env, leaderU);
      const noReason = await leaderU.post('/api/v1/appeals', { caseId: id, reason: '' });
      assert.equal(noReason.status, 400);
      const wrongUnit = await (await userClient(env.app, env.ctx, 'unit_leader', { unitIds: [crew.unitId, otherUnit] }))
        .post('/api/v1/appeals', { caseId: id, unitId: otherUnit, reason: '不是我们的事' });
      assert.equal(wrongUnit.status, 400, JSON.stringify(wrongUnit.body));
      assert.equal(wrongUnit.body.error.field, 'unitId');
      const notLeader = await crew.handler.post('/api/v1/appeals', { caseId: id, reason: '经办人不能申诉' });
      assert.equal(notLeader.status, 403);
      const badEvidence = await leaderU.post('/api/v1/appeals', { caseId: id, reason: '证据不存在', evidence: ['nope'] });
      assert.equal(badEvidence.status, 400);
      assert.equal(badEvidence.body.error.field, 'evidence');
      assert.equal((await env.db.selectFrom('appeals').select('id').execute()).length, 0, 'a refused appeal leaves nothing behind');

      const filed = await leaderU.post('/api/v1/appeals', { caseId: id, reason: '市民所指位置为私人小区，非市政道路', evidence: [evidence] });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      assert.deepEqual([filed.body.state, filed.body.unit.id, filed.body.period, filed.body.evidence], ['open', crew.unitId, '2026-11', [evidence]]);
      const dup = await leaderU.post('/api/v1/appeals', { caseId: id, reason: '再申诉一次' });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.error.field, 'caseId');
      assert.equal((await leaderU.post(`/api/v1/appeals/${filed.body.id}/decide`, { decision: 'accept', reason: '自己批' })).status, 403);
      // a unit leader who is also a centre leader still may not decide their own appeal
      const both = await userClient(env.app, env.ctx, ['unit_leader', 'centre_leader'], { unitIds: [crew.unitId] });
      const own = await both.post('/api/v1/appeals', { caseId: await closedCase(), reason: '我们已按时处置' });
      assert.equal(own.status, 201, JSON.stringify(own.body));
      const self = await both.post(`/api/v1/appeals/${own.body.id}/decide`, { decision: 'accept', reason: '成立' });
      assert.equal(self.status, 403, JSON.stringify(self.body));
      assert.equal(self.body.error.field, 'filedBy');

      const noWhy = await centre.post(`/api/v1/appeals/${filed.body.id}/decide`, { decision: 'accept', reason: '' });
      assert.equal(noWhy.status, 400);
      const ok = await centre.post(`/api/v1/appeals/${filed.body.id}/decide`, { decision: 'accept', reason: '经核实属私人小区' });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual([ok.body.state, ok.body.decisionReason], ['accepted', '经核实属私人小区']);
      assert.deepEqual(ok.body.history.map((h: { action: string }) => h.action), ['filed', 'accepted']);
      const h = await history(id);
      const f = h.find((x: { action: string }) => x.action === 'appeal_filed');
      assert.deepEqual([f.details.appealId, f.details.unitId, f.attachmentIds], [filed.body.id, crew.unitId, [evidence]]);
      const a = h.at(-1);
      assert.deepEqual([a.action, a.details.appealId, a.details.unitId, a.fromState, a.toState], ['appeal_accepted', filed.body.id, crew.unitId, 'CLOSED_PENDING_CALLBACK', 'CLOSED_PENDING_CALLBACK']);
      const report = (await centre.get('/api/v1/appeals?state=accepted')).body.items;
      assert.ok(report.some((x: { id: number }) => x.id === filed.body.id));
      const mine = (await leaderU.get('/api/v1/appeals')).body.items;
      assert.ok(mine.some((x: { id: number }) => x.id === filed.body.id), 'the unit sees its own appeals');
      const stranger = await userClient(env.app, env.ctx, 'unit_leader', { unitIds: [otherUnit] });
      assert.equal((await stranger.get('/api/v1/appeals')).body.items.length, 0, 'another unit does not');
    });

    test('an exclusion: requested by staff, reviewed by another leader, leaves the appeal path closed, revocable, reported', async () => {
      const id = await closedCase();
      assert.equal((await crew.handler.post('/api/v1/exclusions', { caseId: id, reason: '无理' })).status, 403, 'units may not tag');
      const req = await shift1.post('/api/v1/exclusions', { caseId: id, reason: '来电人反复要求清理私人院内垃圾，不属政府职责' });
      assert.equal(req.status, 201, JSON.stringify(req.body));
      assert.equal(req.body.unit.id, crew.unitId, 'the unit that benefits');
      const again = await crew.operator.post('/api/v1/exclusions', { caseId: id, reason: '再申请' });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.field, 'caseId');
      const selfReview = await shift1.post(`/api/v1/exclusions/${req.body.id}/review`, { decision: 'approve' });
      assert.equal(selfReview.status, 403, JSON.stringify(selfReview.body));
      assert.equal(selfReview.body.error.field, 'requestedBy');
      assert.equal((await crew.operator.post(`/api/v1/exclusions/${req.body.id}/review`, { decision: 'approve' })).status, 403, 'a seat is not a reviewer');
      const noNote = await shift2.post(`/api/v1/exclusions/${req.body.id}/review`, { decision: 'reject' });
      assert.equal(noNote.status, 400);
      assert.equal(noNote.body.error.field, 'note');
      const ok = await shift2.post(`/api/v1/exclusions/${req.body.id}/review`, { decision: 'approve', note: '属实' });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual([ok.body.state, ok.body.actions], ['approved', ['revoke']]);
      const h = (await history(id)).filter((x: { action: string }) => x.action.startsWith('exclusion_'));
      assert.deepEqual(h.map((x: { action: string }) => x.action), ['exclusion_requested', 'exclusion_approved']);
      assert.deepEqual([h[1].details.exclusionId, h[1].details.reason], [req.body.id, '来电人反复要求清理私人院内垃圾，不属政府职责']);

      const appeal = await leaderU.post('/api/v1/appeals', { caseId: id, reason: '也申诉一下' });
      assert.equal(appeal.status, 409, 'an excluded case counts nowhere: nothing to appeal');
      assert.equal(appeal.body.error.field, 'caseId');

      const report = (await centre.get('/api/v1/exclusions')).body.items.find((x: { id: number }) => x.id === req.body.id);
      assert.deepEqual([report.state, report.requestedBy.id, report.decidedBy.id, report.unit.id], ['approved', shift1.userId, shift2.userId, crew.unitId]);
      const revoked = await centre.post(`/api/v1/exclusions/${req.body.id}/revoke`, { reason: '复核发现确属公共区域' });
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      assert.equal((await history(id)).at(-1).action, 'exclusion_revoked');
      assert.equal((await centre.get('/api/v1/exclusions?state=revoked')).body.items[0].id, req.body.id);
      const desks = (await crew.operator.get(`/api/v1/cases/${id}/desks`)).body;
      assert.deepEqual(desks.exclusions.map((e: { state: string }) => e.state), ['revoked']);
      assert.ok(desks.actions.includes('request_exclusion'), 'may be requested again');
    });

    test('the appeal window closes N work days after the month', async () => {
      const id = await closedCase(); // closed in November 2026; 5 work days → 7 December 17:00
      env.clock.advance(13 * DAY);
      const late = await leaderU.post('/api/v1/appeals', { caseId: id, reason: '逾期申诉' });
      assert.equal(late.status, 409, JSON.stringify(late.body));
      assert.equal(late.body.error.field, 'caseId');
    });
  });
}

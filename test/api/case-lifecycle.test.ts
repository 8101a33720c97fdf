/**
 * The closed loop through the REST API on each store: report → accept → verify → register → dispatch → sign →
 * return → dispute ruling (buck-passing) → sign → postpone → dispose with a photo → check (fail, rework) →
 * dispose → check pass → callback → archived; every step leaves a history row.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, request, type Client } from '../support/api-client.ts';
import type { TestEnv } from '../support/test-context.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function multipart(filename: string, content: Buffer, mime = 'image/png') {
  const boundary = '----cityops' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${mime}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

for (const store of storesUnderTest()) {
  describe(`case lifecycle over HTTP [${store}]`, () => {
    let env: TestEnv;
    let operator: Client, shift: Client, dispatcher: Client, inspector: Client, handler: Client, other: Client;
    /** A dispatcher who is an inspector too: only the separation of duties keeps them from judging what they dispatched. */
    let commander: Client;
    let unitId: string;
    let otherUnitId: string;

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      const p = demoPoint(env, 0);
      const routed = env.ctx.ref.current().routing.route({ matterCode: '06010', regionId: p.communityId });
      unitId = routed.unitId;
      otherUnitId = [...env.ctx.ref.current().units.keys()].find((u) => u !== unitId)!;
      operator = await userClient(env.app, env.ctx, 'operator');
      shift = await userClient(env.app, env.ctx, 'shift_leader');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      commander = await userClient(env.app, env.ctx, ['dispatcher', 'inspector']);
      inspector = await userClient(env.app, env.ctx, 'inspector');
      handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
      other = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [otherUnitId] });
    });
    after(async () => env.close());

    test('a hotline report goes the whole way round and every step is recorded', async () => {
      const p = demoPoint(env, 0);
      const created = await operator.post('/api/v1/cases', {
        channel: 'hotline', matterCode: '06010', description: '小区门口垃圾堆积无人清理', location: { lon: p.lon, lat: p.lat },
        reporter: { name: '张三', phone: '13812345678' },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const c = created.body;
      assert.equal(c.state, 'REPORTED');
      assert.equal(c.grid.id, p.gridId);
      assert.equal(c.community.id, p.communityId);
      assert.equal(c.routing.unit.id, unitId);
      assert.match(c.caseNo, /^20261125\d{6}$/);
      assert.equal(c.deadlines.stage, 'dispatch');
      assert.ok(c.deadlines.handleLimit.amount > 0);
      assert.equal(c.reporter.phone, '13812345678', 'operators see personal data');
      assert.ok(c.allowedActions.includes('accept'));
      const id = c.id;

      const act = async (who: Client, action: string, body: object = {}, expect = 200) => {
        const r = await who.post(`/api/v1/cases/${id}/${action}`, body);
        assert.equal(r.status, expect, `${action}: ${JSON.stringify(r.body)}`);
        return r.body;
      };
      await act(operator, 'accept');
      // public reports are verified on site before registration
      const reg = await operator.post(`/api/v1/cases/${id}/register`, {});
      assert.equal(reg.status, 409);
      assert.equal(reg.body.error.code, 'INVALID_TRANSITION');
      assert.ok(Array.isArray(reg.body.error.details.allowedActions));
      assert.ok(reg.body.error.details.allowedActions.includes('request_verify'));
      await act(operator, 'request-verify');
      let s = await act(inspector, 'verify', { outcome: 'confirmed' });
      assert.equal(s.state, 'REGISTERED');
      s = await act(commander, 'dispatch', { unitId });
      assert.equal(s.state, 'DISPATCHED');
      assert.ok(s.deadlines.handleDueAt, 'the handling clock starts at dispatch');
      assert.equal(s.deadlines.stage, 'sign');
      assert.equal(s.reporter.phone, '138****5678', 'dispatchers do not hold personal_data.read');

      // the handler sees the case, with personal data masked; another unit does not see it at all
      const seen = await handler.get(`/api/v1/cases/${id}`);
      assert.equal(seen.status, 200);
      assert.equal(seen.body.reporter.phone, '138****5678');
      assert.equal(seen.body.reporter.name, '张*');
      assert.deepEqual(seen.body.allowedActions.sort(), ['return', 'sign'], 'a handler may sign or return (second-level dispatch is for the unit leader)');
      assert.equal((await other.get(`/api/v1/cases/${id}`)).status, 404);

      // return needs a basis
      const noBasis = await handler.post(`/api/v1/cases/${id}/return`, { reason: '不属于我单位' });
      assert.equal(noBasis.status, 400);
      assert.equal(noBasis.body.error.field, 'basis');
      s = await act(handler, 'return', { reason: '不属于我单位', basis: '清单第12项' });
      assert.equal(s.state, 'DISPUTED');
      s = await act(dispatcher, 'rule-dispute', { unitId, ruling: '按清单由原单位处置' });
      assert.equal(s.state, 'DISPATCHED');
      const counters = await env.db.selectFrom('unit_counters').selectAll().where('unit_id', '=', unitId).where('counter', '=', 'buck_passing').executeTakeFirst();
      assert.equal(Number(counters?.value), 1, 'ruled back to the unit that returned it: one buck-passing');

      s = await act(handler, 'sign');
      assert.equal(s.state, 'IN_PROGRESS');
      const due0 = Date.parse(s.deadlines.handleDueAt);
      await act(handler, 'request-postpone', { extra: { amount: 1, unit: 'work_days' }, reason: '需协调垃圾清运车辆' });
      s = await act(dispatcher, 'approve-postpone');
      assert.ok(Date.parse(s.deadlines.handleDueAt) > due0, 'postponement extends the deadline');

      // dispose needs photos; upload one
      const mp = multipart('after.png', PNG);
      const up = await request(env.app, 'POST', '/api/v1/attachments', { body: mp.body as never, headers: { 'content-type': mp.contentType, 'x-csrf-token': '' } });
      assert.equal(up.status, 401, 'uploads need a signed-in user');
      const upload = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', payload: mp.body, headers: { 'content-type': mp.contentType, ...handler.headers } });
      assert.equal(upload.statusCode, 201, upload.body);
      const photo = JSON.parse(upload.body).id;
      s = await act(handler, 'dispose', { result: '已清运完毕', photos: [photo] });
      assert.equal(s.state, 'DISPOSED');
      await act(dispatcher, 'send-check');
      s = await act(inspector, 'check-fail', { reason: '仍有残留垃圾' });
      assert.equal(s.state, 'IN_PROGRESS');
      assert.equal(s.counters.rework, 1);
      s = await act(handler, 'dispose', { result: '已彻底清理', photos: [photo] });
      assert.equal(s.state, 'DISPOSED');
      await act(dispatcher, 'send-check');
      // whoever dispatched the case (here before another dispatcher's ruling) cannot pass its check (separation of
      // duties), although they hold the inspector role
      const sep = await commander.post(`/api/v1/cases/${id}/check-pass`, {});
      assert.equal(sep.status, 403);
      assert.equal(sep.body.error.code, 'SEPARATION_OF_DUTIES', sep.body.error.message);
      s = await act(inspector, 'check-pass');
      assert.equal(s.state, 'CLOSED_PENDING_CALLBACK');
      s = await act(operator, 'callback', { satisfied: true, note: '满意' });
      assert.equal(s.state, 'ARCHIVED');
      assert.equal(s.closureType, 'normal');

      const h = await operator.get(`/api/v1/cases/${id}/history`);
      assert.equal(h.status, 200);
      const actions = h.body.items.map((x: { action: string }) => x.action);
      assert.deepEqual(actions, [
        'report', 'accept', 'request_verify', 'verify', 'dispatch', 'return', 'rule_dispute', 'sign', 'request_postpone',
        'approve_postpone', 'dispose', 'send_check', 'check_fail', 'dispose', 'send_check', 'check_pass', 'callback',
      ]);
      assert.ok(h.body.items.every((x: { actor: unknown; at: string }) => x.actor && x.at));
      const disposeRow = h.body.items.find((x: { action: string }) => x.action === 'dispose');
      assert.deepEqual(disposeRow.attachmentIds, [photo]);
      void shift;
    });

    test('grid members may verify only matters on the admission list', async () => {
      const member = await userClient(env.app, env.ctx, 'grid_member');
      const admission = env.ctx.ref.current().admission;
      const verifyAs = async (matterCode: string) => {
        const p = demoPoint(env, 7);
        const c = await operator.post('/api/v1/cases', { channel: 'hotline', matterCode, description: '网格核实', location: { lon: p.lon, lat: p.lat } });
        assert.equal(c.status, 201, JSON.stringify(c.body));
        await operator.post(`/api/v1/cases/${c.body.id}/accept`, {});
        await operator.post(`/api/v1/cases/${c.body.id}/request-verify`, {});
        return member.post(`/api/v1/cases/${c.body.id}/verify`, { outcome: 'confirmed' });
      };
      assert.equal(admission.admits('06010'), true);
      assert.equal(admission.admits('08001'), false);
      const ok = await verifyAs('06010');
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const refused = await verifyAs('08001');
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.field, 'matterCode');
    });

    test('an inspector patrol report is registered directly and can be dispatched at once', async () => {
      const p = demoPoint(env, 5);
      const r = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: '路边暴露垃圾', location: { lon: p.lon, lat: p.lat } });
      assert.equal(r.status, 201);
      assert.equal(r.body.state, 'REGISTERED');
      const d = await dispatcher.post(`/api/v1/cases/${r.body.id}/dispatch`, { unitId: r.body.routing.unit.id });
      assert.equal(d.status, 200);
      assert.equal(d.body.state, 'DISPATCHED');
    });
  });
}

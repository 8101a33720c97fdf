/**
 * Who may do what on a case over HTTP, on each store: separation of duties with users who hold both roles (so that
 * the rule itself answers, not the role check), and grid members — the admission list in what is offered and what is
 * accepted, and cases given to a grid member as handler (domain.md §4, §6).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

for (const store of storesUnderTest()) {
  describe(`lifecycle duties [${store}]`, () => {
    let env: TestEnv;
    let operator: Client, inspector: Client, dispatcher: Client;

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      operator = await userClient(env.app, env.ctx, 'operator');
      inspector = await userClient(env.app, env.ctx, 'inspector');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
    });
    after(async () => env.close());

    const act = async (who: Client, id: number, action: string, body: object = {}, expect = 200) => {
      const r = await who.post(`/api/v1/cases/${id}/${action}`, body);
      assert.equal(r.status, expect, `${action}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const photo = async (who: Client): Promise<string> => {
      const boundary = '----cityops' + Math.random().toString(16).slice(2);
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n`),
        PNG, Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...who.headers } });
      assert.equal(r.statusCode, 201, r.body);
      return JSON.parse(r.body).id;
    };
    const registered = async (n: number, matterCode = '06010') => {
      const p = demoPoint(env, n);
      const r = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode, description: `职责测试 ${n}`, location: { lon: p.lon, lat: p.lat } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    const expectSeparation = async (who: Client, id: number, action: string, body: object) => {
      const r = await who.post(`/api/v1/cases/${id}/${action}`, body);
      assert.equal(r.status, 403, `${action}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, 'SEPARATION_OF_DUTIES', `${action}: ${r.body.error.message}`);
    };

    test('neither the original dispatcher nor the ruler may judge the check (users holding dispatcher + inspector)', async () => {
      const c = await registered(11);
      const unitId = c.routing.unit.id;
      const both = await userClient(env.app, env.ctx, ['dispatcher', 'inspector']);
      await act(both, c.id, 'dispatch', { unitId });
      const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
      await act(handler, c.id, 'return', { reason: '非本单位职责', basis: '清单第12项' });
      const ruler = await userClient(env.app, env.ctx, ['dispatcher', 'inspector']);
      await act(ruler, c.id, 'rule-dispute', { unitId, ruling: '原单位处置' });
      await act(handler, c.id, 'sign');
      await act(handler, c.id, 'dispose', { result: '已处置', photos: [await photo(handler)] });
      await act(dispatcher, c.id, 'send-check');
      const seen = (await both.get(`/api/v1/cases/${c.id}`)).body;
      assert.equal(seen.allowedActions.includes('check_fail'), false);
      assert.equal(seen.allowedActions.includes('check_pass'), false);
      await expectSeparation(both, c.id, 'check-fail', { reason: '仍有残留' });
      await expectSeparation(both, c.id, 'check-pass', {});
      await expectSeparation(ruler, c.id, 'check-pass', {});
      assert.equal((await act(inspector, c.id, 'check-pass')).state, 'ARCHIVED');
    });

    test('a shift leader who dispatched a case may not close it as erroneous (nor any other way)', async () => {
      const c = await registered(12);
      const leader = await userClient(env.app, env.ctx, ['dispatcher', 'shift_leader']);
      await act(leader, c.id, 'dispatch', { unitId: c.routing.unit.id });
      const seen = (await leader.get(`/api/v1/cases/${c.id}`)).body;
      assert.equal(seen.allowedActions.includes('close'), false);
      await expectSeparation(leader, c.id, 'close', { closureType: 'erroneous', reason: '派错单位' });
      await expectSeparation(leader, c.id, 'close', { closureType: 'special', reason: '统一整治' });
      const other = await userClient(env.app, env.ctx, 'shift_leader');
      const closed = await act(other, c.id, 'close', { closureType: 'erroneous', reason: '派错单位' });
      assert.equal(closed.closureType, 'erroneous');
    });

    test('a grid member is offered verify only for matters on the admission list', async () => {
      const admission = env.ctx.ref.current().admission;
      assert.equal(admission.admits('06010'), true);
      assert.equal(admission.admits('08001'), false);
      const member = await userClient(env.app, env.ctx, 'grid_member');
      for (const [matterCode, admitted] of [['06010', true], ['08001', false]] as const) {
        const p = demoPoint(env, 13);
        const c = await operator.post('/api/v1/cases', { channel: 'hotline', matterCode, description: '网格核实', location: { lon: p.lon, lat: p.lat } });
        await act(operator, c.body.id, 'accept');
        await act(operator, c.body.id, 'request-verify');
        const seen = (await member.get(`/api/v1/cases/${c.body.id}`)).body;
        assert.equal(seen.admittedForGridMembers, admitted);
        assert.equal(seen.allowedActions.includes('verify'), admitted, `${matterCode}: ${seen.allowedActions}`);
        const r = await member.post(`/api/v1/cases/${c.body.id}/verify`, { outcome: 'confirmed' });
        assert.equal(r.status, admitted ? 200 : 403, JSON.stringify(r.body));
        if (!admitted) assert.equal(r.body.error.field, 'matterCode');
      }
    });

    test('a case of an admitted matter is given to a grid member covering it, who signs and disposes it', async () => {
      const c = await registered(14);
      const member = await userClient(env.app, env.ctx, 'grid_member', { regionIds: [c.community.id] });
      const elsewhere = await userClient(env.app, env.ctx, 'grid_member', { regionIds: [[...env.ctx.ref.current().regions.values()].find((r) => r.level === 'community' && r.id !== c.community.id)!.id] });
      const candidates = await dispatcher.get(`/api/v1/cases/${c.id}/grid-members`);
      assert.equal(candidates.status, 200, JSON.stringify(candidates.body));
      assert.equal(candidates.body.admitted, true);
      const ids = candidates.body.items.map((u: { id: string }) => u.id);
      assert.ok(ids.includes(member.userId), 'the grid member of the community is offered');
      assert.ok(!ids.includes(elsewhere.userId), 'one of another community is not');
      assert.equal((await member.get(`/api/v1/cases/${c.id}/grid-members`)).status, 403, 'only those who may dispatch ask');

      const far = await dispatcher.post(`/api/v1/cases/${c.id}/dispatch`, { gridMemberId: elsewhere.userId });
      assert.equal(far.status, 400, JSON.stringify(far.body));
      assert.equal(far.body.error.field, 'gridMemberId');
      const unknown = await dispatcher.post(`/api/v1/cases/${c.id}/dispatch`, { gridMemberId: 'nobody' });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.error.field, 'gridMemberId');

      const d = await act(dispatcher, c.id, 'dispatch', { gridMemberId: member.userId });
      assert.equal(d.state, 'DISPATCHED');
      assert.equal(d.assignedUnit, null);
      assert.equal(d.assignedGridMember.id, member.userId);
      assert.ok(d.assignedGridMember.name);
      assert.ok(d.deadlines.handleDueAt, 'the handling clock starts at dispatch');
      // the grid member sees it, in their "to handle" list too; the unit the list routed it to does not
      const mine = await member.get(`/api/v1/cases?state=DISPATCHED&state=IN_PROGRESS&assignedUserId=${member.userId}`);
      assert.deepEqual(mine.body.items.map((x: { id: number }) => x.id), [c.id]);
      const seen = (await member.get(`/api/v1/cases/${c.id}`)).body;
      assert.deepEqual(seen.allowedActions.sort(), ['return', 'sign']);
      const unit = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [c.routing.unit.id] });
      assert.equal((await unit.get(`/api/v1/cases/${c.id}`)).status, 404);
      assert.equal((await elsewhere.post(`/api/v1/cases/${c.id}/sign`, {})).status, 404, 'another grid member does not even see it');

      await act(member, c.id, 'sign');
      const done = await act(member, c.id, 'dispose', { result: '已现场清理', photos: [await photo(member)] });
      assert.equal(done.state, 'DISPOSED');
      await act(dispatcher, c.id, 'send-check');
      assert.equal((await act(inspector, c.id, 'check-pass')).closureType, 'normal');
      const h = (await dispatcher.get(`/api/v1/cases/${c.id}/history`)).body.items;
      assert.equal(h.find((x: { action: string }) => x.action === 'dispatch').details.gridMemberId, member.userId);
    });

    test('a matter off the admission list cannot be given to a grid member', async () => {
      const c = await registered(15, '08001');
      const member = await userClient(env.app, env.ctx, 'grid_member', { regionIds: [c.community.id] });
      const list = await dispatcher.get(`/api/v1/cases/${c.id}/grid-members`);
      assert.deepEqual(list.body, { admitted: false, items: [] });
      const r = await dispatcher.post(`/api/v1/cases/${c.id}/dispatch`, { gridMemberId: member.userId });
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'FORBIDDEN');
      assert.equal(r.body.error.field, 'gridMemberId');
      const stored = await env.db.selectFrom('cases').select(['state', 'assigned_user_id']).where('id', '=', c.id).executeTakeFirstOrThrow();
      assert.deepEqual(stored, { state: 'REGISTERED', assigned_user_id: null }, 'nothing written');
    });
  });
}

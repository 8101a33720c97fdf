/**
 * Emergencies that ring (issue 9 §5) and shift handover (§7). A 非常紧急 case rings at its street and unit; nobody
 * acknowledges; the escalation — run twice at once, as two nodes would — moves it to the district once, with one
 * history row; the district acknowledges it and it stops; a field role may not; bad settings are refused by field
 * and a bad stored setting falls back to the defaults. Then a shift leader closes a shift (summary) and the next one
 * acknowledges it, once.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, request, type Client } from '../support/api-client.ts';
import { runNotifyFanout } from '../../src/jobs/notify-fanout.job.ts';
import { escalateDueEmergencies } from '../../src/commands/emergency-raise.ts';
import { runWebhookDelivery } from '../../src/jobs/webhook-delivery.job.ts';

for (const store of storesUnderTest()) {
  describe(`emergencies and handovers [${store}]`, () => {
    let env: TestEnv;
    let admin: Client, operator: Client, streetOp: Client, districtDisp: Client, otherDisp: Client, gridMember: Client;
    let where: { lon: number; lat: number };
    let districtId: string, streetId: string;
    const channels = new Map();
    const fanout = () => runNotifyFanout(env.ctx, { channels });
    const put = (c: Client, url: string, body: unknown) => request(env.app, 'PUT', url, {
      cookie: c.headers.cookie, headers: { 'x-csrf-token': c.headers['x-csrf-token'] }, body,
    });

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      const p = demoPoint(env, 5);
      where = { lon: p.lon, lat: p.lat };
      const loc = env.ctx.ref.locate(p.lon, p.lat)!;
      districtId = loc.districtId!;
      streetId = loc.streetId!;
      const otherStreet = [...env.ctx.ref.current().regions.values()].find((r) => r.level === 'street' && r.id !== streetId)!.id;
      admin = await userClient(env.app, env.ctx, 'admin');
      operator = await userClient(env.app, env.ctx, 'operator');
      streetOp = await userClient(env.app, env.ctx, 'operator', { regionIds: [streetId] });
      districtDisp = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [districtId] });
      otherDisp = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [otherStreet] });
      gridMember = await userClient(env.app, env.ctx, 'grid_member', { regionIds: [streetId] });
      await fanout();
    });
    after(async () => env.close());

    test('settings: bad values are refused naming the field; a bad stored row falls back to the defaults', async () => {
      const bad = await put(admin, '/api/v1/alerts/settings', { urgencies: ['very_urgent'], ackMinutes: { street: 0, district: 1, city: 1 } });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.field, /ackMinutes\.street/);
      const notAdmin = await put(operator, '/api/v1/alerts/settings', { urgencies: ['very_urgent'], ackMinutes: { street: 1, district: 1, city: 1 } });
      assert.equal(notAdmin.status, 403);
      await env.db.insertInto('settings').values({ key: 'emergency_alerting', value: '{"ackMinutes":{"street":"soon"}}' }).execute();
      await env.ctx.ref.load();
      assert.deepEqual(env.ctx.ref.current().emergencyAlerting.ackMinutes, { street: 5, district: 5, city: 10 });
      assert.ok(env.ctx.ref.current().problems.some((p) => p.setting === 'emergency_alerting'));
      const ok = await put(admin, '/api/v1/alerts/settings', { urgencies: ['very_urgent'], ackMinutes: { street: 2, district: 3, city: 4 } });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual((await operator.get('/api/v1/alerts/settings')).body.ackMinutes, { street: 2, district: 3, city: 4 });
    });

    test('an unacknowledged emergency rings at the street, escalates once to the district, and an acknowledgement stops it', async () => {
      const c = await operator.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', urgency: 'very_urgent', description: '道路塌陷，车辆陷入', location: where });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      const ordinary = await operator.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: '井盖缺失', location: where });
      assert.equal(ordinary.status, 201);
      const [r1, r2] = await Promise.all([fanout(), fanout()]);
      assert.equal(r1.alertsRaised + r2.alertsRaised, 1, 'one alert, for the very urgent case only');
      await fanout();

      const atStreet = await streetOp.get('/api/v1/alerts?mine=true');
      assert.equal(atStreet.status, 200);
      const alert = atStreet.body.items.find((a: { caseId: number }) => a.caseId === c.body.id);
      assert.ok(alert, 'it rings at the street');
      assert.equal(alert.tierLevel, 'street');
      assert.equal(Date.parse(alert.ackDueAt) - Date.parse(alert.raisedAt), 2 * 60_000);
      assert.equal((await districtDisp.get('/api/v1/alerts?mine=true')).body.items.length, 0, 'not yet at the district');
      const n = (await streetOp.get('/api/v1/notifications')).body.items.filter((x: { kind: string; caseId: number }) => x.kind === 'emergency' && x.caseId === c.body.id);
      assert.equal(n.length, 1);

      env.clock.advance(60_000);
      assert.equal((await escalateDueEmergencies(env.ctx)).escalated, 0, 'not before its limit');
      env.clock.advance(60_000);
      const [e1, e2] = await Promise.all([escalateDueEmergencies(env.ctx), escalateDueEmergencies(env.ctx)]);
      assert.equal(e1.escalated + e2.escalated, 1, 'two runs at once escalate it once');
      assert.equal((await escalateDueEmergencies(env.ctx)).escalated, 0, 'and a third run finds nothing');
      const hist = await env.db.selectFrom('case_history').select(['action']).where('case_id', '=', c.body.id).where('action', 'like', 'emergency%').orderBy('id').execute();
      assert.deepEqual(hist.map((h) => h.action), ['emergency_rang', 'emergency_escalated']);

      await fanout();
      const atDistrict = await districtDisp.get('/api/v1/alerts?mine=true');
      assert.equal(atDistrict.body.items.length, 1);
      assert.equal(atDistrict.body.items[0].tierLevel, 'district');
      assert.ok(atDistrict.body.items[0].canAcknowledge);
      const told = (await districtDisp.get('/api/v1/notifications')).body.items.filter((x: { kind: string }) => x.kind === 'emergency');
      assert.equal(told.length, 1, 'the district is told when it reaches them');

      const id = alert.id;
      const field = await gridMember.post(`/api/v1/alerts/${id}/acknowledge`, {});
      assert.equal(field.status, 403);
      assert.equal(field.body.error.field, 'onDuty');
      assert.equal((await otherDisp.post(`/api/v1/alerts/${id}/acknowledge`, {})).status, 404, 'another street does not see it');
      const long = await districtDisp.post(`/api/v1/alerts/${id}/acknowledge`, { note: 'x'.repeat(501) });
      assert.equal(long.status, 400);
      assert.equal(long.body.error.field, 'note');
      const ack = await districtDisp.post(`/api/v1/alerts/${id}/acknowledge`, { note: '已调派抢险队' });
      assert.equal(ack.status, 200, JSON.stringify(ack.body));
      assert.equal(ack.body.state, 'acknowledged');
      assert.equal((await streetOp.post(`/api/v1/alerts/${id}/acknowledge`, {})).status, 409, 'acknowledged once');
      env.clock.advance(3_600_000);
      assert.equal((await escalateDueEmergencies(env.ctx)).escalated, 0, 'an acknowledged alert never escalates');
      assert.equal((await streetOp.get('/api/v1/alerts?mine=true')).body.items.length, 0, 'it rings nowhere');
      const all = await env.db.selectFrom('case_history').select(['action', 'actor_id']).where('case_id', '=', c.body.id).where('action', 'like', 'emergency%').orderBy('id').execute();
      assert.deepEqual(all.map((h) => h.action), ['emergency_rang', 'emergency_escalated', 'emergency_acknowledged']);
      assert.equal(all[2].actor_id, districtDisp.userId);
    });

    test('where the street keeps a duty roster, only the people rostered now acknowledge', async () => {
      const c = await operator.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', urgency: 'very_urgent', description: '燃气泄漏，有人被困', location: where });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      await fanout();
      const alert = (await streetOp.get('/api/v1/alerts?mine=true')).body.items.find((a: { caseId: number }) => a.caseId === c.body.id);
      assert.ok(alert, 'it rings at the street');
      const rostered = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [streetId] });
      const leader = await userClient(env.app, env.ctx, 'shift_leader', { regionIds: [streetId] });
      const now = env.ctx.clock.now();
      const r = await leader.post('/api/v1/rosters', {
        userId: rostered.userId, regionId: streetId, dutyRole: 'dispatcher', startAt: new Date(now - 3600_000).toISOString(), endAt: new Date(now + 3600_000).toISOString(),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const refused = await streetOp.post(`/api/v1/alerts/${alert.id}/acknowledge`, {});
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.equal(refused.body.error.field, 'onDuty');
      assert.match(refused.body.error.message, /值班表|roster/);
      const ack = await rostered.post(`/api/v1/alerts/${alert.id}/acknowledge`, { note: '值班员已接警' });
      assert.equal(ack.status, 200, JSON.stringify(ack.body));
      assert.equal(ack.body.state, 'acknowledged');
    });

    test('a department system subscribed to emergency.raised receives it; an unknown topic is refused by name', async () => {
      const bad = await admin.post('/api/v1/webhooks', { name: '应急局', url: 'http://127.0.0.1:9/hook', topics: ['emergency.exploded'] });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.field, /^topics/);
      const sub = await admin.post('/api/v1/webhooks', { name: '应急局', url: 'http://127.0.0.1:9/hook', topics: ['emergency.raised'] });
      assert.equal(sub.status, 201, JSON.stringify(sub.body));
      const c = await operator.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', urgency: 'very_urgent', description: '桥梁护栏断裂', location: where });
      assert.equal(c.status, 201);
      await fanout();
      const seen: { topic: string | null; body: string }[] = [];
      const fetchImpl = (async (_url: string, init: RequestInit) => {
        seen.push({ topic: new Headers(init.headers).get('X-CityOps-Event'), body: String(init.body) });
        return new Response('ok', { status: 200 });
      }) as unknown as typeof fetch;
      const r = await runWebhookDelivery(env.ctx, { fetchImpl });
      assert.equal(r.delivered, 1, JSON.stringify(r));
      assert.equal(seen[0].topic, 'emergency.raised');
      assert.equal(JSON.parse(seen[0].body).data.caseId, c.body.id);
    });

    test('shift handover: a leader closes the shift with a summary, the named next leader acknowledges once', async () => {
      const lead1 = await userClient(env.app, env.ctx, 'shift_leader', { regionIds: [districtId] });
      const lead2 = await userClient(env.app, env.ctx, 'shift_leader', { regionIds: [districtId] });
      const notLeader = await operator.post('/api/v1/handovers', { shiftLabel: '白班', notes: '' });
      assert.equal(notLeader.status, 403);
      assert.equal(notLeader.body.error.field, 'role');
      const badNext = await lead1.post('/api/v1/handovers', { shiftLabel: '白班', notes: '', nextLeaderId: operator.userId });
      assert.equal(badNext.status, 400);
      assert.equal(badNext.body.error.field, 'nextLeaderId');
      const missing = await lead1.post('/api/v1/handovers', { notes: '' });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error.field, 'shiftLabel');
      assert.equal(await env.db.selectFrom('shift_handovers').select('id').executeTakeFirst(), undefined, 'a refused handover leaves nothing');

      const h = await lead1.post('/api/v1/handovers', { shiftLabel: '12月6日 白班', notes: '塌陷点已围挡，夜班继续跟进', nextLeaderId: lead2.userId });
      assert.equal(h.status, 201, JSON.stringify(h.body));
      assert.ok(h.body.summary.open >= 2, 'the open cases of the district');
      assert.ok(h.body.summary.urgent.some((x: { urgency: string }) => x.urgency === 'very_urgent'));
      assert.equal(h.body.canAcknowledge, false, 'not by the one who closed it');
      await fanout();
      const bell = (await lead2.get('/api/v1/notifications')).body.items.filter((x: { kind: string }) => x.kind === 'handover');
      assert.equal(bell.length, 1, 'the next leader is told');

      const self = await lead1.post(`/api/v1/handovers/${h.body.id}/acknowledge`, {});
      assert.equal(self.status, 403);
      assert.equal(self.body.error.field, 'nextLeaderId');
      const ack = await lead2.post(`/api/v1/handovers/${h.body.id}/acknowledge`, { note: '收到' });
      assert.equal(ack.status, 200, JSON.stringify(ack.body));
      assert.ok(ack.body.acknowledgedAt);
      assert.equal((await lead2.post(`/api/v1/handovers/${h.body.id}/acknowledge`, {})).status, 409);
      const list = await lead2.get('/api/v1/handovers');
      assert.equal(list.body.items[0].id, h.body.id);
      assert.equal((await lead2.get('/api/v1/handovers/abc')).status, 404);
    });
  });
}

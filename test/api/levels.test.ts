/**
 * Levels of platform over HTTP, on each store: a street escalates (上报) to its district, which accepts; the district
 * assigns (下派) back down and the street refuses with a reason, which is counted; the district escalates to the city,
 * whose own escalation is refused (no superior); closing a case withdraws its pending transfer. Bad inputs get a 4xx
 * naming the field and leave nothing behind. The level policy is the city's data; a bad stored one never stops it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, request, type Client } from '../support/api-client.ts';

for (const store of storesUnderTest()) {
  describe(`levels of platform: city / district / street [${store}]`, () => {
    let env: TestEnv;
    let admin: Client, streetDisp: Client, districtDisp: Client, cityDisp: Client, cityLeader: Client, otherStreet: Client;
    let street = '', district = '', city = '', community = '', farStreet = '';
    let caseId = 0;

    const put = (c: Client, url: string, body: unknown) => request(env.app, 'PUT', url, { body, headers: c.headers });
    const outbox = async (topic: string) => (await env.db.selectFrom('outbox').selectAll().where('topic', '=', topic).where('case_id', '=', caseId).execute())
      .map((r) => ({ regionIds: JSON.parse(r.region_ids) as string[], payload: JSON.parse(r.payload) as Record<string, unknown> }));
    const transfers = async () => (await env.db.selectFrom('case_transfers').selectAll().where('case_id', '=', caseId).orderBy('id').execute());
    const ids = (r: { body: { items: { id: number }[] } }) => r.body.items.map((c) => c.id);

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      const ref = env.ctx.ref.current();
      const p = demoPoint(env, 0);
      community = p.communityId;
      street = ref.regions.get(community)!.parentId!;
      district = ref.regions.get(street)!.parentId!;
      city = ref.regions.get(district)!.parentId!;
      farStreet = [...ref.regions.values()].find((r) => r.level === 'street' && r.id !== street)!.id;
      admin = await userClient(env.app, env.ctx, 'admin');
      streetDisp = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [street] });
      otherStreet = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [farStreet] });
      districtDisp = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [district] });
      cityDisp = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [city] });
      cityLeader = await userClient(env.app, env.ctx, 'shift_leader', { regionIds: [city] });
      // 06001 私搭乱建 goes to the street's 城管中队 in the demo: the case starts at the street platform.
      const created = await admin.post('/api/v1/cases', {
        channel: 'superior', matterCode: '06001', description: '小区绿地内私搭乱建', location: { lon: p.lon, lat: p.lat },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      caseId = created.body.id;
    });
    after(async () => env.close());

    test('a new case starts at its street platform; the district sees it but it is not in the district\'s queue', async () => {
      const c = (await streetDisp.get(`/api/v1/cases/${caseId}`)).body;
      assert.deepEqual([c.platform.region.id, c.platform.level, c.platform.levelLabel.zh, c.pendingTransfer], [street, 'street', '街镇平台', null]);
      assert.ok(c.allowedActions.includes('escalate'));
      assert.ok(!c.allowedActions.includes('assign_down'), 'a street platform has no lower platform');
      const d = (await districtDisp.get(`/api/v1/cases/${caseId}`)).body;
      assert.ok(!d.allowedActions.includes('escalate') && !d.allowedActions.includes('assign_down'), 'the district may see it, but it is the street\'s case');
      assert.ok(ids(await streetDisp.get('/api/v1/cases?platform=mine')).includes(caseId));
      assert.ok(!ids(await districtDisp.get('/api/v1/cases?platform=mine')).includes(caseId));
      assert.ok(ids(await districtDisp.get('/api/v1/cases')).includes(caseId), 'what the district may see is wider than its queue');
      const targets = (await streetDisp.get(`/api/v1/cases/${caseId}/transfer-targets`)).body;
      assert.deepEqual([targets.platform.id, targets.escalateTo.id, targets.assignDownTo], [street, district, []]);
    });

    test('bad escalations: wrong platform, no reason — a 4xx naming the field, nothing written', async () => {
      const fromDistrict = await districtDisp.post(`/api/v1/cases/${caseId}/escalate`, { reason: '越俎代庖' });
      assert.deepEqual([fromDistrict.status, fromDistrict.body.error.code, fromDistrict.body.error.field], [403, 'FORBIDDEN', 'platform']);
      const fromOther = await otherStreet.post(`/api/v1/cases/${caseId}/escalate`, { reason: 'x' });
      assert.equal(fromOther.status, 404, 'another street does not even see it');
      const blank = await streetDisp.post(`/api/v1/cases/${caseId}/escalate`, { reason: '   ' });
      assert.deepEqual([blank.status, blank.body.error.field], [400, 'reason']);
      const missing = await streetDisp.post(`/api/v1/cases/${caseId}/escalate`, {});
      assert.equal(missing.status, 400);
      assert.match(JSON.stringify(missing.body.error), /reason/);
      assert.equal((await transfers()).length, 0);
      assert.equal((await outbox('case.escalated')).length, 0);
    });

    test('street → district: escalated with a reason, accepted by the district; one case, one history', async () => {
      const e = await streetDisp.post(`/api/v1/cases/${caseId}/escalate`, { reason: '违建涉及区属绿地，街道无执法权' });
      assert.equal(e.status, 200, JSON.stringify(e.body));
      assert.deepEqual([e.body.state, e.body.platform.region.id, e.body.pendingTransfer.kind, e.body.pendingTransfer.to.id], ['REGISTERED', street, 'escalate', district]);
      const again = await streetDisp.post(`/api/v1/cases/${caseId}/escalate`, { reason: '再报一次' });
      assert.deepEqual([again.status, again.body.error.code], [409, 'INVALID_TRANSITION']);
      assert.ok(ids(await districtDisp.get('/api/v1/cases?platform=incoming')).includes(caseId));
      assert.ok(ids(await districtDisp.get('/api/v1/cases?platform=mine')).includes(caseId), 'an escalation waiting for the district is in its queue');
      assert.ok(ids(await streetDisp.get('/api/v1/cases?platform=outgoing')).includes(caseId));
      assert.ok(!ids(await streetDisp.get('/api/v1/cases?platform=incoming')).includes(caseId));
      const selfAccept = await streetDisp.post(`/api/v1/cases/${caseId}/accept-transfer`, {});
      assert.deepEqual([selfAccept.status, selfAccept.body.error.field], [403, 'platform']);

      const a = await districtDisp.post(`/api/v1/cases/${caseId}/accept-transfer`, { note: '区城管执法局牵头' });
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.deepEqual([a.body.platform.region.id, a.body.platform.level, a.body.pendingTransfer, a.body.caseNo], [district, 'district', null, e.body.caseNo]);
      assert.ok(a.body.allowedActions.includes('assign_down') && a.body.allowedActions.includes('escalate'));
      assert.ok(ids(await districtDisp.get('/api/v1/cases?platform=mine')).includes(caseId));
      assert.ok(!ids(await streetDisp.get('/api/v1/cases?platform=mine')).includes(caseId));

      const h = (await districtDisp.get(`/api/v1/cases/${caseId}/history`)).body.items as { action: string; reason: string | null; details: Record<string, unknown> }[];
      assert.deepEqual(h.map((x) => x.action).slice(-2), ['escalate', 'accept_transfer']);
      assert.equal(h.at(-2)!.reason, '违建涉及区属绿地，街道无执法权');
      assert.deepEqual([h.at(-1)!.details.fromRegionId, h.at(-1)!.details.toRegionId, h.at(-1)!.details.note], [street, district, '区城管执法局牵头']);
      const [esc] = await outbox('case.escalated');
      assert.ok(esc.regionIds.includes(street) && esc.regionIds.includes(district), JSON.stringify(esc.regionIds));
      assert.deepEqual([esc.payload.caseId, esc.payload.caseNo, esc.payload.userIds], [caseId, e.body.caseNo, []]);
      const [acc] = await outbox('case.transfer_accepted');
      assert.deepEqual(acc.payload.userIds, [streetDisp.userId], 'the sender learns that it was accepted');
      const t = (await districtDisp.get(`/api/v1/cases/${caseId}/transfers`)).body.items;
      assert.deepEqual(t.map((x: { kind: string; status: string }) => `${x.kind}:${x.status}`), ['escalate:accepted']);
    });

    test('district → street: bad targets refused naming toRegionId; the street refuses with a reason, and it is counted', async () => {
      const bad = async (toRegionId: string, pattern: RegExp) => {
        const r = await districtDisp.post(`/api/v1/cases/${caseId}/assign-down`, { toRegionId, reason: '属地处置' });
        assert.deepEqual([r.status, r.body.error.field], [400, 'toRegionId'], `${toRegionId}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.error.message, pattern);
      };
      await bad('R-nowhere', /unknown region/);
      await bad(community, /runs no platform/);
      await bad(farStreet, /place is not in region/);
      await bad(city, /not below this platform/);
      await bad(district, /not below this platform/);
      const fromStreet = await streetDisp.post(`/api/v1/cases/${caseId}/assign-down`, { toRegionId: street, reason: 'x' });
      assert.deepEqual([fromStreet.status, fromStreet.body.error.field], [403, 'platform']);
      assert.equal((await transfers()).length, 1, 'nothing written by the refused requests');

      const targets = (await districtDisp.get(`/api/v1/cases/${caseId}/transfer-targets`)).body;
      assert.deepEqual(targets.assignDownTo.map((x: { id: string }) => x.id), [street]);
      const down = await districtDisp.post(`/api/v1/cases/${caseId}/assign-down`, { toRegionId: street, reason: '请属地街道组织拆除' });
      assert.equal(down.status, 200, JSON.stringify(down.body));
      assert.deepEqual([down.body.pendingTransfer.kind, down.body.pendingTransfer.from.id, down.body.platform.region.id], ['assign_down', district, district]);

      const noReason = await streetDisp.post(`/api/v1/cases/${caseId}/refuse-transfer`, { reason: ' ' });
      assert.deepEqual([noReason.status, noReason.body.error.field], [400, 'reason']);
      const wrong = await otherStreet.post(`/api/v1/cases/${caseId}/refuse-transfer`, { reason: 'x' });
      assert.equal(wrong.status, 404);
      const r = await streetDisp.post(`/api/v1/cases/${caseId}/refuse-transfer`, { reason: '该违建位于区管绿地，街道无拆除权限' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual([r.body.platform.region.id, r.body.pendingTransfer], [district, null], 'refused: the case stays with the district');
      const [ref] = await outbox('case.transfer_refused');
      assert.deepEqual([ref.payload.userIds, ref.payload.reason], [[districtDisp.userId], '该违建位于区管绿地，街道无拆除权限']);
      const t = await transfers();
      assert.deepEqual([t[1].status, t[1].decision_reason, t[1].decided_by], ['refused', '该违建位于区管绿地，街道无拆除权限', streetDisp.userId]);

      const all = (await admin.get('/api/v1/levels/stats')).body.items as { platform: { id: string }; [k: string]: unknown }[];
      const row = (id: string) => all.find((x) => x.platform.id === id)!;
      assert.deepEqual(
        [row(street).escalationsSent, row(street).assignmentsReceived, row(street).assignmentsRefused, row(street).refusals, row(street).refusalRate],
        [1, 1, 1, 1, 1],
      );
      assert.deepEqual(
        [row(district).escalationsReceived, row(district).escalationsAccepted, row(district).assignmentsSent, row(district).assignmentsSentRefused, row(district).refusals],
        [1, 1, 1, 1, 0],
      );
      const mine = (await streetDisp.get('/api/v1/levels/stats')).body.items as { platform: { id: string } }[];
      assert.deepEqual(mine.map((x) => x.platform.id), [street], 'a street sees its own platform\'s counts');
      const later = (await admin.get(`/api/v1/levels/stats?from=${encodeURIComponent(new Date(env.ctx.clock.now() + 1).toISOString())}`)).body.items;
      assert.deepEqual(later, [], 'the period filters by when the transfer was requested');
      const badPeriod = await admin.get('/api/v1/levels/stats?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z');
      assert.deepEqual([badPeriod.status, badPeriod.body.error.field], [400, 'to']);
    });

    test('district → city, and the city has no superior; closing the case withdraws a waiting transfer', async () => {
      assert.equal((await districtDisp.post(`/api/v1/cases/${caseId}/escalate`, { reason: '跨区协调' })).status, 200);
      const a = await cityDisp.post(`/api/v1/cases/${caseId}/accept-transfer`, {});
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(a.body.platform.level, 'city');
      assert.ok(!a.body.allowedActions.includes('escalate'));
      const top = await cityDisp.post(`/api/v1/cases/${caseId}/escalate`, { reason: '再往上' });
      assert.deepEqual([top.status, top.body.error.code, top.body.error.field], [409, 'INVALID_TRANSITION', 'platform']);

      assert.equal((await cityDisp.post(`/api/v1/cases/${caseId}/assign-down`, { toRegionId: street, reason: '直接下派街道' })).status, 200);
      const closed = await cityLeader.post(`/api/v1/cases/${caseId}/close`, { closureType: 'special', reason: '纳入专项整治统一处理' });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      assert.equal(closed.body.pendingTransfer, null);
      const t = await transfers();
      assert.equal(t.at(-1)!.status, 'withdrawn');
      assert.ok(!ids(await streetDisp.get('/api/v1/cases?platform=incoming')).includes(caseId));
      const late = await streetDisp.post(`/api/v1/cases/${caseId}/accept-transfer`, {});
      assert.ok(late.status === 403 || late.status === 409, `${late.status}`);
    });

    test('the level policy is the city\'s data: validated naming the field, used by new cases at once; a bad stored one never stops it', async () => {
      const before = (await admin.get('/api/v1/levels/policy')).body;
      assert.deepEqual([before.defaultLevel, before.followUnitLevel], ['street', true]);
      const bad = await put(admin, '/api/v1/levels/policy', { ...before, platformLevels: ['district', 'street'] });
      assert.deepEqual([bad.status, bad.body.error.field], [400, 'platformLevels']);
      assert.equal((await put(streetDisp, '/api/v1/levels/policy', before)).status, 403);
      assert.deepEqual((await admin.get('/api/v1/levels/policy')).body.platformLevels, ['city', 'district', 'street'], 'nothing stored');

      const ok = await put(admin, '/api/v1/levels/policy', { platformLevels: ['city', 'district', 'street'], defaultLevel: 'street', followUnitLevel: true, rules: [{ matterCode: '06001', level: 'district' }] });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const p = demoPoint(env, 0);
      const c = await admin.post('/api/v1/cases', { channel: 'superior', matterCode: '06001', description: '又一处违建', location: { lon: p.lon, lat: p.lat } });
      assert.equal(c.body.platform.region.id, district);

      await env.ctx.store.settings.write('platform_levels', { platformLevels: 'everything' });
      await env.ctx.ref.load();
      const after = (await admin.get('/api/v1/levels/policy')).body;
      assert.deepEqual([after.defaultLevel, after.rules.length], ['street', 1], 'the defaults apply');
      assert.equal(after.problems[0].setting, 'platform_levels');
    });
  });
}

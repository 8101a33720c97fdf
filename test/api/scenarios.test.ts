/**
 * Issue 11 parts 6–7: scenario packs installed idempotently by an admin; the lone-elderly water-meter pack's
 * "no change for 12 h" rule turning a still meter into a case; the scenario console's overview; the shop-sign
 * registry (fields named, owners masked, versions); a wind warning raising an inspection case per sign in the area;
 * the periodic inspection job (twice = once); vital-sign settings changing the big screen's lines and the crowd tiers.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, request, type Client } from '../support/api-client.ts';
import { sensingHooks } from '../../src/runtime/sensing-hooks.ts';
import { startRuleEngine } from '../../src/runtime/rule-engine.ts';
import { seedSensingDevice } from '../support/sensing.ts';
import { raisePeriodicInspections } from '../../src/commands/shop-sign.ts';

const H = 3_600_000;
const caseOf = (r: { body: any }) => r.body.case ?? r.body;

for (const store of storesUnderTest()) {
  describe(`scenarios: packs, shop signs, wind warnings, vital settings [${store}]`, () => {
    let env: TestEnv;
    let admin: Client, operator: Client, inspector: Client;
    const put = (c: Client, url: string, body: unknown) => request(env.app, 'PUT', url, { cookie: c.headers.cookie, headers: { 'x-csrf-token': c.headers['x-csrf-token'] }, body });

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      await startRuleEngine(env.ctx);
      admin = await userClient(env.app, env.ctx, 'admin');
      operator = await userClient(env.app, env.ctx, 'operator');
      inspector = await userClient(env.app, env.ctx, 'inspector');
    });
    after(async () => env.close());

    test('a pack installs once: matters, types and rules that are missing; admins only; unknown pack 404', async () => {
      assert.equal((await operator.post('/api/v1/scenarios/elderly_water/install', {})).status, 403);
      assert.equal((await admin.post('/api/v1/scenarios/nope/install', {})).status, 404);
      const first = await admin.post('/api/v1/scenarios/elderly_water/install', {});
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(first.body, { pack: 'elderly_water', matters: ['10092'], types: ['water_meter'], rules: ['pack-elderly-no-use-12h'] });
      const again = await admin.post('/api/v1/scenarios/elderly_water/install', {});
      assert.deepEqual(again.body, { pack: 'elderly_water', matters: [], types: [], rules: [] });
      const { rule } = (await admin.get('/api/v1/sensing/rules/pack-elderly-no-use-12h')).body;
      assert.equal(rule.enabled, true);
      assert.equal(rule.condition.kind, 'unchanged');
      assert.equal(rule.version, 1);
    });

    test('a lone elderly resident\'s meter that does not move for 12 h opens a case for the community; use clears it', async () => {
      await seedSensingDevice(env, { id: 'meter-1', typeId: 'water_meter', point: demoPoint(env, 5), scenario: 'elderly_water' });
      const t0 = env.clock.now();
      const send = (h: number, total: number) => sensingHooks(env.ctx).readingsStored([{ deviceId: 'meter-1', at: t0 + h * H, values: { total, flow: 0 } }]);
      for (let h = 0; h <= 11; h++) await send(h, 120.5);
      assert.equal((await admin.get('/api/v1/alarms?deviceId=meter-1')).body.items.length, 0);
      await send(12, 120.5);
      const [alarm] = (await admin.get('/api/v1/alarms?deviceId=meter-1')).body.items;
      assert.equal(alarm.state, 'raised');
      assert.ok(alarm.caseId, 'the alarm became a case');
      const c = caseOf(await admin.get(`/api/v1/cases/${alarm.caseId}`));
      assert.equal(c.matter.code, '10092');
      assert.equal(c.urgency, 'urgent');
      const overview = await operator.get('/api/v1/scenarios');
      assert.equal(overview.status, 200);
      const s = overview.body.items.find((x: { id: string }) => x.id === 'elderly_water');
      assert.equal(s.installed, true);
      assert.equal(s.devices.online, 1);
      assert.equal(s.openAlarms, 1);
      assert.equal(s.keyReadings[0].deviceId, 'meter-1');
      assert.equal(s.keyReadings[0].values.total, 120.5);
      assert.equal(overview.body.items.find((x: { id: string }) => x.id === 'crowd').installed, false);
      await send(13, 120.6);
      assert.equal((await admin.get('/api/v1/alarms?deviceId=meter-1')).body.items[0].state, 'cleared');
    });

    let signStreet = '';
    test('shop signs: registered with a position in the city, fields named, owner masked, versions checked', async () => {
      const p = demoPoint(env, 11);
      const body = { name: '好又多超市店招', ownerName: '王先生', ownerPhone: '13912345678', address: '人民路 1 号', lon: p.lon, lat: p.lat, areaM2: 6 };
      const bad = await put(admin, '/api/v1/shop-signs/s-1', { ...body, lon: 500 });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'lon');
      assert.equal((await put(admin, '/api/v1/shop-signs/s-1', { ...body, lon: 0, lat: 0 })).body.error.field, 'lon');
      assert.equal((await put(admin, '/api/v1/shop-signs/s-1', { ...body, ownerName: '' })).body.error.field, 'ownerName');
      assert.equal((await put(admin, '/api/v1/shop-signs/s-1', { ...body, inspectEveryDays: 0 })).body.error.field, 'inspectEveryDays');
      assert.equal((await put(operator, '/api/v1/shop-signs/s-1', body)).status, 403);
      const created = await put(admin, '/api/v1/shop-signs/s-1', body);
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.equal(created.body.version, 1);
      assert.equal(created.body.inspectEveryDays, 90);
      assert.ok(created.body.streetId);
      signStreet = created.body.streetId;
      assert.equal((await put(admin, '/api/v1/shop-signs/s-1', body)).status, 409, 'a new registration over an existing sign is refused');
      const v2 = await put(admin, '/api/v1/shop-signs/s-1', { ...body, version: 1, inspectEveryDays: 30 });
      assert.equal(v2.body.version, 2);
      const stale = await put(admin, '/api/v1/shop-signs/s-1', { ...body, version: 1 });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.field, 'version');
      await put(admin, '/api/v1/shop-signs/s-2', { ...body, name: '老张面馆招牌', lon: p.lon + 0.00001 });
      const seen = await inspector.get('/api/v1/shop-signs');
      const s1 = seen.body.items.find((x: { id: string }) => x.id === 's-1');
      assert.equal(s1.ownerPhone, '139****5678');
      assert.equal(s1.ownerName, '王**');
      assert.equal((await operator.get('/api/v1/shop-signs')).body.items[0].ownerPhone, '13912345678');
    });

    test('a wind warning raises an inspection case for every sign in the area', async () => {
      assert.equal((await operator.post('/api/v1/wind-warnings', { level: 'purple', regionId: signStreet })).body.error.field, 'level');
      assert.equal((await operator.post('/api/v1/wind-warnings', { level: 'orange', regionId: 'nowhere' })).body.error.field, 'regionId');
      const r = await operator.post('/api/v1/wind-warnings', { level: 'orange', regionId: signStreet, note: '阵风9级' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.warning.signs, 2);
      assert.equal(r.body.inspections.length, 2);
      for (const i of r.body.inspections) {
        assert.equal(i.outcome, 'case');
        const c = caseOf(await admin.get(`/api/v1/cases/${i.caseId}`));
        assert.equal(c.matter.code, '03007');
        assert.equal(c.channel, 'proactive');
        assert.equal(c.urgency, 'urgent');
        assert.match(c.description, /大风橙色预警/);
      }
      const list = await operator.get('/api/v1/wind-warnings');
      assert.equal(list.body.items[0].signs, 2);
      const insp = await operator.get('/api/v1/shop-signs/s-1/inspections');
      assert.equal(insp.body.items[0].kind, 'wind');
    });

    test('periodic inspections: due signs get a case once, even when the job runs twice', async () => {
      assert.equal((await raisePeriodicInspections(env.ctx)).length, 0, 'nothing due yet');
      env.clock.advance(31 * 24 * H);
      admin = await userClient(env.app, env.ctx, 'admin'); // sessions do not outlive a month
      operator = await userClient(env.app, env.ctx, 'operator');
      const first = await raisePeriodicInspections(env.ctx);
      assert.deepEqual(first.map((x) => [x.signId, x.outcome]), [['s-1', 'case']]);
      assert.deepEqual(await raisePeriodicInspections(env.ctx), []);
      const c = caseOf(await admin.get(`/api/v1/cases/${first[0].caseId}`));
      assert.equal(c.matter.code, '03007');
      assert.match(c.description, /定期巡查/);
      const s1 = (await admin.get('/api/v1/shop-signs')).body.items.find((x: { id: string }) => x.id === 's-1');
      assert.ok(Date.parse(s1.nextDueAt) > env.clock.now() + 29 * 24 * H);
    });

    test('vital settings: defaults, bad lines named, new lines used by the big screen; crowd load by area with tiers', async () => {
      const d = await operator.get('/api/v1/vitals/settings');
      assert.deepEqual(d.body.crowdTiers, { yellow: 70, orange: 85, red: 100 });
      const bad = await put(admin, '/api/v1/vitals/settings', { ...d.body, openAlarms: { warn: 9, alert: 1 } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'openAlarms.alert');
      assert.equal((await put(operator, '/api/v1/vitals/settings', d.body)).status, 403);
      const ok = await put(admin, '/api/v1/vitals/settings', { ...d.body, openAlarms: { warn: 1, alert: 3 }, crowdTiers: { yellow: 40, orange: 60, red: 80 } });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      await admin.post('/api/v1/scenarios/crowd/install', {});
      await seedSensingDevice(env, { id: 'crowd-1', typeId: 'crowd_counter', point: demoPoint(env, 2), scenario: 'crowd' });
      await env.ctx.store.readings.insertBatch(['crowd-1'], [env.clock.now()], [JSON.stringify({ count: 6500, capacity: 10000, load: 65 })]);
      const v = await operator.get('/api/v1/vitals');
      assert.equal(v.status, 200, JSON.stringify(v.body));
      const by = Object.fromEntries(v.body.indicators.map((x: { key: string }) => [x.key, x]));
      assert.deepEqual(by.open_alarms.thresholds, { warn: 1, alert: 3, higherIsWorse: true });
      assert.deepEqual(v.body.crowdTiers, { yellow: 40, orange: 60, red: 80 });
      assert.equal(by.crowd_load.value, 65);
      assert.deepEqual(by.crowd_load.areas.map((a: { id: string; tier: string }) => [a.id, a.tier]), [['crowd-1', 'orange']]);
    });
  });
}

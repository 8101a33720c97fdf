/**
 * Issue 11 parts 3–4: rules → alarms → cases. An admin writes a rule (bad ones refused by field, versions kept, a
 * stale edit refused) and tests it against readings before enabling it; readings handed to the sensing hooks raise
 * an alarm that becomes one REPORTED case through the intake contract (channel iot, key = alarm id); repeats do not
 * flood; normal readings clear it and the case says so; a firing inside the suppression window re-opens the alarm;
 * a second device at the same place joins the case; heartbeat loss raises and clears; a whitelisted matter is
 * dispatched at once; after a restart the engine clears an alarm raised before it; a false alarm is recorded on the
 * case and counted in the accuracy figures.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, request, type Client } from '../support/api-client.ts';
import { sensingHooks } from '../../src/runtime/sensing-hooks.ts';
import { RuleEngine, applyRuleEffect, startRuleEngine } from '../../src/runtime/rule-engine.ts';
import { filingIdle, retryAlarmFilings } from '../../src/commands/alarm-raise.ts';
import { toRule } from '../../src/storage/repositories/rule.repository.ts';
import { createMatter } from '../../src/commands/matter-create.ts';
import { seedSensingDevice } from '../support/sensing.ts';

const MIN = 60_000;

for (const store of storesUnderTest()) {
  describe(`sensing rules, alarms and cases [${store}]`, () => {
    let env: TestEnv;
    let admin: Client, operator: Client;
    const put = (c: Client, url: string, body: unknown) => request(env.app, 'PUT', url, { cookie: c.headers.cookie, headers: { 'x-csrf-token': c.headers['x-csrf-token'] }, body });
    const readings = (deviceId: string, pts: [number, number][]) =>
      sensingHooks(env.ctx).readingsStored(pts.map(([m, level]) => ({ deviceId, at: env.clock.now() + m * MIN, values: { waterLevel: level } })));
    const alarmsOf = async (deviceId: string) => (await admin.get(`/api/v1/alarms?deviceId=${deviceId}`)).body.items;
    const rule = {
      name: '积水超过20厘米持续5分钟', scope: { kind: 'type', id: 'water_level' }, matterCode: '10090', urgency: 'urgent', suppressMinutes: 30,
      condition: { kind: 'threshold', measurement: 'waterLevel', op: '>', value: 20, forSeconds: 300, hysteresis: 2 },
    };

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      await createMatter(env.ctx, { code: '10090', name: '道路积水', classCode: '10', className: '其他事项类' }, null);
      await startRuleEngine(env.ctx);
      admin = await userClient(env.app, env.ctx, 'admin');
      operator = await userClient(env.app, env.ctx, 'operator');
      await seedSensingDevice(env, { id: 'wl-1', typeId: 'water_level', point: demoPoint(env, 3), vendor: 'AcmeSense', attachment: 'place:P-1' });
      await seedSensingDevice(env, { id: 'wl-2', typeId: 'water_level', point: demoPoint(env, 3), vendor: 'OtherCo', attachment: 'place:P-1' });
      await seedSensingDevice(env, { id: 'wl-3', typeId: 'water_level', point: demoPoint(env, 7), vendor: 'AcmeSense' });
      await seedSensingDevice(env, { id: 'wl-4', typeId: 'water_level', point: demoPoint(env, 7), vendor: 'AcmeSense' });
    });
    after(async () => env.close());

    let ruleVersion = 0;
    test('rules: bad ones refused naming the field, created disabled, versioned, stale edits refused, admins only', async () => {
      const bad = await admin.post('/api/v1/sensing/rules', { ...rule, condition: { ...rule.condition, measurement: 'tilt' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'condition');
      const badMatter = await admin.post('/api/v1/sensing/rules', { ...rule, matterCode: '99999' });
      assert.equal(badMatter.body.error.field, 'matterCode');
      const badType = await admin.post('/api/v1/sensing/rules', { ...rule, scope: { kind: 'type', id: 'nope' } });
      assert.equal(badType.body.error.field, 'scope.id');
      assert.equal((await operator.post('/api/v1/sensing/rules', rule)).status, 403);
      const created = await admin.post('/api/v1/sensing/rules', { ...rule, id: 'waterlogging' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.enabled, false);
      assert.equal(created.body.version, 1);
      assert.equal((await admin.post('/api/v1/sensing/rules', { ...rule, id: 'waterlogging' })).status, 409);
      const v2 = await put(admin, '/api/v1/sensing/rules/waterlogging', { ...rule, version: 1, enabled: true, note: 'tested' });
      assert.equal(v2.status, 200, JSON.stringify(v2.body));
      assert.equal(v2.body.version, 2);
      const stale = await put(admin, '/api/v1/sensing/rules/waterlogging', { ...rule, version: 1 });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.field, 'version');
      const detail = await admin.get('/api/v1/sensing/rules/waterlogging');
      assert.deepEqual(detail.body.versions.map((v: { version: number }) => v.version), [2, 1]);
      assert.equal(detail.body.versions[1].definition.enabled, false);
      ruleVersion = detail.body.rule.version;
    });

    test('a rule is tested against readings before it is enabled: which alarms would have fired when', async () => {
      const t0 = Date.parse('2026-11-20T00:00:00Z');
      const pts = [[0, 10], [1, 25], [4, 25], [6, 26], [7, 10], [20, 30], [26, 30]];
      const r = await admin.post('/api/v1/sensing/rules/test', {
        rule, from: new Date(t0).toISOString(), to: new Date(t0 + 86400_000).toISOString(),
        readings: pts.map(([m, v]) => ({ deviceId: 'wl-1', at: t0 + m * MIN, values: { waterLevel: v } })),
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.events.map((e: { kind: string; at: string }) => [e.kind, (Date.parse(e.at) - t0) / MIN]), [['raise', 6], ['clear', 7], ['reopen', 26]]);
      assert.equal(r.body.alarms, 1);
      assert.equal(r.body.reopened, 1);
      // Without readings in the request the test reads the recorded ones (the data plane's recorded.range): none yet.
      const recorded = await admin.post('/api/v1/sensing/rules/test', { rule, from: new Date(t0).toISOString(), to: new Date(t0 + 86400_000).toISOString() });
      assert.equal(recorded.status, 200, JSON.stringify(recorded.body));
      assert.deepEqual(recorded.body.events, []);
    });

    let caseId = 0;
    test('readings over the line for 5 minutes raise one alarm and one REPORTED case; repeats do not flood', async () => {
      await readings('wl-1', [[0, 5], [1, 22], [3, 23]]);
      assert.equal((await alarmsOf('wl-1')).length, 0, 'not yet 5 minutes');
      await readings('wl-1', [[6, 24], [7, 25], [8, 30], [9, 31]]);
      const alarms = await alarmsOf('wl-1');
      assert.equal(alarms.length, 1);
      const a = alarms[0];
      assert.equal(a.state, 'raised');
      assert.equal(a.review, 'case');
      assert.equal(a.ruleVersion, ruleVersion);
      assert.equal(a.values.waterLevel, 24);
      caseId = a.caseId;
      const c = await admin.get(`/api/v1/cases/${caseId}`);
      assert.equal(c.body.state ?? c.body.case?.state, 'REPORTED', 'a person reviews it');
      assert.equal(c.body.channel ?? c.body.case?.channel, 'iot');
      assert.equal(c.body.urgency ?? c.body.case?.urgency, 'urgent');
    });

    test('a second device at the same place joins the open case instead of opening another', async () => {
      await readings('wl-2', [[10, 40], [16, 40]]);
      const [a] = await alarmsOf('wl-2');
      assert.equal(a.review, 'linked');
      assert.equal(a.caseId, caseId);
      const h = await admin.get(`/api/v1/cases/${caseId}/history`);
      assert.ok(JSON.stringify(h.body).includes('alarm_linked'));
    });

    test('normal readings clear the alarm and the case records it; within the suppression window it re-opens', async () => {
      await readings('wl-1', [[20, 19]]);
      assert.equal((await alarmsOf('wl-1'))[0].state, 'raised', 'inside the hysteresis band');
      await readings('wl-1', [[21, 17]]);
      const [a] = await alarmsOf('wl-1');
      assert.equal(a.state, 'cleared');
      const h = await admin.get(`/api/v1/cases/${caseId}/history`);
      assert.ok(JSON.stringify(h.body).includes('alarm_cleared'));
      await readings('wl-1', [[25, 30], [31, 30]]);
      const again = await alarmsOf('wl-1');
      assert.equal(again.length, 1, 'no new alarm inside the suppression window');
      assert.equal(again[0].state, 'raised');
      assert.equal(again[0].repeatCount, 1);
      const h2 = await admin.get(`/api/v1/cases/${caseId}/history`);
      assert.ok(JSON.stringify(h2.body).includes('alarm_reraised'));
    });

    test('after a restart the engine knows the open alarm: normal readings clear it, no second alarm', async () => {
      const fresh = new RuleEngine(env.ctx);
      await fresh.start();
      await fresh.onReadings([{ deviceId: 'wl-1', at: env.clock.now() + 40 * MIN, values: { waterLevel: 35 } }]);
      assert.equal((await alarmsOf('wl-1')).length, 1);
      await fresh.onReadings([{ deviceId: 'wl-1', at: env.clock.now() + 41 * MIN, values: { waterLevel: 1 } }]);
      await fresh.idle();
      assert.equal((await alarmsOf('wl-1'))[0].state, 'cleared');
    });

    test('heartbeat loss raises its own alarm and clears when the device is back', async () => {
      const hb = await admin.post('/api/v1/sensing/rules', {
        id: 'silent', name: '设备离线', scope: { kind: 'device', id: 'wl-3' }, matterCode: '10090', enabled: true, condition: { kind: 'heartbeat' },
      });
      assert.equal(hb.status, 201, JSON.stringify(hb.body));
      await sensingHooks(env.ctx).statusChanged([{ deviceId: 'wl-3', at: env.clock.now() + MIN, state: 'offline' }]);
      const [a] = (await alarmsOf('wl-3')).filter((x: { ruleId: string }) => x.ruleId === 'silent');
      assert.equal(a.state, 'raised');
      assert.ok(a.caseId);
      await sensingHooks(env.ctx).statusChanged([{ deviceId: 'wl-3', at: env.clock.now() + 2 * MIN, state: 'online' }]);
      assert.equal((await alarmsOf('wl-3'))[0].state, 'cleared');
    });

    test('a whitelisted matter in that area is dispatched without review', async () => {
      const pol = await put(admin, '/api/v1/sensing/alarm-policy', { autoDispatch: [{ source: 'iot', matterCode: '10090', regionIds: [] }] });
      assert.equal(pol.status, 200, JSON.stringify(pol.body));
      const badPol = await put(admin, '/api/v1/sensing/alarm-policy', { autoDispatch: [{ matterCode: '99999' }] });
      assert.equal(badPol.body.error.field, 'autoDispatch.0.matterCode');
      await readings('wl-4', [[50, 50], [56, 50]]);
      const a = (await alarmsOf('wl-4')).find((x: { ruleId: string }) => x.ruleId === 'waterlogging');
      assert.ok(a?.caseId);
      assert.notEqual(a.caseId, caseId);
      const c = await admin.get(`/api/v1/cases/${a.caseId}`);
      assert.equal(c.body.state ?? c.body.case?.state, 'DISPATCHED');
      await put(admin, '/api/v1/sensing/alarm-policy', { autoDispatch: [] });
    });

    test('an operator marks a false alarm: the case records it, accuracy per device type and vendor shows it, twice is a conflict', async () => {
      const [a] = await alarmsOf('wl-2');
      const r = await operator.post(`/api/v1/alarms/${a.id}/false`, { reason: '传感器被杂物遮挡' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.falseAlarm, true);
      assert.equal((await operator.post(`/api/v1/alarms/${a.id}/false`, { reason: 'again' })).status, 409);
      assert.equal((await operator.post(`/api/v1/alarms/${a.id}/false`, {})).status, 400);
      const h = await admin.get(`/api/v1/cases/${caseId}/history`);
      assert.ok(JSON.stringify(h.body).includes('alarm_false'));
      const byType = await operator.get('/api/v1/alarms/accuracy?by=device_type');
      const wl = byType.body.items.find((i: { key: string }) => i.key === 'water_level');
      assert.equal(wl.falseAlarms, 1);
      assert.equal(wl.accuracy, Math.round(((wl.total - 1) / wl.total) * 1000) / 1000);
      const byVendor = await operator.get('/api/v1/alarms/accuracy?by=vendor');
      assert.equal(byVendor.body.items.find((i: { key: string }) => i.key === 'OtherCo').accuracy, 0);
      assert.equal(byVendor.body.items.find((i: { key: string }) => i.key === 'AcmeSense').falseAlarms, 0);
    });

    test('vital signs: open alarms by scenario, waterlogging points over threshold, devices online, intake vs the usual', async () => {
      const r = await operator.get('/api/v1/vitals');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const by = Object.fromEntries(r.body.indicators.map((i: { key: string }) => [i.key, i]));
      assert.equal(by.waterlogging_points.value, 1, 'wl-4 is raised; wl-2 was marked false; wl-1 cleared');
      assert.equal(by.waterlogging_points.level, 'warn');
      assert.ok(by.open_alarms.breakdown.some((b: { key: string; value: number }) => b.key === 'waterlogging' && b.value >= 1));
      assert.equal(by.open_alarms.trend.length, 24);
      assert.equal(by.device_online_rate.value, 1);
      assert.ok(by.intake_vs_usual.breakdown[0].value >= 3, 'the alarms\' cases are today\'s intake');
    });

    test('alarms follow the visibility policy', async () => {
      const otherStreet = [...env.ctx.ref.current().regions.values()].find((r) => r.level === 'street' && r.id !== env.ctx.ref.locate(demoPoint(env, 3).lon, demoPoint(env, 3).lat)!.streetId
        && r.id !== env.ctx.ref.locate(demoPoint(env, 7).lon, demoPoint(env, 7).lat)!.streetId)!;
      const outsider = await userClient(env.app, env.ctx, 'operator', { regionIds: [otherStreet.id] });
      assert.equal((await outsider.get('/api/v1/alarms')).body.items.length, 0);
      const [a] = await alarmsOf('wl-1');
      assert.equal((await outsider.get(`/api/v1/alarms/${a.id}`)).status, 404);
      assert.equal((await outsider.get('/api/v1/alarms?before=nonsense')).status, 400);
    });

    test('deferred filing (the MQTT ingest worker): the raise answers once the alarm is stored, its case follows; a clear waits for that filing', async () => {
      await seedSensingDevice(env, { id: 'wl-9', typeId: 'water_level', point: demoPoint(env, 11), vendor: 'AcmeSense' });
      const [device] = await env.ctx.store.devices.findDevices(['wl-9']);
      const r = toRule((await env.ctx.store.sensingRules.listRules({ enabledOnly: true })).find((x) => x.id === 'waterlogging')!);
      const at = env.clock.now();
      const raised = await applyRuleEffect(env.ctx, { step: 'raise', rule: r, device, at, values: { waterLevel: 40 } }, { deferFiling: true }) as { alarm: { review: string; case_id: unknown } };
      assert.equal(raised.alarm.review, 'submitting', 'answered before the case was filed');
      assert.equal(raised.alarm.case_id, null);
      // the clear is handed over at once, before the filing ran: it waits for it, so the case records the clearing
      await applyRuleEffect(env.ctx, { step: 'clear', rule: r, device, at: at + 1000, values: { waterLevel: 5 } }, { deferFiling: true });
      await filingIdle(env.ctx);
      const [a] = await alarmsOf('wl-9');
      assert.equal(a.state, 'cleared');
      assert.ok(a.caseId, 'filed as a case');
      const h = await admin.get(`/api/v1/cases/${a.caseId}/history`);
      assert.ok(JSON.stringify(h.body).includes('alarm_cleared'), 'the case records the clearing');
    });

    test('an alarm whose filing failed stays submitting and is filed by the sensing jobs a minute after it was stored, onto its first case', async () => {
      await seedSensingDevice(env, { id: 'wl-8', typeId: 'water_level', point: demoPoint(env, 12), vendor: 'AcmeSense' });
      const [device] = await env.ctx.store.devices.findDevices(['wl-8']);
      const r = toRule((await env.ctx.store.sensingRules.listRules({ enabledOnly: true })).find((x) => x.id === 'waterlogging')!);
      await applyRuleEffect(env.ctx, { step: 'raise', rule: r, device, at: env.clock.now(), values: { waterLevel: 41 } }, { deferFiling: true });
      await filingIdle(env.ctx);
      const [first] = await alarmsOf('wl-8');
      assert.ok(first.caseId, 'filed');
      // As a failed filing leaves it: stored, submitting, no case (the intake key already holds the case).
      const row = (await env.ctx.store.alarms.findAlarm(first.id))!;
      assert.ok(await env.ctx.store.transaction((tx) => tx.alarms.updateAlarm(row.id, row.version, { review: 'submitting', case_id: null, updated_at: env.clock.now() })));
      await retryAlarmFilings(env.ctx);
      assert.equal((await env.ctx.store.alarms.findAlarm(first.id))!.review, 'submitting', 'not retried while it may still be on its way');
      env.clock.advance(61_000);
      assert.ok((await retryAlarmFilings(env.ctx)) >= 1);
      const again = (await env.ctx.store.alarms.findAlarm(first.id))!;
      assert.notEqual(again.review, 'submitting');
      assert.equal(Number(again.case_id), Number(first.caseId), 'the same case, not a second one');
    });
  });
}

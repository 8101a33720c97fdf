/**
 * Field resources (issue 9 §4): on duty from the phone, positions checked (outside the city, impossible jump, future
 * time → 400 naming the field, nothing kept), vehicle batches with per-item reports, nearest available people to a
 * case with distance and load, the map layer in scope with masked names, coverage per day, duty events.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';
import { createApiKey } from '../../src/commands/apikey-create.ts';
import { runFieldRetention } from '../../src/jobs/field-retention.job.ts';

const V1 = '/api/v1';

for (const store of storesUnderTest()) {
  describe(`field resources [${store}]`, () => {
    let env: TestEnv;
    let insp: Client, insp2: Client, grid: Client, dispatcher: Client, shift: Client;
    let p0: { lon: number; lat: number; gridId: string; communityId: string };
    let caseId: number;
    const now = () => env.clock.now();
    const trackCount = async () => Number((await env.db.selectFrom('field_track').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const topics = async (topic: string) => (await env.db.selectFrom('outbox').selectAll().where('topic', '=', topic).orderBy('id').execute());

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      p0 = demoPoint(env, 5);
      insp = await userClient(env.app, env.ctx, 'inspector');
      insp2 = await userClient(env.app, env.ctx, 'inspector');
      grid = await userClient(env.app, env.ctx, 'grid_member');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      shift = await userClient(env.app, env.ctx, 'shift_leader');
      const op = await userClient(env.app, env.ctx, 'operator');
      const c = await op.post(`${V1}/cases`, { channel: 'hotline', matterCode: '06012', description: '道路不洁', location: { lon: p0.lon, lat: p0.lat } });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      caseId = c.body.id;
    });
    after(async () => env.close());

    test('positions only while on duty: 409 naming onDuty, then on duty (event), a fix kept', async () => {
      const off = await insp.post(`${V1}/resources/me/position`, { lon: p0.lon, lat: p0.lat, at: now() });
      assert.equal(off.status, 409, JSON.stringify(off.body));
      assert.equal(off.body.error.field, 'onDuty');
      const on = await insp.post(`${V1}/resources/duty`, { onDuty: true });
      assert.equal(on.status, 200, JSON.stringify(on.body));
      assert.equal(on.body.onDuty, true);
      assert.equal(on.body.kind, 'inspector');
      const again = await insp.post(`${V1}/resources/duty`, { onDuty: true });
      assert.equal(again.body.sessionId, on.body.sessionId, 'going on duty twice keeps one session');
      const started = await topics('resource.duty_started');
      assert.equal(started.length, 1);
      assert.deepEqual(JSON.parse(started[0].payload).userIds, [insp.userId]);
      const fix = await insp.post(`${V1}/resources/me/position`, { lon: p0.lon, lat: p0.lat, at: now() - 1000, accuracyM: 8 });
      assert.equal(fix.status, 200, JSON.stringify(fix.body));
      assert.equal(fix.body.accepted, 1);
      const me = await insp.get(`${V1}/resources/duty`);
      assert.equal(me.body.onDuty, true);
      assert.equal(me.body.lastFix.lon, p0.lon);
    });

    test('bad positions: far outside the city, an impossible jump, a future time → 400 naming the field, nothing kept', async () => {
      const before = await trackCount();
      const far = await insp.post(`${V1}/resources/me/position`, { lon: p0.lon + 3, lat: p0.lat, at: now() });
      assert.equal(far.status, 400, JSON.stringify(far.body));
      assert.equal(far.body.error.field, 'lon');
      assert.match(far.body.error.message, /outside the city/);
      // 0.05° of longitude (~4.5 km) in 10 s is ~1,600 km/h
      const jump = await insp.post(`${V1}/resources/me/position`, { lon: p0.lon + 0.05, lat: p0.lat, at: now() + 9000 - 1000 });
      assert.equal(jump.status, 400, JSON.stringify(jump.body));
      assert.equal(jump.body.error.field, 'at');
      assert.match(jump.body.error.message, /km\/h/);
      const future = await insp.post(`${V1}/resources/me/position`, { lon: p0.lon, lat: p0.lat, at: new Date(now() + 3600_000).toISOString() });
      assert.equal(future.status, 400);
      assert.equal(future.body.error.field, 'at');
      assert.match(future.body.error.message, /future/);
      const swapped = await insp.post(`${V1}/resources/me/position`, { lon: p0.lat, lat: 200, at: now() });
      assert.equal(swapped.status, 400);
      assert.equal(swapped.body.error.field, 'lon');
      const schema = await insp.post(`${V1}/resources/me/position`, { lon: 'east', lat: p0.lat, at: now() });
      assert.equal(schema.status, 400);
      assert.equal(await trackCount(), before, 'no track point kept');
    });

    test('a vehicle system posts a batch with an API key: the good fixes kept, the bad reported per item', async () => {
      const unitId = [...env.ctx.ref.current().units.keys()][0];
      const key = await createApiKey(env.ctx, { name: '执法车辆定位系统', roles: ['unit_handler'], unitIds: [unitId] }, null);
      const headers = { authorization: `Bearer ${key.key}` };
      const before = await trackCount();
      const r = await request(env.app, 'POST', `${V1}/resources/positions`, { headers, body: { items: [
        { vehicleId: '浙A12345', lon: p0.lon, lat: p0.lat, at: now() - 60_000 },
        { vehicleId: '浙A12345', lon: p0.lon + 0.002, lat: p0.lat, at: now() - 30_000 },
        { vehicleId: '浙A12345', lon: p0.lon + 0.1, lat: p0.lat, at: now() - 20_000 },
        { vehicleId: '浙A99999', lon: p0.lon, lat: p0.lat, at: now() + 3600_000 },
        { vehicleId: '', lon: p0.lon, lat: p0.lat, at: now() },
      ] } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.accepted, 2);
      assert.deepEqual(r.body.rejected.map((x: { field: string }) => x.field), ['items[2].at', 'items[3].at', 'items[4].vehicleId']);
      assert.equal(await trackCount(), before + 2);
      const none = await request(env.app, 'POST', `${V1}/resources/positions`, { headers, body: { items: [{ vehicleId: 'X1', lon: 0, lat: 0, at: now() }] } });
      assert.equal(none.status, 400);
      assert.equal(none.body.error.field, 'items[0].lon');
      assert.equal(none.body.error.details.rejected.length, 1);
      const map = await dispatcher.get(`${V1}/resources?kinds=vehicle`);
      assert.equal(map.status, 200);
      const v = map.body.items.find((x: { resourceId: string }) => x.resourceId === 'vehicle:浙A12345');
      assert.ok(v, JSON.stringify(map.body));
      assert.equal(v.position.lon, p0.lon + 0.002);
      assert.equal(v.unit.id, unitId);
    });

    test('the nearest available people to a case: on duty, fresh, nearest first, with distance and load; names masked for a dispatcher', async () => {
      // insp is at the case; insp2 ~1 km east; grid member ~300 m north but goes off duty; a stale one is left out
      await insp2.post(`${V1}/resources/duty`, { onDuty: true });
      assert.equal((await insp2.post(`${V1}/resources/me/position`, { lon: p0.lon + 0.01, lat: p0.lat, at: now() })).status, 200);
      await grid.post(`${V1}/resources/duty`, { onDuty: true });
      assert.equal((await grid.post(`${V1}/resources/me/position`, { lon: p0.lon, lat: p0.lat + 0.003, at: now() })).status, 200);
      await env.db.updateTable('cases').set({ assigned_user_id: insp2.userId }).where('id', '=', caseId).execute();
      let r = await dispatcher.get(`${V1}/resources/nearest?caseId=${caseId}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.items.map((x: { resource: { userId: string } }) => x.resource.userId), [insp.userId, grid.userId, insp2.userId]);
      assert.ok(r.body.items[0].distanceM < 5);
      assert.ok(r.body.items[2].distanceM > 800 && r.body.items[2].distanceM < 1200, String(r.body.items[2].distanceM));
      assert.equal(r.body.items[2].openCases, 1);
      assert.equal(r.body.items[0].openCases, 0);
      assert.equal(r.body.items[0].resource.masked, true);
      assert.ok(r.body.items[0].resource.label.includes('*'));
      // shift leaders read personal data: names in full
      const s = await shift.get(`${V1}/resources/nearest?caseId=${caseId}&kinds=inspector`);
      assert.equal(s.body.items.length, 2);
      assert.equal(s.body.items[0].resource.masked, false);
      // off duty: gone (event), and positions refused again
      const off = await grid.post(`${V1}/resources/duty`, { onDuty: false });
      assert.equal(off.body.onDuty, false);
      assert.equal((await topics('resource.duty_ended')).length, 1);
      r = await dispatcher.get(`${V1}/resources/nearest?caseId=${caseId}`);
      assert.deepEqual(r.body.items.map((x: { resource: { userId: string } }) => x.resource.userId), [insp.userId, insp2.userId]);
      // stale: 11 minutes later nobody's position is fresh
      env.clock.advance(11 * 60_000);
      r = await dispatcher.get(`${V1}/resources/nearest?lon=${p0.lon}&lat=${p0.lat}`);
      assert.deepEqual(r.body.items, []);
      env.clock.advance(-11 * 60_000);
      const bad = await dispatcher.get(`${V1}/resources/nearest?kinds=pilot&lon=1&lat=1`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'kinds');
      const noPoint = await dispatcher.get(`${V1}/resources/nearest`);
      assert.equal(noPoint.status, 400);
      assert.equal(noPoint.body.error.field, 'lon');
    });

    test('for a case, the kinds who can act in its state: inspectors and grid members before dispatch, the holding unit\'s staff while handled', async () => {
      const units = [...env.ctx.ref.current().units.keys()];
      const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [units[1]] });
      const stranger = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [units[2]] });
      for (const h of [handler, stranger]) {
        assert.equal((await h.post(`${V1}/resources/duty`, { onDuty: true })).status, 200);
        assert.equal((await h.post(`${V1}/resources/me/position`, { lon: p0.lon, lat: p0.lat + 0.0001, at: now() })).status, 200);
      }
      const ids = (r: { body: { items: { resource: { userId: string } }[] } }) => r.body.items.map((x) => x.resource.userId);
      let r = await dispatcher.get(`${V1}/resources/nearest?caseId=${caseId}`);
      assert.deepEqual(r.body.kinds, ['inspector', 'grid_member']);
      assert.ok(!ids(r).includes(handler.userId));
      const row = await env.db.selectFrom('cases').select(['state', 'assigned_unit_id']).where('id', '=', caseId).executeTakeFirstOrThrow();
      await env.db.updateTable('cases').set({ state: 'IN_PROGRESS', assigned_unit_id: units[1] }).where('id', '=', caseId).execute();
      r = await dispatcher.get(`${V1}/resources/nearest?caseId=${caseId}`);
      assert.deepEqual(r.body.kinds, ['unit_handler', 'grid_member']);
      assert.deepEqual(ids(r), [handler.userId], 'the holding unit\'s staff only (the grid member went off duty)');
      await env.db.updateTable('cases').set(row).where('id', '=', caseId).execute();
      for (const h of [handler, stranger]) await h.post(`${V1}/resources/duty`, { onDuty: false });
    });

    test('scope: a coordinator of another street sees nobody; roles without resource.read get 403; a dispatcher cannot go on duty', async () => {
      const ref = env.ctx.ref.current();
      const located = env.ctx.ref.locate(p0.lon, p0.lat)!;
      const other = [...ref.regions.values()].find((r) => r.level === 'street' && r.id !== located.streetId);
      assert.ok(other, 'the demo city has two streets');
      const far = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [other!.id] });
      const list = await far.get(`${V1}/resources?kinds=inspector`);
      assert.equal(list.status, 200);
      assert.equal(list.body.items.length, 0);
      const mine = await dispatcher.get(`${V1}/resources?kinds=inspector`);
      assert.equal(mine.body.items.length, 2);
      assert.equal((await insp.get(`${V1}/resources`)).status, 403);
      const d = await dispatcher.post(`${V1}/resources/duty`, { onDuty: true });
      assert.equal(d.status, 403);
      assert.equal((await request(env.app, 'GET', `${V1}/resources`)).status, 401);
    });

    test('coverage today: the grid visited by the inspector, and the grids nobody visited; tracks', async () => {
      const r = await dispatcher.get(`${V1}/resources/coverage?regionId=${p0.communityId}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const mine = r.body.byResource.find((b: { resourceId: string }) => b.resourceId === `user:${insp.userId}`);
      assert.ok(mine);
      assert.deepEqual(mine.grids.map((g: { id: string }) => g.id), [p0.gridId]);
      assert.ok(!r.body.unvisited.some((g: { id: string }) => g.id === p0.gridId));
      assert.equal(r.body.unvisited.length + 1 <= r.body.gridCount, true);
      const bad = await dispatcher.get(`${V1}/resources/coverage?date=2026-02-30`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'date');
      const t = await dispatcher.get(`${V1}/resources/${encodeURIComponent(`user:${insp.userId}`)}/track`);
      assert.equal(t.status, 200, JSON.stringify(t.body));
      assert.equal(t.body.points.length, 1);
    });

    test('retention: track points older than 30 days are removed, the latest position stays; a second run removes nothing', async () => {
      await env.db.insertInto('field_track').values({ resource_id: `user:${insp.userId}`, at: now() - 31 * 86_400_000, lon: p0.lon, lat: p0.lat, accuracy_m: null, grid_id: null }).execute();
      const before = await trackCount();
      assert.equal(await runFieldRetention(env.ctx), 1);
      assert.equal(await trackCount(), before - 1);
      assert.equal(await runFieldRetention(env.ctx), 0);
      assert.equal((await env.ctx.store.field.findLatest([`user:${insp.userId}`]))[0].lon, p0.lon);
    });
  });
}

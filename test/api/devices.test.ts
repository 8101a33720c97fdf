/**
 * The device registry and HTTP / NGSI-LD ingestion (issue 11 parts 1–2): types and devices with the field named on
 * bad input, the credential shown once and checked by HTTP ingestion, the one visibility policy (a street sees its
 * devices, not another street's), bulk import with a per-row report, readings raw and as rollups, the state history,
 * heartbeat loss, retention.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';
import { WATER } from '../support/sensing.ts';
import { sensingHooks } from '../../src/runtime/sensing-hooks.ts';
import { runReadingRollup } from '../../src/jobs/reading-rollup.job.ts';
import { runDeviceHeartbeat } from '../../src/jobs/device-heartbeat.job.ts';
import { runReadingRetention } from '../../src/jobs/reading-retention.job.ts';
import { sensingIngester } from '../../src/runtime/sensing-ingest.ts';
import type { Reading } from '../../src/domain/sensing/types.ts';

const V1 = '/api/v1';
const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

for (const store of storesUnderTest()) {
  describe(`devices and HTTP ingestion [${store}]`, () => {
    let env: TestEnv;
    let admin: Client, street: Client, otherStreet: Client;
    let secret: string;
    let p0: ReturnType<typeof demoPoint>, pFar: ReturnType<typeof demoPoint>;
    const heard: Reading[] = [];
    const put = (c: Client, url: string, body: unknown) => request(env.app, 'PUT', url, { body, headers: c.headers });
    const patch = (c: Client, url: string, body: unknown) => request(env.app, 'PATCH', url, { body, headers: c.headers });

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      const ref = env.ctx.ref.current();
      p0 = demoPoint(env, 0);
      const streetOf = (communityId: string) => ref.regions.get(communityId)!.parentId!;
      const grids = [...ref.grids.values()];
      const far = grids.findIndex((g) => streetOf(g.communityId) !== streetOf(p0.communityId));
      pFar = demoPoint(env, far);
      admin = await userClient(env.app, env.ctx, 'admin');
      street = await userClient(env.app, env.ctx, 'operator', { regionIds: [streetOf(p0.communityId)] });
      otherStreet = await userClient(env.app, env.ctx, 'operator', { regionIds: [streetOf(pFar.communityId)] });
      sensingHooks(env.ctx).onReadings((r) => { heard.push(...r); });
    });
    after(async () => env.close());

    test('device types: bad measurements are refused naming the field; a good type is saved', async () => {
      const bad = await put(admin, `${V1}/device-types/water_level`, { ...WATER, id: undefined, measurements: [{ key: 'a', zh: '甲', en: 'A', unit: '', min: 5, max: 1 }] });
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      assert.equal(bad.body.error.field, 'measurements[0].min');
      const { id: _id, ...body } = WATER;
      const ok = await put(admin, `${V1}/device-types/water_level`, body);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const denied = await put(street, `${V1}/device-types/water_level`, body);
      assert.equal(denied.status, 403);
      const list = await street.get(`${V1}/device-types`);
      assert.equal(list.body.items[0].id, 'water_level');
    });

    test('register a device: located from its position, credential shown once; duplicates and bad fields refused', async () => {
      const r = await admin.post(`${V1}/devices`, { id: 'wl-100', typeId: 'water_level', name: '下立交积水点', lon: p0.lon, lat: p0.lat, attachmentKind: 'place', attachmentId: p0.gridId, scenario: 'waterlogging' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.device.grid.id, p0.gridId);
      assert.equal(r.body.device.community.id, p0.communityId);
      assert.equal(r.body.device.hasCredential, true);
      assert.equal(r.body.device.state, 'offline');
      assert.ok(r.body.secret.length >= 24);
      secret = r.body.secret;
      const again = await admin.post(`${V1}/devices`, { id: 'wl-100', typeId: 'water_level', name: 'x' });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.field, 'id');
      const badType = await admin.post(`${V1}/devices`, { id: 'wl-101', typeId: 'nope', name: 'x' });
      assert.equal(badType.body.error.field, 'typeId');
      const outside = await admin.post(`${V1}/devices`, { id: 'wl-102', typeId: 'water_level', name: 'x', lon: 10, lat: 10 });
      assert.equal(outside.status, 422);
      assert.equal(outside.body.error.code, 'OUT_OF_GRID');
      assert.equal(outside.body.error.field, 'lon');
      const badId = await admin.post(`${V1}/devices`, { id: 'a/b', typeId: 'water_level', name: 'x' });
      assert.equal(badId.status, 400);
      assert.equal(badId.body.error.field, 'id');
      const got = await admin.get(`${V1}/devices/wl-100`);
      assert.equal(JSON.stringify(got.body).includes(secret), false, 'the secret is never shown again');
      assert.equal(await env.db.selectFrom('devices').select('id').where('id', '=', 'wl-102').executeTakeFirst(), undefined, 'a refused device leaves nothing');
    });

    test('the one visibility policy: a street sees its devices, another street does not', async () => {
      await admin.post(`${V1}/devices`, { id: 'wl-far', typeId: 'water_level', name: '远处积水点', lon: pFar.lon, lat: pFar.lat });
      const mine = await street.get(`${V1}/devices`);
      assert.deepEqual(mine.body.items.map((d: { id: string }) => d.id), ['wl-100']);
      const theirs = await otherStreet.get(`${V1}/devices`);
      assert.deepEqual(theirs.body.items.map((d: { id: string }) => d.id), ['wl-far']);
      assert.equal((await otherStreet.get(`${V1}/devices/wl-100`)).status, 404);
      assert.equal((await otherStreet.get(`${V1}/devices/wl-100/readings`)).status, 404);
    });

    test('HTTP ingestion: device credential required; readings stored before the answer, then heard; refusals name the field and are counted', async () => {
      const now = env.clock.now();
      const noAuth = await request(env.app, 'POST', `${V1}/sensors/wl-100/telemetry`, { body: { waterLevel: 3 } });
      assert.equal(noAuth.status, 401);
      const wrong = await request(env.app, 'POST', `${V1}/sensors/wl-100/telemetry`, { body: { waterLevel: 3 }, headers: basic('wl-100', 'guess') });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.field, 'authorization');
      const ok = await request(env.app, 'POST', `${V1}/sensors/wl-100/telemetry`, {
        body: [{ at: now - 60_000, values: { waterLevel: 10 } }, { at: now - 30_000, waterLevel: 20, battery: 80 }, { at: now - 20_000, waterLevel: -5 }], headers: basic('wl-100', secret),
      });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.accepted, 2);
      assert.equal(ok.body.rejected[0].field, '[2].waterLevel');
      assert.equal(await env.ctx.store.readings.count('wl-100'), 2);
      const none = await request(env.app, 'POST', `${V1}/sensors/wl-100/telemetry`, { body: { at: now + 86_400_000, waterLevel: 1 }, headers: basic('wl-100', secret) });
      assert.equal(none.status, 400);
      assert.equal(none.body.error.field, 'at');
      // Another device's credential does not open this device's door.
      const other = await request(env.app, 'POST', `${V1}/sensors/wl-far/telemetry`, { body: { waterLevel: 1 }, headers: basic('wl-100', secret) });
      assert.equal(other.status, 401);
      assert.ok(heard.some((r) => r.deviceId === 'wl-100' && r.values.waterLevel === 20));
      await sensingIngester(env.ctx).flushBookkeeping();
      const page = await street.get(`${V1}/devices/wl-100`);
      assert.equal(page.body.ingest.accepted, 2);
      assert.equal(page.body.ingest.byReason.out_of_range, 1);
      assert.equal(page.body.ingest.byReason.future, 1);
      assert.equal(page.body.ingest.byReason.bad_credential, 2, 'no credential, a wrong one');
      assert.equal(page.body.device.state, 'online');
      assert.equal(page.body.latest.values.waterLevel, 20);
      assert.ok(page.body.device.lastSeenAt);
    });

    test('readings for the chart: raw, and minute/hour rollups once folded; recorded.range for the rules', async () => {
      const now = env.clock.now();
      const raw = await street.get(`${V1}/devices/wl-100/readings?from=${new Date(now - 3_600_000).toISOString()}&to=${new Date(now + 1).toISOString()}`);
      assert.equal(raw.body.resolution, 'raw');
      assert.deepEqual(raw.body.series.find((s: { key: string }) => s.key === 'waterLevel').points.map((p: { value: number }) => p.value), [10, 20]);
      await runReadingRollup(env.ctx, { settled: true });
      await runReadingRollup(env.ctx, { settled: true }); // a second run folds nothing twice
      const hour = await street.get(`${V1}/devices/wl-100/readings?from=${new Date(now - 30 * 86_400_000).toISOString()}&to=${new Date(now + 1).toISOString()}`);
      assert.equal(hour.body.resolution, 'hour');
      const pts = hour.body.series.find((s: { key: string }) => s.key === 'waterLevel').points;
      assert.equal(pts.reduce((n: number, p: { n: number }) => n + p.n, 0), 2);
      assert.equal(Math.max(...pts.map((p: { max: number }) => p.max)), 20);
      const rec = await sensingHooks(env.ctx).recorded!.range('wl-100', now - 3_600_000, now + 1, 10);
      assert.equal(rec.length, 2);
    });

    test('an operator marks maintenance; heartbeat loss takes online devices offline; history shows both with their source', async () => {
      await admin.post(`${V1}/devices`, { id: 'wl-200', typeId: 'water_level', name: '另一个', lon: p0.lon, lat: p0.lat });
      await env.ctx.store.devices.changeStates(['wl-200'], ['offline'], 'online', env.clock.now());
      const m = await patch(admin, `${V1}/devices/wl-100`, { state: 'maintenance' });
      assert.equal(m.status, 200, JSON.stringify(m.body));
      assert.equal(m.body.state, 'maintenance');
      env.clock.advance(10 * 60_000);
      const off = await runDeviceHeartbeat(env.ctx);
      assert.equal(off, 1, 'wl-200 went offline; wl-100 (maintenance) did not');
      const h = await street.get(`${V1}/devices/wl-200/history`);
      assert.equal(h.body.items[0].state, 'offline');
      assert.equal(h.body.items[0].source, 'heartbeat');
      const h2 = await street.get(`${V1}/devices/wl-100/history`);
      assert.deepEqual(h2.body.items.filter((x: { kind: string }) => x.kind === 'state').map((x: { state: string; source: string }) => `${x.state}/${x.source}`), ['maintenance/operator', 'online/reading']);
    });

    test('credential rotation: the old secret stops working at once', async () => {
      const r = await admin.post(`${V1}/devices/wl-100/credential`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const old = await request(env.app, 'POST', `${V1}/sensors/wl-100/status`, { body: { state: 'online' }, headers: basic('wl-100', secret) });
      assert.equal(old.status, 401);
      const fresh = await request(env.app, 'POST', `${V1}/sensors/wl-100/status`, { body: 'online', headers: { ...basic('wl-100', r.body.secret), 'content-type': 'application/json' } });
      assert.equal(fresh.status, 400, 'a bare word is not JSON over HTTP');
      const good = await request(env.app, 'POST', `${V1}/sensors/wl-100/status`, { body: { state: 'fault', detail: '探头堵塞' }, headers: basic('wl-100', r.body.secret) });
      assert.equal(good.status, 200, JSON.stringify(good.body));
      assert.equal((await admin.get(`${V1}/devices/wl-100`)).body.device.state, 'maintenance', 'a device does not lift an operator\'s maintenance mark');
    });

    test('bulk import (CSV): a report per row with the column named; good rows stored, known ids updated', async () => {
      const csv = [
        '设备编号,设备类型,名称,经度,纬度,权属单位',
        `imp-1,water_level,导入一,${p0.lon},${p0.lat},`,
        'imp-2,nope,导入二,,,',
        `imp-3,water_level,导入三,200,${p0.lat},`,
        'wl-100,water_level,改名了,,,',
        'imp-1,water_level,重复,,,',
        'imp-5,water_level,导入五,,,no-such-unit',
      ].join('\r\n');
      const boundary = '----x';
      const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="devices.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
      const r = await env.app.inject({ method: 'POST', url: `${V1}/devices/import`, headers: { ...admin.headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
      const body = JSON.parse(r.body);
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual({ rows: body.rows, created: body.created, updated: body.updated, rejected: body.rejected }, { rows: 6, created: 1, updated: 1, rejected: 4 });
      assert.deepEqual(body.errors.map((e: { row: number; field: string }) => `${e.row}:${e.field}`), ['3:typeId', '4:lon', '6:id', '7:ownerUnitId']);
      assert.equal((await admin.get(`${V1}/devices/wl-100`)).body.device.name, '改名了');
      assert.equal((await admin.get(`${V1}/devices/imp-1`)).body.device.hasCredential, false);
    });

    test('NGSI-LD notification (Smart Data Models Device / DeviceMeasurement) becomes readings and a state', async () => {
      const now = env.clock.now();
      const rot = await admin.post(`${V1}/devices/imp-1/credential`);
      assert.equal(rot.status, 200);
      const note = {
        id: 'urn:ngsi-ld:Notification:1', type: 'Notification', subscriptionId: 'urn:ngsi-ld:Subscription:1', notifiedAt: new Date(now).toISOString(),
        data: [
          { id: 'urn:ngsi-ld:DeviceMeasurement:m1', type: 'DeviceMeasurement', refDevice: { type: 'Relationship', object: 'urn:ngsi-ld:Device:imp-1' },
            controlledProperty: { type: 'Property', value: 'waterLevel' }, numValue: { type: 'Property', value: 42 }, dateObserved: { type: 'Property', value: new Date(now - 5000).toISOString() } },
          { id: 'urn:ngsi-ld:Device:imp-1', type: 'Device', value: { type: 'Property', value: 'battery%3D77' }, deviceState: { type: 'Property', value: 'ok' },
            dateLastValueReported: { type: 'Property', value: new Date(now - 4000).toISOString() } },
          { id: 'urn:ngsi-ld:Device:ghost', type: 'Device', value: 'waterLevel=1' },
          { id: 'urn:ngsi-ld:Alert:1', type: 'Alert' },
        ],
      };
      const r = await request(env.app, 'POST', `${V1}/ngsi-ld/notify`, { body: JSON.stringify(note), headers: { ...admin.headers, 'content-type': 'application/ld+json' } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.accepted, 2);
      assert.equal(r.body.states, 1);
      assert.deepEqual(r.body.rejected.map((x: { field: string }) => x.field).sort(), ['data[3].type', 'deviceId']);
      const stored = await env.ctx.store.readings.range('imp-1', now - 10_000, now, 10);
      assert.deepEqual(stored.map((x) => x.values), [{ waterLevel: 42 }, { battery: 77 }]);
      const denied = await street.post(`${V1}/ngsi-ld/notify`, note);
      assert.equal(denied.status, 403);
    });

    test('retention removes raw readings past rawDays and keeps the rollups', async () => {
      await runReadingRollup(env.ctx, { settled: true });
      const before = await env.ctx.store.readings.count();
      assert.ok(before > 0);
      env.clock.advance(31 * 86_400_000);
      const removed = await runReadingRetention(env.ctx);
      assert.equal(removed, before);
      assert.equal(await env.ctx.store.readings.count(), 0);
      const hours = await env.ctx.store.readings.rollups('wl-100', 3_600_000, 0, env.clock.now(), 100);
      assert.ok(hours.length > 0);
    });
  });
}

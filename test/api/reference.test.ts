/**
 * The reference API on each store: locating points (WGS84 and converted GCJ-02), "who would get this?" agreeing
 * with what POST /cases actually does, the catalogue with its limits and defaults, regions/grids/units/parts,
 * the live calendar, and 400s that name the offending query field.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';
import { wgs84ToGcj02 } from '../../src/domain/grid/index.ts';
import { DEFAULT_STAGE_LIMITS } from '../../src/commands/case-clocks.ts';

const V1 = '/api/v1';

for (const store of storesUnderTest()) {
  describe(`reference API [${store}]`, () => {
    let env: TestEnv;
    let operator: Client;

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      operator = await userClient(env.app, env.ctx, 'operator');
    });
    after(async () => env.close());

    test('locate: a point inside a grid names grid, community, street and district', async () => {
      const p = demoPoint(env, 7);
      const r = await operator.get(`${V1}/locate?lon=${p.lon}&lat=${p.lat}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.outcome, 'inside');
      assert.equal(r.body.grid.id, p.gridId);
      assert.equal(r.body.community.id, p.communityId);
      const community = env.ctx.ref.current().regions.get(p.communityId)!;
      assert.equal(r.body.street.id, community.parentId);
      assert.equal(r.body.district.id, env.ctx.ref.current().regions.get(community.parentId!)!.parentId);
      assert.ok(['A', 'B', 'C'].includes(r.body.areaClass));
      assert.deepEqual(r.body.point, { lon: p.lon, lat: p.lat });
    });

    test('locate: outside every grid is an explicit 200 answer, not an error', async () => {
      const r = await operator.get(`${V1}/locate?lon=100.5&lat=25.0`);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { outcome: 'outside', point: { lon: 100.5, lat: 25 } });
    });

    test('locate: GCJ-02 input is converted to WGS84 before the lookup', async () => {
      const p = demoPoint(env, 42);
      const [gLon, gLat] = wgs84ToGcj02(p.lon, p.lat);
      const r = await operator.get(`${V1}/locate?lon=${gLon}&lat=${gLat}&coordSystem=gcj02`);
      assert.equal(r.status, 200);
      assert.ok(Math.abs(r.body.point.lon - p.lon) < 1e-7 && Math.abs(r.body.point.lat - p.lat) < 1e-7, JSON.stringify(r.body.point));
      assert.equal(r.body.grid.id, p.gridId);
      // The same numbers read as WGS84 land ~500 m away: the conversion is what placed the point.
      const raw = await operator.get(`${V1}/locate?lon=${gLon}&lat=${gLat}`);
      assert.ok(raw.body.outcome === 'outside' || raw.body.grid.id !== p.gridId);
    });

    test('bad query parameters are 400 naming the field', async () => {
      const cases: [string, string][] = [
        [`${V1}/locate?lon=abc&lat=31`, 'lon'],
        [`${V1}/locate?lon=120&lat=95`, 'lat'],
        [`${V1}/locate?lon=120`, 'lat'],
        [`${V1}/locate?lon=120&lat=31&coordSystem=mars`, 'coordSystem'],
        [`${V1}/locate?lon=120&lat=31&x=1`, 'x'],
        [`${V1}/grids?limit=0`, 'limit'],
        [`${V1}/grids?communityId=R-nowhere`, 'communityId'],
        [`${V1}/grids.geojson?streetId=R-nowhere`, 'streetId'],
        [`${V1}/regions.geojson?level=planet`, 'level'],
        [`${V1}/parts?gridId=G-nowhere`, 'gridId'],
        [`${V1}/parts?partCode=1`, 'partCode'],
        [`${V1}/routing/explain?matterCode=99999&lon=120.3&lat=31.5`, 'matterCode'],
        [`${V1}/routing/explain?matterCode=garbage&lon=120.3&lat=31.5`, 'matterCode'],
        [`${V1}/routing/explain?matterCode=06010&lon=120.3`, 'lat'],
        [`${V1}/routing/explain?matterCode=06010`, 'lon'],
        [`${V1}/routing/explain?matterCode=06010&partId=32990201001999999`, 'partId'],
        [`${V1}/calendar?year=twenty`, 'year'],
        [`${V1}/calendar/deadline?start=yesterday&amount=1&unit=work_days`, 'start'],
        [`${V1}/calendar/deadline?start=2026-12-01T10:00:00%2B08:00&amount=-1&unit=work_days`, 'amount'],
        [`${V1}/calendar/deadline?start=2026-12-01T10:00:00%2B08:00&amount=1&unit=fortnights`, 'unit'],
      ];
      for (const [url, field] of cases) {
        const r = await operator.get(url);
        assert.equal(r.status, 400, `${url}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.code, 'VALIDATION_FAILED', url);
        assert.equal(r.body.error.field, field, `${url}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.error.message, new RegExp(field), url);
      }
    });

    test('anonymous calls are 401; unknown ids are 404', async () => {
      assert.equal((await request(env.app, 'GET', `${V1}/regions`)).status, 401);
      assert.equal((await request(env.app, 'GET', `${V1}/routing/explain?matterCode=06010&lon=120.3&lat=31.5`)).status, 401);
      for (const url of [`${V1}/regions/R-none`, `${V1}/grids/G-none`, `${V1}/units/U-none`, `${V1}/catalog/matters/99999`, `${V1}/parts/32990201001999999`, `${V1}/rules/versions/999`]) {
        const r = await operator.get(url);
        assert.equal(r.status, 404, `${url}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.code, 'NOT_FOUND');
      }
    });

    test('explain says who would get it — and POST /cases then routes exactly there', async () => {
      const ref = env.ctx.ref.current();
      const part = await env.db.selectFrom('parts').selectAll().where('part_code', 'like', '01%').orderBy('id').limit(1).executeTakeFirstOrThrow();
      const probes: { matterCode: string; at?: { lon: number; lat: number }; partId?: string }[] = [
        { matterCode: '06010', at: demoPoint(env, 0) },
        { matterCode: '09009', at: demoPoint(env, 300) },
        { matterCode: '07001', at: demoPoint(env, 900) },
        { matterCode: part.part_code, partId: part.id },
      ];
      for (const probe of probes) {
        const qs = new URLSearchParams({ matterCode: probe.matterCode });
        if (probe.at) { qs.set('lon', String(probe.at.lon)); qs.set('lat', String(probe.at.lat)); }
        if (probe.partId) qs.set('partId', probe.partId);
        const x = await operator.get(`${V1}/routing/explain?${qs}`);
        assert.equal(x.status, 200, JSON.stringify(x.body));
        assert.equal(x.body.location.outcome, 'inside');
        assert.ok(x.body.summary.length > 0);
        if (x.body.decision.outcome === 'rule') {
          assert.equal(x.body.candidates[0].ruleId, x.body.decision.ruleId, 'the winner is listed first');
          assert.equal(x.body.candidates[0].matched, true);
        }
        const created = await operator.post(`${V1}/cases`, {
          channel: 'hotline', matterCode: probe.matterCode, description: `explain probe ${probe.matterCode}`,
          ...(probe.at ? { location: { lon: probe.at.lon, lat: probe.at.lat } } : {}), ...(probe.partId ? { partId: probe.partId } : {}),
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const c = created.body;
        assert.equal(x.body.decision.unit.id, c.routing.unit.id, `unit for ${probe.matterCode}`);
        assert.equal(x.body.decision.outcome, c.routing.outcome);
        assert.equal(x.body.decision.ruleId, c.routing.ruleId);
        assert.equal(x.body.decision.ruleVersion, c.routing.ruleVersion);
        assert.equal(x.body.location.grid.id, c.grid.id);
        assert.deepEqual({ amount: x.body.limits.handle.amount, unit: x.body.limits.handle.unit }, c.deadlines.handleLimit);
        assert.equal(x.body.gridMemberAdmitted, ref.admission.admits(probe.matterCode));
      }
      const withPart = probes[3];
      const px = await operator.get(`${V1}/routing/explain?matterCode=${withPart.matterCode}&partId=${withPart.partId}`);
      assert.equal(px.body.part.id, part.id);
      assert.equal(px.body.part.ownerUnit.id, part.owner_unit_id);
    });

    test('explain outside every grid is 422 OUT_OF_GRID naming lon', async () => {
      const r = await operator.get(`${V1}/routing/explain?matterCode=06010&lon=100.5&lat=25`);
      assert.equal(r.status, 422);
      assert.equal(r.body.error.code, 'OUT_OF_GRID');
      assert.equal(r.body.error.field, 'lon');
    });

    test('regions, grids and GeoJSON layers', async () => {
      const ref = env.ctx.ref.current();
      const all = await operator.get(`${V1}/regions`);
      assert.equal(all.body.items.length, ref.regions.size);
      assert.ok(all.body.items.every((r: Record<string, unknown>) => !('geometry' in r)));
      const streets = await operator.get(`${V1}/regions?level=street`);
      const street = streets.body.items[0];
      assert.ok(streets.body.items.every((r: { level: string }) => r.level === 'street'));
      const one = await operator.get(`${V1}/regions/${street.id}`);
      assert.equal(one.status, 200);
      assert.match(one.body.geometry.type, /Polygon/);
      assert.ok(one.body.childIds.length > 0);
      assert.ok(one.body.childIds.every((c: string) => ref.regions.get(c)!.parentId === street.id));
      const layer = await operator.get(`${V1}/regions.geojson?level=community`);
      assert.equal(layer.body.type, 'FeatureCollection');
      assert.equal(layer.body.features.length, [...ref.regions.values()].filter((r) => r.level === 'community').length);

      const community = one.body.childIds[0];
      const grids = await operator.get(`${V1}/grids?communityId=${community}&limit=1000`);
      const expected = [...ref.grids.values()].filter((g) => g.communityId === community);
      assert.equal(grids.body.total, expected.length);
      assert.deepEqual(grids.body.items.map((g: { id: string }) => g.id).sort(), expected.map((g) => g.id).sort());
      const page = await operator.get(`${V1}/grids?limit=5&offset=5`);
      assert.equal(page.body.items.length, 5);
      assert.equal(page.body.items[0].id, [...ref.grids.keys()][5]);
      const g = await operator.get(`${V1}/grids/${expected[0].id}`);
      assert.match(g.body.geometry.type, /Polygon/);
      assert.ok(g.body.areaM2 > 0 && g.body.bbox.length === 4);
      const byStreet = await operator.get(`${V1}/grids.geojson?streetId=${street.id}`);
      const streetGrids = [...ref.grids.values()].filter((x) => ref.regions.get(x.communityId)!.parentId === street.id);
      assert.equal(byStreet.body.features.length, streetGrids.length);
      const whole = await operator.get(`${V1}/grids.geojson`);
      assert.equal(whole.body.features.length, ref.grids.size);
    });

    test('units with counters; catalogue with limits and marked defaults; parts', async () => {
      const units = await operator.get(`${V1}/units`);
      assert.equal(units.body.items.length, env.ctx.ref.current().units.size);
      const u = await operator.get(`${V1}/units/${units.body.items[0].id}`);
      assert.equal(u.status, 200);
      assert.equal(u.body.counters.buck_passing, 0);
      assert.equal(u.body.counters.returns, 0);

      const list = await operator.get(`${V1}/catalog/matters?classCode=06&q=${encodeURIComponent('垃圾')}`);
      assert.ok(list.body.items.some((m: { code: string }) => m.code === '06010'));
      assert.ok(list.body.items.every((m: { classCode: string; name: string }) => m.classCode === '06' && m.name.includes('垃圾')));
      const m = await operator.get(`${V1}/catalog/matters/06010`);
      assert.equal(m.status, 200);
      const handle = m.body.limits.filter((l: { stage: string; urgency: string }) => l.stage === 'handle' && l.urgency === 'normal');
      assert.ok(handle.length > 0 && handle.every((l: { default: boolean }) => l.default === false), JSON.stringify(handle));
      const dispatch = m.body.limits.find((l: { stage: string; urgency: string }) => l.stage === 'dispatch' && l.urgency === 'urgent');
      // the demo seeds the stage limits as data ('*' rows for every matter), with the documented defaults' values
      assert.equal(dispatch.default, false);
      assert.equal(dispatch.appliesTo, 'all');
      assert.equal(dispatch.amount, DEFAULT_STAGE_LIMITS.dispatch.urgent.amount);
      assert.equal(dispatch.unit, DEFAULT_STAGE_LIMITS.dispatch.urgent.unit);
      const partClasses = await operator.get(`${V1}/catalog/parts?classCode=01`);
      assert.ok(partClasses.body.items.length > 0 && partClasses.body.items.every((p: { classCode: string }) => p.classCode === '01'));

      const parts = await operator.get(`${V1}/parts?partCode=01037&limit=3`);
      assert.equal(parts.body.items.length, 3);
      assert.ok(parts.body.items.every((p: { partCode: string }) => p.partCode === '01037'));
      const next = await operator.get(`${V1}/parts?partCode=01037&limit=3&afterId=${parts.body.nextAfterId}`);
      assert.ok(next.body.items[0].id > parts.body.items[2].id);
      const one = await operator.get(`${V1}/parts/${parts.body.items[0].id}`);
      assert.equal(one.body.id, parts.body.items[0].id);
      assert.ok(one.body.ownerUnit.name);
    });

    test('rules, versions and admission list as stored', async () => {
      const rules = await operator.get(`${V1}/rules`);
      assert.equal(rules.body.version, env.ctx.ref.current().ruleVersion);
      assert.equal(rules.body.rules.length, env.ctx.ref.current().rules.length);
      const versions = await operator.get(`${V1}/rules/versions`);
      assert.equal(versions.body.items[0].current, true);
      assert.equal(versions.body.items[0].ruleCount, rules.body.rules.length);
      const v = await operator.get(`${V1}/rules/versions/${rules.body.version}`);
      assert.equal(v.body.report.ok, true);
      assert.equal(v.body.rules.length, rules.body.rules.length);
      const adm = await operator.get(`${V1}/admission`);
      assert.ok(adm.body.entries.length > 0);
      assert.ok(adm.body.entries.every((e: object) => Object.keys(e).length === 1));
    });

    test('calendar: holidays of a year, and deadlines across them', async () => {
      const cal = await operator.get(`${V1}/calendar?year=2026`);
      assert.equal(cal.status, 200);
      assert.ok(cal.body.holidays.some((h: { date: string; name: string }) => h.date === '2026-10-01' && h.name === '国庆节'));
      assert.ok(cal.body.makeUpWorkdays.includes('2026-01-04'));
      assert.deepEqual(cal.body.weekendDays, [0, 6]);
      // 30 Sep 10:00 + 1 work day jumps the National Day week (1–7 Oct): close of business on 8 Oct, 17:30 (UTC+8).
      const d = await operator.get(`${V1}/calendar/deadline?start=${encodeURIComponent('2026-09-30T10:00:00+08:00')}&amount=1&unit=work_days`);
      assert.equal(d.status, 200);
      assert.equal(d.body.deadline, '2026-10-08T09:30:00.000Z');
      assert.equal(d.body.startsInWorkTime, true);
      const n = await operator.get(`${V1}/calendar/deadline?start=${encodeURIComponent('2026-09-30T10:00:00+08:00')}&amount=2&unit=natural_hours`);
      assert.equal(n.body.deadline, '2026-09-30T04:00:00.000Z');
    });
  });
}

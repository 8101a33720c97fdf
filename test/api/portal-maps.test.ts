/**
 * Issue 8, maps and portal: the names every map shows (public labels: regions with their own kind, roads as lines),
 * the portal's public matters as city data, the public address search (approximate matches flagged), the written
 * result and after-photo on the tracking API (only once resolved, masked, nothing else served), and the case list's
 * grid filter the big screen's drill-down uses.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';
import { act, crewFor, photo, type Crew } from '../support/case-flow.ts';

function form(fields: Record<string, string>) {
  const boundary = '----maps' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([...Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)), Buffer.from(`--${boundary}--\r\n`)]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

for (const store of storesUnderTest()) {
  describe(`maps and portal [${store}]`, () => {
    let env: TestEnv;
    let crew: Crew;
    let admin: Client;
    let point: { lon: number; lat: number; gridId: string };
    let n = 0;

    const put = (who: Client, body: unknown) => request(env.app, 'PUT', '/api/v1/portal-matters', { body, cookie: who.headers.cookie, headers: { 'x-csrf-token': who.headers['x-csrf-token'] } });
    const report = async (matterCode = '06010', ip = `10.8.0.${++n}`) => {
      const { payload, contentType } = form({ matterCode, lon: String(point.lon), lat: String(point.lat), description: `路边垃圾堆积 ${n}` });
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/public/reports', payload, headers: { 'content-type': contentType, 'x-forwarded-for': ip } });
      return { status: r.statusCode, body: JSON.parse(r.body) };
    };

    before(async () => {
      env = await createDemoEnv(store, { config: { sessionIdleMs: 365 * 86400_000, sessionTtlMs: 365 * 86400_000 } });
      await loadGridPoints(env);
      const p = demoPoint(env, 11);
      point = { lon: p.lon, lat: p.lat, gridId: p.gridId };
      crew = await crewFor(env, env.ctx.ref.current().routing.route({ matterCode: '06010', regionId: p.communityId }).unitId);
      admin = await userClient(env.app, env.ctx, 'admin');
    });
    after(async () => env.close());

    test('map labels: public, every kind, towns as towns, roads as lines; 304 on the same version', async () => {
      const r = await request(env.app, 'GET', '/api/v1/public/map-labels.geojson');
      assert.equal(r.status, 200);
      const features = r.body.features as { geometry: { type: string }; properties: { name: string; kind: string; level?: string } }[];
      const kinds = new Set(features.map((f) => f.properties.kind));
      for (const k of ['district', 'subdistrict', 'town', 'community', 'village', 'road', 'landmark', 'compound']) assert.ok(kinds.has(k), `a ${k} label`);
      const luwan = features.find((f) => f.properties.name === '芦湾镇');
      assert.equal(luwan?.properties.kind, 'town', '芦湾镇 is a town, not a 街道');
      assert.equal(luwan?.geometry.type, 'Point');
      for (const f of features.filter((x) => x.properties.level === 'street')) {
        assert.equal(f.properties.kind, f.properties.name.endsWith('镇') ? 'town' : 'subdistrict', f.properties.name);
      }
      assert.ok(features.filter((f) => f.properties.kind === 'road').every((f) => f.geometry.type === 'MultiLineString'));
      const again = await request(env.app, 'GET', '/api/v1/public/map-labels.geojson', { headers: { 'if-none-match': String(r.headers.etag) } });
      assert.equal(again.status, 304);
    });

    test('public matters are city data: more than the old 16, featured first, class 05 left out; a matter not offered is refused', async () => {
      const r = await request(env.app, 'GET', '/api/v1/public/matters');
      assert.equal(r.status, 200);
      const items = r.body.items as { code: string; featured: boolean; classCode: string }[];
      assert.ok(items.length > 200, `${items.length} matters offered`);
      assert.equal(items[0].code, '06010');
      assert.ok(items.slice(0, 16).every((m) => m.featured));
      assert.ok(!items.some((m) => m.classCode === '05'));
      const refused = await report('05002');
      assert.equal(refused.status, 400);
      assert.match(String(refused.body.error.key), /^public\./, 'the refusal carries a message key for the console');

      // replaced by the city: 400 names the field and leaves it; 403 for those who may not; then only 06
      const bad = await put(admin, { include: ['6'], exclude: [], featured: [] });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'include.0');
      assert.ok(bad.body.error.key, 'the 400 carries a message key');
      const operator = await userClient(env.app, env.ctx, 'operator');
      assert.equal((await put(operator, { include: ['06'], exclude: [], featured: [] })).status, 403);
      const ok = await put(admin, { include: ['06', '10001'], exclude: ['06001'], featured: ['10001'] });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const now = (await request(env.app, 'GET', '/api/v1/public/matters')).body.items as { code: string }[];
      assert.equal(now[0].code, '10001');
      assert.ok(now.every((m) => m.code.startsWith('06') || m.code === '10001'));
      assert.ok(!now.some((m) => m.code === '06001'));
      assert.equal(ok.body.offered, now.length);
      assert.equal((await report('09006')).status, 400, 'no longer offered');
      // back to the defaults for the other tests
      const back = await put(admin, { include: ['01', '02', '03', '04', '06', '07', '08', '09', '10'], exclude: [], featured: ['06010'] });
      assert.equal(back.status, 200);
    });

    test('public address search: the seat\'s geocoder, approximate matches flagged, names only', async () => {
      const exact = await request(env.app, 'GET', `/api/v1/public/geocode?q=${encodeURIComponent('芦湾镇')}`);
      assert.equal(exact.status, 200);
      assert.ok(exact.body.candidates.length >= 1);
      assert.equal(exact.body.candidates[0].approximate, true, 'a town is never an exact place');
      const typo = await request(env.app, 'GET', `/api/v1/public/geocode?q=${encodeURIComponent('望江路128号')}`);
      assert.equal(typo.status, 200);
      if (typo.body.outcome !== 'exact') assert.ok(typo.body.candidates.every((c: { approximate: boolean }) => c.approximate));
      for (const c of typo.body.candidates) assert.deepEqual(Object.keys(c).sort(), ['address', 'approximate', 'kind', 'lat', 'lon', 'method', 'name', 'score', 'street']);
      assert.equal((await request(env.app, 'GET', '/api/v1/public/geocode?q=x')).status, 400);
    });

    test('the tracking page shows the written result and the after-photo once resolved, masked; nothing else is served', async () => {
      const r = await report();
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const row = await env.db.selectFrom('cases').select(['id']).where('case_no', '=', r.body.caseNo).executeTakeFirstOrThrow();
      const id = Number(row.id);
      await act(crew.operator, id, 'accept');
      await act(crew.operator, id, 'request-verify');
      const reportPhoto = await photo(env, crew.inspector);
      await act(crew.inspector, id, 'verify', { outcome: 'confirmed', photos: [reportPhoto] });
      await act(crew.dispatcher, id, 'dispatch', { unitId: crew.unitId });
      await act(crew.handler, id, 'sign');
      const after = await photo(env, crew.handler);
      await act(crew.handler, id, 'dispose', { result: '已清理完毕，联系物业13812345678确认', photos: [after] });
      const checking = await request(env.app, 'GET', `/api/v1/public/cases/${r.body.caseNo}`);
      assert.equal(checking.body.result, null, 'no result while the check is open');
      assert.equal((await request(env.app, 'GET', `/api/v1/public/cases/${r.body.caseNo}/photos/${after}`)).status, 404);
      await act(crew.dispatcher, id, 'send-check');
      await act(crew.checker, id, 'check-pass');
      const done = await request(env.app, 'GET', `/api/v1/public/cases/${r.body.caseNo}`);
      assert.equal(done.body.stage, 'resolved');
      assert.equal(done.body.result.text, '已清理完毕，联系物业138****5678确认');
      assert.deepEqual(done.body.result.photos.map((p: { id: string }) => p.id), [after]);
      const img = await env.app.inject({ method: 'GET', url: done.body.result.photos[0].url });
      assert.equal(img.statusCode, 200);
      assert.equal(img.headers['content-type'], 'image/png');
      // the verification photo is the case's too, but not a result: not served publicly
      assert.equal((await request(env.app, 'GET', `/api/v1/public/cases/${r.body.caseNo}/photos/${reportPhoto}`)).status, 404);
      assert.equal((await request(env.app, 'GET', `/api/v1/public/cases/${r.body.caseNo}/photos/nope`)).status, 404);
    });

    test('the case list narrows to a grid (drill-down)', async () => {
      const inGrid = await crew.operator.get(`/api/v1/cases?gridId=${point.gridId}`);
      assert.equal(inGrid.status, 200);
      assert.ok(inGrid.body.items.length >= 1);
      assert.ok(inGrid.body.items.every((c: { grid: { id: string } }) => c.grid.id === point.gridId));
      const other = await crew.operator.get('/api/v1/cases?gridId=G-none');
      assert.equal(other.body.items.length, 0);
    });
  });
}

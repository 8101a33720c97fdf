/**
 * The admin API on each store: a saved list becomes the version the next case is routed by (and a tied list is
 * refused with its report), the admission list, all-or-nothing grid imports, calendar imports that move
 * deadlines, the catalogue and units, accounts, API keys (authenticate, then stop at revoke), and permissions.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client, type Res } from '../support/api-client.ts';
import { readResource } from '../../src/commands/demo-seed.ts';

const V1 = '/api/v1';

/** PUT (the shared client speaks GET and POST) with the client's cookie and CSRF token. */
async function put(env: TestEnv, c: Client | null, url: string, body: unknown): Promise<Res> {
  const r = await env.app.inject({ method: 'PUT', url, headers: { ...(c?.headers ?? {}), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  return { status: r.statusCode, body: JSON.parse(r.body), headers: r.headers };
}

const bearer = (env: TestEnv, key: string, url: string) => request(env.app, 'GET', url, { headers: { authorization: `Bearer ${key}` } });

/** A small square (≈ 110 m) far from the demo city, in WGS84. */
const square = (lon: number, lat: number, d = 0.001) => ({
  type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

for (const store of storesUnderTest()) {
  describe(`admin API [${store}]`, () => {
    let env: TestEnv;
    let admin: Client, operator: Client;

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      admin = await userClient(env.app, env.ctx, 'admin');
      operator = await userClient(env.app, env.ctx, 'operator');
    });
    after(async () => env.close());

    test('permissions: operators cannot change the list (403), strangers are not let in (401)', async () => {
      const rules = (await admin.get(`${V1}/rules`)).body.rules;
      const denied = await operator.post(`${V1}/rules`, { rules });
      assert.equal(denied.status, 403);
      assert.equal(denied.body.error.code, 'FORBIDDEN');
      assert.equal((await request(env.app, 'POST', `${V1}/rules`, { body: { rules } })).status, 401);
      assert.equal((await put(env, operator, `${V1}/admission`, { entries: [] })).status, 403);
      assert.equal((await operator.get(`${V1}/users`)).status, 403);
      assert.equal((await operator.post(`${V1}/apikeys`, { name: 'x' })).status, 403);
      assert.equal((await request(env.app, 'GET', `${V1}/apikeys`)).status, 401);
      // a cookie write without the CSRF token is refused even for an admin
      const noCsrf = await request(env.app, 'POST', `${V1}/rules/validate`, { body: { rules }, headers: { cookie: admin.headers.cookie } });
      assert.equal(noCsrf.status, 403);
      assert.equal((await admin.get(`${V1}/rules`)).body.version, 1, 'nothing was saved');
    });

    test('a saved list is the version the next case is routed by; a tie is refused with its report', async () => {
      const p = demoPoint(env, 3);
      const before0 = await admin.get(`${V1}/rules`);
      const v0 = before0.body.version as number;
      const x = await operator.get(`${V1}/routing/explain?matterCode=06010&lon=${p.lon}&lat=${p.lat}`);
      const winner = x.body.decision.ruleId as string;
      const oldUnit = x.body.decision.unit.id as string;
      const newUnit = [...env.ctx.ref.current().units.values()].find((u) => u.id !== oldUnit && u.kind === 'department')!.id;
      const rules = before0.body.rules.map((r: { id: string }) => (r.id === winner ? { ...r, unitId: newUnit } : r));

      // validation alone saves nothing
      const checked = await admin.post(`${V1}/rules/validate`, { rules });
      assert.equal(checked.status, 200);
      assert.equal(checked.body.report.ok, true);
      assert.equal((await admin.get(`${V1}/rules`)).body.version, v0);

      // a tie: the same matter, region and part owner twice
      const twin = { ...rules.find((r: { id: string }) => r.id === winner), id: 'RULE-TWIN' };
      const tied = await admin.post(`${V1}/rules`, { rules: [...rules, twin], note: 'tie' });
      assert.equal(tied.status, 400, JSON.stringify(tied.body));
      assert.equal(tied.body.error.code, 'VALIDATION_FAILED');
      assert.equal(tied.body.error.field, 'rules');
      assert.equal(tied.body.error.details.report.ok, false);
      assert.ok(tied.body.error.details.report.errors.some((e: { code: string; ruleIds?: string[] }) => e.code === 'TIE' && e.ruleIds?.includes('RULE-TWIN')));
      assert.equal((await admin.get(`${V1}/rules`)).body.version, v0, 'a refused list is not saved');
      const dryTie = await admin.post(`${V1}/rules/validate`, { rules: [...rules, twin] });
      assert.equal(dryTie.status, 200);
      assert.equal(dryTie.body.report.ok, false);

      const bad = await admin.post(`${V1}/rules`, { rules: [{ ...rules[0], matterCode: 'abc' }] });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'rules.0.matterCode');

      const saved = await admin.post(`${V1}/rules`, { rules, note: '06010 改由新单位处置' });
      assert.equal(saved.status, 201, JSON.stringify(saved.body));
      assert.equal(saved.body.version, v0 + 1);
      assert.equal(saved.body.report.ok, true);
      assert.ok(Array.isArray(saved.body.report.warnings));

      const c = await operator.post(`${V1}/cases`, { channel: 'hotline', matterCode: '06010', description: '垃圾', location: { lon: p.lon, lat: p.lat } });
      assert.equal(c.status, 201);
      assert.equal(c.body.routing.ruleVersion, v0 + 1);
      assert.equal(c.body.routing.ruleId, winner);
      assert.equal(c.body.routing.unit.id, newUnit);
      const versions = await admin.get(`${V1}/rules/versions`);
      assert.equal(versions.body.items[0].version, v0 + 1);
      assert.equal(versions.body.items[0].current, true);
      assert.equal(versions.body.items[0].note, '06010 改由新单位处置');
      assert.equal(versions.body.items[1].current, false);
    });

    test('admission list: replace, read back, and it decides grid-member admission', async () => {
      const entries = [{ matterClass: '06' }, { matterCode: '07001' }];
      const r = await put(env, admin, `${V1}/admission`, { entries });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual((await operator.get(`${V1}/admission`)).body.entries, entries);
      const p = demoPoint(env, 1);
      const out = await operator.get(`${V1}/routing/explain?matterCode=09009&lon=${p.lon}&lat=${p.lat}`);
      assert.equal(out.body.gridMemberAdmitted, false);
      const inList = await operator.get(`${V1}/routing/explain?matterCode=07001&lon=${p.lon}&lat=${p.lat}`);
      assert.equal(inList.body.gridMemberAdmitted, true);
      for (const [body, field] of [
        [{ entries: [{ matterCode: '06010', matterClass: '06' }] }, 'entries[0]'],
        [{ entries: [{}] }, 'entries[0]'],
        [{ entries: [{ matterCode: '06999' }] }, 'entries[0].matterCode'],
        [{ entries: [{ matterCode: '0601' }] }, 'entries.0.matterCode'],
        [{ entries: [{ matterClass: '06' }, { matterClass: '06' }] }, 'entries[1]'],
      ] as const) {
        const bad = await put(env, admin, `${V1}/admission`, body);
        assert.equal(bad.status, 400, JSON.stringify(bad.body));
        assert.equal(bad.body.error.field, field);
      }
      assert.deepEqual((await operator.get(`${V1}/admission`)).body.entries, entries, 'refused lists change nothing');
    });

    test('grid import: a self-intersecting polygon is 400 INVALID_GEOMETRY naming feature and path; nothing is written', async () => {
      const community = [...env.ctx.ref.current().regions.values()].find((r) => r.level === 'community')!.id;
      const good = { type: 'Feature', properties: { id: 'G-IMPORT-1', code: 'IMP1', name: '导入网格一', communityId: community }, geometry: square(121.5, 30.5) };
      const bowtie = {
        type: 'Feature', properties: { id: 'G-IMPORT-2', code: 'IMP2', name: '导入网格二', communityId: community },
        geometry: { type: 'Polygon', coordinates: [[[121.6, 30.6], [121.601, 30.601], [121.601, 30.6], [121.6, 30.601], [121.6, 30.6]]] },
      };
      const url = `${V1}/grids/import?kind=unit`;
      const bad = await admin.post(url, { type: 'FeatureCollection', features: [good, bowtie] });
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      assert.equal(bad.body.error.code, 'INVALID_GEOMETRY');
      assert.match(bad.body.error.field, /^features\[1\]\.geometry\.coordinates\[0\]/);
      const problems = bad.body.error.details.report.problems as { feature: number; id: string; code: string; field: string }[];
      assert.ok(problems.length >= 1);
      assert.ok(problems.every((x) => x.feature === 1 && x.id === 'G-IMPORT-2'));
      assert.ok(problems.some((x) => x.code === 'SELF_INTERSECTION'), JSON.stringify(problems));
      assert.equal(env.ctx.ref.current().grids.has('G-IMPORT-1'), false);
      assert.equal((await env.db.selectFrom('grids').select('id').where('id', 'in', ['G-IMPORT-1', 'G-IMPORT-2']).execute()).length, 0);

      const notFc = await admin.post(url, { type: 'Feature', features: [] });
      assert.equal(notFc.status, 400);
      assert.equal(notFc.body.error.field, 'type');
      assert.equal((await operator.post(url, { type: 'FeatureCollection', features: [good] })).status, 403);

      const dry = await admin.post(`${url}&dryRun=true`, { type: 'FeatureCollection', features: [good] });
      assert.equal(dry.status, 200, JSON.stringify(dry.body));
      assert.deepEqual([dry.body.valid, dry.body.imported, dry.body.dryRun], [1, 0, true]);
      assert.equal(env.ctx.ref.current().grids.has('G-IMPORT-1'), false);

      const done = await admin.post(url, { type: 'FeatureCollection', name: 'grids', features: [good] });
      assert.equal(done.status, 201, JSON.stringify(done.body));
      assert.equal(done.body.imported, 1);
      const at = await operator.get(`${V1}/locate?lon=121.5005&lat=30.5005`);
      assert.equal(at.body.outcome, 'inside');
      assert.equal(at.body.grid.id, 'G-IMPORT-1');
      assert.equal(at.body.community.id, community);
    });

    test('calendar import: a new holiday moves /calendar/deadline at once', async () => {
      const start = encodeURIComponent('2026-12-01T10:00:00+08:00'); // a Tuesday
      const url = `${V1}/calendar/deadline?start=${start}&amount=1&unit=work_days`;
      // The legal day rule: the start day does not count; one work day ends at close of business of the next one (17:30).
      assert.equal((await operator.get(url)).body.deadline, '2026-12-02T09:30:00.000Z');
      const cal = readResource<{ holidays: { name: string; daysOff: string[]; makeUpWorkdays: string[] }[] }>('calendar-cn-2026.json');
      const withLocal = { ...cal, holidays: [...cal.holidays, { name: '地方假日', daysOff: ['2026-12-02'], makeUpWorkdays: [] }] };
      const wrongYear = await admin.post(`${V1}/calendar/import`, { ...cal, holidays: [...cal.holidays, { name: 'x', daysOff: ['2027-01-05'] }] });
      assert.equal(wrongYear.status, 400);
      assert.equal(wrongYear.body.error.field, `holidays[${cal.holidays.length}].daysOff[0]`);
      assert.equal((await operator.post(`${V1}/calendar/import`, withLocal)).status, 403);
      const r = await admin.post(`${V1}/calendar/import`, withLocal);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.year, 2026);
      assert.equal((await operator.get(url)).body.deadline, '2026-12-03T09:30:00.000Z', 'the holiday is skipped');
      const year = await operator.get(`${V1}/calendar?year=2026`);
      assert.ok(year.body.holidays.some((h: { date: string; name: string }) => h.date === '2026-12-02' && h.name === '地方假日'));
    });

    test('catalogue: a local matter, its time limits, and what new cases get', async () => {
      const className = env.ctx.ref.current().matters.get('06010')!.className;
      const body = { code: '06901', name: '共享单车堆积', classCode: '06', className };
      const created = await admin.post(`${V1}/catalog/matters`, body);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.local, true);
      assert.equal((await admin.post(`${V1}/catalog/matters`, body)).status, 409);
      const wrongClass = await admin.post(`${V1}/catalog/matters`, { ...body, code: '07901' });
      assert.equal(wrongClass.status, 400);
      assert.equal(wrongClass.body.error.field, 'code');
      const extra = await admin.post(`${V1}/catalog/matters`, { ...body, code: '06902', colour: 'red' });
      assert.equal(extra.body.error.field, 'colour');

      const limits = [
        { stage: 'handle', urgency: 'normal', areaClass: null, amount: 5, unit: 'work_hours', basis: '本市规定' },
        { stage: 'sign', urgency: 'normal', amount: 20, unit: 'natural_minutes' },
      ];
      const set = await put(env, admin, `${V1}/catalog/matters/06901/limits`, { limits });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      const m = await operator.get(`${V1}/catalog/matters/06901`);
      const handle = m.body.limits.find((l: { stage: string; urgency: string }) => l.stage === 'handle' && l.urgency === 'normal');
      assert.deepEqual([handle.amount, handle.unit, handle.basis, handle.default], [5, 'work_hours', '本市规定', false]);
      const p = demoPoint(env, 2);
      const c = await operator.post(`${V1}/cases`, { channel: 'hotline', matterCode: '06901', description: '单车堆积', location: { lon: p.lon, lat: p.lat } });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      assert.deepEqual(c.body.deadlines.handleLimit, { amount: 5, unit: 'work_hours' });

      for (const [lims, field] of [
        [[{ ...limits[0], stage: 'lunch' }], 'limits.0.stage'],
        [[{ ...limits[0], unit: 'fortnights' }], 'limits.0.unit'],
        [[{ ...limits[0], amount: 0 }], 'limits.0.amount'],
        [[limits[0], { ...limits[0], amount: 3 }], 'limits[1]'],
      ] as const) {
        const bad = await put(env, admin, `${V1}/catalog/matters/06901/limits`, { limits: lims });
        assert.equal(bad.status, 400, JSON.stringify(bad.body));
        assert.equal(bad.body.error.field, field);
      }
      assert.equal((await put(env, admin, `${V1}/catalog/matters/99999/limits`, { limits })).status, 404);
    });

    test('units: create; unknown parent or region named; duplicates 409', async () => {
      const region = [...env.ctx.ref.current().regions.values()].find((r) => r.level === 'street')!.id;
      const body = { id: 'U-TEST-WATER', code: 'TESTWATER', name: '测试水务所', kind: 'department', parentId: 'U-GOV', regionId: region };
      const r = await admin.post(`${V1}/units`, body);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal((await operator.get(`${V1}/units/U-TEST-WATER`)).body.parent.id, 'U-GOV');
      assert.equal((await admin.post(`${V1}/units`, body)).status, 409);
      const sameCode = await admin.post(`${V1}/units`, { ...body, id: 'U-OTHER' });
      assert.deepEqual([sameCode.status, sameCode.body.error.field], [409, 'code']);
      for (const [patch, field] of [[{ parentId: 'U-NONE' }, 'parentId'], [{ regionId: 'R-NONE' }, 'regionId'], [{ kind: 'guild' }, 'kind']] as const) {
        const bad = await admin.post(`${V1}/units`, { ...body, id: 'U-NEW', code: 'NEW', ...patch });
        assert.equal(bad.status, 400);
        assert.equal(bad.body.error.field, field);
      }
      assert.equal((await operator.post(`${V1}/units`, { ...body, id: 'U-NEW2', code: 'NEW2' })).status, 403);
    });

    test('users: created and listed without password hashes', async () => {
      const r = await admin.post(`${V1}/users`, { username: 'zhang.san', password: 'long enough pw', roles: ['dispatcher'] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.deepEqual(r.body.roles, ['dispatcher']);
      const list = await admin.get(`${V1}/users`);
      assert.ok(list.body.items.some((u: { username: string }) => u.username === 'zhang.san'));
      assert.doesNotMatch(JSON.stringify(list.body) + JSON.stringify(r.body), /password|hash|argon/i);
      assert.equal((await admin.post(`${V1}/users`, { username: 'zhang.san', password: 'long enough pw', roles: ['dispatcher'] })).status, 409);
      const badRole = await admin.post(`${V1}/users`, { username: 'li.si', password: 'long enough pw', roles: ['king'] });
      assert.deepEqual([badRole.status, badRole.body.error.field], [400, 'roles.0']);
      const unitless = await admin.post(`${V1}/users`, { username: 'li.si', password: 'long enough pw', roles: ['unit_handler'] });
      assert.deepEqual([unitless.status, unitless.body.error.field], [400, 'unitIds']);
    });

    test('API keys: the key is shown once, authenticates a GET, and stops at revoke', async () => {
      const created = await admin.post(`${V1}/apikeys`, { name: '水务局工单系统', roles: ['operator'] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const { key, id } = created.body;
      assert.match(key, /^cok_/);
      const ok = await bearer(env, key, `${V1}/regions?level=district`);
      assert.equal(ok.status, 200);
      assert.ok(ok.body.items.length > 0);
      const list = await admin.get(`${V1}/apikeys`);
      const listed = list.body.items.find((k: { id: string }) => k.id === id);
      assert.equal(listed.active, true);
      assert.ok(!JSON.stringify(list.body).includes(key.slice(-20)), 'the secret is never listed');
      assert.doesNotMatch(JSON.stringify(list.body), /hash/i);
      const forbidden = await bearer(env, key, `${V1}/users`);
      assert.equal(forbidden.status, 403, 'an operator key holds no user.manage');

      const revoked = await admin.post(`${V1}/apikeys/${id}/revoke`, {});
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      assert.equal(revoked.body.active, false);
      assert.ok(revoked.body.revokedAt);
      const after = await bearer(env, key, `${V1}/regions`);
      assert.equal(after.status, 401);
      assert.equal(after.body.error.code, 'UNAUTHENTICATED');
      const again = await admin.post(`${V1}/apikeys/${id}/revoke`, {});
      assert.deepEqual([again.status, again.body.revokedAt], [200, revoked.body.revokedAt]);
      assert.equal((await admin.post(`${V1}/apikeys/key_nope/revoke`, {})).status, 404);
      const badRole = await admin.post(`${V1}/apikeys`, { name: 'x', roles: ['emperor'] });
      assert.deepEqual([badRole.status, badRole.body.error.field], [400, 'roles.0']);
    });
  });
}

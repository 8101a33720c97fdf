/**
 * Service attributes (GeoReport v2 service definitions): administrators edit a matter's extra questions through the
 * REST API (validated, versioned, one transaction, reference version bumped); Open311 lists metadata=true and the
 * definition in the shape FixMyStreet's client reads; a POST's attribute[code] answers are checked and stored on
 * the case, which shows them.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';
import { createApiKey } from '../../src/commands/apikey-create.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

const POLE = {
  attributes: [
    { code: 'pole_number', datatype: 'string', required: true, order: 1, description: '灯杆编号', datatypeDescription: '例如 LD-0123' },
    { code: 'lamps_out', datatype: 'number', order: 2, description: '连续不亮几盏？' },
    { code: 'noticed_at', datatype: 'datetime', order: 3, description: '什么时候发现的？' },
    {
      code: 'kind', datatype: 'multivaluelist', order: 4, description: '什么情况？',
      values: [{ key: 'dark', name: '不亮' }, { key: 'flicker', name: '闪烁' }, { key: 'day', name: '白天亮' }],
    },
    { code: 'lamp_type', datatype: 'singlevaluelist', order: 5, description: '灯型', values: [{ key: 'led', name: 'LED 灯' }, { key: 'sodium', name: '钠灯' }] },
    { code: 'asset_id', datatype: 'string', order: 6, description: '资产编号', automated: 'server_set', required: true },
    { code: 'note_info', datatype: 'text', variable: false, order: 7, description: '紧急情况请拨打 12345' },
  ],
};

for (const store of storesUnderTest()) {
  describe(`open311 service attributes [${store}]`, () => {
    let env: TestEnv;
    let admin: Client;
    let operator: Client;
    let key: string;
    let lat: string;
    let long: string;

    const put = (who: Client, code: string, body: unknown) => request(env.app, 'PUT', `/api/v1/catalog/matters/${code}/attributes`, {
      body, headers: who.headers,
    });
    const post = async (fields: [string, string][], format = 'json') => {
      const r = await env.app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, payload: new URLSearchParams(fields).toString(), headers: FORM });
      let json: any;
      try { json = JSON.parse(r.body); } catch { /* XML */ }
      return { status: r.statusCode, text: r.body, json };
    };
    const base = (code: string): [string, string][] => [['api_key', key], ['service_code', code], ['lat', lat], ['long', long], ['description', '路灯不亮']];
    const caseCount = async () => Number((await env.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      const p = demoPoint(env, 3);
      lat = String(p.lat);
      long = String(p.lon);
      admin = await userClient(env.app, env.ctx, 'admin');
      operator = await userClient(env.app, env.ctx, 'operator');
      key = (await createApiKey(env.ctx, { name: 'fms' }, null)).key;
    });
    after(async () => env.close());

    test('the demo city asks questions for 01001, 01037 and 06010; GET shows them, version 1', async () => {
      const r = await operator.get('/api/v1/catalog/matters/01037/attributes');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.version, 1);
      assert.deepEqual(r.body.attributes.map((a: any) => a.code), ['pole_number', 'lamps_out']);
      const none = await operator.get('/api/v1/catalog/matters/06012/attributes');
      assert.deepEqual({ version: none.body.version, attributes: none.body.attributes }, { version: 0, attributes: [] });
      assert.equal((await operator.get('/api/v1/catalog/matters/99999/attributes')).status, 404);
      assert.equal((await request(env.app, 'GET', '/api/v1/catalog/matters/01037/attributes')).status, 401);
    });

    test('PUT: administrators only; a new version, reference version bumped, live at once in Open311', async () => {
      const refBefore = env.ctx.ref.current().version;
      const denied = await put(operator, '01037', POLE);
      assert.equal(denied.status, 403);
      const r = await put(admin, '01037', { ...POLE, version: 1 });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.version, 2);
      assert.deepEqual(r.body.attributes.map((a: any) => a.order), [1, 2, 3, 4, 5, 6, 7]);
      assert.ok(env.ctx.ref.current().version > refBefore, 'reference version bumped: every node reloads');
      const stored = await env.db.selectFrom('settings').select('value').where('key', '=', 'reference_version').executeTakeFirstOrThrow();
      assert.equal(Number(JSON.parse(stored.value)), env.ctx.ref.current().version);
      const versions = await operator.get('/api/v1/catalog/matters/01037/attributes/versions');
      assert.deepEqual(versions.body.items.map((v: any) => [v.version, v.count]), [[2, 7], [1, 2]]);
      const old = await operator.get('/api/v1/catalog/matters/01037/attributes?version=1');
      assert.deepEqual(old.body.attributes.map((a: any) => a.code), ['pole_number', 'lamps_out']);
      const stale = await put(admin, '01037', { ...POLE, version: 1 });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.field, 'version');
      const event = await env.db.selectFrom('outbox').select(['topic', 'payload']).where('topic', '=', 'matter_attributes.replaced').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(event.payload).version, 2);
    });

    test('validation: each error names the field, and nothing is saved', async () => {
      const bad: [unknown, RegExp][] = [
        [[{ code: '灯杆', datatype: 'string', order: 1, description: 'x' }], /code/],
        [[{ code: 'a', datatype: 'string', order: 1, description: 'x' }, { code: 'A', datatype: 'string', order: 2, description: 'y' }], /attributes\[1\]\.code/],
        [[{ code: 'a', datatype: 'string', order: 1, description: 'x' }, { code: 'b', datatype: 'string', order: 1, description: 'y' }], /attributes\[1\]\.order/],
        [[{ code: 'a', datatype: 'singlevaluelist', order: 1, description: 'x' }], /attributes\[0\]\.values/],
        [[{ code: 'a', datatype: 'string', order: 1, description: 'x', values: [{ key: 'k', name: 'n' }] }], /attributes\[0\]\.values/],
        [[{ code: 'a', datatype: 'string', variable: false, required: true, order: 1, description: 'x' }], /attributes\[0\]\.required/],
        [[{ code: 'a', datatype: 'multivaluelist', order: 1, description: 'x', values: [{ key: 'k', name: 'n' }, { key: 'k', name: 'm' }] }], /values\[1\]\.key/],
        [[{ code: 'a', datatype: 'colour', order: 1, description: 'x' }], /datatype/],
        [[{ code: 'a', datatype: 'string', order: 0, description: 'x' }], /order/],
        [[{ code: 'a', datatype: 'string', order: 1, description: '   ' }], /description/],
      ];
      const before = (await operator.get('/api/v1/catalog/matters/06012/attributes')).body.version;
      for (const [attributes, field] of bad) {
        const r = await put(admin, '06012', { attributes });
        assert.equal(r.status, 400, JSON.stringify(attributes));
        assert.match(`${r.body.error.field} ${r.body.error.message}`, field, JSON.stringify(r.body));
      }
      assert.equal((await operator.get('/api/v1/catalog/matters/06012/attributes')).body.version, before);
      assert.equal((await put(admin, '99999', POLE)).status, 404);
    });

    test('services list metadata=true; the definition in the exact GeoReport v2 shape, XML and JSON', async () => {
      const list = await env.app.inject({ method: 'GET', url: '/open311/v2/services.json' });
      const svc = JSON.parse(list.body).find((s: any) => s.service_code === '01037');
      assert.equal(svc.metadata, true);
      const j = JSON.parse((await env.app.inject({ method: 'GET', url: '/open311/v2/services/01037.json' })).body);
      assert.equal(j.service_code, '01037');
      assert.deepEqual(j.attributes[0], {
        variable: true, code: 'pole_number', datatype: 'string', required: true, datatype_description: '例如 LD-0123', order: 1, description: '灯杆编号',
      });
      assert.deepEqual(j.attributes[3].values, [{ key: 'dark', name: '不亮' }, { key: 'flicker', name: '闪烁' }, { key: 'day', name: '白天亮' }]);
      assert.equal(j.attributes[5].automated, 'server_set');
      assert.deepEqual(j.attributes[6], { variable: false, code: 'note_info', datatype: 'text', required: false, order: 7, description: '紧急情况请拨打 12345' });
      const x = (await env.app.inject({ method: 'GET', url: '/open311/v2/services/01037.xml' })).body;
      assert.ok(x.startsWith('<?xml version="1.0" encoding="utf-8"?><service_definition><service_code>01037</service_code><attributes><attribute>'
        + '<variable>true</variable><code>pole_number</code><datatype>string</datatype><required>true</required>'
        + '<datatype_description>例如 LD-0123</datatype_description><order>1</order><description>灯杆编号</description></attribute>'), x);
      assert.ok(x.includes('<values><value><key>dark</key><name>不亮</name></value><value><key>flicker</key>'), x);
      assert.ok(x.includes('<variable>false</variable><code>note_info</code><datatype>text</datatype><required>false</required>'), x);
    });

    test('POST: answers checked against the definition; errors name the attribute, in the requested format; nothing written', async () => {
      const n = await caseCount();
      const cases: [[string, string][], RegExp][] = [
        [[], /attribute\[pole_number\].*required/],
        [[['attribute[pole_number]', 'LD-1'], ['attribute[lamps_out]', 'three']], /attribute\[lamps_out\].*number/],
        [[['attribute[pole_number]', 'LD-1'], ['attribute[noticed_at]', 'yesterday']], /attribute\[noticed_at\].*datetime/],
        [[['attribute[pole_number]', 'LD-1'], ['attribute[kind]', 'broken']], /attribute\[kind\].*not one of/],
        [[['attribute[pole_number]', 'LD-1'], ['attribute[lamp_type]', 'led'], ['attribute[lamp_type]', 'sodium']], /attribute\[lamp_type\].*one value/],
      ];
      for (const [extra, msg] of cases) {
        const r = await post([...base('01037'), ...extra]);
        assert.equal(r.status, 400, r.text);
        assert.equal(r.json[0].code, 400);
        assert.match(r.json[0].description, msg);
      }
      const x = await post(base('01037'), 'xml');
      assert.equal(x.status, 400);
      assert.match(x.text, /<errors><error><code>400<\/code><description>attribute\[pole_number\]/);
      assert.equal(await caseCount(), n);
    });

    test('POST: answers stored on the case (multivaluelist repeated with or without []) and shown by the REST case', async () => {
      const r = await post([...base('01037'),
        ['attribute[pole_number]', 'LD-0123'], ['attribute[lamps_out]', '3'], ['attribute[noticed_at]', '2026-11-25T09:30:00+08:00'],
        ['attribute[kind]', 'dark'], ['attribute[kind][]', 'flicker'], ['attribute[lamp_type]', 'led'],
        ['attribute[fixmystreet_id]', '4711'], ['attribute[note_info]', 'ignored'], ['attribute[asset_id]', 'the server sets it']]);
      assert.equal(r.status, 200, r.text);
      const id = r.json[0].service_request_id;
      const row = await env.db.selectFrom('cases').select(['id', 'attributes']).where('case_no', '=', id).executeTakeFirstOrThrow();
      const stored = JSON.parse(row.attributes!);
      assert.deepEqual(stored.map((a: any) => [a.code, a.values, a.labels]), [
        ['pole_number', ['LD-0123'], ['LD-0123']],
        ['lamps_out', ['3'], ['3']],
        ['noticed_at', ['2026-11-25T09:30:00+08:00'], ['2026-11-25T09:30:00+08:00']],
        ['kind', ['dark', 'flicker'], ['不亮', '闪烁']],
        ['lamp_type', ['led'], ['LED 灯']],
      ]);
      const shown = await operator.get(`/api/v1/cases/${row.id}`);
      assert.equal(shown.status, 200);
      assert.deepEqual(shown.body.attributes[3], { code: 'kind', description: '什么情况？', datatype: 'multivaluelist', values: ['dark', 'flicker'], labels: ['不亮', '闪烁'] });
      // FixMyStreet's own fields (fixmystreet_id), informational and server_set attributes are not taken from the client
      assert.ok(!stored.some((a: any) => ['fixmystreet_id', 'note_info', 'asset_id'].includes(a.code)));
      // A later edit of the questions leaves the report as filed
      assert.equal((await put(admin, '01037', { attributes: [] })).status, 200);
      const after = await operator.get(`/api/v1/cases/${row.id}`);
      assert.equal(after.body.attributes.length, 5);
      const list = JSON.parse((await env.app.inject({ method: 'GET', url: '/open311/v2/services.json' })).body);
      assert.equal(list.find((s: any) => s.service_code === '01037').metadata, false, 'no questions left: metadata=false');
      // and a report without answers is accepted again
      assert.equal((await post(base('01037'))).status, 200);
    });

    test('a report of a matter without questions has no attributes', async () => {
      const r = await post(base('06012'));
      assert.equal(r.status, 200, r.text);
      const row = await env.db.selectFrom('cases').select(['id', 'attributes']).where('case_no', '=', r.json[0].service_request_id).executeTakeFirstOrThrow();
      assert.equal(row.attributes, null);
      assert.deepEqual((await operator.get(`/api/v1/cases/${row.id}`)).body.attributes, []);
    });
  });
}

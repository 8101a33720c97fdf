/**
 * Faults found by running FixMyStreet's Open311 client against us (docs/interop.md), one test each: windows compared
 * at the precision datetimes are shown in; several media_url kept; 1,000 ids in one GET over real HTTP.
 * (The discovery URL's trailing slash and the honest status of cancelled reports: open311.test.ts and
 * open311-updates.test.ts.)
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, T0, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { createApiKey } from '../../src/commands/apikey-create.ts';
import { transitionCase } from '../../src/commands/case-transition.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const admin = { userId: 'u-admin', name: '管理员', roles: ['admin' as const], unitIds: [], regionIds: [] };

for (const store of storesUnderTest()) {
  describe(`open311 faults found with FixMyStreet's client [${store}]`, () => {
    let env: TestEnv;
    let key: string;
    let lat: string;
    let long: string;

    const post = async (fields: [string, string][], format = 'json') => {
      const r = await env.app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, payload: new URLSearchParams(fields).toString(), headers: FORM });
      assert.equal(r.statusCode, 200, r.body);
      return JSON.parse(r.body)[0].service_request_id as string;
    };
    const good = (): [string, string][] => [['api_key', key], ['service_code', '06012'], ['lat', lat], ['long', long], ['description', '路面脏']];
    const listed = async (query: string) => {
      const r = await env.app.inject({ method: 'GET', url: `/open311/v2/requests.json?${query}` });
      assert.equal(r.statusCode, 200, r.body);
      return (JSON.parse(r.body) as { service_request_id: string }[]).map((x) => x.service_request_id);
    };

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      const p = demoPoint(env, 2);
      lat = String(p.lat);
      long = String(p.lon);
      key = (await createApiKey(env.ctx, { name: 'fms' }, null)).key;
    });
    after(async () => env.close());

    test('a request made in the same second as end_date is in the window (it is shown in whole seconds)', async () => {
      env.clock.set(T0 + 123);
      const id = await post(good());
      const r = await env.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json` });
      const shown = JSON.parse(r.body)[0].requested_datetime as string;
      assert.equal(shown, '2026-11-25T10:00:00+08:00');
      const start = encodeURIComponent('2026-11-25T09:00:00+08:00');
      assert.ok((await listed(`start_date=${start}&end_date=${encodeURIComponent(shown)}`)).includes(id));
      assert.ok((await listed(`start_date=${start}&end_date=2026-11-25T02:00:00Z`)).includes(id), 'the same second in UTC');
      assert.ok(!(await listed(`start_date=${start}&end_date=2026-11-25T01:59:59Z`)).includes(id));
    });

    test('start_date and updated_after compare at the shown second too', async () => {
      env.clock.set(T0 + 3_600_000 + 900); // shown as 11:00:00
      const id = await post(good());
      const end = encodeURIComponent('2026-11-25T12:00:00+08:00');
      // start_date 11:00:00.5: the request is shown as 11:00:00, before it
      assert.ok(!(await listed(`start_date=2026-11-25T03:00:00.5Z&end_date=${end}`)).includes(id));
      assert.ok((await listed(`start_date=2026-11-25T03:00:00Z&end_date=${end}`)).includes(id));
      env.clock.set(T0 + 2 * 3_600_000 + 400); // changed at 12:00:00.400, shown as 12:00:00
      await transitionCase(env.ctx, (await env.db.selectFrom('cases').select('id').where('case_no', '=', id).executeTakeFirstOrThrow()).id, { action: 'accept' }, admin);
      const r = await env.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json` });
      assert.equal(JSON.parse(r.body)[0].updated_datetime, '2026-11-25T12:00:00+08:00');
      assert.ok(!(await listed(`updated_after=${encodeURIComponent('2026-11-25T12:00:00+08:00')}`)).includes(id), 'not changed after the second it shows');
      assert.ok((await listed(`updated_after=${encodeURIComponent('2026-11-25T11:59:59+08:00')}`)).includes(id));
    });

    test('media_url repeated: every URL is kept and comes back (XML repeats <media_url>, JSON adds media_urls)', async () => {
      env.clock.set(T0 + 10 * 3_600_000);
      const urls = ['https://fms.example/photo/1.0.full.jpeg', 'https://fms.example/photo/1.1.full.jpeg', 'https://fms.example/photo/1.2.full.jpeg'];
      const id = await post([...good(), ...urls.map((u): [string, string] => ['media_url', u])], 'json');
      const j = JSON.parse((await env.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json` })).body)[0];
      assert.equal(j.media_url, urls[0]);
      assert.deepEqual(j.media_urls, urls);
      assert.equal(j.description, '路面脏');
      const x = (await env.app.inject({ method: 'GET', url: `/open311/v2/requests.xml?service_request_id=${id}` })).body;
      assert.ok(x.includes(urls.map((u) => `<media_url>${u}</media_url>`).join('')), x);
      assert.equal(x.split('<media_url>').length - 1, 3);
      // one URL stays one plain field
      const one = await post([...good(), ['media_url', urls[0]]]);
      const j1 = JSON.parse((await env.app.inject({ method: 'GET', url: `/open311/v2/requests/${one}.json` })).body)[0];
      assert.equal(j1.media_url, urls[0]);
      assert.equal(j1.media_urls, undefined);
      const tooMany = await env.app.inject({
        method: 'POST', url: '/open311/v2/requests.json', headers: FORM,
        payload: new URLSearchParams([...good(), ...Array.from({ length: 11 }, (_, i): [string, string] => ['media_url', `https://x.example/${i}.jpg`])]).toString(),
      });
      assert.equal(tooMany.statusCode, 400);
    });

    test('1,000 ids in one GET requests.xml over real HTTP (the request line is ~17 KB): answered, not 431', async () => {
      env.clock.set(T0 + 11 * 3_600_000);
      const id = await post(good());
      const ids = [...Array.from({ length: 999 }, (_, i) => `${id.slice(0, 8)}${String(900000 + i + 1).padStart(6, '0')}`), id];
      const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
      const qs = new URLSearchParams({ service_request_id: ids.join(','), jurisdiction_id: 'cityops.example' }).toString();
      assert.ok(qs.length > 16 * 1024, `the query is ${qs.length} characters`);
      const r = await fetch(`${address}/open311/v2/requests.xml?${qs}`);
      const body = await r.text();
      assert.equal(r.status, 200, body.slice(0, 300));
      assert.ok(body.includes(`<service_request_id>${id}</service_request_id>`));
      const tooMany = await fetch(`${address}/open311/v2/requests.xml?service_request_id=${[...ids, `${id.slice(0, 8)}999999`].join(',')}`);
      assert.equal(tooMany.status, 400, 'more than 1,000 ids is an Open311 error');
      assert.match(await tooMany.text(), /<errors><error><code>400<\/code><description>service_request_id lists at most 1000/);
    });

    test('a multipart request located by its address_string (no lat/long) is answered, not a crash; a refused one keeps no photo', async () => {
      const boundary = 'o311b';
      const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
      const form = (fields: [string, string][]) => Buffer.concat([
        ...fields.map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n`), png,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const before = Number((await env.db.selectFrom('attachments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const r = await env.app.inject({
        method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: form([['api_key', key], ['service_code', '06012'], ['address_string', '不存在的路 999 号'], ['description', '路面脏']]),
      });
      assert.equal(r.statusCode, 400, r.body);
      assert.match(JSON.parse(r.body)[0].description, /address/);
      const after = Number((await env.db.selectFrom('attachments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      assert.equal(after, before, 'the refused request left no photo behind');
    });
  });
}

/** Open311 GeoReport v2: discovery, services, POST/GET requests, errors in the spec's format, XML and JSON alike. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, T0, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { createApiKey } from '../../src/commands/apikey-create.ts';
import { revokeApiKey } from '../../src/commands/apikey-revoke.ts';
import { createCase } from '../../src/commands/case-create.ts';

const DAY = 86_400_000;
const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

interface Raw { status: number; type: string; text: string; json: any }

/** Text of the first <tag> inside an XML fragment, with the five entities undone. */
function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m?.[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
const xmlItems = (xml: string, tag: string): string[] => [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]);

for (const store of storesUnderTest()) {
  describe(`open311 GeoReport v2 [${store}]`, () => {
    let env: TestEnv;
    let key: string;
    let lat: number;
    let lon: number;
    const timeline: string[] = []; // case numbers created 100, 60, 30 and 1 days before T0

    const get = async (url: string): Promise<Raw> => {
      const r = await env.app.inject({ method: 'GET', url });
      let json: any;
      try { json = JSON.parse(r.body); } catch { /* XML */ }
      return { status: r.statusCode, type: String(r.headers['content-type']), text: r.body, json };
    };
    const post = async (fields: Record<string, string>, format = 'json', headers: Record<string, string> = {}): Promise<Raw> => {
      const r = await env.app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, payload: new URLSearchParams(fields).toString(), headers: { ...FORM, ...headers } });
      let json: any;
      try { json = JSON.parse(r.body); } catch { /* XML */ }
      return { status: r.statusCode, type: String(r.headers['content-type']), text: r.body, json };
    };
    const good = (extra: Record<string, string> = {}) => ({ api_key: key, service_code: '06012', lat: String(lat), long: String(lon), description: '人行道上有垃圾', ...extra });
    const caseCount = async () => Number((await env.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const expectError = async (r: Raw, status: number, format: 'json' | 'xml', includes?: RegExp) => {
      assert.equal(r.status, status, r.text);
      if (format === 'json') {
        assert.match(r.type, /^application\/json; charset=utf-8/);
        assert.ok(Array.isArray(r.json) && r.json.length === 1, r.text);
        assert.equal(r.json[0].code, status);
        if (includes) assert.match(r.json[0].description, includes);
      } else {
        assert.match(r.type, /^text\/xml; charset=utf-8/);
        assert.ok(r.text.startsWith('<?xml version="1.0" encoding="utf-8"?><errors><error><code>'), r.text);
        assert.equal(xmlText(r.text, 'code'), String(status));
        if (includes) assert.match(xmlText(r.text, 'description')!, includes);
      }
    };

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      ({ lat, lon } = demoPoint(env, 5));
      key = (await createApiKey(env.ctx, { name: '市民随手拍 app' }, null)).key;
      // Older cases first, so ids keep growing with time as they do in production.
      for (const daysAgo of [100, 60, 30, 1]) {
        env.clock.set(T0 - daysAgo * DAY);
        const r = await post(good({ description: `${daysAgo} 天前的上报` }));
        assert.equal(r.status, 200, r.text);
        timeline.push(r.json[0].service_request_id);
      }
      env.clock.set(T0);
    });
    after(async () => env.close());

    test('discovery in JSON and XML', async () => {
      const j = await get('/open311/discovery.json');
      assert.equal(j.status, 200);
      assert.match(j.type, /^application\/json; charset=utf-8/);
      assert.ok(j.json.contact && j.json.key_service);
      assert.ok(Date.parse(j.json.changeset) <= T0);
      const ep = j.json.endpoints[0];
      assert.equal(ep.specification, 'http://wiki.open311.org/GeoReport_v2');
      // with its trailing slash: clients append services.xml to the path as it stands (FixMyStreet's Open311.pm)
      assert.match(ep.url, /\/open311\/v2\/$/);
      const listed = await get(`${new URL(ep.url).pathname}services.xml`);
      assert.equal(listed.status, 200, listed.text);
      assert.deepEqual(ep.formats, ['text/xml', 'application/json']);
      const x = await get('/open311/discovery.xml');
      assert.match(x.type, /^text\/xml; charset=utf-8/);
      assert.ok(x.text.startsWith('<?xml version="1.0" encoding="utf-8"?><discovery>'));
      assert.deepEqual(xmlItems(x.text, 'format'), ['text/xml', 'application/json']);
      await expectError(await get('/open311/discovery.html'), 404, 'xml');
    });

    test('services from the matter catalogue, the same in both formats', async () => {
      const matters = [...env.ctx.ref.current().matters.values()].filter((m) => m.kind === 'matter');
      const j = await get('/open311/v2/services.json');
      assert.equal(j.status, 200);
      assert.equal(j.json.length, matters.length);
      for (const s of j.json) {
        assert.equal(typeof s.service_code, 'string');
        assert.match(s.service_code, /^\d{5}$/);
        // the demo city asks extra questions for these three matters only
        assert.equal(s.metadata, ['01001', '01037', '06010'].includes(s.service_code), s.service_code);
        assert.equal(s.type, 'realtime');
        assert.ok(s.group && s.service_name);
      }
      const road = j.json.find((s: any) => s.service_code === '06012');
      assert.equal(road.service_name, env.ctx.ref.current().matters.get('06012')!.name);
      const x = await get('/open311/v2/services.xml');
      const items = xmlItems(x.text, 'service');
      assert.equal(items.length, matters.length);
      const xroad = items.find((i) => xmlText(i, 'service_code') === '06012')!;
      assert.equal(xmlText(xroad, 'service_name'), road.service_name);
      assert.equal(xmlText(xroad, 'group'), road.group);
      assert.equal(xmlText(xroad, 'metadata'), 'false');
    });

    test('service definition, and 404 for an unknown code in either format', async () => {
      assert.deepEqual((await get('/open311/v2/services/06012.json')).json, { service_code: '06012', attributes: [] });
      const x = await get('/open311/v2/services/06012.xml');
      assert.ok(x.text.includes('<service_definition><service_code>06012</service_code><attributes></attributes></service_definition>'), x.text);
      await expectError(await get('/open311/v2/services/99999.json'), 404, 'json', /99999/);
      await expectError(await get('/open311/v2/services/99999.xml'), 404, 'xml', /99999/);
    });

    test('POST with a valid key → a case number; GET shows it open, with agency and expected time, and no personal data', async () => {
      const r = await post(good({ first_name: '小明', last_name: '王', phone: '13812345678', email: 'wang@example.cn' }));
      assert.equal(r.status, 200, r.text);
      const id = r.json[0].service_request_id;
      assert.match(id, /^\d{14,}$/);
      const row = (await env.db.selectFrom('cases').selectAll().where('case_no', '=', id).executeTakeFirst())!;
      assert.equal(row.channel, 'open311');
      assert.equal(row.reporter_name, '王小明');
      assert.equal(row.reporter_phone, '13812345678');
      const unit = env.ctx.ref.current().units.get(row.routed_unit_id!)!.name;
      assert.ok(r.json[0].service_notice.includes(unit), r.json[0].service_notice);
      assert.match(r.json[0].service_notice, /前派遣处置/);

      const g = await get(`/open311/v2/requests/${id}.json`);
      assert.equal(g.status, 200);
      const sr = g.json[0];
      assert.equal(sr.status, 'open');
      assert.equal(sr.status_notes, '已上报 / Reported');
      assert.equal(sr.agency_responsible, unit);
      assert.equal(sr.service_code, '06012');
      assert.equal(sr.requested_datetime, '2026-11-25T10:00:00+08:00');
      assert.match(sr.expected_datetime, /^2026-11-2\dT\d\d:\d\d:\d\d\+08:00$/);
      assert.equal(Date.parse(sr.expected_datetime), Number(row.stage_due_at));
      assert.equal(sr.lat, lat);
      assert.equal(sr.long, lon);
      for (const secret of ['王小明', '小明', '13812345678', 'wang@example.cn']) assert.ok(!g.text.includes(secret), `leaked ${secret}`);
      const x = await get(`/open311/v2/requests/${id}.xml`);
      assert.equal(xmlItems(x.text, 'request').length, 1);
      assert.equal(xmlText(x.text, 'agency_responsible'), unit);
    });

    test('no key, a wrong key or a revoked key → 403 in the requested format; nothing written', async () => {
      const n = await caseCount();
      const { api_key: _k, ...noKey } = good();
      await expectError(await post(noKey), 403, 'json', /api_key/);
      await expectError(await post(noKey, 'xml'), 403, 'xml', /api_key/);
      await expectError(await post(good({ api_key: 'cok_abcdefgh_not-a-real-key' })), 403, 'json');
      const revoked = await createApiKey(env.ctx, { name: 'old app' }, null);
      await revokeApiKey(env.ctx, revoked.id, null);
      await expectError(await post(good({ api_key: revoked.key }), 'xml'), 403, 'xml');
      assert.equal(await caseCount(), n);
    });

    test('address_string without lat/long is geocoded with the local gazetteer', async () => {
      const place = await env.db.selectFrom('places').selectAll().where('kind', '=', 'compound').orderBy('id').limit(1).executeTakeFirstOrThrow();
      const { lat: _a, long: _b, ...noPoint } = good();
      const r = await post({ ...noPoint, address_string: place.name });
      assert.equal(r.status, 200, r.text);
      const id = r.json[0].service_request_id;
      const row = await env.db.selectFrom('cases').select(['lon', 'lat', 'address']).where('case_no', '=', id).executeTakeFirstOrThrow();
      assert.ok(Math.abs(Number(row.lon) - Number(place.lon)) < 1e-6 && Math.abs(Number(row.lat) - Number(place.lat)) < 1e-6, 'the case sits at the compound');
      assert.equal(row.address, place.name);
    });

    test('bad input: 404 unknown service, 400 for the rest, each naming the argument; nothing written', async () => {
      const n = await caseCount();
      await expectError(await post(good({ service_code: '99999' })), 404, 'json', /service_code/);
      const { service_code: _s, ...noService } = good();
      await expectError(await post(noService, 'xml'), 400, 'xml', /service_code/);
      await expectError(await post(good({ description: '长'.repeat(4001) })), 400, 'json', /4000/);
      const { long: _l, ...latOnly } = good();
      await expectError(await post(latOnly), 400, 'json', /lat and long/);
      const { lat: _a, long: _b, ...noPoint } = good();
      await expectError(await post({ ...noPoint, address_string: '火星基地一号' }), 400, 'json', /address.*gazetteer/);
      await expectError(await post(noPoint), 400, 'json', /lat and long/);
      await expectError(await post(good({ lat: '30', long: '100' })), 400, 'json', /outside the city's grid/);
      await expectError(await post(good({ lat: 'north' })), 400, 'json', /lat/);
      await expectError(await post(good({ lat: '95' }), 'xml'), 400, 'xml', /lat/);
      await expectError(await post(good({ phone: 'call me maybe' })), 400, 'json', /phone/);
      await expectError(await post(good({ media_url: 'javascript:alert(1)' })), 400, 'json', /media_url/);
      const text = await env.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: 'hello', headers: { 'content-type': 'text/plain' } });
      assert.equal(text.statusCode, 400);
      assert.equal(await caseCount(), n);
      // 4,000 characters is still fine
      assert.equal((await post(good({ description: '长'.repeat(4000) }))).status, 200);
    });

    test('Chinese text and markup characters round-trip intact in XML and JSON; media_url comes back', async () => {
      const text = '井盖缺失 <危险> & "小心" \'绕行\' 🚧\n第二行';
      const r = await post(good({ description: text, media_url: 'https://img.example.cn/a.jpg?x=1&y=2' }), 'xml');
      assert.equal(r.status, 200, r.text);
      assert.match(r.type, /^text\/xml; charset=utf-8/);
      const id = xmlText(r.text, 'service_request_id')!;
      const x = await get(`/open311/v2/requests/${id}.xml`);
      assert.equal(xmlText(x.text, 'description'), text);
      assert.equal(xmlText(x.text, 'media_url'), 'https://img.example.cn/a.jpg?x=1&y=2');
      assert.ok(!/<[^>]*危险/.test(x.text.replace(/&lt;危险&gt;/, '')), 'markup is escaped');
      const j = await get(`/open311/v2/requests/${id}.json`);
      assert.equal(j.json[0].description, text);
      assert.equal(j.json[0].media_url, 'https://img.example.cn/a.jpg?x=1&y=2');
    });

    test('a hotline case is listed without its text and without the caller', async () => {
      const c = await createCase(env.ctx, {
        channel: 'hotline', matterCode: '06012', description: '张三举报邻居占道，电话13900001111', location: { lon, lat },
        reporter: { name: '张三', phone: '13900001111' },
      }, { userId: 'u-op', roles: ['operator'], unitIds: [], regionIds: [] });
      const g = await get(`/open311/v2/requests/${c.row.case_no}.json`);
      assert.equal(g.status, 200);
      assert.equal(g.json[0].description, undefined);
      assert.ok(!g.text.includes('张三') && !g.text.includes('13900001111'));
    });

    test('extension: multipart POST with a photo in "media" → the photo is attached to the case', async () => {
      const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2048, 7)]);
      const send = async (fields: Record<string, string>, content?: Buffer, headers: Record<string, string> = {}): Promise<Raw> => {
        const b = `b${Math.random().toString(16).slice(2)}`;
        const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
        if (content) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="media"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), content, Buffer.from('\r\n'));
        parts.push(Buffer.from(`--${b}--\r\n`));
        const r = await env.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${b}`, ...headers } });
        return { status: r.statusCode, type: String(r.headers['content-type']), text: r.body, json: JSON.parse(r.body) };
      };
      const photos = async () => Number((await env.db.selectFrom('attachments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const n0 = await photos();
      const { api_key: _k, ...noKey } = good();
      await expectError(await send(noKey, jpeg), 403, 'json');
      await expectError(await send(good({ service_code: '99999' }), jpeg), 404, 'json');
      await expectError(await send(good({ lat: '30', long: '100' }), jpeg), 400, 'json', /grid/);
      assert.equal(await photos(), n0, 'a refused request stores no photo');
      await expectError(await send(good(), Buffer.from('MZ not a picture')), 400, 'json', /image/);
      const h = { 'idempotency-key': 'multipart-1' };
      const ok = await send(good({ description: '路灯不亮，附照片' }), jpeg, h);
      assert.equal(ok.status, 200, ok.text);
      const id = ok.json[0].service_request_id;
      const row = (await env.db.selectFrom('cases').select(['id', 'description']).where('case_no', '=', id).executeTakeFirst())!;
      assert.equal(row.description, '路灯不亮，附照片');
      const linked = await env.db.selectFrom('attachments').select('id').where('case_id', '=', row.id).execute();
      assert.equal(linked.length, 1);
      const again = await send(good({ description: '路灯不亮，附照片' }), jpeg, h);
      assert.equal(again.json[0].service_request_id, id, 'a retry returns the first request');
      assert.equal(await photos(), n0 + 1, 'the non-image left nothing; the retry stored no second photo');
      // The same key with other content is refused (the intake contract compares it), and stores nothing.
      await expectError(await send(good({ description: '别的内容' }), jpeg, h), 400, 'json', /Idempotency-Key/);
      assert.equal(await photos(), n0 + 1);
    });

    test('unknown request or format → 404 in Open311 format', async () => {
      await expectError(await get('/open311/v2/requests/20990101999999.json'), 404, 'json');
      await expectError(await get('/open311/v2/requests/20990101999999.xml'), 404, 'xml');
      await expectError(await get(`/open311/v2/requests/${timeline[0]}.csv`), 404, 'xml');
      await expectError(await get('/open311/v2/requests.html'), 404, 'xml');
      await expectError(await get('/open311/v2/tokens/abc.json'), 404, 'json');
    });

    test('an Idempotency-Key makes a retry return the same request', async () => {
      const h = { 'idempotency-key': 'app-device-7-report-42' };
      const a = await post(good(), 'json', h);
      const b = await post(good(), 'json', h);
      assert.equal(a.status, 200);
      assert.equal(b.json[0].service_request_id, a.json[0].service_request_id);
      await expectError(await post(good({ description: '别的内容' }), 'json', h), 400, 'json', /Idempotency-Key/);
    });

    test('status=closed lists a cancelled request, with its close time; status=open does not', async () => {
      const r = await post(good({ description: '重复上报' }));
      const id = r.json[0].service_request_id;
      env.clock.advance(3_600_000);
      const op = await userClient(env.app, env.ctx, 'operator');
      const rej = await op.post(`/api/v1/cases/${id}/reject`, { reason: '与已有案件重复', rejectKind: 'invalid' });
      assert.equal(rej.status, 200, JSON.stringify(rej.body));
      const closed = await get('/open311/v2/requests.json?status=closed');
      const sr = closed.json.find((x: any) => x.service_request_id === id);
      assert.ok(sr, closed.text);
      assert.equal(sr.status, 'closed');
      // says why it was closed: a rejected report is not "fixed" (open311.status.ts)
      assert.equal(sr.status_notes, '不予受理：经审核不是有效诉求 / Not accepted: not a valid report');
      assert.equal(sr.updated_datetime, '2026-11-25T11:00:00+08:00');
      assert.equal(sr.expected_datetime, undefined);
      assert.ok(closed.json.every((x: any) => x.status === 'closed'));
      const open = await get('/open311/v2/requests.xml?status=open');
      assert.ok(!xmlItems(open.text, 'service_request_id').includes(id));
      assert.ok(xmlItems(open.text, 'status').every((s) => s === 'open'));
      // updated_after: only what changed since just before the rejection
      const since = await get(`/open311/v2/requests.json?updated_after=${encodeURIComponent('2026-11-25T10:30:00+08:00')}`);
      assert.deepEqual(since.json.map((x: any) => x.service_request_id), [id]);
      env.clock.set(T0);
    });

    test('a request linked as a duplicate shows its master\'s progress, in both formats', async () => {
      await env.ctx.store.duplicates.saveDuplicatePolicy({ enabled: true });
      try {
        const p = demoPoint(env, 9);
        const at = { lat: String(p.lat), long: String(p.lon) };
        const a = (await post(good({ ...at, description: '路口垃圾桶满溢' }))).json[0].service_request_id;
        const b = (await post(good({ ...at, description: '路口垃圾没人收' }))).json[0].service_request_id;
        const one = await get(`/open311/v2/requests/${b}.json`);
        assert.equal(one.json[0].service_request_id, b);
        assert.equal(one.json[0].status, 'open');
        assert.match(one.json[0].status_notes, new RegExp(`${a}`));
        assert.equal(one.json[0].description, '路口垃圾没人收', 'its own text stays');
        const xml = await get(`/open311/v2/requests/${b}.xml`);
        assert.match(xmlText(xml.text, 'status_notes')!, new RegExp(a));
        const op = await userClient(env.app, env.ctx, 'operator');
        const rej = await op.post(`/api/v1/cases/${a}/reject`, { reason: '经核实已处理', rejectKind: 'invalid' });
        assert.equal(rej.status, 200, JSON.stringify(rej.body));
        const after = await get(`/open311/v2/requests/${b}.json`);
        assert.equal(after.json[0].status, 'closed', 'the master closed, so its duplicate reads closed');
      } finally {
        await env.ctx.store.duplicates.saveDuplicatePolicy({ enabled: false });
      }
    });

    test('date window: default last 90 days, explicit windows, > 90 days → 400', async () => {
      const ids = (r: Raw) => r.json.map((x: any) => x.service_request_id);
      const all = await get('/open311/v2/requests.json');
      assert.ok(!ids(all).includes(timeline[0]), 'the 100-day-old request is outside the default window');
      assert.ok(timeline.slice(1).every((t) => ids(all).includes(t)));
      const newestFirst = ids(all).map((x: string) => BigInt(x));
      assert.deepEqual([...newestFirst].sort((a, b) => (a < b ? 1 : -1)), newestFirst);
      const w = await get(`/open311/v2/requests.json?start_date=2026-08-01T00:00:00%2B08:00&end_date=2026-10-01T00:00:00Z`);
      assert.deepEqual(ids(w), [timeline[1], timeline[0]]);
      const startOnly = await get('/open311/v2/requests.json?start_date=2026-10-20');
      assert.deepEqual(ids(startOnly).slice(-2), [timeline[3], timeline[2]]);
      assert.ok(!ids(startOnly).includes(timeline[1]));
      await expectError(await get('/open311/v2/requests.json?start_date=2026-08-01T00:00:00Z&end_date=2026-11-25T00:00:00Z'), 400, 'json', /90/);
      await expectError(await get('/open311/v2/requests.xml?start_date=2026-08-01T00:00:00Z&end_date=2026-11-25T00:00:00Z'), 400, 'xml', /90/);
      await expectError(await get('/open311/v2/requests.json?start_date=yesterday'), 400, 'json', /start_date/);
      await expectError(await get('/open311/v2/requests.json?start_date=2026-11-01T00:00:00'), 400, 'json', /time zone/);
      await expectError(await get('/open311/v2/requests.json?status=pending'), 400, 'json', /status/);
      // empty arguments are ignored
      assert.equal((await get('/open311/v2/requests.json?start_date=&status=&page_size=')).status, 200);
    });

    test('service_request_id overrides every other filter; service_code filters', async () => {
      const r = await get(`/open311/v2/requests.json?service_request_id=${timeline[0]},${timeline[2]}&status=closed&service_code=09009&end_date=2020-01-01T00:00:00Z`);
      assert.deepEqual(r.json.map((x: any) => x.service_request_id).sort(), [timeline[0], timeline[2]].sort());
      const none = await get('/open311/v2/requests.json?service_code=09009');
      assert.deepEqual(none.json, []);
      const some = await get('/open311/v2/requests.xml?service_code=09009,06012');
      assert.ok(xmlItems(some.text, 'request').length >= 3);
      assert.ok(xmlItems(some.text, 'service_code').every((c) => c === '06012'));
    });

    test('page and page_size walk the list without overlap', async () => {
      const all = (await get('/open311/v2/requests.json')).json.map((x: any) => x.service_request_id);
      assert.ok(all.length >= 5);
      const p1 = (await get('/open311/v2/requests.json?page_size=2')).json.map((x: any) => x.service_request_id);
      const p2 = (await get('/open311/v2/requests.json?page_size=2&page=2')).json.map((x: any) => x.service_request_id);
      assert.deepEqual([...p1, ...p2], all.slice(0, 4));
      await expectError(await get('/open311/v2/requests.json?page_size=1001'), 400, 'json', /page_size/);
      await expectError(await get('/open311/v2/requests.json?page=0'), 400, 'json', /page/);
    });

    test('a list is never stale: a new request shows at once, even within the same second', async () => {
      const before = await get('/open311/v2/requests.json?page_size=1');
      const r = await post(good({ description: '刚刚上报' }));
      const after = await get('/open311/v2/requests.json?page_size=1');
      assert.notEqual(before.json[0].service_request_id, r.json[0].service_request_id);
      assert.equal(after.json[0].service_request_id, r.json[0].service_request_id);
    });

    test('the Open311 error format and form parser stay inside /open311', async () => {
      const r = await env.app.inject({ method: 'GET', url: '/api/v1/nope' });
      assert.equal(JSON.parse(r.body).error.code, 'NOT_FOUND');
      const login = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: 'username=a&password=b', headers: FORM });
      assert.equal(login.statusCode, 415);
      assert.equal(JSON.parse(login.body).error.code, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });
}

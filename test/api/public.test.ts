/**
 * The citizen portal's public API (src/http/routes/public): report without signing in (multipart, photo, through
 * the intake pipeline as channel app), a tracking code shown once (hash stored), idempotent retries, following a
 * case by its number without any personal data, rating once after closure (403 wrong code, 409 open / rated),
 * per-address limits (429); and the intake form's duplicates preview (case.read).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer; mime?: string };

function form(parts: Part[]) {
  const boundary = '----portal' + Math.random().toString(16).slice(2);
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('value' in p) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    else chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.mime ?? 'image/png'}\r\n\r\n`), p.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

for (const store of storesUnderTest()) {
  describe(`citizen portal [${store}]`, () => {
    let env: TestEnv;
    let point: { lon: number; lat: number };
    let leader: Client, operator: Client;

    const report = async (parts: Part[], headers: Record<string, string> = {}) => {
      const { payload, contentType } = form(parts);
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/public/reports', payload, headers: { 'content-type': contentType, ...headers } });
      let body: any = r.body;
      try { body = JSON.parse(r.body); } catch { /* not JSON */ }
      return { status: r.statusCode, body };
    };
    const fields = (over: Record<string, string | undefined> = {}): Part[] =>
      Object.entries({ matterCode: '06010', lon: String(point.lon), lat: String(point.lat), description: '小区门口垃圾堆了三天没人清', phone: '13912345678', ...over })
        .filter((e): e is [string, string] => e[1] !== undefined).map(([name, value]) => ({ name, value }));
    const count = async (table: 'cases' | 'attachments') =>
      Number((await env.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      env = await createDemoEnv(store, { duplicates: true });
      await loadGridPoints(env);
      point = demoPoint(env, 3);
      leader = await userClient(env.app, env.ctx, 'shift_leader');
      operator = await userClient(env.app, env.ctx, 'operator');
    });
    after(async () => env.close());

    test('the list of common problems and the street outlines need no sign-in', async () => {
      const m = await request(env.app, 'GET', '/api/v1/public/matters');
      assert.equal(m.status, 200);
      assert.ok(m.body.items.length >= 10);
      assert.deepEqual(m.body.items[0], { code: '06010', name: '暴露垃圾', className: '市容环境类', classCode: '06', featured: true });
      const g = await request(env.app, 'GET', '/api/v1/public/regions.geojson?level=street');
      assert.equal(g.status, 200);
      assert.ok(g.body.features.length > 0);
      assert.deepEqual(Object.keys(g.body.features[0].properties).sort(), ['id', 'level', 'name']);
      assert.equal((await request(env.app, 'GET', '/api/v1/public/regions.geojson?level=grid')).status, 400);
    });

    test('report → case (channel app) with the photo; code shown once, only its hash stored; a retry is the same case', async () => {
      const before = await count('cases');
      const key = 'portal-test-key-0001';
      const r = await report([...fields(), { name: 'photo', filename: 'p.png', content: PNG }], { 'idempotency-key': key });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.match(r.body.caseNo, /^\d+/);
      assert.match(r.body.trackingCode, /^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
      assert.equal(r.body.status, 'open');
      assert.equal(r.body.stageLabel.zh, '已收到您的反映');
      assert.equal(r.body.matter.name, '暴露垃圾');
      assert.equal(r.body.duplicate, false);
      assert.ok(r.body.street);
      const c = await env.db.selectFrom('cases').selectAll().where('case_no', '=', r.body.caseNo).executeTakeFirstOrThrow();
      assert.equal(c.channel, 'app');
      assert.equal(c.matter_code, '06010');
      assert.equal(c.state, 'REPORTED');
      assert.ok(Math.abs(Number(c.lon) - point.lon) < 1e-9 && Math.abs(Number(c.lat) - point.lat) < 1e-9);
      assert.equal(c.reporter_phone, '13912345678');
      assert.equal(Number(c.needs_callback), 1);
      const atts = await env.db.selectFrom('attachments').select('id').where('case_id', '=', c.id).execute();
      assert.equal(atts.length, 1);
      const stored = await env.db.withTables<{ public_reports: { case_id: number; code_hash: string } }>()
        .selectFrom('public_reports').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
      assert.notEqual(stored.code_hash, r.body.trackingCode);
      assert.ok(!JSON.stringify(stored).includes(r.body.trackingCode.replace('-', '')), 'the code itself is not stored');
      // a double submit: same case, same code, no second case, no stray photo
      const attsBefore = await count('attachments');
      const again = await report([...fields(), { name: 'photo', filename: 'p.png', content: PNG }], { 'idempotency-key': key });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.caseNo, r.body.caseNo);
      assert.equal(again.body.trackingCode, r.body.trackingCode);
      assert.equal(await count('cases'), before + 1);
      assert.equal(await count('attachments'), attsBefore);
      // same key, other content → 409
      const other = await report(fields({ description: '别的事' }), { 'idempotency-key': key });
      assert.equal(other.status, 409, JSON.stringify(other.body));
    });

    test('bad input is a 400 naming the field; nothing written, photos removed', async () => {
      const cases = await count('cases');
      const atts = await count('attachments');
      for (const [over, field] of [
        [{ matterCode: undefined }, 'matterCode'], [{ matterCode: '99999' }, 'matterCode'], [{ description: ' ' }, 'description'],
        [{ lon: undefined, lat: undefined }, 'location'], [{ lat: undefined }, 'lat'], [{ lon: 'east' }, 'lon'], [{ phone: '12345' }, 'phone'],
      ] as [Record<string, string | undefined>, string][]) {
        const r = await report([...fields(over), { name: 'photo', filename: 'p.png', content: PNG }], { 'x-forwarded-for': '10.0.0.2' });
        assert.equal(r.status, 400, `${field}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.field, field);
      }
      const notImage = await report([...fields(), { name: 'photo', filename: 'x.png', content: Buffer.from('hello world, not an image') }], { 'x-forwarded-for': '10.0.0.2' });
      assert.equal(notImage.status, 415);
      assert.equal(notImage.body.error.field, 'photo');
      const outside = await report(fields({ lon: '100.0', lat: '20.0' }), { 'x-forwarded-for': '10.0.0.2' });
      assert.equal(outside.status, 422);
      const json = await request(env.app, 'POST', '/api/v1/public/reports', { body: { matterCode: '06010' }, headers: { 'x-forwarded-for': '10.0.0.2' } });
      assert.equal(json.status, 415);
      assert.equal(await count('cases'), cases);
      assert.equal(await count('attachments'), atts);
    });

    test('follow by number: plain stages, no personal data; a nearby second report is handled together', async () => {
      const r = await report(fields({ description: '垃圾堆 我是张三 13800001111' }), { 'x-forwarded-for': '10.0.0.3' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      // the first report (same matter, same point) is its master
      assert.equal(r.body.duplicate, true);
      assert.equal(r.body.mergedWithOthers, true);
      const v = await request(env.app, 'GET', `/api/v1/public/cases/${r.body.caseNo}`);
      assert.equal(v.status, 200);
      const text = JSON.stringify(v.body);
      for (const secret of ['13800001111', '13912345678', '张三', '垃圾堆', 'reporter', 'description', 'unit', r.body.trackingCode]) {
        assert.ok(!text.includes(secret), `public view leaks ${secret}: ${text}`);
      }
      assert.equal(v.body.status, 'open');
      assert.ok(v.body.steps.length >= 1);
      assert.equal(v.body.steps[0].label.zh, '已收到您的反映');
      assert.equal((await request(env.app, 'GET', '/api/v1/public/cases/20990101999999')).status, 404);
      assert.equal((await request(env.app, 'GET', '/api/v1/public/cases/a%20b')).status, 400);
    });

    test('rating: 403 wrong code, 409 while open, once after closing, 409 again', async () => {
      const r = await report(fields({ matterCode: '06028', description: '夜里施工噪声' }), { 'x-forwarded-for': '10.0.0.4', 'idempotency-key': 'rate-key-00001' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const url = `/api/v1/public/cases/${r.body.caseNo}/rating`;
      const wrong = await request(env.app, 'POST', url, { body: { code: 'AAAAA-AAAAA', rating: 'satisfied' }, headers: { 'x-forwarded-for': '10.0.0.4' } });
      assert.equal(wrong.status, 403);
      assert.equal(wrong.body.error.field, 'code');
      const open = await request(env.app, 'POST', url, { body: { code: r.body.trackingCode, rating: 'satisfied' }, headers: { 'x-forwarded-for': '10.0.0.4' } });
      assert.equal(open.status, 409, JSON.stringify(open.body));
      const bad = await request(env.app, 'POST', url, { body: { code: r.body.trackingCode, rating: 'great' } });
      assert.equal(bad.status, 400);
      // the centre closes it
      const c = await env.db.selectFrom('cases').select('id').where('case_no', '=', r.body.caseNo).executeTakeFirstOrThrow();
      const closed = await leader.post(`/api/v1/cases/${c.id}/close`, { closureType: 'special', reason: '已现场处理' });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      const before = await request(env.app, 'GET', `/api/v1/public/cases/${r.body.caseNo}`);
      assert.equal(before.body.status, 'closed');
      assert.equal(before.body.ratable, true);
      // lower case and without the dash is the same code
      const ok = await request(env.app, 'POST', url, { body: { code: r.body.trackingCode.toLowerCase().replace('-', ''), rating: 'basically_satisfied', comment: '处理及时' } });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.rating.value, 'basically_satisfied');
      assert.equal(ok.body.ratable, false);
      const twice = await request(env.app, 'POST', url, { body: { code: r.body.trackingCode, rating: 'unsatisfied' } });
      assert.equal(twice.status, 409);
      assert.equal((await request(env.app, 'GET', `/api/v1/public/cases/${r.body.caseNo}`)).body.rating.value, 'basically_satisfied');
      // a case not reported on the portal has no code that could match
      const staff = await operator.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: '热线', location: (({ lon, lat }) => ({ lon, lat }))(demoPoint(env, 9)) });
      assert.equal(staff.status, 201, JSON.stringify(staff.body));
      const none = await request(env.app, 'POST', `/api/v1/public/cases/${staff.body.caseNo}/rating`, { body: { code: 'AAAAA-AAAAA', rating: 'satisfied' } });
      assert.equal(none.status, 403);
    });

    test('per-address limits: 429 after too many reports or wrong codes', async () => {
      const ip = { 'x-forwarded-for': '10.9.9.9' };
      let last = 0;
      for (let i = 0; i < 21; i++) last = (await report(fields({ matterCode: undefined }), ip)).status;
      assert.equal(last, 429);
      assert.equal((await report(fields({ matterCode: undefined }), { 'x-forwarded-for': '10.9.9.8' })).status, 400, 'other addresses unaffected');
      const v = await request(env.app, 'GET', '/api/v1/public/matters');
      assert.equal(v.status, 200);
      const some = (await env.db.selectFrom('cases').select('case_no').executeTakeFirstOrThrow()).case_no;
      let status = 0;
      for (let i = 0; i < 11; i++) {
        status = (await request(env.app, 'POST', `/api/v1/public/cases/${some}/rating`, { body: { code: 'WRONG', rating: 'satisfied' }, headers: { 'x-forwarded-for': '10.9.9.7' } })).status;
      }
      assert.equal(status, 429);
    });

    test('duplicates preview (case.read): open cases of the matter nearby, the master a save would link to', async () => {
      const url = `/api/v1/duplicates/preview?matterCode=06010&lon=${point.lon}&lat=${point.lat}`;
      assert.equal((await request(env.app, 'GET', url)).status, 401);
      const r = await operator.get(url);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.policy.enabled, true);
      assert.ok(r.body.items.length >= 1);
      assert.equal(r.body.items[0].distanceMeters, 0);
      assert.ok(r.body.master);
      assert.ok(r.body.items.every((i: { matter: { code: string }; state: string }) => i.matter.code === '06010' && i.state !== 'CANCELLED'));
      const other = await operator.get(`/api/v1/duplicates/preview?matterCode=09006&lon=${point.lon}&lat=${point.lat}`);
      assert.deepEqual(other.body.items, []);
      assert.equal(other.body.master, null);
      const bad = await operator.get(`/api/v1/duplicates/preview?matterCode=99999&lon=${point.lon}&lat=${point.lat}`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'matterCode');
      assert.equal((await operator.get('/api/v1/duplicates/preview?matterCode=06010&lon=200&lat=31')).status, 400);
    });
  });
}

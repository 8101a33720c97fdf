/**
 * Input limits every route gets (src/http/middleware/input-guard.ts and the error mapper): each of these answered
 * 500 before — on PostgreSQL for NUL characters and out-of-range numbers, on both stores for malformed multipart
 * bodies and an empty user patch. Each must be a 400 in our error shape naming the field (Open311's own shape
 * under /open311).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';
import { createApiKey } from '../../src/commands/apikey-create.ts';

const BAD_MULTIPART: [string, string, string][] = [
  ['no boundary', 'multipart/form-data', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'],
  ['wrong boundary', 'multipart/form-data; boundary=other', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'],
  ['truncated', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff'],
];

const isOurError = (body: any, field?: string) => {
  assert.equal(typeof body?.error?.code, 'string', JSON.stringify(body));
  assert.equal(typeof body?.error?.message, 'string');
  if (field) assert.equal(body.error.field, field, JSON.stringify(body));
};

for (const store of storesUnderTest()) {
  describe(`input limits on every route [${store}]`, () => {
    let env: TestEnv;
    let admin: Client;
    let inspector: Client;
    let apiKey: string;

    before(async () => {
      env = await createDemoEnv(store);
      admin = await userClient(env.app, env.ctx, 'admin');
      inspector = await userClient(env.app, env.ctx, 'inspector');
      apiKey = (await createApiKey(env.ctx, { name: 'limits' }, null)).key;
    });
    after(async () => env.close());

    test('a NUL character in a body field, a query parameter or a path id is a 400 naming it', async () => {
      const login = await request(env.app, 'POST', '/api/v1/auth/login', { body: { username: 'ad\u0000min', password: 'x' } });
      assert.equal(login.status, 400);
      isOurError(login.body, 'username');
      const list = await admin.get(`/api/v1/cases?q=${encodeURIComponent('a\u0000b')}`);
      assert.equal(list.status, 400);
      isOurError(list.body, 'q');
      const one = await admin.get(`/api/v1/attachments/${encodeURIComponent('a\u0000')}`);
      assert.equal(one.status, 400);
      isOurError(one.body, 'id');
      const nested = await admin.post('/api/v1/kb', { title: 't', body: 'b', keywords: ['x\u0000'] });
      assert.equal(nested.status, 400);
      assert.match(nested.body.error.field, /^keywords/);
      const o311 = await env.app.inject({ method: 'GET', url: `/open311/v2/requests.json?service_code=${encodeURIComponent('06\u0000')}` });
      assert.equal(o311.statusCode, 400);
      assert.match(JSON.parse(o311.body)[0].description, /service_code/);
    });

    test('numbers beyond what a column holds are a 400, not a database error', async () => {
      for (const url of ['/api/v1/cases?beforeId=1e999', '/api/v1/rules/versions/9007199254740993', '/api/v1/rules/versions/3000000000']) {
        const r = await admin.get(url);
        assert.equal(r.status, 400, `${url}: ${JSON.stringify(r.body)}`);
        isOurError(r.body);
      }
      const kb = await request(env.app, 'PUT', '/api/v1/kb/1e999', { body: { title: 't', body: 'b' }, headers: admin.headers });
      assert.equal(kb.status, 400, JSON.stringify(kb.body));
      isOurError(kb.body, 'id');
      const merge = await admin.post('/api/v1/cases/1/merge-into', { masterCaseId: 1e308 });
      assert.equal(merge.status, 400, JSON.stringify(merge.body));
      isOurError(merge.body, 'masterCaseId');
    });

    test('an empty user patch is refused, not sent to the database', async () => {
      const r = await request(env.app, 'PATCH', `/api/v1/users/${admin.userId}`, { body: {}, headers: admin.headers });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      isOurError(r.body);
    });

    test('a malformed multipart body is a 400 on every upload route', async () => {
      for (const [name, contentType, payload] of BAD_MULTIPART) {
        for (const [url, who] of [['/api/v1/public/reports', admin], ['/api/v1/attachments', admin], ['/api/v1/patrol/reports', inspector]] as const) {
          const r = await env.app.inject({ method: 'POST', url, payload: Buffer.from(payload, 'latin1'), headers: { ...who.headers, 'content-type': contentType } });
          assert.equal(r.statusCode, 400, `${url} ${name}: ${r.body}`);
          isOurError(JSON.parse(r.body), 'body');
        }
        const o = await env.app.inject({
          method: 'POST', url: '/open311/v2/requests.json', payload: Buffer.from(payload, 'latin1'),
          headers: { 'content-type': contentType, authorization: `Bearer ${apiKey}` },
        });
        assert.equal(o.statusCode, 400, `open311 ${name}: ${o.body}`);
        // The refusal names what is wrong (not "General service error", which is what a 500 becomes here).
        assert.doesNotMatch(JSON.parse(o.body)[0].description, /General service error/, o.body);
      }
    });
  });
}

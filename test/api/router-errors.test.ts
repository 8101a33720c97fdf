/**
 * Errors the router raises before a route is found answer in our shape (Open311's under /open311/) and do not
 * echo the path: Fastify's own body `{error, code, message, statusCode}` repeated the whole of it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestEnv, type TestEnv } from '../support/test-context.ts';

describe('router-level errors', () => {
  let env: TestEnv;
  before(async () => { env = await createTestEnv('sqlite'); });
  after(async () => env.close());

  test('a malformed %-escape is a 400 in our shape', async () => {
    const r = await env.app.inject({ method: 'GET', url: '/api/v1/cases/1%zz' });
    assert.equal(r.statusCode, 400);
    const body = JSON.parse(r.body);
    assert.equal(body.error.code, 'VALIDATION_FAILED');
    assert.equal(body.error.field, 'path');
    assert.equal(body.statusCode, undefined);
  });

  test('an over-long path segment is a 414 that does not repeat the path', async () => {
    const long = 'x'.repeat(5000);
    const r = await env.app.inject({ method: 'GET', url: `/api/v1/grids/${long}` });
    assert.equal(r.statusCode, 414);
    assert.equal(JSON.parse(r.body).error.code, 'VALIDATION_FAILED');
    assert.ok(!r.body.includes('xxxxxxxxxx'), r.body);
  });

  test('under /open311/ the errors are GeoReport documents in the format the path asks for', async () => {
    const j = await env.app.inject({ method: 'GET', url: '/open311/v2/requests/1%zz.json' });
    assert.equal(j.statusCode, 400);
    const arr = JSON.parse(j.body);
    assert.equal(arr[0].code, 400);
    assert.match(arr[0].description, /URL/);
    const x = await env.app.inject({ method: 'GET', url: `/open311/v2/requests/${'9'.repeat(5000)}.xml` });
    assert.equal(x.statusCode, 400);
    assert.match(x.body, /^<\?xml[\s\S]*<errors><error><code>400<\/code>/);
    assert.ok(!x.body.includes('9999999999'), x.body);
  });
});

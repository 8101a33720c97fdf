/**
 * Every response carries the security headers: a Content-Security-Policy that allows only this server (no inline
 * script, nobody may frame us), X-Frame-Options, nosniff, a strict Referrer-Policy — the console, the API, the
 * API docs, Open311 and uploaded files alike. (That the console and MapLibre's worker work under the policy is
 * checked in the browser tests, which fail on any violation.)
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestEnv, type TestEnv } from '../support/test-context.ts';
import { userClient, type Client } from '../support/api-client.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));
}

describe('security headers', () => {
  let env: TestEnv;
  let op: Client;
  before(async () => {
    env = await createTestEnv('sqlite');
    op = await userClient(env.app, env.ctx, 'operator');
  });
  after(async () => env.close());

  const expectHeaders = (h: Record<string, unknown>, what: string) => {
    const csp = String(h['content-security-policy'] ?? '');
    assert.ok(csp, `${what}: Content-Security-Policy`);
    const d = directives(csp);
    assert.deepEqual(d.get('default-src'), ["'self'"], `${what}: ${csp}`);
    assert.deepEqual(d.get('script-src'), ["'self'"], `${what}: no inline or remote script`);
    assert.deepEqual(d.get('frame-ancestors'), ["'none'"], `${what}: nobody may frame us`);
    assert.deepEqual(d.get('object-src'), ["'none'"]);
    assert.ok(d.get('worker-src')?.includes('blob:'), `${what}: MapLibre's worker`);
    assert.equal(h['x-frame-options'], 'DENY', what);
    assert.equal(h['x-content-type-options'], 'nosniff', what);
    assert.equal(h['referrer-policy'], 'strict-origin-when-cross-origin', what);
    assert.equal(h['strict-transport-security'], undefined, `${what}: no HSTS over plain HTTP`);
  };

  test('the console or landing page, the API (also its errors), the docs and Open311', async () => {
    for (const url of ['/', '/intake', '/api/v1/cases', '/api/v1/nope', '/api/v1/cases/1%zz', '/docs/', '/open311/v2/services.json', '/open311/v2/requests.json', '/open311/v2/requests.xml', '/healthz']) {
      const r = await env.app.inject({ method: 'GET', url });
      assert.ok(r.statusCode < 500, `${url}: ${r.statusCode}`);
      expectHeaders(r.headers, url);
    }
  });

  test('an uploaded photo is served with nosniff and the policy, same-origin only', async () => {
    const boundary = 'b' + Math.random().toString(16).slice(2);
    const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.png"\r\nContent-Type: image/png\r\n\r\n`), PNG, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const up = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', payload, headers: { ...op.headers, 'content-type': `multipart/form-data; boundary=${boundary}` } });
    assert.equal(up.statusCode, 201, up.body);
    const id = JSON.parse(up.body).id;
    const r = await env.app.inject({ method: 'GET', url: `/api/v1/attachments/${id}`, headers: op.headers });
    assert.equal(r.statusCode, 200, r.body);
    expectHeaders(r.headers, 'attachment');
    assert.equal(r.headers['cross-origin-resource-policy'], 'same-origin');
  });
});

test('behind HTTPS (COOKIE_SECURE=1) responses also carry HSTS', async () => {
  const env = await createTestEnv('sqlite', { config: { cookieSecure: true } });
  try {
    const r = await env.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(r.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
  } finally {
    await env.close();
  }
});

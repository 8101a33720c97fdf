/**
 * The console's typed client (web/src/api/client.ts) against a stubbed fetch: what goes on the wire (URL, query,
 * headers, body) and how every failure becomes an ApiError, as the hand-written client did before it.
 *
 *   node --import tsx --test web/test/client.test.ts      (or: node test/run.mjs web/test)
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';

// The console runs in a browser: relative URLs resolve against the page. Node's Request needs an origin, and
// openapi-fetch takes Request and fetch when the client is created, so both are set before it is imported.
const ORIGIN = 'http://console.test';
class PageRequest extends Request {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === 'string' && input.startsWith('/') ? ORIGIN + input : input, init);
  }
}
globalThis.Request = PageRequest as typeof Request;

type Handler = (req: Request) => Promise<Response> | Response;
let handler: Handler = () => new Response(null, { status: 500 });
const seen: Request[] = [];
globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
  const req = input instanceof Request ? input : new Request(input, init);
  seen.push(req);
  if (req.signal.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
  return handler(req);
}) as typeof fetch;

const { api, ApiError, setCsrfToken, setUnauthenticatedHandler, queryString } = await import('../src/api/client.ts');

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const last = () => seen[seen.length - 1];

beforeEach(() => {
  seen.length = 0;
  handler = () => json(200, {});
  setCsrfToken(undefined);
  setUnauthenticatedHandler(undefined);
});

describe('requests', () => {
  it('GET: path parameters encoded, JSON answer returned, cookies same-origin, no CSRF header', async () => {
    handler = () => json(200, { id: 7, caseNo: '20250101000007' });
    const c = await api.GET('/api/v1/cases/{id}', { params: { path: { id: 'a b/c' } } });
    assert.deepEqual(c, { id: 7, caseNo: '20250101000007' });
    const req = last();
    assert.equal(req.method, 'GET');
    assert.equal(req.url, `${ORIGIN}/api/v1/cases/a%20b%2Fc`);
    assert.equal(req.credentials, 'same-origin');
    assert.equal(req.headers.get('accept'), 'application/json');
    assert.equal(req.headers.get('x-csrf-token'), null);
  });

  it('query: arrays as repeated keys, empty / null / undefined values left out', async () => {
    setCsrfToken('t0k');
    await api.GET('/api/v1/cases', { params: { query: { state: ['REPORTED', 'ACCEPTED'], urgency: [], unitId: undefined, sort: 'due', limit: 500, cursor: '' } } });
    assert.equal(new URL(last().url).search, '?state=REPORTED&state=ACCEPTED&sort=due&limit=500');
    assert.equal(last().headers.get('x-csrf-token'), null, 'GET is safe: no token');
    assert.equal(queryString({ q: 'a b&c', n: 0, f: false }), 'q=a+b%26c&n=0&f=false');
  });

  it('POST: JSON body, CSRF token and Idempotency-Key', async () => {
    setCsrfToken('t0k');
    handler = () => json(201, { id: 1 });
    await api.POST('/api/v1/cases', {
      body: { channel: 'hotline', matterCode: '01010', description: 'x' }, idempotencyKey: 'key-123456',
    });
    const req = last();
    assert.equal(req.method, 'POST');
    assert.equal(req.headers.get('content-type'), 'application/json');
    assert.equal(req.headers.get('x-csrf-token'), 't0k');
    assert.equal(req.headers.get('idempotency-key'), 'key-123456');
    assert.deepEqual(await req.json(), { channel: 'hotline', matterCode: '01010', description: 'x' });
  });

  it('a write without a body sends {} (as before); a 204 answers undefined', async () => {
    handler = () => new Response(null, { status: 204 });
    assert.equal(await api.POST('/api/v1/auth/logout'), undefined);
    assert.equal(await last().text(), '{}');
    assert.equal(last().headers.get('content-type'), 'application/json');
  });

  it('upload: FormData goes as multipart (the browser sets the boundary), with the CSRF token', async () => {
    setCsrfToken('t0k');
    handler = () => json(201, { id: 'att-1' });
    const fd = new FormData();
    fd.append('file', new Blob(['img'], { type: 'image/png' }), 'a.png');
    const a = await api.upload('/api/v1/attachments', fd);
    assert.deepEqual(a, { id: 'att-1' });
    const req = last();
    assert.match(req.headers.get('content-type') ?? '', /^multipart\/form-data; boundary=/);
    assert.equal(req.headers.get('x-csrf-token'), 't0k');
    const back = await req.formData();
    assert.equal((back.get('file') as File).name, 'a.png');
  });
});

describe('failures become ApiError', () => {
  it("an HTTP error carries the server's code, message, field and the whole error object", async () => {
    const error = { code: 'INVALID_TRANSITION', message: 'not now', field: 'version', allowedActions: ['sign'] };
    handler = () => json(409, { error });
    const e = await api.POST('/api/v1/cases/{id}/sign', { params: { path: { id: '1' } }, body: { version: 3 } }).then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 409);
    assert.equal(e.code, 'INVALID_TRANSITION');
    assert.equal(e.message, 'not now');
    assert.equal(e.field, 'version');
    assert.deepEqual(e.details, error);
  });

  it('an HTTP error without the error shape is HTTP_<status>', async () => {
    handler = () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } });
    await assert.rejects(api.GET('/api/v1/units'), (e: unknown) => e instanceof ApiError && e.status === 502 && e.code === 'HTTP_502' && e.message === 'Bad Gateway');
  });

  it('a 401 ends the session (handler called), except on /auth/ routes', async () => {
    let calls = 0;
    setUnauthenticatedHandler(() => { calls++; });
    handler = () => json(401, { error: { code: 'UNAUTHENTICATED', message: 'sign in' } });
    await assert.rejects(api.GET('/api/v1/units'), (e: unknown) => e instanceof ApiError && e.status === 401 && e.code === 'UNAUTHENTICATED');
    assert.equal(calls, 1);
    await assert.rejects(api.GET('/api/v1/auth/me'), (e: unknown) => e instanceof ApiError && e.status === 401);
    assert.equal(calls, 1, 'not for /auth/me: that is how the console learns nobody is signed in');
  });

  it('network down is NETWORK with status 0', async () => {
    handler = () => { throw new TypeError('fetch failed'); };
    await assert.rejects(api.GET('/api/v1/units'), (e: unknown) => e instanceof ApiError && e.status === 0 && e.code === 'NETWORK');
  });

  it('an unreadable success body is BAD_RESPONSE with the status', async () => {
    handler = () => new Response('{"items": [', { status: 200, headers: { 'content-type': 'application/json' } });
    await assert.rejects(api.GET('/api/v1/units'), (e: unknown) => e instanceof ApiError && e.status === 200 && e.code === 'BAD_RESPONSE');
  });

  it('a cancelled request rejects with the AbortError itself (useQuery ignores it)', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(api.GET('/api/v1/units', { signal: ac.signal }), (e: unknown) => !(e instanceof ApiError) && (e as Error).name === 'AbortError');
  });
});

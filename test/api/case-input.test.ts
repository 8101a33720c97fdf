/** Bad input gets a clear 4xx naming the field; retries with one Idempotency-Key never duplicate; numbers stay unique. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, request, type Client } from '../support/api-client.ts';
import { wgs84ToGcj02 } from '../../src/domain/grid/index.ts';

for (const store of storesUnderTest()) {
  describe(`case intake input [${store}]`, () => {
    let env: TestEnv;
    let op: Client;
    let good: Record<string, unknown>;
    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      op = await userClient(env.app, env.ctx, 'operator');
      const p = demoPoint(env, 10);
      good = { channel: 'hotline', matterCode: '06012', description: '道路不洁', location: { lon: p.lon, lat: p.lat } };
    });
    after(async () => env.close());

    const expect400 = async (body: unknown, field: string, code = 'VALIDATION_FAILED', status = 400) => {
      const r = await op.post('/api/v1/cases', body);
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(r.body.error.code, code);
      assert.equal(r.body.error.field, field, r.body.error.message);
      assert.ok(r.body.error.message.includes(field.split('.').pop()!), r.body.error.message);
    };

    test('malformed JSON is a 400, and the server keeps serving', async () => {
      const r = await op.post('/api/v1/cases', '{"channel": "hotline",', { 'content-type': 'application/json' });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'VALIDATION_FAILED');
      assert.equal((await request(env.app, 'GET', '/healthz')).status, 200);
    });
    test('unknown fields are refused by name', () => expect400({ ...good, colour: 'red' }, 'colour'));
    test('wrong types are refused by name', () => expect400({ ...good, location: { lon: '121.4', lat: 31 } }, 'location.lon'));
    test('missing fields are named', () => expect400({ ...good, description: undefined }, 'description'));
    test('coordinates out of range', () => expect400({ ...good, location: { lon: 200, lat: 31 } }, 'location.lon'));
    test('unknown matter code', () => expect400({ ...good, matterCode: '99999' }, 'matterCode'));
    test('malformed matter code', () => expect400({ ...good, matterCode: '6010' }, 'matterCode'));
    test('a bad phone number', () => expect400({ ...good, reporter: { phone: 'call me' } }, 'reporter.phone'));
    test('a point outside every grid is an explicit 422', () => expect400({ ...good, location: { lon: 100, lat: 30 } }, 'location', 'OUT_OF_GRID', 422));
    test('an unknown attachment is refused and nothing is written', async () => {
      const before = await env.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      await expect400({ ...good, attachmentIds: ['att_nope'] }, 'attachmentIds');
      const afterCount = await env.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n), 'the failed create left no case behind');
    });

    test('a part of another class than the matter is refused by name, and nothing is written', async () => {
      const part = await env.db.selectFrom('parts').selectAll().where('part_code', 'like', '01%').orderBy('id').limit(1).executeTakeFirstOrThrow();
      const matter = [...env.ctx.ref.current().matters.values()].find((m) => /^0[2-5]$/.test(m.classCode));
      assert.ok(matter, 'the demo catalogue has part-derived matters of classes 02–05');
      const before = await env.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      await expect400({ ...good, matterCode: matter.code, partId: part.id }, 'partId');
      const afterCount = await env.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n));
      // the part with a matter of its own class is accepted
      const same = [...env.ctx.ref.current().matters.values()].find((m) => m.classCode === '01')!;
      const ok = await op.post('/api/v1/cases', { ...good, matterCode: same.code, partId: part.id });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(ok.body.partId, part.id);
    });

    test('an address without a point is located through the gazetteer; an unknown one is refused by name', async () => {
      const place = await env.db.selectFrom('places').selectAll().where('kind', '=', 'landmark').orderBy('id').limit(1).executeTakeFirstOrThrow();
      const { location: _l, ...noPoint } = good;
      const r = await op.post('/api/v1/cases', { ...noPoint, address: place.name });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.ok(Math.abs(r.body.location.lon - Number(place.lon)) < 1e-6 && Math.abs(r.body.location.lat - Number(place.lat)) < 1e-6);
      await expect400({ ...noPoint, address: '火星基地一号' }, 'address');
      await expect400(noPoint, 'location');
    });

    test('an address that only looks like a known one (one character off) or names a whole town is refused with the candidates', async () => {
      const { location: _l, ...noPoint } = good;
      const compound = await env.db.selectFrom('places').selectAll().where('kind', '=', 'compound').orderBy('id').limit(1).executeTakeFirstOrThrow();
      const typo = compound.name.slice(0, 1) + '㐀' + compound.name.slice(2);
      const town = [...env.ctx.ref.current().regions.values()].find((r) => r.level === 'street')!;
      const before = await env.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      for (const address of [typo, town.name]) {
        const r = await op.post('/api/v1/cases', { ...noPoint, address });
        assert.equal(r.status, 400, `${address}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.field, 'address');
        assert.ok(r.body.error.details.candidates.length > 0, `${address}: ${JSON.stringify(r.body.error)}`);
      }
      const afterCount = await env.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n));
    });

    test('GCJ-02 input is converted to WGS84 before locating', async () => {
      const p = demoPoint(env, 20);
      const [glon, glat] = wgs84ToGcj02(p.lon, p.lat);
      const r = await op.post('/api/v1/cases', { ...good, location: { lon: glon, lat: glat, coordSystem: 'gcj02' } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.grid.id, p.gridId);
      assert.ok(Math.abs(r.body.location.lon - p.lon) < 1e-5 && Math.abs(r.body.location.lat - p.lat) < 1e-5);
    });

    test('a retry with the same Idempotency-Key returns the same case; other content with it is a 409', async () => {
      const key = { 'idempotency-key': 'hotline-seat-7-call-123' };
      const a = await op.post('/api/v1/cases', good, key);
      const b = await op.post('/api/v1/cases', good, key);
      assert.equal(a.status, 201);
      assert.equal(b.status, 200);
      assert.equal(b.body.id, a.body.id);
      assert.equal(b.body.caseNo, a.body.caseNo);
      const c = await op.post('/api/v1/cases', { ...good, description: '别的内容' }, key);
      assert.equal(c.status, 409);
      assert.equal(c.body.error.field, 'Idempotency-Key');
      const n = await env.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where('idempotency_key', '=', key['idempotency-key']).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 1);
    });

    test('concurrent creators get unique case numbers, and concurrent retries of one key make one case', async () => {
      const results = await Promise.all(Array.from({ length: 40 }, () => op.post('/api/v1/cases', good)));
      assert.ok(results.every((r) => r.status === 201));
      const numbers = new Set(results.map((r) => r.body.caseNo));
      assert.equal(numbers.size, 40);
      const same = await Promise.all(Array.from({ length: 10 }, () => op.post('/api/v1/cases', good, { 'idempotency-key': 'burst-1' })));
      assert.ok(same.every((r) => r.status === 201 || r.status === 200), JSON.stringify(same.map((r) => r.body)));
      assert.equal(new Set(same.map((r) => r.body.id)).size, 1);
    });

    test('in one burst, a refused case fails alone and every other case is written whole', async () => {
      const before = await env.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const burst = await Promise.all([
        ...Array.from({ length: 12 }, () => op.post('/api/v1/cases', good)),
        op.post('/api/v1/cases', { ...good, attachmentIds: ['att_missing'] }),
        ...Array.from({ length: 12 }, () => op.post('/api/v1/cases', good)),
      ]);
      assert.deepEqual(burst.map((r) => r.status), [...Array(12).fill(201), 400, ...Array(12).fill(201)]);
      const after = await env.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(after.n) - Number(before.n), 24);
      const ids = burst.filter((r) => r.status === 201).map((r) => r.body.id);
      const hist = await env.db.selectFrom('case_history').select('case_id').where('case_id', 'in', ids).execute();
      const outbox = await env.db.selectFrom('outbox').select('case_id').where('case_id', 'in', ids).where('topic', '=', 'case.created').execute();
      assert.equal(hist.length, 24, 'each written case has its history row');
      assert.equal(outbox.length, 24, 'and its outbox row');
    });

    test('an invalid transition is a 409 that lists the allowed actions', async () => {
      const c = await op.post('/api/v1/cases', good);
      const r = await op.post(`/api/v1/cases/${c.body.id}/check-pass`, {});
      assert.ok(r.status === 409 || r.status === 403, JSON.stringify(r.body));
      const d = await op.post(`/api/v1/cases/${c.body.id}/dispose`, { result: 'x', photos: [] });
      assert.ok([403, 409].includes(d.status));
      const s = await (await userClient(env.app, env.ctx, 'shift_leader')).post(`/api/v1/cases/${c.body.id}/dispatch`, { unitId: c.body.routing.unit.id });
      assert.equal(s.status, 409);
      assert.equal(s.body.error.code, 'INVALID_TRANSITION');
      assert.ok(s.body.error.details.allowedActions.includes('accept'));
    });

    test('cookie writes without the CSRF token are refused', async () => {
      const r = await request(env.app, 'POST', '/api/v1/cases', { body: good, cookie: op.headers.cookie });
      assert.equal(r.status, 403);
      assert.equal(r.body.error.field, 'x-csrf-token');
    });

    test('attachments: not an image → 415, too large → 413', async () => {
      const upload = async (content: Buffer) => {
        const boundary = 'b' + Math.random().toString(16).slice(2);
        const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), content, Buffer.from(`\r\n--${boundary}--\r\n`)]);
        const r = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', payload, headers: { ...op.headers, 'content-type': `multipart/form-data; boundary=${boundary}` } });
        return { status: r.statusCode, body: JSON.parse(r.body) };
      };
      const exe = await upload(Buffer.from('MZ this is not a picture'));
      assert.equal(exe.status, 415);
      assert.equal(exe.body.error.field, 'file');
      const big = Buffer.alloc(env.ctx.config.maxAttachmentBytes + 1024, 0xff);
      big[0] = 0xff; big[1] = 0xd8; big[2] = 0xff;
      const large = await upload(big);
      assert.equal(large.status, 413);
      assert.equal(large.body.error.code, 'PAYLOAD_TOO_LARGE');
      assert.equal((await request(env.app, 'GET', '/healthz')).status, 200);
    });
  });
}

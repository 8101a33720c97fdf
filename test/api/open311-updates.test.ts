/**
 * mySociety's servicerequestupdates extension, both ways, as FixMyStreet's client uses it: GET lists the public steps
 * of case histories in a window (stable update ids, extended statuses, public text, signed photo URLs of fixes);
 * POST records a citizen's update on the case (idempotent by update_id per key; "still there" reopens, "fixed" does
 * not close), and GET lists it under the id the POST returned.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { storesUnderTest, T0, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { createApiKey } from '../../src/commands/apikey-create.ts';
import { createCase } from '../../src/commands/case-create.ts';
import { transitionCase } from '../../src/commands/case-transition.ts';
import { createAttachment } from '../../src/commands/attachment-create.ts';
import type { ActionInput } from '../../src/domain/case/index.ts';
import type { Role } from '../../src/domain/policy/permissions.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a0ba0000000049454e44ae426082', 'hex');
const MIN = 60_000;
const DAY = 86_400_000;
const admin = (n: string) => ({ userId: `u-${n}`, name: `管理员${n}`, roles: ['admin'] as Role[], unitIds: [], regionIds: [] });
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

interface Raw { status: number; text: string; json: any }

for (const store of storesUnderTest()) {
  describe(`open311 servicerequestupdates [${store}]`, () => {
    let env: TestEnv;
    let key: string;
    let otherKey: string;
    let readOnlyKey: string;
    let lat: string;
    let long: string;
    let unitId: string;

    const get = async (url: string): Promise<Raw> => {
      const r = await env.app.inject({ method: 'GET', url });
      let json: any;
      try { json = JSON.parse(r.body); } catch { /* XML or binary */ }
      return { status: r.statusCode, text: r.body, json };
    };
    const post = async (url: string, fields: Record<string, string | string[]>): Promise<Raw> => {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
      const r = await env.app.inject({ method: 'POST', url, payload: form.toString(), headers: FORM });
      let json: any;
      try { json = JSON.parse(r.body); } catch { /* XML */ }
      return { status: r.statusCode, text: r.body, json };
    };
    const report = async (extra: Record<string, string> = {}, withKey = key) => {
      const r = await post('/open311/v2/requests.json', { api_key: withKey, service_code: '06012', lat, long, description: '人行道上有垃圾', ...extra });
      assert.equal(r.status, 200, r.text);
      const caseNo = r.json[0].service_request_id as string;
      const row = await env.db.selectFrom('cases').select(['id']).where('case_no', '=', caseNo).executeTakeFirstOrThrow();
      return { caseNo, id: Number(row.id) };
    };
    const act = (id: number, input: ActionInput, who = admin('a')) => { env.clock.advance(MIN); return transitionCase(env.ctx, id, input, who); };
    const photo = async () => (await createAttachment(env.ctx, { stream: Readable.from([PNG]), filename: 'fix.png', truncated: () => false }, 'u-a')).id;
    /** REPORTED → … → DISPOSED (with a photo) → CHECKING → check passed. */
    const handle = async (id: number) => {
      await act(id, { action: 'accept' });
      await act(id, { action: 'request_verify' });
      await act(id, { action: 'verify', outcome: 'confirmed' });
      await act(id, { action: 'dispatch', unitId });
      await act(id, { action: 'sign' });
      const att = await photo();
      await act(id, { action: 'dispose', result: '已清扫，王师傅 13900001111', photos: [att] });
      await act(id, { action: 'send_check' });
      await act(id, { action: 'check_pass' }, admin('b'));
      return att;
    };
    const feed = (start: number, end: number, format = 'json', k = key) =>
      get(`/open311/v2/servicerequestupdates.${format}?api_key=${encodeURIComponent(k)}&start_date=${iso(start)}&end_date=${iso(end)}`);
    const update = (fields: Record<string, string | string[]>, format = 'json') => post(`/open311/v2/servicerequestupdates.${format}`, {
      api_key: key, status: 'OPEN', updated_datetime: '2026-11-25T10:00:00+08:00', description: '还没有修好', ...fields,
    });
    const historyOf = (id: number) => env.db.selectFrom('case_history').selectAll().where('case_id', '=', id).orderBy('id').execute();
    const stateOf = async (id: number) => (await env.db.selectFrom('cases').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      const p = demoPoint(env, 7);
      lat = String(p.lat);
      long = String(p.lon);
      unitId = env.ctx.ref.current().routing.route({ matterCode: '06012', regionId: p.communityId }).unitId;
      key = (await createApiKey(env.ctx, { name: 'fixmystreet' }, null)).key;
      otherKey = (await createApiKey(env.ctx, { name: 'another app' }, null)).key;
      readOnlyKey = (await createApiKey(env.ctx, { name: 'reader', roles: ['centre_leader'] }, null)).key;
    });
    after(async () => env.close());

    test('GET: the public steps in the window, oldest first, with extended statuses, public text and a signed photo of the fix', async () => {
      env.clock.set(T0 + 123);
      const { caseNo, id } = await report({ phone: '13812345678' });
      await handle(id);
      const r = await feed(T0, env.clock.now());
      assert.equal(r.status, 200, r.text);
      const mine = r.json.filter((u: any) => u.service_request_id === caseNo);
      assert.deepEqual(mine.map((u: any) => [u.status, u.external_status_code]), [
        ['investigating', 'ACCEPTED'], ['investigating', 'VERIFYING'], ['action_scheduled', 'REGISTERED'], ['in_progress', 'DISPATCHED'],
        ['in_progress', 'IN_PROGRESS'], ['in_progress', 'DISPOSED'], ['in_progress', 'CHECKING'], ['fixed', 'CLOSED_PENDING_CALLBACK'],
      ]);
      const rows = (await historyOf(id)).filter((h) => h.from_state !== null);
      assert.deepEqual(mine.map((u: any) => u.update_id), rows.map((h) => String(h.id)), 'update_id = the history row id');
      for (const u of mine) assert.match(u.updated_datetime, /^2026-11-25T10:\d\d:\d\d\+08:00$/);
      assert.ok(!r.text.includes('王师傅') && !r.text.includes('13900001111') && !r.text.includes('13812345678'), 'no staff text, no personal data');
      const disposed = mine[5];
      assert.equal(disposed.description, '处置单位已处置，等待核查 / The unit reports it fixed; to be checked');
      assert.match(disposed.media_url, /^http:\/\/[^/]+\/open311\/v2\/media\/att_[A-Za-z0-9_-]+\/[A-Za-z0-9_-]{32}$/);
      const img = await env.app.inject({ method: 'GET', url: new URL(disposed.media_url).pathname });
      assert.equal(img.statusCode, 200);
      assert.equal(img.headers['content-type'], 'image/png');
      assert.equal(img.rawPayload.length, PNG.length);
      assert.equal(img.headers['x-content-type-options'], 'nosniff');
      assert.equal(img.headers['cross-origin-resource-policy'], 'cross-origin', 'published for other sites to show');
      const forged = new URL(disposed.media_url).pathname.replace(/\/[^/]{32}$/, `/${'A'.repeat(32)}`);
      const no = await get(forged);
      assert.equal(no.status, 404);
      assert.match(no.text, /<errors><error><code>404<\/code>/);
      // XML: the shape Open311.pm reads
      const x = await feed(T0, env.clock.now(), 'xml');
      assert.ok(x.text.startsWith('<?xml version="1.0" encoding="utf-8"?><service_request_updates><request_update><update_id>'), x.text.slice(0, 200));
      assert.ok(x.text.includes(`<service_request_id>${caseNo}</service_request_id><status>investigating</status>`));
    });

    test('the window compares at whole seconds: an update in the same second as end_date is in, start_date likewise', async () => {
      env.clock.set(T0 + DAY + 500); // a step at xx:xx:00.500
      const { caseNo, id } = await report();
      env.clock.set(T0 + DAY + MIN + 700);
      await transitionCase(env.ctx, id, { action: 'accept' }, admin('a'));
      const at = T0 + DAY + MIN; // the second it is shown as
      const ids = async (s: number, e: number) => (await feed(s, e)).json.filter((u: any) => u.service_request_id === caseNo).map((u: any) => u.status);
      assert.deepEqual(await ids(at - MIN, at), ['investigating'], 'end_date = the shown second');
      assert.deepEqual(await ids(at, at + MIN), ['investigating'], 'start_date = the shown second');
      assert.deepEqual(await ids(at - MIN, at - 1000), []);
      assert.deepEqual(await ids(at + 1000, at + MIN), []);
    });

    test('GET needs a valid api_key (any roles); dates are checked', async () => {
      assert.equal((await get('/open311/v2/servicerequestupdates.json')).status, 403);
      const x = await get('/open311/v2/servicerequestupdates.xml?api_key=cok_x_nope');
      assert.equal(x.status, 403);
      assert.match(x.text, /<errors><error><code>403<\/code>/);
      assert.equal((await feed(T0, T0 + MIN, 'json', readOnlyKey)).status, 200);
      assert.equal((await get(`/open311/v2/servicerequestupdates.json?api_key=${key}&start_date=yesterday`)).status, 400);
      assert.equal((await get(`/open311/v2/servicerequestupdates.json?api_key=${key}&start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z`)).status, 400);
      assert.equal((await get('/open311/v2/servicerequestupdates.html?api_key=x')).status, 404);
    });

    test('a closure without a fix is never "fixed": duplicate, not responsible, no further action — in the feed and in status_notes', async () => {
      env.clock.set(T0 + 2 * DAY);
      const start = env.clock.now();
      const dup = await report();
      const out = await report();
      const invalid = await report();
      const falseReport = await report();
      await act(dup.id, { action: 'reject', reason: '内部：与 2026 号重复', rejectKind: 'duplicate' });
      await act(out.id, { action: 'reject', reason: '内部：报警类', rejectKind: 'out_of_scope', referral: '110' });
      await act(invalid.id, { action: 'reject', reason: '内部：测试数据', rejectKind: 'invalid' });
      await act(falseReport.id, { action: 'accept' });
      await act(falseReport.id, { action: 'request_verify' });
      await act(falseReport.id, { action: 'verify', outcome: 'false', note: '现场无垃圾' });
      const f = (await feed(start, env.clock.now())).json;
      const last = (caseNo: string) => f.filter((u: any) => u.service_request_id === caseNo).at(-1);
      assert.equal(last(dup.caseNo).status, 'duplicate');
      assert.equal(last(out.caseNo).status, 'not_councils_responsibility');
      assert.match(last(out.caseNo).description, /110/);
      assert.equal(last(invalid.caseNo).status, 'no_further_action');
      assert.equal(last(falseReport.caseNo).status, 'no_further_action');
      assert.ok(!JSON.stringify(f).includes('内部') && !JSON.stringify(f).includes('现场无垃圾'), 'reasons and notes stay internal');
      const req = async (caseNo: string) => (await get(`/open311/v2/requests/${caseNo}.json`)).json[0];
      assert.equal((await req(dup.caseNo)).status, 'closed');
      assert.match((await req(dup.caseNo)).status_notes, /duplicate/);
      assert.match((await req(out.caseNo)).status_notes, /contact 110/);
      assert.match((await req(falseReport.caseNo)).status_notes, /Not confirmed on site/);
      const list = (await get(`/open311/v2/requests.json?service_request_id=${invalid.caseNo}`)).json[0];
      assert.match(list.status_notes, /not a valid report/);
    });

    test('a report linked as a duplicate is told its master\'s later steps, under its own request id', async () => {
      await env.ctx.store.duplicates.saveDuplicatePolicy({ enabled: true });
      try {
        env.clock.set(T0 + 3 * DAY);
        const start = env.clock.now();
        const p = demoPoint(env, 11);
        const at = { lat: String(p.lat), long: String(p.lon) };
        const master = await report(at);
        const linked = await report({ ...at, description: '同一处垃圾' });
        const stored = await env.db.selectFrom('cases').select(['master_case_id', 'state']).where('id', '=', linked.id).executeTakeFirstOrThrow();
        assert.equal(Number(stored.master_case_id), master.id);
        // The list is joined from fragments cached by each request's version and its master's: a change of the
        // master alone must still show in the linked report's entry.
        const inList = async (caseNo: string) => (await get(`/open311/v2/requests.json?start_date=${encodeURIComponent(new Date(start).toISOString())}`)).json
          .find((x: any) => x.service_request_id === caseNo);
        const before = await inList(linked.caseNo);
        env.clock.advance(5 * 60_000);
        await act(master.id, { action: 'accept' });
        const after = await inList(linked.caseNo);
        assert.notEqual(after.updated_datetime, before.updated_datetime, 'the master\'s step shows in the list');
        assert.equal(after.updated_datetime, (await inList(master.caseNo)).updated_datetime);
        const f = (await feed(start, env.clock.now())).json.filter((u: any) => u.service_request_id === linked.caseNo);
        assert.equal(f.length, 2, JSON.stringify(f));
        assert.equal(f[0].status, 'open');
        assert.match(f[0].description, new RegExp(master.caseNo));
        const acceptRow = (await historyOf(master.id)).find((h) => h.action === 'accept')!;
        assert.equal(f[1].update_id, `${acceptRow.id}-${linked.id}`);
        assert.equal(f[1].status, 'investigating');
        // consistent with the request list, which shows the linked report its master's progress
        assert.equal((await get(`/open311/v2/requests/${linked.caseNo}.json`)).json[0].status, 'open');
      } finally {
        await env.ctx.store.duplicates.saveDuplicatePolicy({ enabled: false });
      }
    });

    test('photos of a case whose content is not public (a hotline complaint) are never published', async () => {
      env.clock.set(T0 + 4 * DAY);
      const start = env.clock.now();
      const p = demoPoint(env, 7);
      const c = await createCase(env.ctx, { channel: 'hotline', matterCode: '06012', description: '张三家门口', location: { lon: p.lon, lat: p.lat } },
        { userId: 'u-op', roles: ['operator'], unitIds: [], regionIds: [] });
      const att = await handle(Number(c.row.id));
      const f = (await feed(start, env.clock.now())).json.filter((u: any) => u.service_request_id === c.row.case_no);
      assert.equal(f.length, 8);
      assert.ok(f.every((u: any) => u.media_url === undefined), JSON.stringify(f));
      assert.ok(!JSON.stringify(f).includes(att));
    });

    test('POST: a comment is recorded on the case (state unchanged), listed under the id returned; a retry answers the same id', async () => {
      env.clock.set(T0 + 5 * DAY);
      const start = env.clock.now();
      const { caseNo, id } = await report();
      env.clock.advance(MIN);
      const first = await update({ service_request_id: caseNo, update_id: '9001', first_name: '小明', last_name: '王', email: 'wang@example.cn', phone: '13700000000',
        media_url: ['https://fms.example/p/1.jpeg', 'https://fms.example/p/2.jpeg'] });
      assert.equal(first.status, 200, first.text);
      const updateId = first.json[0].update_id;
      assert.match(updateId, /^\d+$/);
      const again = await update({ service_request_id: caseNo, update_id: '9001' }, 'xml');
      assert.equal(again.status, 200, again.text);
      assert.equal(again.text, `<?xml version="1.0" encoding="utf-8"?><service_request_updates><request_update><update_id>${updateId}</update_id></request_update></service_request_updates>`);
      const rows = (await historyOf(id)).filter((h) => h.action === 'citizen_update');
      assert.equal(rows.length, 1, 'a retry writes nothing');
      assert.equal(String(rows[0].id), updateId);
      assert.equal(rows[0].from_state, 'REPORTED');
      assert.equal(rows[0].to_state, 'REPORTED');
      assert.equal(await stateOf(id), 'REPORTED');
      for (const secret of ['小明', 'wang@example.cn', '13700000000']) assert.ok(!rows[0].details.includes(secret), `stored ${secret}`);
      const event = await env.db.selectFrom('outbox').select('payload').where('topic', '=', 'case.citizen_update').where('case_id', '=', id).executeTakeFirstOrThrow();
      assert.equal(JSON.parse(event.payload).updateId, Number(updateId));
      const listed = (await feed(start, env.clock.now())).json.filter((u: any) => u.service_request_id === caseNo);
      assert.deepEqual(listed.map((u: any) => [u.update_id, u.status, u.description]), [[updateId, 'open', '还没有修好']]);
      assert.deepEqual(listed[0].media_urls, ['https://fms.example/p/1.jpeg', 'https://fms.example/p/2.jpeg']);
      const x = await feed(start, env.clock.now(), 'xml');
      assert.ok(x.text.includes('<media_url>https://fms.example/p/1.jpeg</media_url><media_url>https://fms.example/p/2.jpeg</media_url>'), x.text);
      // the same update_id for another request is a client error
      const other = await report();
      const clash = await update({ service_request_id: other.caseNo, update_id: '9001' });
      assert.equal(clash.status, 400);
      assert.match(clash.json[0].description, /update_id/);
      // another key has its own update ids
      const theirs = await update({ api_key: otherKey, service_request_id: caseNo, update_id: '9001' });
      assert.equal(theirs.status, 200);
      assert.notEqual(theirs.json[0].update_id, updateId);
    });

    test('POST: "fixed" on an open case informs, never closes; errors in the spec format; nothing written on refusal', async () => {
      env.clock.set(T0 + 6 * DAY);
      const { caseNo, id } = await report();
      const fixed = await update({ service_request_id: caseNo, update_id: 'f-1', status: 'FIXED', description: '已经修好了' });
      assert.equal(fixed.status, 200, fixed.text);
      assert.equal(await stateOf(id), 'REPORTED');
      const row = (await historyOf(id)).find((h) => h.action === 'citizen_update')!;
      assert.equal(JSON.parse(row.details).signal, 'fixed');
      const n = (await historyOf(id)).length;
      const refusals: [Record<string, string>, number, RegExp][] = [
        [{ api_key: '' }, 403, /api_key/],
        [{ api_key: readOnlyKey }, 403, /api_key/],
        [{ service_request_id: '20991231999999' }, 404, /not found/],
        [{ service_request_id: '' }, 400, /service_request_id/],
        [{ update_id: '' }, 400, /update_id/],
        [{ status: 'MAYBE' }, 400, /status/],
        [{ updated_datetime: 'now' }, 400, /updated_datetime/],
        [{ media_url: 'ftp://x' }, 400, /media_url/],
        [{ description: '长'.repeat(4001) }, 400, /4000/],
      ];
      for (const [bad, status, msg] of refusals) {
        const r = await update({ service_request_id: caseNo, update_id: `bad-${status}-${Object.keys(bad)[0]}`, ...bad }, 'xml');
        assert.equal(r.status, status, `${JSON.stringify(bad)}: ${r.text}`);
        assert.match(r.text, new RegExp(`<errors><error><code>${status}</code><description>[^<]*${msg.source}`));
      }
      assert.equal((await historyOf(id)).length, n);
    });

    test('POST: "still there" on a case waiting for its callback is an unsatisfied callback; the feed shows the reopening', async () => {
      env.clock.set(T0 + 7 * DAY);
      const start = env.clock.now();
      const { caseNo, id } = await report({ phone: '13812345678' });
      await handle(id);
      assert.equal(await stateOf(id), 'CLOSED_PENDING_CALLBACK');
      assert.equal((await get(`/open311/v2/requests/${caseNo}.json`)).json[0].status, 'closed', 'checked on site: closed for clients');
      env.clock.advance(MIN);
      // FixMyStreet sends OPEN when its user reopens a fixed report (REOPEN with extended statuses)
      const r = await update({ service_request_id: caseNo, update_id: 'r-1', status: 'OPEN', description: '垃圾又堆起来了' });
      assert.equal(r.status, 200, r.text);
      assert.equal(await stateOf(id), 'IN_PROGRESS');
      const c = await env.db.selectFrom('cases').select(['unsatisfied_count', 'reopen_count']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(Number(c.unsatisfied_count), 1);
      const h = await historyOf(id);
      const callback = h.find((x) => x.action === 'callback')!;
      const comment = h.find((x) => x.action === 'citizen_update')!;
      assert.equal(callback.to_state, 'IN_PROGRESS');
      assert.match(callback.reason!, /垃圾又堆起来了/);
      assert.equal(String(comment.id), r.json[0].update_id);
      assert.equal(JSON.parse(comment.details).effect, 'callback');
      const f = (await feed(start, env.clock.now())).json.filter((u: any) => u.service_request_id === caseNo);
      assert.deepEqual(f.slice(-2).map((u: any) => [u.update_id, u.status]), [[String(callback.id), 'in_progress'], [String(comment.id), 'in_progress']]);
      assert.equal((await get(`/open311/v2/requests/${caseNo}.json`)).json[0].status, 'open');
    });

    test('POST: "still there" reopens an archived case for its unit — only from the client that filed it, and only within 30 days', async () => {
      env.clock.set(T0 + 8 * DAY);
      const mine = await report();
      await handle(mine.id);
      assert.equal(await stateOf(mine.id), 'ARCHIVED', 'no phone, no callback: archived at the check');
      const stranger = await update({ api_key: otherKey, service_request_id: mine.caseNo, update_id: 'x-1', status: 'REOPEN' });
      assert.equal(stranger.status, 200);
      assert.equal(await stateOf(mine.id), 'ARCHIVED', 'another client\'s word is recorded only');
      const own = await update({ service_request_id: mine.caseNo, update_id: 'o-1', status: 'REOPEN' });
      assert.equal(own.status, 200);
      assert.equal(await stateOf(mine.id), 'IN_PROGRESS');
      assert.ok((await historyOf(mine.id)).some((h) => h.action === 'reopen'));
      // closed more than 30 days ago: recorded, not reopened
      const old = await report();
      await handle(old.id);
      env.clock.advance(31 * DAY);
      const late = await update({ service_request_id: old.caseNo, update_id: 'o-2', status: 'OPEN' });
      assert.equal(late.status, 200);
      assert.equal(await stateOf(old.id), 'ARCHIVED');
      // a plain comment on a closed request (FixMyStreet sends CLOSED with it) changes nothing
      const closedComment = await update({ service_request_id: old.caseNo, update_id: 'o-3', status: 'CLOSED', description: '谢谢' });
      assert.equal(closedComment.status, 200);
      assert.equal(JSON.parse((await historyOf(old.id)).at(-1)!.details).signal, null);
    });
  });
}

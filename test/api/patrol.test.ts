/**
 * Patrol reports (issue 3 §2): multipart with photos → REGISTERED directly (trusted channel); self-fixed on the
 * spot → ARCHIVED with closure normal; admission list for grid members; every bad field named.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import fs from 'node:fs';
import path from 'node:path';
import { discardUnattached } from '../../src/commands/attachment-create.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');

type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer; mime?: string };

function form(parts: Part[]) {
  const boundary = '----patrol' + Math.random().toString(16).slice(2);
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('value' in p) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.mime ?? 'image/png'}\r\n\r\n`), p.content, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

for (const store of storesUnderTest()) {
  describe(`patrol reports [${store}]`, () => {
    let env: TestEnv;
    let inspector: Client, grid: Client, operator: Client;
    let point: { lon: number; lat: number };

    const post = async (c: Client, parts: Part[]) => {
      const { payload, contentType } = form(parts);
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/patrol/reports', payload, headers: { ...c.headers, 'content-type': contentType } });
      let body: any = r.body;
      try { body = JSON.parse(r.body); } catch { /* not JSON */ }
      return { status: r.statusCode, body };
    };
    const fields = (over: Record<string, string | undefined> = {}): Part[] =>
      Object.entries({ matterCode: '06010', lon: String(point.lon), lat: String(point.lat), description: '人行道上垃圾堆积', ...over })
        .filter((e): e is [string, string] => e[1] !== undefined)
        .map(([name, value]) => ({ name, value }));
    const photos = (n: number): Part[] => Array.from({ length: n }, (_, i) => ({ name: 'photo', filename: `p${i}.png`, content: i % 2 ? JPEG : PNG, mime: i % 2 ? 'image/jpeg' : 'image/png' }));
    const count = async (table: 'cases' | 'attachments') =>
      Number((await env.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const expect400 = async (c: Client, parts: Part[], field: string, status = 400) => {
      const before = await count('cases');
      const r = await post(c, parts);
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(r.body.error.field, field, r.body.error.message);
      if (status !== 403) assert.ok(r.body.error.message.includes(field), r.body.error.message);
      assert.equal(await count('cases'), before, 'no case written');
      return r;
    };

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      point = demoPoint(env, 3);
      inspector = await userClient(env.app, env.ctx, 'inspector');
      grid = await userClient(env.app, env.ctx, 'grid_member');
      operator = await userClient(env.app, env.ctx, 'operator');
    });
    after(async () => env.close());

    test('an inspector reports with two photos: registered directly, photos linked, history report_registered', async () => {
      const r = await post(inspector, [...fields({ urgency: 'urgent' }), ...photos(2)]);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.state, 'REGISTERED');
      assert.equal(r.body.channel, 'patrol');
      assert.equal(r.body.selfFixed, false);
      const atts = await env.db.selectFrom('attachments').select(['id', 'case_id', 'mime']).where('case_id', '=', r.body.id).execute();
      assert.equal(atts.length, 2);
      assert.deepEqual(atts.map((a) => a.mime).sort(), ['image/jpeg', 'image/png']);
      const hist = await env.db.selectFrom('case_history').select(['action', 'to_state']).where('case_id', '=', r.body.id).execute();
      assert.deepEqual(hist.map((h) => [h.action, h.to_state]), [['report_registered', 'REGISTERED']]);
    });

    test('self-fixed on the spot: archived with closure normal, self_fix in history, no unit counter', async () => {
      const r = await post(inspector, [...fields({ selfFixed: 'true', result: '已现场清理干净' }), ...photos(1)]);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.state, 'ARCHIVED');
      assert.equal(r.body.closureType, 'normal');
      assert.equal(r.body.selfFixed, true);
      const hist = await env.db.selectFrom('case_history').select(['action', 'to_state', 'details', 'attachment_ids']).where('case_id', '=', r.body.id).orderBy('id').execute();
      assert.deepEqual(hist.map((h) => h.action), ['report_registered', 'self_fix']);
      assert.equal(hist[1].to_state, 'ARCHIVED');
      assert.equal(JSON.parse(hist[1].details).result, '已现场清理干净');
      assert.equal(JSON.parse(hist[1].attachment_ids ?? '[]').length, 1, 'the photo is the evidence of the self-fix');
      const row = await env.db.selectFrom('cases').select(['closure_type', 'closed_at']).where('id', '=', r.body.id).executeTakeFirstOrThrow();
      assert.equal(row.closure_type, 'normal');
      assert.ok(row.closed_at !== null);
      // Decision: no unit was assigned, so the self_fixed counter is not charged to any unit; history is the record.
      const counters = await env.db.selectFrom('unit_counters').select('unit_id').where('counter', '=', 'self_fixed').execute();
      assert.equal(counters.length, 0);
    });

    test('a grid member may self-fix an admitted matter, not one off the admission list (403 naming matterCode, nothing written)', async () => {
      const ok = await post(grid, [...fields({ selfFixed: 'true', result: '已清理' }), ...photos(1)]);
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(ok.body.state, 'ARCHIVED');
      const ref = env.ctx.ref.current();
      const notAdmitted = [...ref.matters.keys()].find((c) => !ref.admission.admits(c))!;
      assert.ok(notAdmitted, 'the demo city has a matter off the admission list');
      const r = await expect400(grid, [...fields({ matterCode: notAdmitted, selfFixed: 'true', result: '已处理' }), ...photos(1)], 'matterCode', 403);
      assert.equal(r.body.error.code, 'FORBIDDEN');
      assert.ok(r.body.error.message.includes(notAdmitted) && r.body.error.message.includes('admission list'), r.body.error.message);
      const archived = await env.db.selectFrom('cases').select('id').where('matter_code', '=', notAdmitted).where('state', '=', 'ARCHIVED').execute();
      assert.equal(archived.length, 0);
      // Reporting it (without self-fixing) is still allowed: the list governs assignment, not reporting.
      const rep = await post(grid, [...fields({ matterCode: notAdmitted }), ...photos(1)]);
      assert.equal(rep.status, 201, JSON.stringify(rep.body));
      assert.equal(rep.body.state, 'REGISTERED');
    });

    test('only the reporter may self-fix a patrol report through the action route', async () => {
      const r = await post(inspector, [...fields(), ...photos(1)]);
      const att = await env.db.selectFrom('attachments').select('id').where('case_id', '=', r.body.id).executeTakeFirstOrThrow();
      const other = await userClient(env.app, env.ctx, 'inspector');
      const refused = await other.post(`/api/v1/cases/${r.body.id}/self-fix`, { result: '修好了', photos: [att.id] });
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      const done = await inspector.post(`/api/v1/cases/${r.body.id}/self-fix`, { result: '修好了', photos: [att.id] });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal(done.body.state, 'ARCHIVED');
    });

    test('an operator may not file a patrol report (403 naming the role requirement)', async () => {
      const r = await expect400(operator, [...fields(), ...photos(1)], 'roles', 403);
      assert.match(r.body.error.message, /inspector or grid_member/);
    });

    test('bad input is named: photo missing, not an image (415), lon out of range, result missing, too many photos', async () => {
      const atts = await count('attachments');
      await expect400(inspector, fields(), 'photo');
      assert.equal(await count('attachments'), atts);
      const exe = await expect400(inspector, [...fields(), { name: 'photo', filename: 'x.jpg', content: Buffer.from('MZ not a picture'), mime: 'image/jpeg' }], 'photo', 415);
      assert.equal(exe.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
      await expect400(inspector, [...fields({ lon: '200' }), ...photos(1)], 'lon');
      await expect400(inspector, [...fields({ lat: 'north' }), ...photos(1)], 'lat');
      await expect400(inspector, [...fields({ selfFixed: 'true' }), ...photos(1)], 'result');
      await expect400(inspector, [...fields({ matterCode: undefined }), ...photos(1)], 'matterCode');
      await expect400(inspector, [...fields({ coordSystem: 'utm' }), ...photos(1)], 'coordSystem');
      await expect400(inspector, [...fields(), ...photos(7)], 'photo');
      // a refused report leaves no photo behind, in the table or on disk (the photos were stored while reading)
      assert.equal(await count('attachments'), atts);
      const files = (dir: string): number => fs.existsSync(dir)
        ? fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? files(path.join(dir, e.name)) : 1), 0) : 0;
      const onDisk = files(path.join(env.ctx.config.dataDir, 'attachments'));
      await expect400(inspector, [...fields({ lon: '200' }), ...photos(2)], 'lon');
      assert.equal(files(path.join(env.ctx.config.dataDir, 'attachments')), onDisk);
    });

    test('a resend with the same Idempotency-Key answers the first case and stores no second copy of the photos', async () => {
      const cases0 = await count('cases');
      const atts0 = await count('attachments');
      const send = async () => {
        const { payload, contentType } = form([...fields({ description: '断网重发的上报' }), ...photos(2)]);
        const r = await env.app.inject({ method: 'POST', url: '/api/v1/patrol/reports', payload, headers: { ...inspector.headers, 'content-type': contentType, 'idempotency-key': `draft-${store}-1` } });
        return { status: r.statusCode, body: JSON.parse(r.body) };
      };
      const first = await send();
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const again = await send();
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.id, first.body.id);
      assert.equal(await count('cases'), cases0 + 1);
      assert.equal(await count('attachments'), atts0 + 2);
    });

    test('on-site photos may come with verify and check (attached to the case, listed in its history)', async () => {
      const op = await userClient(env.app, env.ctx, 'operator');
      const c = await op.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: '核实带照片', location: { lon: point.lon, lat: point.lat } });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      assert.equal((await op.post(`/api/v1/cases/${c.body.id}/accept`, {})).status, 200);
      assert.equal((await op.post(`/api/v1/cases/${c.body.id}/request-verify`, {})).status, 200);
      const up = form(photos(1));
      const u = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', payload: up.payload, headers: { ...inspector.headers, 'content-type': up.contentType } });
      const photo = JSON.parse(u.body).id as string;
      const v = await inspector.post(`/api/v1/cases/${c.body.id}/verify`, { outcome: 'confirmed', photos: [photo] });
      assert.equal(v.status, 200, JSON.stringify(v.body));
      const att = await env.db.selectFrom('attachments').select('case_id').where('id', '=', photo).executeTakeFirstOrThrow();
      assert.equal(Number(att.case_id), c.body.id);
      const h = await op.get(`/api/v1/cases/${c.body.id}/history`);
      assert.ok(h.body.items.some((i: { action: string; attachmentIds: string[] }) => i.action === 'verify' && i.attachmentIds.includes(photo)), JSON.stringify(h.body.items));
    });

    test('the cleanup job removes uploads never attached to a case after the grace period, not attached ones', async () => {
      const before = await count('attachments');
      const up = form(photos(1));
      const mp = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', payload: up.payload, headers: { ...inspector.headers, 'content-type': up.contentType } });
      assert.equal(mp.statusCode, 201, mp.body);
      const id = JSON.parse(mp.body).id as string;
      assert.equal(await discardUnattached(env.ctx, { olderThan: env.clock.now() - 3_600_000 }), 0, 'still within the grace period');
      env.clock.advance(25 * 3_600_000);
      assert.equal(await discardUnattached(env.ctx, { olderThan: env.clock.now() - 24 * 3_600_000 }), 1);
      assert.equal(await count('attachments'), before);
      assert.equal((await env.db.selectFrom('attachments').select('id').where('id', '=', id).execute()).length, 0);
    });
  });
}

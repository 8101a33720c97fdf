/** Exports of case lists (issue 10 part 6): direct CSV/XLSX within the limit, background exports with approval, audit. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { runExportJob } from '../../src/jobs/export.job.ts';

const BOM = '\uFEFF';
const csvRows = (body: string) => body.replace(BOM, '').split('\r\n').filter((l) => l.length > 0);

for (const store of storesUnderTest()) {
  describe(`exports [${store}]`, () => {
    let env: TestEnv;
    let op: Client;
    let admin: Client;
    let leader: Client;
    let leader2: Client;
    const byStreet = new Map<string, number[]>();
    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      op = await userClient(env.app, env.ctx, 'operator');
      admin = await userClient(env.app, env.ctx, 'admin');
      leader = await userClient(env.app, env.ctx, 'centre_leader');
      leader2 = await userClient(env.app, env.ctx, 'centre_leader');
      for (let i = 0; i < 24; i++) {
        const p = demoPoint(env, i * 37);
        const r = await op.post('/api/v1/cases', {
          channel: 'hotline', matterCode: '06010', description: i === 0 ? '=HYPERLINK("http://evil") 垃圾, "堆积"' : `导出测试 ${i}`,
          location: { lon: p.lon, lat: p.lat }, reporter: { name: '张三丰', phone: '13912345678' },
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        byStreet.set(r.body.street.id, [...(byStreet.get(r.body.street.id) ?? []), r.body.id]);
      }
    });
    after(async () => env.close());

    test('CSV for Excel: BOM, Chinese headers, CRLF, RFC 5987 file name, one row per case of the list, formulas defused', async () => {
      const r = await op.get('/api/v1/exports/cases?format=csv&state=REPORTED');
      assert.equal(r.status, 200);
      assert.match(String(r.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.match(String(r.headers['content-disposition']), /^attachment; filename="____-\d{8}-\d{4}\.csv"; filename\*=UTF-8''%E6%A1%88%E4%BB%B6%E5%AF%BC%E5%87%BA-/);
      const body = String(r.body);
      assert.ok(body.startsWith(BOM));
      const lines = csvRows(body);
      assert.match(lines[0], /^案件编号,状态,来源渠道,事项编码,事项名称/);
      assert.equal(lines.length, 1 + 24);
      assert.ok(lines.some((l) => l.includes(`"'=HYPERLINK(""http://evil"") 垃圾, ""堆积"""`)), 'quoted and defused');
      assert.ok(lines.slice(1).every((l) => l.includes('13912345678') && l.includes('张三丰')), 'an operator reads personal data');
    });

    test('visibility and masking as the list and the case response: a street sees its cases, a unit sees reporters masked', async () => {
      const [street, ids] = [...byStreet.entries()].sort((a, b) => b[1].length - a[1].length)[0];
      const local = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [street] });
      const list = await local.get('/api/v1/cases?limit=500');
      const csv = csvRows(String((await local.get('/api/v1/exports/cases?format=csv')).body));
      assert.equal(csv.length - 1, ids.length);
      assert.equal(list.body.items.length, ids.length);
      for (const c of list.body.items) assert.ok(csv.some((l) => l.startsWith(`${c.caseNo},`)), `case ${c.caseNo} of the list is in the export`);
      assert.ok(csv.slice(1).every((l) => l.includes('139****5678') && l.includes('张**')), 'a dispatcher (no personal_data.read) sees masked data');
      const ownCase = (await op.get(`/api/v1/cases/${ids[0]}`)).body;
      assert.equal(ownCase.reporter.phone, '13912345678');
    });

    test('XLSX: a workbook with Chinese headers, the same rows', async () => {
      const r = await env.app.inject({ method: 'GET', url: '/api/v1/exports/cases?format=xlsx&state=REPORTED&lang=zh', headers: op.headers });
      assert.equal(r.statusCode, 200);
      assert.equal(r.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as never);
      const ws = wb.worksheets[0];
      assert.equal(ws.getRow(1).getCell(1).value, '案件编号');
      assert.equal(ws.rowCount, 25);
      assert.equal(ws.getRow(2).getCell(2).value, '已上报');
    });

    test('bad input names the field', async () => {
      const bad = await op.get('/api/v1/exports/cases?format=pdf');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'format');
      const noFormat = await op.get('/api/v1/exports/cases');
      assert.equal(noFormat.status, 400);
      assert.equal(noFormat.body.error.field, 'format');
      const state = await op.get('/api/v1/exports/cases?format=csv&state=FLYING');
      assert.equal(state.status, 400);
      assert.match(state.body.error.field, /^state/);
      const r = await request(env, admin, 'PUT', '/api/v1/exports/policy', { approvalAboveRows: 100, maxRows: 10, keepHours: 1 });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.field, 'maxRows');
      const kind = await op.post('/api/v1/exports', { kind: 'people', format: 'csv', filter: {} });
      assert.equal(kind.status, 400);
      assert.equal(kind.body.error.field, 'kind');
      const filt = await op.post('/api/v1/exports', { kind: 'cases', format: 'csv', filter: { colour: 'red' } });
      assert.equal(filt.status, 400);
      assert.equal(filt.body.error.field, 'filter.colour');
    });

    test('above the limit: a direct download needs approval; a request waits for another leader, then generates with progress', async () => {
      const set = await request(env, admin, 'PUT', '/api/v1/exports/policy', { approvalAboveRows: 5, maxRows: 1000, keepHours: 1 });
      assert.equal(set.status, 200);
      assert.equal(set.body.approvalAboveRows, 5);
      const direct = await leader.get('/api/v1/exports/cases?format=csv');
      assert.equal(direct.status, 409);
      assert.equal(direct.body.error.code, 'EXPORT_NEEDS_APPROVAL');
      assert.equal(direct.body.error.field, 'filter');
      const noReason = await leader.post('/api/v1/exports', { kind: 'cases', format: 'xlsx', filter: {} });
      assert.equal(noReason.status, 400);
      assert.equal(noReason.body.error.field, 'reason');
      const asked = await leader.post('/api/v1/exports', { kind: 'cases', format: 'xlsx', filter: { state: ['REPORTED'] }, reason: '月度分析' });
      assert.equal(asked.status, 201);
      assert.equal(asked.body.state, 'requested');
      assert.equal(asked.body.totalRows, 24);
      const id = asked.body.id;
      assert.equal((await runExportJob(env.ctx)).generated, 0, 'nothing is generated before approval');
      const own = await leader.post(`/api/v1/exports/${id}/approve`, {});
      assert.equal(own.status, 403, 'not one\'s own request');
      const waiting = await leader2.get('/api/v1/exports?scope=approvals');
      assert.ok(waiting.body.items.some((x: { id: number; allowedActions: string[] }) => x.id === id && x.allowedActions.includes('approve')));
      assert.equal((await op.get('/api/v1/exports?scope=approvals')).status, 403);
      assert.equal((await op.get(`/api/v1/exports/${id}`)).status, 404, 'someone else\'s export does not exist for an operator');
      const ok = await leader2.post(`/api/v1/exports/${id}/approve`, { note: '同意' });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.state, 'approved');
      assert.equal((await leader2.post(`/api/v1/exports/${id}/reject`, {})).status, 409, 'decided once');
      assert.equal((await leader.get(`/api/v1/exports/${id}/file`)).status, 409, 'not ready yet');
      assert.equal((await runExportJob(env.ctx)).generated, 1);
      const done = await leader.get(`/api/v1/exports/${id}`);
      assert.equal(done.body.state, 'ready');
      assert.equal(done.body.rowsWritten, 24);
      assert.equal(done.body.progress, 1);
      assert.equal(done.body.downloadUrl, `/api/v1/exports/${id}/file`);
      assert.equal((await leader2.get(`/api/v1/exports/${id}/file`)).status, 404, 'only the requester downloads the data');
      const file = await env.app.inject({ method: 'GET', url: `/api/v1/exports/${id}/file`, headers: leader.headers });
      assert.equal(file.statusCode, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(file.rawPayload as never);
      assert.equal(wb.worksheets[0].rowCount, 25);
      const history = await leader.get(`/api/v1/exports/${id}/history`);
      assert.deepEqual(history.body.items.map((h: { action: string }) => h.action), ['requested', 'approved', 'generated', 'downloaded']);
      // expiry: the file goes after keepHours, the record stays (within the sessions' idle time)
      env.clock.advance(61 * 60_000);
      assert.equal((await runExportJob(env.ctx)).expired, 1);
      assert.equal((await leader.get(`/api/v1/exports/${id}`)).body.state, 'expired');
      assert.equal((await leader.get(`/api/v1/exports/${id}/file`)).status, 409);
    });

    test('a rejected request is never generated; within the limit a request is approved at once', async () => {
      await request(env, admin, 'PUT', '/api/v1/exports/policy', { approvalAboveRows: 5, maxRows: 1000, keepHours: 2 });
      const asked = await leader.post('/api/v1/exports', { kind: 'cases', format: 'csv', filter: {}, reason: '核对' });
      const no = await leader2.post(`/api/v1/exports/${asked.body.id}/reject`, { note: '范围过大' });
      assert.equal(no.body.state, 'rejected');
      const [street, ids] = [...byStreet.entries()].sort((a, b) => a[1].length - b[1].length)[0];
      assert.ok(ids.length <= 5);
      const small = await op.post('/api/v1/exports', { kind: 'cases', format: 'csv', filter: { regionId: street } });
      assert.equal(small.status, 201, JSON.stringify(small.body));
      assert.equal(small.body.state, 'approved');
      const r = await runExportJob(env.ctx, { max: 5 });
      assert.equal(r.generated, 1);
      const mine = await op.get('/api/v1/exports');
      assert.equal(mine.body.items[0].state, 'ready');
      assert.equal((await leader.get(`/api/v1/exports/${asked.body.id}`)).body.state, 'rejected');
      const csv = await op.get(`/api/v1/exports/${small.body.id}/file`);
      assert.equal(csv.status, 200);
      assert.ok(String(csv.body).startsWith(BOM));
      assert.equal(csvRows(String(csv.body)).length, 1 + ids.length);
      await request(env, admin, 'PUT', '/api/v1/exports/policy', { approvalAboveRows: 100_000, maxRows: 2_000_000, keepHours: 72 });
    });

    test('every direct download leaves an audit row: who, what filter, how many rows', async () => {
      const before = await env.db.selectFrom('export_history').selectAll().where('action', '=', 'streamed').execute();
      await op.get('/api/v1/exports/cases?format=csv&urgency=normal');
      const rows = await env.db.selectFrom('export_history').selectAll().where('action', '=', 'streamed').orderBy('id').execute();
      assert.equal(rows.length, before.length + 1);
      const last = rows[rows.length - 1];
      assert.equal(last.actor_id, op.userId);
      assert.deepEqual(JSON.parse(last.filter), { urgency: ['normal'] });
      assert.equal(Number(last.rows), 24);
    });
  });
}

async function request(env: TestEnv, c: Client, method: 'PUT', url: string, body: unknown) {
  const r = await env.app.inject({ method, url, headers: { ...c.headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  return { status: r.statusCode, body: JSON.parse(r.body) };
}

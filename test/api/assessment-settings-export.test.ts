/**
 * Ranking as a city setting and the assessment table as a download (issue 10 parts 2, 6, 7): rankings are off by
 * default (rows by name, each beside its own previous month), a leader turns them on (rank by score, ties shared);
 * a bad stored value falls back to the defaults and is reported; the table downloads as CSV and XLSX through the
 * shared writer with the table's own scope, and each download is audited.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';
import { act, photo } from '../support/case-flow.ts';
import { runAssessmentCount } from '../../src/jobs/assessment-count.job.ts';

const BOM = '\uFEFF';
const csvRows = (body: string) => body.replace(BOM, '').split('\r\n').filter((l) => l.length > 0).map((l) => l.split(','));

for (const store of storesUnderTest()) {
  describe(`assessment settings and export [${store}]`, () => {
    let env: TestEnv;
    let leader: Client, unitLeader: Client, handler1: Client;
    let u1: string, u2: string;
    const month = '2026-11';
    const q = `dim=unit&period=month&value=${month}`;
    const put = (c: Client, url: string, body: unknown) => request(env.app, 'PUT', url, { body, headers: c.headers });
    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      const inspector = await userClient(env.app, env.ctx, 'inspector');
      const checker = await userClient(env.app, env.ctx, 'inspector');
      const dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      leader = await userClient(env.app, env.ctx, 'centre_leader');
      const p = demoPoint(env, 0);
      const mk = async () => (await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: '排名测试', location: { lon: p.lon, lat: p.lat } })).body;
      const a = await mk();
      const b = await mk();
      u1 = a.routing.unit.id;
      u2 = [...env.ctx.ref.current().units.values()].find((u) => u.id !== u1 && u.active)!.id;
      handler1 = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [u1] });
      unitLeader = await userClient(env.app, env.ctx, 'unit_leader', { unitIds: [u2], regionIds: [] });
      await act(dispatcher, a.id, 'dispatch', { unitId: u1 });
      await act(dispatcher, b.id, 'dispatch', { unitId: u2 });
      await act(handler1, a.id, 'sign');
      await act(handler1, a.id, 'dispose', { result: '已清理', photos: [await photo(env, handler1)] });
      await act(dispatcher, a.id, 'send-check');
      await act(checker, a.id, 'check-pass');
      await runAssessmentCount(env.ctx);
    });
    after(async () => env?.close());

    test('rankings are off by default: rows by name, no rank, each beside its own previous month', async () => {
      assert.deepEqual((await leader.get('/api/v1/assessment/settings')).body, { showRanking: false });
      const r = await leader.get(`/api/v1/assessment/indicators?${q}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.ranking, false);
      assert.equal(r.body.previousMonth, '2026-10');
      const names = r.body.rows.map((x: { name: string }) => x.name);
      assert.deepEqual(names, [...names].sort((x: string, y: string) => x.localeCompare(y, 'zh-CN')));
      for (const row of r.body.rows) {
        assert.equal('rank' in row, false);
        assert.equal(row.previousScore, null, 'nothing was counted in October');
      }
      // December's table compares each unit with its November
      const dec = await leader.get('/api/v1/assessment/indicators?dim=unit&period=month&value=2026-12');
      assert.equal(dec.body.previousMonth, month);
      const row1 = dec.body.rows.find((x: { key: string }) => x.key === u1);
      assert.equal(row1.previousScore, 100);
      // other periods have no previous month
      assert.equal((await leader.get('/api/v1/assessment/indicators?dim=unit&period=day&value=2026-11-25')).body.previousMonth, null);
    });

    test('a leader turns rankings on: ranked by score; a unit leader may not; bad values name the field', async () => {
      assert.equal((await put(unitLeader, '/api/v1/assessment/settings', { showRanking: true })).status, 403);
      const bad = await put(leader, '/api/v1/assessment/settings', { showRanking: 'yes' });
      assert.equal(bad.status, 400);
      assert.match(String(bad.body.error.field), /showRanking/);
      const unknown = await put(leader, '/api/v1/assessment/settings', { showRanking: true, publish: true });
      assert.equal(unknown.status, 400);
      const ok = await put(leader, '/api/v1/assessment/settings', { showRanking: true });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body, { showRanking: true });
      const r = await leader.get(`/api/v1/assessment/indicators?${q}`);
      assert.equal(r.body.ranking, true);
      const [first, second] = r.body.rows;
      assert.deepEqual([first.key, first.rank, first.score.value], [u1, 1, 100]);
      assert.deepEqual([second.key, second.rank], [u2, 2]);
      const quiet = r.body.rows.find((x: { counters: { to_handle: number } }) => x.counters.to_handle === 0);
      assert.equal(quiet.rank, null, 'a unit without data has no rank');
      await put(leader, '/api/v1/assessment/settings', { showRanking: false });
    });

    test('a bad stored setting: the defaults apply and the problem is listed for leaders', async () => {
      await env.ctx.store.transaction(async (tx) => { await tx.settings.write('assessment_settings', { showRanking: 'sometimes' }); await tx.settings.bumpReferenceVersion(); });
      await env.ctx.ref.load();
      const r = await leader.get('/api/v1/assessment/settings');
      assert.equal(r.status, 200);
      assert.equal(r.body.showRanking, false);
      assert.equal(r.body.problems[0].setting, 'assessment_settings');
      assert.equal((await unitLeader.get('/api/v1/assessment/settings')).body.problems, undefined);
      assert.equal((await leader.get(`/api/v1/assessment/indicators?${q}`)).status, 200);
      await put(leader, '/api/v1/assessment/settings', { showRanking: false });
    });

    test('CSV: the whole table with the table\'s scope; XLSX the same; audited; bad input names the field', async () => {
      const r = await leader.get(`/api/v1/assessment/export?format=csv&${q}`);
      assert.equal(r.status, 200, String(r.body));
      assert.match(String(r.headers['content-disposition']), /filename\*=UTF-8''%E8%80%83%E6%A0%B8-unit-2026-11\.csv/);
      const rows = csvRows(String(r.body));
      assert.deepEqual(rows[0].slice(0, 4), ['编码', '名称', '得分', '上月得分（2026-10）']);
      assert.ok(rows[0].includes('处置率(%)'));
      const table = (await leader.get(`/api/v1/assessment/indicators?${q}`)).body;
      assert.equal(rows.length - 1, table.rows.length, 'one line per row of the table');
      const line = rows.find((x) => x[0] === u1)!;
      assert.equal(line[2], '100');
      assert.equal(line[rows[0].indexOf('处置率(%)')], '100');
      // the unit leader's download holds their own unit only
      const mine = csvRows(String((await unitLeader.get(`/api/v1/assessment/export?format=csv&lang=en&${q}`)).body));
      assert.equal(mine[0][1], 'Name');
      assert.deepEqual(mine.slice(1).map((x) => x[0]), [u2]);
      // ranking on → a rank column
      await put(leader, '/api/v1/assessment/settings', { showRanking: true });
      const x = await env.app.inject({ method: 'GET', url: `/api/v1/assessment/export?format=xlsx&${q}`, headers: leader.headers });
      assert.equal(x.statusCode, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.rawPayload as never);
      const ws = wb.worksheets[0];
      assert.deepEqual((ws.getRow(1).values as unknown[]).slice(1, 5), ['编码', '名称', '名次', '得分']);
      assert.deepEqual((ws.getRow(2).values as unknown[]).slice(1, 5), [u1, env.ctx.ref.current().units.get(u1)!.name, 1, 100]);
      await put(leader, '/api/v1/assessment/settings', { showRanking: false });
      const audit = await env.db.selectFrom('export_history').select(['action', 'kind', 'rows']).where('kind', '=', 'assessment').execute();
      assert.equal(audit.length, 3);
      assert.ok(audit.every((a) => a.action === 'streamed'));
      assert.equal((await leader.get(`/api/v1/assessment/export?format=pdf&${q}`)).status, 400);
      const dim = await leader.get('/api/v1/assessment/export?format=csv&dim=planet');
      assert.equal(dim.status, 400);
      assert.equal(dim.body.error.field, 'dim');
      assert.equal((await unitLeader.get(`/api/v1/assessment/export?format=csv&dim=city&period=month&value=${month}`)).status, 403);
      assert.equal((await handler1.get(`/api/v1/assessment/export?format=csv&${q}`)).status, 403);
    });
  });
}

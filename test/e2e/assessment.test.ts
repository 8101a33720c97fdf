/**
 * Browser test of the assessment console (issue 10 part A): a centre leader opens the month's assessment, finds the
 * unit's row, clicks its on-time disposal rate and gets exactly the case behind it with why it counted; opens the
 * unit's own past months; the unit leader's dashboard shows the live month and the overdue case that will hurt; the
 * A4 report renders; a quarter and a custom range change the table, the export link and the report.
 * Rankings are a city setting (off by default); a leader turns them on from the table. Screenshots at 1920×1080.
 *
 * Run: node web/build.mjs && node --import tsx --test test/e2e/assessment.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { act, photo } from '../support/case-flow.ts';
import { createUser } from '../../src/commands/user-create.ts';
import { runAssessmentCount } from '../../src/jobs/assessment-count.job.ts';
import { launchBrowser, SCREENSHOTS, signIn } from './browser.ts';

const WEB_DIR = path.resolve(process.env.CITYOPS_WEB_DIR ?? 'web/dist');
const PASSWORD = 'correct horse battery';

test('assessment: the table, a drill-down with reasons, the own-month trend, the unit leader\'s live month, the A4 report', async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `${WEB_DIR} is not built (node web/build.mjs)`);
  const env = await createDemoEnv('sqlite', { now: Date.now(), config: { webDir: WEB_DIR } });
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const desk = await launchBrowser({ width: 1920, height: 1080 });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  try {
    await loadGridPoints(env);
    const inspector = await userClient(env.app, env.ctx, 'inspector');
    const checker = await userClient(env.app, env.ctx, 'inspector');
    const dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
    const report = async (n: number) => {
      const p = demoPoint(env, n);
      const r = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: '路边暴露垃圾', location: { lon: p.lon, lat: p.lat } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    const done = await report(0);
    const unitId = done.routing.unit.id as string;
    const late = await report(0);
    const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
    for (const c of [done, late]) await act(dispatcher, c.id, 'dispatch', { unitId });
    await act(handler, done.id, 'sign');
    await act(handler, done.id, 'dispose', { result: '已清运', photos: [await photo(env, handler)] });
    await act(dispatcher, done.id, 'send-check');
    await act(checker, done.id, 'check-pass');
    // the other case is left open past its deadline (its due time moved into the past)
    await env.db.updateTable('cases').set({ handle_due_at: Date.now() - 3_600_000 }).where('id', '=', late.id).execute();
    await act(handler, late.id, 'sign');
    await runAssessmentCount(env.ctx);

    await createUser(env.ctx, { username: 'kh-leader', password: PASSWORD, roles: ['centre_leader'], unitIds: [], regionIds: [[...env.ctx.ref.current().regions.values()].find((r) => r.parentId === null)!.id], displayName: '中心领导' }, null);
    await createUser(env.ctx, { username: 'kh-unit', password: PASSWORD, roles: ['unit_leader'], unitIds: [unitId], regionIds: [], displayName: '单位领导' }, null);
    const errors: string[] = [];
    const page = await desk.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, address, { username: 'kh-leader', password: PASSWORD });
    await page.waitForURL((u) => !u.pathname.startsWith('/login')); // a centre leader lands on the big screen
    await page.goto(`${address}/assessment`);
    const unitName = env.ctx.ref.current().units.get(unitId)!.name;
    const row = page.locator('table.assess-table tbody tr', { has: page.getByRole('rowheader', { name: unitName }) });
    await row.waitFor();
    // 1 of 2 handled on time → 50.0 %
    const cell = row.locator('button[data-indicator="on_time_disposal_rate"]');
    assert.equal((await cell.textContent())?.trim(), '50.0%');
    await cell.click();
    const drill = page.getByRole('region', { name: '下钻明细' });
    await drill.getByRole('link', { name: done.caseNo }).waitFor();
    assert.equal(await drill.locator('tbody tr').count(), 1, 'exactly the case behind the number');
    assert.match((await drill.locator('.assess-reason').first().textContent()) ?? '', /处置 .*时限 .*→ 按期/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'assessment-drill.png') });
    // the unit's own past months
    await row.getByRole('button', { name: unitName }).click();
    await page.getByRole('region', { name: '本单位历史对比' }).locator('canvas').first().waitFor();
    // rankings are off by default (the national rule): no rank column, each row beside its own last month
    assert.equal(await page.locator('table.assess-table thead th', { hasText: '名次' }).count(), 0);
    await page.locator('table.assess-table thead th', { hasText: '较上月' }).waitFor();
    await page.getByLabel('显示排名').check();
    await page.locator('table.assess-table thead th', { hasText: '名次' }).waitFor();
    assert.equal((await row.locator('td.assess-rank').textContent())?.trim(), '1');
    await page.getByLabel('显示排名').uncheck();
    await page.locator('table.assess-table thead th', { hasText: '名次' }).waitFor({ state: 'detached' });
    // sorting by a column flips the order marker
    await page.getByRole('button', { name: /^处置率/ }).click();
    await page.locator('th[aria-sort="descending"]', { hasText: '处置率' }).waitFor();
    // the coordination indicators (joint action, summons) beside the table, each header carrying its definition
    const coordination = page.getByRole('region', { name: '联勤联动与吹哨报到' });
    await coordination.getByRole('columnheader', { name: '协办按期完成率' }).waitFor();
    assert.match((await coordination.locator('th[data-def="summons_on_time_rate"]').getAttribute('title')) ?? '', /按时报到率 = /);
    await coordination.screenshot({ path: path.join(SCREENSHOTS, 'assessment-coordination.png') });

    // the week's table, and its download through the shared export writer
    await page.getByRole('radio', { name: '周' }).click();
    await row.waitFor();
    const href = await page.getByRole('link', { name: '导出 Excel' }).getAttribute('href');
    assert.match(href ?? '', /^\/api\/v1\/assessment\/export\?format=xlsx&dim=unit&period=week&value=\d{4}-W\d{2}&lang=zh$/);
    const dl = await page.request.get(`${address}${href}`);
    assert.equal(dl.status(), 200);
    assert.match(dl.headers()['content-type'] ?? '', /spreadsheetml/);
    // a quarter (YYYY-Qn from the picker): the same row, counted over the quarter; the export follows
    const today = new Date(Date.now() + env.ctx.config.utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
    const thisQuarter = `${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
    await page.getByRole('radio', { name: '季度' }).click();
    await page.getByLabel('季度', { exact: true }).selectOption(thisQuarter);
    assert.equal((await cell.textContent())?.trim(), '50.0%');
    assert.equal(await page.getByRole('link', { name: '导出 CSV' }).getAttribute('href'), `/api/v1/assessment/export?format=csv&dim=unit&period=quarter&value=${thisQuarter}&lang=zh`);
    assert.equal(await page.getByRole('link', { name: /打印季报/ }).getAttribute('href'), `/assessment/report?period=quarter&value=${thisQuarter}&dim=unit`);
    // a custom range: one before the cases were reported shows none of them; widened to today, the row is back
    await page.getByRole('radio', { name: '自定义' }).click();
    const lastYear = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
    const monthBefore = new Date(Date.parse(`${today}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('开始日期').fill(lastYear);
    await page.getByLabel('结束日期').fill(monthBefore);
    await page.locator('table.assess-table tbody td.muted', { hasText: '本期没有可查看的数据' }).or(row.locator('td', { hasText: '—' }).first()).first().waitFor();
    assert.equal(await row.locator('button[data-indicator="on_time_disposal_rate"]').count(), 0, 'no counted case before the cases were reported');
    let csv = await page.getByRole('link', { name: '导出 CSV' }).getAttribute('href');
    assert.equal(csv, `/api/v1/assessment/export?format=csv&dim=unit&period=custom&from=${lastYear}&to=${monthBefore}&lang=zh`);
    await page.getByLabel('结束日期').fill(today);
    await page.getByText(/共 \d+ 天/).waitFor();
    await cell.waitFor();
    assert.equal((await cell.textContent())?.trim(), '50.0%');
    csv = await page.getByRole('link', { name: '导出 CSV' }).getAttribute('href');
    assert.equal(csv, `/api/v1/assessment/export?format=csv&dim=unit&period=custom&from=${lastYear}&to=${today}&lang=zh`);
    const dlc = await page.request.get(`${address}${csv}`);
    assert.equal(dlc.status(), 200);
    assert.ok((await dlc.text()).includes(unitName));
    // the range's drill-down finds the same case
    await cell.click();
    await drill.getByRole('link', { name: done.caseNo }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'assessment-custom.png') });
    // the printable report of the range
    await page.getByRole('link', { name: /打印报告/ }).click();
    await page.getByRole('heading', { name: /至.*城市运行综合考核报告/ }).waitFor();
    assert.ok(await page.locator('.assess-print-table tbody tr', { hasText: unitName }).count() === 1);
    await page.goto(`${address}/assessment/report?period=quarter&value=${thisQuarter}&dim=unit`);
    await page.getByRole('heading', { name: new RegExp(`${thisQuarter.slice(0, 4)}年第${thisQuarter.slice(-1)}季度 城市运行综合考核季报`) }).waitFor();
    await page.goto(`${address}/assessment`);
    await row.waitFor();
    // the printable report
    await page.goto(`${address}/assessment/report?dim=unit`);
    await page.getByRole('heading', { name: /城市运行综合考核月报/ }).waitFor();
    assert.ok(await page.locator('.assess-print-table tbody tr').count() >= 1);

    // the unit leader's live month
    await desk.context.clearCookies();
    await signIn(page, address, { username: 'kh-unit', password: PASSWORD });
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`${address}/assessment/unit`);
    const hurt = page.locator('table.assess-hurt tr.hurt-overdue');
    await hurt.getByRole('link', { name: late.caseNo }).waitFor();
    // the unit's own past months, always on the unit leader's page
    await page.getByRole('region', { name: '本单位历史对比' }).locator('canvas').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'assessment-unit.png') });
    assert.deepEqual(errors, []);
  } finally {
    await desk.close();
    await env.close();
  }
});

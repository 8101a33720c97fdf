/**
 * Browser test of exports (issue 10 part 6) on the built console: a dispatcher exports the filtered case list;
 * above the city's limit (set to 5 here) the console asks for a reason and the request waits; a centre leader
 * approves it on /exports; the export job generates it and the dispatcher downloads the file (a CSV for Excel:
 * BOM, Chinese headers, one row per case). A small export within the limit starts at once. Screenshots at
 * 1920×1080 and on a phone.
 *
 * Run: node web/build.mjs && node --import tsx --test test/e2e/exports.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { createUser } from '../../src/commands/user-create.ts';
import { runExportJob } from '../../src/jobs/export.job.ts';
import { launchBrowser, SCREENSHOTS, signIn as signInAt } from './browser.ts';

const WEB_DIR = path.resolve(process.env.CITYOPS_WEB_DIR ?? 'web/dist');
const PASSWORD = 'correct horse battery';

test('exports: above the limit a leader approves on /exports, the file is generated and downloaded; within it the export starts at once', async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `${WEB_DIR} is not built (node web/build.mjs)`);
  const env = await createDemoEnv('sqlite', { now: Date.now(), config: { webDir: WEB_DIR } });
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const desk = await launchBrowser({ width: 1920, height: 1080 });
  const phone = await launchBrowser({ width: 390, height: 844 });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  try {
    await loadGridPoints(env);
    const op = await userClient(env.app, env.ctx, 'operator');
    for (let i = 0; i < 8; i++) {
      const p = demoPoint(env, i * 53);
      const r = await op.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: `导出浏览器测试 ${i}`, urgency: i === 0 ? 'urgent' : 'normal', location: { lon: p.lon, lat: p.lat }, reporter: { name: '李四', phone: '13800001111' } });
      assert.equal(r.status, 201);
    }
    const admin = await userClient(env.app, env.ctx, 'admin');
    const put = await env.app.inject({ method: 'PUT', url: '/api/v1/exports/policy', headers: { ...admin.headers, 'content-type': 'application/json' }, payload: JSON.stringify({ approvalAboveRows: 5, maxRows: 1000, keepHours: 24 }) });
    assert.equal(put.statusCode, 200);
    const city = [...env.ctx.ref.current().regions.values()].find((r) => r.parentId === null)!.id;
    await createUser(env.ctx, { username: 'exp-dispatcher', password: PASSWORD, roles: ['dispatcher'], unitIds: [], regionIds: [city], displayName: '导出派遣员' }, null);
    await createUser(env.ctx, { username: 'exp-leader', password: PASSWORD, roles: ['centre_leader'], unitIds: [], regionIds: [city], displayName: '导出审批领导' }, null);
    const errors: string[] = [];
    const signIn = async (context: BrowserContext, page: Page, username: string) => {
      await context.clearCookies();
      await signInAt(page, address, { username, password: PASSWORD });
      // a centre leader lands on the big screen (no top bar): wait until the sign-in page is left
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    };

    // ---- the dispatcher exports everything: above the limit, a reason and a leader are needed ----
    const page = await desk.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(desk.context, page, 'exp-dispatcher');
    await page.goto(`${address}/cases?sort=newest`);
    await page.getByTestId('case-total').filter({ hasText: '8' }).waitFor();
    const menu = page.getByTestId('export-menu');
    await menu.locator('summary').click();
    await menu.getByLabel('CSV（Excel 可直接打开）').check();
    await menu.getByTestId('export-start').click();
    await menu.getByTestId('export-reason').fill('月度案件分析');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'exports-reason-1920.png') });
    await menu.getByTestId('export-start').click();
    await menu.getByTestId('export-progress').filter({ hasText: '待审批' }).waitFor();

    // ---- a centre leader approves it on /exports ----
    const lead = await phone.context.newPage();
    lead.on('pageerror', (e) => errors.push(e.message));
    await signIn(phone.context, lead, 'exp-leader');
    await lead.goto(`${address}/exports`);
    await lead.getByRole('tab', { name: '待我审批' }).click();
    const row = lead.getByTestId('export-row').filter({ hasText: '月度案件分析' });
    await row.waitFor();
    assert.match(await row.innerText(), /导出派遣员/);
    await lead.screenshot({ path: path.join(SCREENSHOTS, 'exports-approve-phone.png') });
    await row.getByTestId('export-approve').click();
    await lead.getByText('没有待审批的导出').waitFor();

    // ---- the job generates it; the dispatcher sees it ready on /exports and downloads it ----
    assert.equal((await runExportJob(env.ctx)).generated, 1);
    await page.goto(`${address}/exports`);
    const mine = page.getByTestId('export-row').first();
    await mine.getByTestId('export-progress').filter({ hasText: '可下载' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'exports-mine-1920.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), mine.getByTestId('export-download').click()]);
    assert.match(download.suggestedFilename(), /^案件导出-\d{8}-\d{4}\.csv$/);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    assert.ok(text.startsWith('\uFEFF案件编号,状态'), 'BOM and Chinese headers');
    assert.equal(text.split('\r\n').filter(Boolean).length, 1 + 8);
    assert.ok(text.includes('138****1111'), 'a dispatcher sees reporters masked');

    // ---- within the limit: a filtered export starts at once and shows its progress until ready ----
    await page.goto(`${address}/cases?sort=newest&urgency=urgent`);
    const menu2 = page.getByTestId('export-menu');
    await menu2.locator('summary').click();
    await menu2.getByTestId('export-start').click();
    await menu2.getByTestId('export-progress').waitFor();
    assert.equal((await runExportJob(env.ctx)).generated, 1);
    await menu2.getByTestId('export-download').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await desk.close();
    await phone.close();
    await env.close();
  }
});

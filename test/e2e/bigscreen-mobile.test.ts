/**
 * Browser test of the leaders' big screen and the inspector's phone view (issue 4), on the built console.
 *
 * Big screen (1920×1080): the map draws with grids coloured by their open cases (feature state), the totals match
 * /api/v1/stats/overview, and a case created through the API appears in the live ticker and colours its grid
 * without a reload. Phone (390×844, geolocation granted at a fixed point in the demo city): the task to verify
 * is listed nearest first and verified through the UI; a patrol report with a photo is filed and the API shows it;
 * offline, a report is kept as a draft (待发送 1) and sent exactly once when the phone is back online.
 * Screenshots: test/e2e/screenshots/bigscreen-1920.png and mobile-390.png (CI artifacts), plus a few more.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { launchBrowser, SCREENSHOTS, demoAccount, signIn } from './browser.ts';

const WEB_DIR = process.env.CITYOPS_WEB_DIR ? path.resolve(process.env.CITYOPS_WEB_DIR) : path.resolve('web/dist');


/** A real (small, solid orange) PNG, so the photo preview shows and the server's image check passes. */
function png(size = 48): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([0xf5, 0x7c, 0x00]))]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function reportCase(c: Client, p: { lon: number; lat: number }, description: string, matterCode = '06010') {
  const r = await c.post('/api/v1/cases', { channel: 'hotline', matterCode, description, location: { lon: p.lon, lat: p.lat } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { id: number; caseNo: string; version: number; grid: { id: string } | null; street: { name: string } | null; matter: { name: string } };
}

/** A case waiting for on-site verification: reported by hotline, accepted, sent to verify. */
async function caseToVerify(c: Client, p: { lon: number; lat: number }, description: string) {
  const created = await reportCase(c, p, description);
  const a = await c.post(`/api/v1/cases/${created.id}/accept`, {});
  assert.equal(a.status, 200, JSON.stringify(a.body));
  const v = await c.post(`/api/v1/cases/${created.id}/request-verify`, { note: '请现场核实' });
  assert.equal(v.status, 200, JSON.stringify(v.body));
  assert.equal(v.body.state, 'VERIFYING');
  return created;
}

/** A case waiting for the inspector's check (核查): superior order → dispatched → signed → disposed with a photo → sent for check. */
async function caseToCheck(env: Awaited<ReturnType<typeof createDemoEnv>>, c: Client, p: { lon: number; lat: number }, description: string) {
  const created = await c.post('/api/v1/cases', { channel: 'superior', matterCode: '06010', description, location: { lon: p.lon, lat: p.lat } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.state, 'REGISTERED');
  const id = created.body.id as number;
  const unitId = created.body.routing.unit.id as string;
  const step = async (who: Client, action: string, body: Record<string, unknown> = {}) => {
    const r = await who.post(`/api/v1/cases/${id}/${action}`, body);
    assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await step(c, 'dispatch', { unitId });
  const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId], regionIds: [] });
  await step(handler, 'sign');
  const boundary = `----e2e${Date.now()}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="done.png"\r\nContent-Type: image/png\r\n\r\n`),
    png(), Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const up = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', payload, headers: { ...handler.headers, 'content-type': `multipart/form-data; boundary=${boundary}` } });
  assert.equal(up.statusCode, 201, up.body);
  await step(handler, 'dispose', { result: '已清理', photos: [JSON.parse(up.body).id] });
  const checking = await step(c, 'send-check');
  assert.equal(checking.state, 'CHECKING');
  return created.body as { id: number; caseNo: string };
}

test('big screen and phone view: live map and counts; verify, report with a photo, offline draft sent once', async (t) => {
  // npm run test:e2e builds the console first; a missing build is a failure, never a skip.
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `${WEB_DIR} is not built (npm run build:web)`);
  // Real time: the session cookie's expiry is computed from the server clock.
  const env = await createDemoEnv('sqlite', { now: Date.now(), config: { webDir: WEB_DIR } });
  await loadGridPoints(env);
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const shot = (name: string) => path.join(SCREENSHOTS, name);
  const operator = await userClient(env.app, env.ctx, ['operator', 'shift_leader']);
  const leaderApi = await userClient(env.app, env.ctx, 'centre_leader');
  const run = Date.now().toString(36);

  // Some open cases before the screen opens, in a few grids.
  const seeded = [];
  for (const n of [0, 1, 2, 5, 9]) seeded.push(await reportCase(operator, demoPoint(env, n), `大屏测试 ${run} ${n}`));

  try {
    // ---------------------------------------------------------------- big screen, 1920×1080
    {
      const { context, close } = await launchBrowser({ width: 1920, height: 1080 });
      try {
        const errors: string[] = [];
        const external: string[] = [];
        context.on('request', (r) => { if (new URL(r.url()).hostname !== '127.0.0.1') external.push(r.url()); });
        const page = await context.newPage();
        page.on('pageerror', (e) => errors.push(e.message));
        await signIn(page, address, demoAccount(env.dataDir, 'centre_leader'));
        await page.waitForURL(/\/bigscreen$/);
        await page.getByRole('heading', { name: /江海市/ }).waitFor();
        await page.locator('.bs-map .map canvas').waitFor();
        await page.locator('.bs-map[data-map-ready="true"]').waitFor({ timeout: 30_000 });

        // The grids of the seeded cases are coloured (feature state on the grid layer).
        await page.waitForFunction(() => Number(document.querySelector('.bs-map')?.getAttribute('data-coloured-grids')) >= 1, null, { timeout: 20_000 });
        const seededGrids = [...new Set(seeded.map((c) => c.grid!.id))];
        await page.waitForFunction((ids) => {
          const m = (window as unknown as { cityopsMap?: { getFeatureState(f: { source: string; id: string }): Record<string, unknown> } }).cityopsMap;
          return !!m && ids.every((id) => typeof m.getFeatureState({ source: 'grids', id }).color === 'string');
        }, seededGrids, { timeout: 20_000 });
        const gridStats = (await leaderApi.get('/api/v1/stats/grids')).body as { items: [string, number, number, number][] };
        assert.ok(seededGrids.every((g) => gridStats.items.some(([id]) => id === g)), 'the API counts the seeded grids');
        const coloured = Number(await page.locator('.bs-map').getAttribute('data-coloured-grids'));
        assert.equal(coloured, gridStats.items.length, 'exactly the grids with open cases are coloured');
        assert.ok(Number(await page.locator('.bs-map').getAttribute('data-grid-count')) > seededGrids.length, 'the whole city\'s grids are known');

        // The totals are the server's.
        const overview = (await leaderApi.get('/api/v1/stats/overview')).body as { totals: Record<string, number> };
        assert.ok(overview.totals.open >= seeded.length, JSON.stringify(overview.totals));
        for (const k of ['open', 'todayIntake', 'todayClosed', 'warning', 'overdue', 'hung']) {
          await page.waitForFunction(([key, want]) => document.querySelector(`[data-testid="bs-total-${key}"]`)?.textContent === want,
            [k, String(overview.totals[k])] as const, { timeout: 15_000 });
        }
        // Counts by state and today's intake are drawn.
        assert.ok(await page.locator('[aria-label="在办案件 · 按状态"] canvas').count() >= 1, 'the state chart is drawn');
        assert.ok(await page.locator('[aria-label="今日受理 · 按渠道"] canvas').count() >= 1, 'the intake chart is drawn');
        await page.getByText('各街镇在办案件').waitFor();

        // A case created through the API appears in the ticker and colours its grid, without a reload.
        await page.locator('.bs-live.bs-live-on').waitFor({ timeout: 15_000 });
        let n = 20;
        while (seededGrids.includes(demoPoint(env, n).gridId)) n++;
        const fresh = await reportCase(operator, demoPoint(env, n), `大屏实时 ${run}`, '06010');
        const row = page.locator(`[data-testid="bs-ticker"] li[data-case-id="${fresh.id}"]`);
        await row.waitFor({ timeout: 15_000 });
        const text = (await row.textContent()) ?? '';
        assert.ok(text.includes(fresh.matter.name), `ticker shows the matter: ${text}`);
        assert.ok(fresh.street && text.includes(fresh.street.name), `ticker shows the street: ${text}`);
        assert.ok(text.includes('12345热线'), `ticker shows the channel: ${text}`);
        await page.waitForFunction((id) => {
          const m = (window as unknown as { cityopsMap?: { getFeatureState(f: { source: string; id: string }): Record<string, unknown> } }).cityopsMap;
          return typeof m?.getFeatureState({ source: 'grids', id }).color === 'string';
        }, fresh.grid!.id, { timeout: 15_000 });
        // A burst of reports (the screen batches colour updates per frame): every one reaches the ticker.
        const burst = [];
        for (let i = 0; i < 20; i++) burst.push(await reportCase(operator, demoPoint(env, 100 + i * 7), `大屏连续 ${run} ${i}`, i % 2 ? '06010' : '06012'));
        await page.waitForFunction((ids) => ids.every((id) => document.querySelector(`[data-testid="bs-ticker"] li[data-case-id="${id}"]`)),
          burst.map((c) => String(c.id)), { timeout: 20_000 });
        const burstGrids = [...new Set(burst.map((c) => c.grid!.id))];
        await page.waitForFunction((ids) => {
          const m = (window as unknown as { cityopsMap?: { getFeatureState(f: { source: string; id: string }): Record<string, unknown> } }).cityopsMap;
          return !!m && ids.every((id) => typeof m.getFeatureState({ source: 'grids', id }).color === 'string');
        }, burstGrids, { timeout: 20_000 });
        // The counts follow without a reload once the server counts again (its cache lasts 5 s of its clock).
        env.clock.set(Math.max(Date.now(), env.clock.now() + 6_000));
        const after = (await leaderApi.get('/api/v1/stats/overview')).body as { totals: Record<string, number> };
        assert.equal(after.totals.open, overview.totals.open + 1 + burst.length);
        for (const k of ['open', 'todayIntake']) {
          await page.waitForFunction(([key, want]) => document.querySelector(`[data-testid="bs-total-${key}"]`)?.textContent === want,
            [k, String(after.totals[k])] as const, { timeout: 20_000 });
        }
        // The page does not scroll at 1920×1080.
        const overflow = await page.evaluate(() => ({ h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth }));
        assert.ok(overflow.h <= 1080 && overflow.w <= 1920, `no scrolling at 1920×1080: ${JSON.stringify(overflow)}`);
        await page.waitForTimeout(600); // let the new ticker row finish sliding in before the picture
        await page.screenshot({ path: shot('bigscreen-1920.png') });

        assert.deepEqual(errors, [], 'no uncaught errors on the big screen');
        assert.deepEqual(external, [], 'nothing is fetched from outside the machine');
      } finally {
        await close();
      }
    }

    // ---------------------------------------------------------------- phone, 390×844
    {
      const near = demoPoint(env, 3);
      let farN = 60;
      while (demoPoint(env, farN).gridId === near.gridId) farN++;
      const nearCase = await caseToVerify(operator, near, `手机核实 近 ${run}`);
      const farCase = await caseToVerify(operator, demoPoint(env, farN), `手机核实 远 ${run}`); // newer, but further away
      const checkCase = await caseToCheck(env, operator, demoPoint(env, 4), `手机核查 ${run}`);

      const { context, close } = await launchBrowser({ width: 390, height: 844 });
      try {
        await context.grantPermissions(['geolocation'], { origin: address });
        await context.setGeolocation({ longitude: near.lon + 0.0003, latitude: near.lat + 0.0002, accuracy: 15 });
        const errors: string[] = [];
        const page = await context.newPage();
        page.on('pageerror', (e) => errors.push(e.message));
        await signIn(page, address, demoAccount(env.dataDir, 'inspector'));
        await page.waitForURL(/\/m$/);

        // Tasks, nearest first (the far one is newer).
        await page.getByTestId('m-geo').getByText('按距离由近到远排序').waitFor({ timeout: 15_000 });
        const tasks = page.locator('[data-testid="m-tasks"] a.m-task');
        await tasks.first().waitFor();
        const order = await tasks.evaluateAll((as) => as.map((a) => a.getAttribute('data-case-no')));
        assert.ok(order.includes(farCase.caseNo), 'the far task is listed too');
        assert.equal(order[0], nearCase.caseNo, `nearest first: ${order.join(', ')}`);
        const firstText = (await tasks.first().textContent()) ?? '';
        assert.match(firstText, /\d+ 米/, `distance shown: ${firstText}`);
        assert.match(firstText, /剩|超时/, `time left shown: ${firstText}`);
        await page.screenshot({ path: shot('mobile-390.png') });

        // Verify through the UI.
        await tasks.first().click();
        await page.getByRole('heading', { name: nearCase.matter.name }).waitFor();
        await page.locator('.m-taskview .map canvas').waitFor();
        await page.getByLabel('不属实').waitFor();
        await page.getByLabel('属实', { exact: true }).check();
        await page.getByLabel('备注').fill('现场确认垃圾堆积');
        await page.screenshot({ path: shot('mobile-390-task.png') });
        await page.getByRole('button', { name: '提交', exact: true }).click();
        await page.getByText(`已提交：${nearCase.caseNo}`).waitFor();
        const verified = await operator.get(`/api/v1/cases/${nearCase.id}`);
        assert.equal(verified.body.state, 'REGISTERED', 'the verify reached the server');
        await page.locator(`a.m-task[data-case-no="${farCase.caseNo}"]`).waitFor();
        assert.equal(await page.locator(`a.m-task[data-case-no="${nearCase.caseNo}"]`).count(), 0, 'the verified task left the list');

        // The check (核查): not passed, with the reason → back to the unit for rework.
        await page.locator(`a.m-task[data-case-no="${checkCase.caseNo}"]`).click();
        await page.getByText('核查结果').waitFor();
        assert.equal(await page.getByLabel('属实', { exact: true }).count(), 0, 'a case to check offers no verification');
        await page.getByLabel('核查不通过').check();
        await page.getByLabel('不通过原因（需返工的问题）').fill('路面仍有残留垃圾');
        await page.getByRole('button', { name: '提交', exact: true }).click();
        await page.getByText(`已提交：${checkCase.caseNo}`).waitFor();
        const checked = await operator.get(`/api/v1/cases/${checkCase.id}`);
        assert.equal(checked.body.state, 'IN_PROGRESS', 'check failed → rework');
        const checkHistory = (await operator.get(`/api/v1/cases/${checkCase.id}/history`)).body.items as { action: string; reason: string | null }[];
        assert.equal(checkHistory.at(-1)?.action, 'check_fail');
        assert.equal(checkHistory.at(-1)?.reason, '路面仍有残留垃圾');

        // A patrol report with a photo.
        const photo = { name: 'scene.png', mimeType: 'image/png', buffer: png() };
        const fillReport = async (description: string) => {
          await page.getByLabel('问题描述').fill(description);
          await page.locator('#m-matter option[value="06010"]').waitFor({ state: 'attached' });
          await page.getByLabel('事项类型').selectOption('06010');
          await page.getByLabel('现场照片（1–6 张）').setInputFiles(photo);
          await page.locator('.m-thumbs img').waitFor();
          await page.getByTestId('m-point').getByText('GPS 定位').waitFor();
        };
        await page.getByRole('link', { name: /上报问题/ }).click();
        await page.getByRole('heading', { name: '上报问题' }).waitFor();
        const online1 = `小区门口垃圾堆积 在线 ${run}`;
        await fillReport(online1);
        await page.locator('.m-report .map canvas').waitFor();
        await page.screenshot({ path: shot('mobile-390-report.png'), fullPage: true });
        await page.getByRole('button', { name: '提交上报' }).click();
        await page.getByText('上报成功').waitFor();
        const caseNo = (await page.getByTestId('m-report-caseno').textContent())!.trim();
        const listed = (await operator.get('/api/v1/cases?limit=50')).body.items as { id: number; caseNo: string; description: string; channel: string; state: string }[];
        const filed = listed.find((c) => c.caseNo === caseNo);
        assert.ok(filed, `the report ${caseNo} is in the API`);
        assert.equal(filed.description, online1);
        assert.equal(filed.channel, 'patrol');
        assert.equal(filed.state, 'REGISTERED');
        const history = (await operator.get(`/api/v1/cases/${filed.id}/history`)).body.items as { attachmentIds: string[] }[];
        assert.equal(history.flatMap((h) => h.attachmentIds).length, 1, 'the photo is attached');

        // Offline: the report is kept as a draft, then sent exactly once when back online.
        await page.getByRole('button', { name: '继续上报' }).click();
        await context.setOffline(true);
        await page.getByText('离线').first().waitFor();
        const offline1 = `路边垃圾 离线 ${run}`;
        await fillReport(offline1);
        await page.getByRole('button', { name: '提交上报' }).click();
        await page.getByText('已保存为草稿').waitFor();
        await page.getByTestId('m-drafts-badge').getByText('待发送 1').waitFor();
        await page.screenshot({ path: shot('mobile-390-draft.png') });
        const countOf = async (d: string) => ((await operator.get('/api/v1/cases?limit=100')).body.items as { description: string }[])
          .filter((c) => c.description === d).length;
        assert.equal(await countOf(offline1), 0, 'nothing reached the server while offline');

        await context.setOffline(false);
        await page.getByTestId('m-drafts-badge').waitFor({ state: 'detached', timeout: 30_000 });
        assert.equal(await countOf(offline1), 1, 'the draft was sent once');
        // Still once after a reload (nothing left to resend).
        await page.goto(address + '/m');
        await page.getByRole('link', { name: /上报问题/ }).waitFor();
        await page.waitForTimeout(1000);
        assert.equal(await page.getByTestId('m-drafts-badge').count(), 0, 'no drafts left');
        assert.equal(await countOf(offline1), 1, 'the draft was sent exactly once');

        assert.deepEqual(errors, [], 'no uncaught errors on the phone');
      } finally {
        await close();
      }
    }
    t.diagnostic('big screen and phone view flows passed');
  } finally {
    await env.close();
  }
});

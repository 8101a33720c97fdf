/**
 * Browser test of sensing's control plane (issue 11) on the built console:
 *   - the review queue: two camera detections wait with their snapshots beside the map; an operator accepts one
 *     (a case opens) and rejects the other as a false alarm (the accuracy tab shows 50 % for the model);
 *   - the rule editor: an admin writes a rule and tests it against readings pasted in the test view, which lists the
 *     alarm that would have fired and when it would have cleared.
 * Screenshots: the review queue at 1920×1080 and on a phone (390×844).
 *
 * Run: node web/build.mjs && node --import tsx --test test/e2e/sensing-alarms.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient } from '../support/api-client.ts';
import { seedSensingDevice } from '../support/sensing.ts';
import { createUser } from '../../src/commands/user-create.ts';
import { launchBrowser, SCREENSHOTS, signIn } from './browser.ts';

const WEB_DIR = path.resolve(process.env.CITYOPS_WEB_DIR ?? 'web/dist');
const PASSWORD = 'correct horse battery';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f0d8f40000000049454e44ae426082', 'hex');

test('review queue (accept one, reject one as false) and a rule tested against readings', async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `${WEB_DIR} is not built (node web/build.mjs)`);
  const env = await createDemoEnv('sqlite', { now: Date.now(), config: { webDir: WEB_DIR } });
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const desk = await launchBrowser({ width: 1920, height: 1080 });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  try {
    await loadGridPoints(env);
    const p = demoPoint(env, 4);
    const admin = await userClient(env.app, env.ctx, 'admin');
    const cam = await request(env.app, 'PUT', '/api/v1/cameras/cam-9', { cookie: admin.headers.cookie, headers: { 'x-csrf-token': admin.headers['x-csrf-token'] }, body: { name: '人民路口', lon: p.lon, lat: p.lat, direction: 180 } });
    assert.equal(cam.status, 200, JSON.stringify(cam.body));
    const upload = async () => {
      const boundary = '----snap';
      const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.png"\r\nContent-Type: image/png\r\n\r\n`), PNG, Buffer.from(`\r\n--${boundary}--\r\n`)]);
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...admin.headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
      return JSON.parse(r.body).id as string;
    };
    const ids: string[] = [];
    for (const [n, type] of [[1, 'garbage_exposed'], [2, 'illegal_parking']] as const) {
      const r = await admin.post('/api/v1/video/detections', {
        detectionId: `e2e-${n}`, type, confidence: 0.88, cameraId: 'cam-9', model: { name: 'cityscene', version: '3.2' }, snapshot: { attachmentId: await upload() },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ids.push(r.body.alarm.id);
    }
    await createUser(env.ctx, { username: 'e2e-operator', password: PASSWORD, roles: ['operator'], unitIds: [], regionIds: [[...env.ctx.ref.current().regions.values()].find((r) => r.parentId === null)!.id], displayName: 'e2e 受理员' }, null);
    await createUser(env.ctx, { username: 'e2e-admin', password: PASSWORD, roles: ['admin'], unitIds: [], regionIds: [], displayName: 'e2e 管理员' }, null);
    await seedSensingDevice(env, { id: 'wl-e2e', typeId: 'water_level', point: p });

    // ---- the review queue ----
    const page = desk.context.pages()[0] ?? await desk.context.newPage();
    await signIn(page, address, { username: 'e2e-operator', password: PASSWORD });
    await page.locator('.topbar').waitFor();
    await page.goto(address + '/alarms');
    const queue = page.getByRole('list', { name: '待审核告警' });
    await queue.getByRole('button').first().waitFor();
    assert.equal(await queue.getByRole('button').count(), 2);
    const review = page.getByRole('region', { name: '告警审核' });
    await review.getByRole('img', { name: '抓拍图' }).waitFor();
    assert.ok(await review.getByRole('img', { name: '抓拍图' }).evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0), 'the snapshot loads');
    await review.locator('canvas').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'alarms-review-queue-1920.png') });
    await queue.getByRole('button', { name: /暴露垃圾/ }).click();
    await review.getByRole('button', { name: '受理立案' }).click();
    await page.getByRole('status').filter({ hasText: '已受理立案' }).waitFor();
    await queue.getByRole('button', { name: /机动车乱停放/ }).click();
    await review.getByLabel('误报原因').fill('车辆临时停靠上下客');
    await review.getByRole('button', { name: '驳回为误报' }).click();
    await page.getByRole('status').filter({ hasText: '已驳回为误报' }).waitFor();
    await page.getByText('没有待审核的告警。').waitFor();
    const accepted = (await admin.get(`/api/v1/alarms/${ids[0]}`)).body.alarm;
    assert.equal(accepted.review, 'case');
    assert.ok(accepted.caseId);
    assert.equal((await admin.get(`/api/v1/cases/${accepted.caseId}`)).body.channel, 'video');
    const rejected = (await admin.get(`/api/v1/alarms/${ids[1]}`)).body.alarm;
    assert.equal(rejected.review, 'rejected');
    assert.equal(rejected.falseAlarm, true);
    await page.getByRole('tab', { name: '准确率' }).click();
    await page.locator('.alarm-accuracy').getByRole('cell', { name: '50.0%' }).waitFor();

    // ---- a rule tested against readings ----
    await desk.context.clearCookies();
    await signIn(page, address, { username: 'e2e-admin', password: PASSWORD });
    await page.locator('.topbar').waitFor();
    await page.goto(address + '/rules');
    const editor = page.getByRole('region', { name: '规则编辑' });
    await editor.locator('input[name=name]').fill('积水超警');
    await editor.locator('input[name=scopeId]').fill('water_level');
    await editor.locator('input[name=matterCode]').fill('06010');
    await editor.getByRole('button', { name: 'threshold' }).click();
    const t0 = Date.now() - 3600_000;
    const readings = [[0, 10], [1, 25], [7, 26], [8, 5]].map(([m, v]) => ({ deviceId: 'wl-e2e', at: t0 + m * 60_000, values: { waterLevel: v } }));
    const testView = page.getByRole('region', { name: '用历史读数测试' });
    await testView.locator('textarea[name=readings]').fill(JSON.stringify(readings));
    await testView.getByRole('button', { name: '测试' }).click();
    const result = page.getByRole('region', { name: '测试结果' });
    await result.waitFor();
    await result.getByText('将产生 1 条告警').waitFor();
    assert.equal(await result.locator('tr[data-kind=raise]').count(), 1);
    assert.equal(await result.locator('tr[data-kind=clear]').count(), 1);
    assert.equal((await admin.get('/api/v1/sensing/rules')).body.items.length, 0, 'testing saves nothing');
    await editor.getByRole('button', { name: '保存新版本' }).click();
    await editor.getByRole('status').filter({ hasText: '已保存为第 1 版' }).waitFor();
    assert.equal((await admin.get('/api/v1/sensing/rules')).body.items.length, 1);

    // ---- the queue on a phone ----
    const phone = await launchBrowser({ width: 390, height: 844 });
    try {
      const pp = phone.context.pages()[0] ?? await phone.context.newPage();
      await signIn(pp, address, { username: 'e2e-operator', password: PASSWORD });
      await pp.locator('.topbar').waitFor();
      await pp.goto(address + '/alarms');
      await pp.getByText('没有待审核的告警。').waitFor();
      const overflow = await pp.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `no horizontal scrolling on a phone (${overflow}px)`);
      await pp.screenshot({ path: path.join(SCREENSHOTS, 'alarms-review-queue-phone.png') });
    } finally { await phone.close(); }
  } finally {
    await desk.close();
    await env.close();
  }
});

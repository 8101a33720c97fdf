/**
 * Browser test of the device console (issue 11 part 1) on the built console: an administrator registers a device (its
 * credential shown once), imports a CSV (the per-row report names the bad row), issues a credential to an imported
 * device, filters the list by state; readings posted over the HTTP telemetry API with the shown credential appear on
 * the device page's chart, the rule they break raises an alarm shown there with its case; setting maintenance shows
 * in the state history; the reading limits are saved from the types page. Screenshots of the list and the device page
 * in Chinese and English at 1920×1080 and 390×844 (no horizontal scrolling on the phone).
 *
 * Run: node web/build.mjs && node --import tsx --test test/e2e/devices.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient } from '../support/api-client.ts';
import { WATER } from '../support/sensing.ts';
import { createUser } from '../../src/commands/user-create.ts';
import { createMatter } from '../../src/commands/matter-create.ts';
import { startRuleEngine } from '../../src/runtime/rule-engine.ts';
import { launchBrowser, SCREENSHOTS, signIn } from './browser.ts';

const WEB_DIR = path.resolve(process.env.CITYOPS_WEB_DIR ?? 'web/dist');
const PASSWORD = 'correct horse battery';
const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

test('devices: register, import, credential, readings chart, alarm, state history, limits; both languages, desk and phone', async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `${WEB_DIR} is not built (node web/build.mjs)`);
  const env = await createDemoEnv('sqlite', { now: Date.now(), config: { webDir: WEB_DIR } });
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const desk = await launchBrowser({ width: 1920, height: 1080 });
  try {
    await loadGridPoints(env);
    const p = demoPoint(env, 3);
    const admin = await userClient(env.app, env.ctx, 'admin');
    const saved = await request(env.app, 'PUT', '/api/v1/device-types/water_level', { headers: admin.headers, body: { ...WATER, id: undefined } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    await createMatter(env.ctx, { code: '10090', name: '道路积水', classCode: '10', className: '其他事项类' }, null);
    await startRuleEngine(env.ctx);
    const rule = await admin.post('/api/v1/sensing/rules', {
      id: 'wl-high', name: '积水超过20厘米', scope: { kind: 'type', id: 'water_level' }, matterCode: '10090', urgency: 'urgent', enabled: true,
      condition: { kind: 'threshold', measurement: 'waterLevel', op: '>', value: 20, forSeconds: 0 },
    });
    assert.equal(rule.status, 201, JSON.stringify(rule.body));
    await createUser(env.ctx, { username: 'e2e-admin', password: PASSWORD, roles: ['admin'], unitIds: [], regionIds: [], displayName: 'e2e 管理员' }, null);

    const page = desk.context.pages()[0] ?? await desk.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, address, { username: 'e2e-admin', password: PASSWORD });
    await page.locator('.topbar').waitFor();
    await page.getByRole('link', { name: '设备管理' }).first().click();
    await page.getByRole('heading', { name: '设备管理' }).waitFor();

    // ---- register one device: the credential is shown once ----
    await page.getByRole('button', { name: '登记设备' }).click();
    const form = page.getByRole('form', { name: '登记设备' });
    await form.getByLabel('设备编号').fill('wl-e2e-1');
    await form.getByLabel('名称').fill('人民路积水点');
    await form.getByLabel('经度').fill(String(p.lon));
    await form.getByLabel('纬度').fill(String(p.lat));
    await form.getByLabel('挂接类型').selectOption('place');
    await form.getByLabel('挂接对象').fill('P-E2E');
    await form.getByLabel('场景').fill('waterlogging');
    await form.getByRole('button', { name: '登记', exact: true }).click();
    const secret = (await page.getByTestId('device-secret').textContent())!.trim();
    assert.ok(secret.length >= 24, 'the credential is shown');
    await page.getByRole('button', { name: '我已保存' }).click();
    await page.locator('tr[data-device="wl-e2e-1"]').waitFor();

    // ---- bulk import: good rows stored, the bad row reported with its column ----
    await page.getByRole('button', { name: '批量导入' }).click();
    const csv = ['设备编号,设备类型,名称,经度,纬度,场景', `imp-1,water_level,导入积水点一,${p.lon},${p.lat},waterlogging`, `imp-2,water_level,导入积水点二,${p.lon},${p.lat},waterlogging`,
      'imp-3,nope,类型不存在,,,'].join('\n');
    await page.locator('input[name=file]').setInputFiles({ name: 'devices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: '导入', exact: true }).click();
    const report = page.locator('.device-import-report');
    await report.getByText('读取 3 行：新增 2，更新 0，拒绝 1。').waitFor();
    assert.equal(await report.locator('tbody tr').count(), 1);
    assert.match((await report.locator('tbody tr').first().textContent())!, /4.*typeId|4.*设备类型/);
    await page.locator('tr[data-device="imp-2"]').waitFor();
    assert.equal((await page.locator('.count[data-state=all]').textContent())!.trim(), '3');

    // ---- an imported device gets its credential from the list ----
    await page.locator('tr[data-device="imp-1"]').getByRole('button', { name: '颁发密钥' }).click();
    await page.getByTestId('device-secret').waitFor();
    await page.getByRole('button', { name: '我已保存' }).click();
    assert.equal((await admin.get('/api/v1/devices/imp-1')).body.device.hasCredential, true);

    // ---- readings over the HTTP telemetry API with the credential shown; the last ones break the rule ----
    const now = Date.now();
    const body = Array.from({ length: 12 }, (_, i) => ({ at: now - (50 - i * 4) * 60_000, values: { waterLevel: i < 10 ? 5 + i : 30 + i, battery: 90 - i } }));
    const posted = await request(env.app, 'POST', '/api/v1/sensors/wl-e2e-1/telemetry', { body, headers: basic('wl-e2e-1', secret) });
    assert.equal(posted.status, 200, JSON.stringify(posted.body));
    assert.equal(posted.body.accepted, 12);

    // ---- the device page: attributes, map, the chart with the readings, the alarm and its case ----
    await page.locator('tr[data-device="wl-e2e-1"]').getByRole('link', { name: 'wl-e2e-1' }).click();
    await page.getByRole('heading', { name: /人民路积水点/ }).waitFor();
    await page.getByTestId('device-latest').filter({ hasText: '水位 41cm' }).waitFor();
    const readings = page.getByRole('region', { name: '读数曲线' });
    await readings.locator('[data-resolution=raw]').waitFor();
    await readings.locator('figure[data-points="12"]').first().waitFor();
    await readings.getByRole('img', { name: '水位 (cm) 读数曲线' }).locator('canvas').waitFor();
    await page.getByRole('region', { name: '位置' }).locator('canvas').first().waitFor();
    const alarms = page.getByRole('region', { name: '设备告警' });
    await alarms.locator('tr[data-alarm]').first().waitFor();
    await alarms.getByRole('link', { name: /^#\d+$/ }).first().waitFor();
    await page.getByRole('region', { name: '适用规则' }).getByText('积水超过20厘米').waitFor();
    await readings.getByRole('tab', { name: '24 小时' }).click();
    await readings.locator('[data-resolution=minute]').waitFor();
    await readings.getByRole('tab', { name: '1 小时' }).click();
    await readings.locator('figure[data-points="12"]').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'device-page-zh-CN-1920.png'), fullPage: true });

    // ---- an operator's state: maintenance, in the history ----
    await page.getByLabel('设置状态').selectOption('maintenance');
    const history = page.getByRole('region', { name: '状态历史' });
    await history.locator('li[data-kind=state]').filter({ hasText: '维护中' }).waitFor();
    assert.equal((await admin.get('/api/v1/devices/wl-e2e-1')).body.device.state, 'maintenance');

    // ---- the list by state ----
    await page.goto(address + '/devices');
    await page.getByRole('tab', { name: /维护中/ }).click();
    await page.getByTestId('device-total').filter({ hasText: '共 1 条' }).waitFor();
    assert.equal(await page.locator('tr[data-device]').count(), 1);

    // ---- types and the reading limits ----
    await page.getByRole('link', { name: '设备类型' }).click();
    await page.getByRole('region', { name: '积水监测' }).getByText('0 – 300').waitFor();
    const limits = page.getByRole('form', { name: '接入限值' });
    await limits.getByLabel(/允许超前时间/).fill('-3');
    await limits.getByRole('button', { name: '保存' }).click();
    await limits.locator('.field-error').waitFor();
    await limits.getByLabel(/允许超前时间/).fill('30');
    await limits.getByRole('button', { name: '保存' }).click();
    await limits.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    assert.equal((await admin.get('/api/v1/sensing/limits')).body.maxFutureMs, 30 * 60_000);
    assert.deepEqual(errors, []);
  } finally {
    await desk.close();
  }

  // ---- both languages, desk and phone ----
  const problems: string[] = [];
  try {
    for (const lang of ['zh-CN', 'en'] as const) {
      for (const size of [{ width: 1920, height: 1080 }, { width: 390, height: 844 }]) {
        const { context, close } = await launchBrowser(size);
        try {
          await context.addInitScript((l) => { try { localStorage.setItem('cityops.locale', l); } catch { /* no storage */ } }, lang);
          const login = await context.request.post(`${address}/api/v1/auth/login`, { data: { username: 'e2e-admin', password: PASSWORD } });
          assert.equal(login.status(), 200);
          const page = await context.newPage();
          const tag = `${lang}-${size.width}`;
          await page.goto(address + '/devices');
          await page.locator('tr[data-device="wl-e2e-1"]').waitFor();
          await page.screenshot({ path: path.join(SCREENSHOTS, `devices-list-${tag}.png`) });
          const listOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (listOverflow > 1) problems.push(`list ${tag}: ${listOverflow}px`);
          await page.goto(address + '/devices/wl-e2e-1');
          await page.locator('figure[data-points="12"] canvas').first().waitFor();
          await page.locator('tr[data-alarm]').first().waitFor();
          await page.getByText(lang === 'en' ? 'Water level (cm)' : '水位 (cm)').first().waitFor();
          await page.screenshot({ path: path.join(SCREENSHOTS, `device-page-${tag}.png`), fullPage: true });
          const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (pageOverflow > 1) problems.push(`device page ${tag}: ${pageOverflow}px`);
        } finally { await close(); }
      }
    }
    assert.deepEqual(problems, [], 'no horizontal scrolling');
  } finally {
    await env.close();
  }
});

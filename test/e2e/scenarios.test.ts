/**
 * Browser test of the scenario console (issue 11 part 6) on the built console and the demo city with its scenario
 * data (all eight packs installed, a registry of shop signs): an administrator opens /scenarios and sees the eight
 * pack cards (the crowd card with an area coloured by its tier), adds a shop sign, enters a wind warning for the
 * sign's street and sees how many inspections were filed, saves a vital-sign line (and a wrong one shows the server's
 * field error beside its field). Screenshots of the cards and the sign registry in Chinese and English at 1920×1080
 * and 390×844 (no horizontal scrolling).
 *
 * Run: node web/build.mjs && node --import tsx --test test/e2e/scenarios.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { seedSensingDevice } from '../support/sensing.ts';
import { createUser } from '../../src/commands/user-create.ts';
import { seedDemoScenarios } from '../../src/commands/scenario-demo.ts';
import { launchBrowser, SCREENSHOTS, signIn } from './browser.ts';

const WEB_DIR = path.resolve(process.env.CITYOPS_WEB_DIR ?? 'web/dist');
const PASSWORD = 'correct horse battery';

test('scenarios: eight pack cards, crowd tiers, add a shop sign, wind warning inspections, vital lines; both languages, desk and phone', async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `${WEB_DIR} is not built (node web/build.mjs)`);
  const env = await createDemoEnv('sqlite', { now: Date.now(), config: { webDir: WEB_DIR } });
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const desk = await launchBrowser({ width: 1920, height: 1080 });
  try {
    await loadGridPoints(env);
    const seeded = await seedDemoScenarios(env.ctx, 30);
    assert.equal(seeded.signs, 30);
    // One crowd counter at 75 % of its capacity: yellow on the default tiers (70/85/100).
    await seedSensingDevice(env, { id: 'crowd-e2e', typeId: 'crowd_counter', point: demoPoint(env, 2), scenario: 'crowd' });
    await env.ctx.store.readings.insertBatch(['crowd-e2e'], [env.clock.now()], [JSON.stringify({ count: 7500, capacity: 10000, load: 75 })]);
    await createUser(env.ctx, { username: 'e2e-admin', password: PASSWORD, roles: ['admin'], unitIds: [], regionIds: [], displayName: 'e2e 管理员' }, null);
    const admin = await userClient(env.app, env.ctx, 'admin');

    const page = desk.context.pages()[0] ?? await desk.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, address, { username: 'e2e-admin', password: PASSWORD });
    await page.locator('.topbar').waitFor();
    await page.getByRole('link', { name: '场景', exact: true }).first().click();
    await page.getByRole('heading', { name: '场景', exact: true }).waitFor();

    // ---- the eight packs, installed; the crowd card tiers its area ----
    await page.locator('section[data-scenario]').nth(7).waitFor();
    assert.equal(await page.locator('section[data-scenario]').count(), 8);
    assert.equal(await page.locator('.scen-installed').count(), 8, 'all eight installed by the demo seed');
    const crowd = page.locator('section[data-scenario="crowd"]');
    await crowd.locator('li[data-tier="yellow"]').getByText('75%').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'scenarios-cards-zh-CN-1920-admin.png'), fullPage: true });
    // ---- the big screen's crowd layer: the area at its counter, coloured by its tier ----
    await page.goto(`${address}/bigscreen`);
    await page.locator('.map-wrap[data-layers~="crowd:1"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000); // let the map paint the layer for the picture
    await page.screenshot({ path: path.join(SCREENSHOTS, 'bigscreen-crowd-layer-1920.png') });
    await page.goto(`${address}/scenarios`);
    await page.getByRole('heading', { name: '场景', exact: true }).waitFor();

    // ---- add a shop sign ----
    await page.getByRole('tab', { name: '店招店牌' }).click();
    await page.locator('tr[data-sign]').first().waitFor();
    await page.getByRole('button', { name: '登记店招' }).click();
    const p = demoPoint(env, 3);
    const form = page.getByRole('form', { name: '登记店招' });
    await form.locator('input[name="id"]').fill('sign-e2e');
    await form.getByLabel('店招名称').fill('人民路老字号店招');
    await form.getByLabel('责任人').fill('孙先生');
    await form.getByLabel('联系电话').fill('13900001111');
    await form.getByLabel('地址').fill('人民路 8 号');
    await form.getByLabel('经度').fill(String(p.lon));
    await form.getByLabel('纬度').fill(String(p.lat));
    await form.getByRole('button', { name: '保存' }).click();
    const row = page.locator('tr[data-sign="sign-e2e"]');
    await row.waitFor();
    await row.getByText('人民路老字号店招').waitFor();
    const sign = (await admin.get('/api/v1/shop-signs?limit=500')).body.items.find((x: { id: string }) => x.id === 'sign-e2e');
    assert.ok(sign?.streetId, 'the sign is located in a street');

    // ---- search ----
    await page.getByRole('searchbox', { name: '搜索' }).fill('老字号');
    assert.equal(await page.locator('tr[data-sign]').count(), 1);
    await page.getByRole('searchbox', { name: '搜索' }).fill('');

    // ---- wind warning for the sign's street: one inspection per sign there ----
    const inStreet = (await admin.get(`/api/v1/shop-signs?limit=500&regionId=${sign.streetId}`)).body.items.length;
    assert.ok(inStreet >= 1);
    const wind = page.getByRole('form', { name: '风力预警' });
    await wind.getByLabel('预警级别').selectOption('orange');
    await wind.getByLabel('区域').selectOption(sign.streetId);
    await wind.getByLabel('备注').fill('阵风9级');
    await wind.getByRole('button', { name: '发布预警' }).click();
    await page.getByTestId('wind-result').filter({ hasText: `已生成 ${inStreet} 个店招巡查任务` }).waitFor();
    const warnings = (await admin.get('/api/v1/wind-warnings')).body.items;
    assert.equal(warnings[0].signs, inStreet);
    assert.equal(warnings[0].note, '阵风9级');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'scenarios-signs-zh-CN-1920-admin.png'), fullPage: true });

    // ---- vital lines: a wrong pair names its field, a good one saves ----
    await page.getByRole('tab', { name: '体征阈值' }).click();
    const vitals = page.getByRole('form', { name: '体征阈值' });
    await vitals.locator('input[name="openAlarms.warn"]').fill('9');
    await vitals.locator('input[name="openAlarms.alert"]').fill('1');
    await vitals.getByRole('button', { name: '保存' }).click();
    const invalid = vitals.locator('.field-invalid:has(input[name="openAlarms.alert"]) .field-error');
    await invalid.waitFor();
    assert.ok(((await invalid.textContent()) ?? '').length > 0, 'the field error is shown beside its field');
    await vitals.locator('input[name="openAlarms.alert"]').fill('30');
    await vitals.locator('input[name="crowdTiers.yellow"]').fill('60');
    await vitals.getByRole('button', { name: '保存' }).click();
    await vitals.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    const saved = (await admin.get('/api/v1/vitals/settings')).body;
    assert.deepEqual(saved.openAlarms, { warn: 9, alert: 30 });
    assert.equal(saved.crowdTiers.yellow, 60);
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
          await page.goto(address + '/scenarios');
          await page.locator('section[data-scenario]').nth(7).waitFor();
          await page.locator('section[data-scenario="crowd"] li[data-tier]').first().waitFor();
          await page.screenshot({ path: path.join(SCREENSHOTS, `scenarios-cards-${tag}.png`), fullPage: true });
          const cardsOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (cardsOverflow > 1) problems.push(`cards ${tag}: ${cardsOverflow}px`);
          await page.getByRole('tab', { name: lang === 'en' ? 'Shop signs' : '店招店牌' }).click();
          await page.locator('tr[data-sign="sign-e2e"]').waitFor();
          await page.screenshot({ path: path.join(SCREENSHOTS, `scenarios-signs-${tag}.png`) });
          const signsOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (signsOverflow > 1) problems.push(`signs ${tag}: ${signsOverflow}px`);
          await page.getByRole('tab', { name: lang === 'en' ? 'Vital lines' : '体征阈值' }).click();
          await page.locator('input[name="crowdTiers.red"]').waitFor();
          const vitalsOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (vitalsOverflow > 1) problems.push(`vitals ${tag}: ${vitalsOverflow}px`);
        } finally { await close(); }
      }
    }
    assert.deepEqual(problems, [], 'no horizontal scrolling');
  } finally {
    await env.close();
  }
});

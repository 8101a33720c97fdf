/**
 * Browser test of decision support (issue 10 part 5): a centre leader opens /decide, the hotspot map colours the
 * grids and then draws H3 hexagons, a recurring problem's reports appear on the map when it is clicked, the trend
 * compares the month, and the 每月一题 and 未诉先办 actions work from the lists (adopt → assign; adopt creates a
 * proactive case). On the big screen the hotspot toggle draws the hexagons.
 * Screenshots: test/e2e/screenshots/decide-1920.png, decide-390.png, bigscreen-hotspots-1920.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { runDecisionTail } from '../../src/jobs/recurrence-tail.job.ts';
import { launchBrowser, SCREENSHOTS, demoAccount, signIn } from './browser.ts';

const WEB_DIR = process.env.CITYOPS_WEB_DIR ? path.resolve(process.env.CITYOPS_WEB_DIR) : path.resolve('web/dist');
const DAY = 86_400_000;

test('a leader reads hotspots, trends and recurring problems and acts on 每月一题 and 未诉先办', async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `${WEB_DIR} is not built (npm run build:web)`);
  // The browser keeps the session cookie by the real clock: the server's clock runs from the real now.
  const NOW = Date.now();
  const env = await createDemoEnv('sqlite', { now: NOW, config: { webDir: WEB_DIR } });
  await loadGridPoints(env);
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const shot = (name: string) => path.join(SCREENSHOTS, name);
  try {
    const op = await userClient(env.app, env.ctx, 'operator');
    const A = demoPoint(env, 0);
    const B = demoPoint(env, 40);
    // Six weekend reports of one matter at A (the last six Saturdays and Sundays, city time), one elsewhere.
    const weekendDays: number[] = [];
    for (let d = 1; weekendDays.length < 6; d++) { const wd = new Date(NOW - d * DAY + 8 * 3600_000).getUTCDay(); if (wd === 0 || wd === 6) weekendDays.push(d); }
    for (const d of weekendDays.reverse()) {
      env.clock.set(NOW - d * DAY);
      const r = await op.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: '井盖又坏了', location: { lon: A.lon, lat: A.lat } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    env.clock.set(NOW - 1000);
    await op.post('/api/v1/cases', { channel: 'hotline', matterCode: '06012', description: '道路不洁', location: { lon: B.lon, lat: B.lat } });
    env.clock.set(NOW);
    const tick = setInterval(() => env.clock.set(Date.now()), 200);
    const run = await runDecisionTail(env.ctx);
    assert.equal(run.problemsCreated, 1);

    const { context, close } = await launchBrowser({ width: 1920, height: 1080 });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await signIn(page, address, demoAccount(env.dataDir, 'centre_leader'));
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.goto(`${address}/decide`);
      const map = page.getByTestId('decide-map');
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid="decide-map"]');
        return el?.getAttribute('data-map-ready') === 'true' && Number(el.getAttribute('data-cells')) >= 2;
      }, undefined, { timeout: 30_000 }).catch(async (e) => {
        await page.screenshot({ path: shot('decide-failed.png') });
        throw new Error(`${(e as Error).message}: ${await map.evaluate((el) => el.outerHTML.slice(0, 300)).catch(() => 'no map')} ${errors.join('; ')}`);
      });
      assert.equal(await map.getAttribute('data-layer'), 'grid');
      await page.getByTestId('trend-compare').getByText(/本月 \d+ 件/).waitFor();

      // H3 hexagons instead of grids.
      await page.getByTestId('layer-h3').click();
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid="decide-map"]');
        return el?.getAttribute('data-layer') === 'h3' && Number(el.getAttribute('data-cells')) >= 1;
      }, undefined, { timeout: 15_000 });

      // A recurring problem: its six reports on the map.
      await page.getByTestId('recurring-list').getByRole('button').first().click();
      await page.waitForFunction(() => document.querySelector('[data-testid="decide-map"]')?.getAttribute('data-problem-cases') === '6', undefined, { timeout: 15_000 });
      await page.getByTestId('problem-detail').getByText(/周末/).waitFor();

      // 每月一题: adopt, then assign to a unit.
      const topic = page.getByTestId('topic-list').locator('li').first();
      assert.equal(await topic.getAttribute('data-state'), 'proposed');
      await topic.locator('[data-action="adopt"]').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="topic-list"] li')?.getAttribute('data-state') === 'adopted');
      // Assigning without a unit: the server's message names the field.
      await topic.locator('[data-action="assign"]').click();
      await page.getByRole('alert').filter({ hasText: '「单位」' }).first().waitFor();
      const select = topic.getByRole('combobox');
      const unit = await select.locator('option').nth(1).getAttribute('value');
      await select.selectOption(unit!);
      await topic.locator('[data-action="assign"]').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="topic-list"] li')?.getAttribute('data-state') === 'assigned');

      // 未诉先办: adopt creates a proactive case.
      const task = page.getByTestId('proactive-list').locator('li').first();
      await task.getByText('周末').first().waitFor();
      await task.locator('[data-action="adopt"]').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="proactive-list"] li')?.getAttribute('data-state') === 'adopted');
      await task.getByRole('link', { name: '查看工单' }).waitFor();
      const created = await env.db.selectFrom('cases').select(['id', 'channel']).where('channel', '=', 'proactive').execute();
      assert.equal(created.length, 1);
      await page.screenshot({ path: shot('decide-1920.png'), fullPage: true });

      // The same page on a phone.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByTestId('recurring-list').waitFor();
      await page.screenshot({ path: shot('decide-390.png') });
      await page.setViewportSize({ width: 1920, height: 1080 });

      // The big screen's hotspot layer toggle.
      await page.goto(`${address}/bigscreen`);
      const toggle = page.getByTestId('bs-hotspots');
      await toggle.click();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="bs-hotspots"]')?.getAttribute('data-cells')) >= 1, undefined, { timeout: 15_000 });
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
      await page.screenshot({ path: shot('bigscreen-hotspots-1920.png') });
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
    clearInterval(tick);
  } finally {
    await env.close();
  }
});

/**
 * Browser test of issue 8's maps, big screen and portal, on the built console:
 * - the big screen's map draws names (MapLibre symbol layers: towns and sub-districts, communities, roads), an
 *   urgent (非常紧急) case pulses, a click on a street drills down (its kind, counts and open cases), a second click
 *   into a grid, and back out; the ← link reaches the menu (`/`), from which sign-out and the language are in reach;
 * - the portal (390×844): names on the map, the common matters first, an address found (approximate matches shown as
 *   such), and the tracking page with the written result and the after-photo;
 * - screenshots of both in zh-CN and en at 1920×1080 and 390×844 (test/e2e/screenshots/), with no horizontal overflow.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { act, crewFor, photo } from '../support/case-flow.ts';
import { launchBrowser, SCREENSHOTS, demoAccount, signIn } from './browser.ts';

const WEB_DIR = process.env.CITYOPS_WEB_DIR ? path.resolve(process.env.CITYOPS_WEB_DIR) : path.resolve('web/dist');
const shot = (name: string) => path.join(SCREENSHOTS, name);

/** Labels drawn on the map in `scope` once it has settled (MapView's data-labels / data-label-kinds). */
async function labelsOn(page: Page, scope: string): Promise<{ count: number; kinds: string[] }> {
  const wrap = page.locator(`${scope} .map-wrap[data-labels]`);
  await wrap.waitFor({ timeout: 30_000 });
  await page.waitForFunction((s) => Number(document.querySelector(`${s} .map-wrap`)?.getAttribute('data-labels')) > 0, scope, { timeout: 30_000 });
  return { count: Number(await wrap.getAttribute('data-labels')), kinds: String(await wrap.getAttribute('data-label-kinds')).split(' ') };
}

/** Clicks the big screen's map at a point (projected through the map the page exposes). */
async function clickMapAt(page: Page, p: { lon: number; lat: number }): Promise<void> {
  await page.waitForFunction(() => !(window as unknown as { cityopsMap: { isMoving(): boolean } }).cityopsMap.isMoving());
  const xy = await page.evaluate(([lon, lat]) => {
    const map = (window as unknown as { cityopsMap: { project(l: [number, number]): { x: number; y: number }; getCanvas(): HTMLCanvasElement } }).cityopsMap;
    const r = map.getCanvas().getBoundingClientRect();
    const q = map.project([lon, lat]);
    return { x: r.left + q.x, y: r.top + q.y };
  }, [p.lon, p.lat]);
  await page.mouse.click(xy.x, xy.y);
}

const noHorizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

test('maps with names, big-screen drill-down and back to the menu, the portal with address search and the result', async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `${WEB_DIR} is not built (node web/build.mjs)`);
  const env = await createDemoEnv('sqlite', { now: Date.now(), config: { webDir: WEB_DIR, sessionIdleMs: 86400_000 } });
  await loadGridPoints(env);
  const base = await env.app.listen({ port: 0, host: '127.0.0.1' });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const operator = await userClient(env.app, env.ctx, ['operator', 'shift_leader']);
  const ref = env.ctx.ref.current();

  // An urgent case and an ordinary one in the same grid; the drill-down shows both.
  const at = demoPoint(env, 40);
  const urgent = await operator.post('/api/v1/cases', {
    channel: 'superior', matterCode: '06013', urgency: 'very_urgent', description: '道路塌陷，车辆无法通行', location: { lon: at.lon, lat: at.lat },
  });
  assert.equal(urgent.status, 201, JSON.stringify(urgent.body));
  const plain = await operator.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: '垃圾堆积', location: { lon: at.lon, lat: at.lat } });
  assert.equal(plain.status, 201, JSON.stringify(plain.body));
  const street = urgent.body.street as { id: string; name: string };

  // A portal report handled and checked: its result and after-photo are public.
  const crew = await crewFor(env, ref.routing.route({ matterCode: '06010', regionId: at.communityId }).unitId);
  const boundary = '----e2e' + Date.now();
  const fields = { matterCode: '06010', lon: String(at.lon), lat: String(at.lat), description: '小区门口垃圾没人清理' };
  const payload = Buffer.concat([...Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)), Buffer.from(`--${boundary}--\r\n`)]);
  const rep = await env.app.inject({ method: 'POST', url: '/api/v1/public/reports', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  assert.equal(rep.statusCode, 201, rep.body);
  const caseNo = JSON.parse(rep.body).caseNo as string;
  const id = Number((await env.db.selectFrom('cases').select('id').where('case_no', '=', caseNo).executeTakeFirstOrThrow()).id);
  await act(crew.operator, id, 'accept');
  await act(crew.operator, id, 'request-verify');
  await act(crew.inspector, id, 'verify', { outcome: 'confirmed' });
  await act(crew.dispatcher, id, 'dispatch', { unitId: crew.unitId });
  await act(crew.handler, id, 'sign');
  await act(crew.handler, id, 'dispose', { result: '垃圾已全部清运，周边地面已冲洗干净。', photos: [await photo(env, crew.handler)] });
  await act(crew.dispatcher, id, 'send-check');
  await act(crew.checker, id, 'check-pass');

  try {
    // ------------------------------------------------------------------ the big screen, 1920×1080
    {
      const { context, close } = await launchBrowser({ width: 1920, height: 1080 });
      try {
        const errors: string[] = [];
        const page = await context.newPage();
        page.on('pageerror', (e) => errors.push(e.message));
        await signIn(page, base, demoAccount(env.dataDir, 'centre_leader'));
        await page.waitForURL(/\/bigscreen$/);
        await page.locator('.bs-map[data-map-ready="true"]').waitFor({ timeout: 30_000 });

        const names = await labelsOn(page, '.bs-map');
        assert.ok(names.count >= 10, `${names.count} names drawn`);
        for (const k of ['town', 'subdistrict', 'community']) assert.ok(names.kinds.includes(k), `${k} names drawn (${names.kinds.join(' ')})`);
        await page.waitForFunction(() => Number(document.querySelector('.bs-map')?.getAttribute('data-urgent')) >= 1, null, { timeout: 20_000 });
        assert.ok(await page.locator('.bs-urgent-at .bs-urgent').count() >= 1, 'the urgent case pulses');
        await page.screenshot({ path: shot('bigscreen-zh-1920.png') });

        // drill into the street, then the grid, then back out twice
        await clickMapAt(page, at);
        const drill = page.getByTestId('bs-drill');
        await drill.and(page.locator('[data-level="street"]')).waitFor();
        await assert.doesNotReject(drill.getByRole('heading', { name: new RegExp(street.name) }).waitFor());
        assert.equal(await page.getByTestId('bs-drill-kind').textContent(), street.name.endsWith('镇') ? '镇' : '街道');
        await page.waitForFunction(() => Number(document.querySelector('[data-testid="bs-drill-open"]')?.textContent) >= 2, null, { timeout: 20_000 });
        await page.getByTestId('bs-drill-cases').getByText('道路破损').waitFor();
        await page.screenshot({ path: shot('bigscreen-drill-zh-1920.png') });
        await clickMapAt(page, at);
        await drill.and(page.locator(`[data-level="grid"][data-id="${at.gridId}"]`)).waitFor();
        await page.getByTestId('bs-drill-cases').getByText('垃圾堆积', { exact: false }).or(page.getByTestId('bs-drill-cases').getByText('暴露垃圾')).first().waitFor();
        await page.getByTestId('bs-drill-back').click();
        await drill.and(page.locator('[data-level="street"]')).waitFor();
        await page.getByTestId('bs-drill-back').click();
        await drill.waitFor({ state: 'detached' });

        // ← reaches the menu: sign-out and the language are there; the language switch works
        await page.getByRole('link', { name: '首页' }).click();
        await page.waitForURL((u) => u.pathname === '/');
        await page.getByTestId('home-menu').waitFor();
        await page.getByRole('button', { name: '用户菜单' }).waitFor();
        await page.getByLabel('语言').selectOption('en');
        await page.getByRole('heading', { name: 'Start' }).waitFor();
        await page.getByTestId('home-menu').getByRole('link', { name: 'Big screen' }).click();
        await page.waitForURL(/\/bigscreen$/);
        await page.locator('.bs-map[data-map-ready="true"]').waitFor({ timeout: 30_000 });
        await labelsOn(page, '.bs-map');
        await clickMapAt(page, at);
        await drill.waitFor();
        assert.equal(await page.getByTestId('bs-drill-kind').textContent(), street.name.endsWith('镇') ? 'Town' : 'Sub-district');
        await page.waitForTimeout(800); // the zoom animation
        await page.screenshot({ path: shot('bigscreen-drill-en-1920.png') });
        await page.keyboard.press('Escape');
        await drill.waitFor({ state: 'detached' });
        await page.waitForTimeout(800);
        await page.screenshot({ path: shot('bigscreen-en-1920.png') });
        assert.ok(await noHorizontalOverflow(page));
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    }

    // ------------------------------------------------------------------ the big screen on a phone (stacked)
    for (const locale of ['zh-CN', 'en'] as const) {
      const { context, close } = await launchBrowser({ width: 390, height: 844 });
      try {
        const page = await context.newPage();
        await signIn(page, base, demoAccount(env.dataDir, 'centre_leader')); // the sign-in page in Chinese, then the language
        await page.waitForURL(/\/bigscreen$/);
        await page.evaluate((l) => localStorage.setItem('cityops.locale', l), locale);
        await page.reload();
        await page.locator('.bs-map[data-map-ready="true"]').waitFor({ timeout: 30_000 });
        await labelsOn(page, '.bs-map');
        await page.screenshot({ path: shot(`bigscreen-${locale === 'en' ? 'en' : 'zh'}-390.png`), fullPage: true });
        assert.ok(await noHorizontalOverflow(page), `big screen ${locale} at 390 px overflows`);
      } finally {
        await close();
      }
    }

    // ------------------------------------------------------------------ the portal, 390×844 and 1920×1080, both languages
    for (const [w, h] of [[390, 844], [1920, 1080]] as const) {
      for (const locale of ['zh-CN', 'en'] as const) {
        const tag = `${locale === 'en' ? 'en' : 'zh'}-${w}`;
        const { context, close } = await launchBrowser({ width: w, height: h });
        try {
          await context.addInitScript((l) => localStorage.setItem('cityops.locale', l), locale);
          const page = await context.newPage();
          const errors: string[] = [];
          page.on('pageerror', (e) => errors.push(e.message));
          await page.goto(base + '/portal');
          const names = await labelsOn(page, '.portal');
          assert.ok(names.kinds.some((k) => k === 'town' || k === 'subdistrict' || k === 'district'), names.kinds.join(' '));
          assert.ok(await page.getByTestId('portal-featured').getByRole('button').count() >= 16, 'the common matters first');
          assert.ok(await page.getByTestId('portal-matter').locator('option').count() > 200, 'every public matter');

          // an address that is not in the gazetteer as written: shown as approximate, picked by a click
          await page.locator('#portal-address-q').fill('望江路128号');
          await page.locator('#portal-address-q').press('Enter');
          const list = page.getByTestId('portal-candidates');
          await list.or(page.getByTestId('portal-point').filter({ hasText: /望江/ })).first().waitFor();
          if (await list.isVisible()) {
            await list.getByText(locale === 'en' ? 'approximate' : '近似').first().waitFor();
            await list.getByRole('button').first().click();
          }
          await page.getByTestId('portal-point').filter({ hasText: /\d+\.\d{5}/ }).waitFor();
          await page.waitForTimeout(500);
          await page.screenshot({ path: shot(`portal-${tag}.png`), fullPage: true });
          assert.ok(await noHorizontalOverflow(page), `portal ${tag} overflows`);

          // the tracking page: the written result and the after-photo
          await page.goto(`${base}/portal?no=${caseNo}`);
          await page.getByTestId('case-result-text').filter({ hasText: '垃圾已全部清运' }).waitFor();
          const img = page.getByTestId('case-result').locator('img').first();
          await img.waitFor();
          await page.waitForFunction(() => ((document.querySelector('[data-testid="case-result"] img') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
          await page.screenshot({ path: shot(`portal-track-${tag}.png`), fullPage: true });
          assert.ok(await noHorizontalOverflow(page), `tracking page ${tag} overflows`);
          assert.deepEqual(errors, []);
        } finally {
          await close();
        }
      }
    }
  } finally {
    await env.app.close();
    await env.close();
  }
});

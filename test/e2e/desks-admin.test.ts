/**
 * Browser tests of issue 8's administration, language and phone parts, on the built console:
 * - the admin clicks a calendar day and makes it a holiday with a reason; edits the grid admission list; opens a
 *   webhook's delivery log (attempts, status, last error);
 * - a seat sees the standard replies (话术) beside the knowledge base and inserts one as a refusal's reason; the
 *   message "请选择事项类型" goes when a matter is chosen; the routing line names the unit in the user's language;
 * - a failed sign-in reads in the user's language;
 * - a grid member's phone shows a case newly given to them without a reload (the live stream).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { runWebhookDelivery } from '../../src/jobs/webhook-delivery.job.ts';
import { launchBrowser, SCREENSHOTS, demoAccount, signIn } from './browser.ts';

const WEB_INDEX = path.resolve('web/dist/index.html');

test('administration, the seat\'s replies, messages in the user\'s language, and the phone\'s live list', async () => {
  assert.ok(fs.existsSync(WEB_INDEX), 'web/dist is not built (node web/build.mjs)');
  const env = await createDemoEnv('sqlite', { now: Date.now() });
  await loadGridPoints(env);
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const shot = (name: string) => path.join(SCREENSHOTS, name);
  const receiver = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.statusCode = 502; res.end('bad gateway'); }); });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const errors: string[] = [];
    // ---- administration at 1920×1080 ----
    {
      const { context, close } = await launchBrowser({ width: 1920, height: 1080 });
      try {
        const page = await context.newPage();
        page.on('pageerror', (e) => errors.push(e.message));
        await signIn(page, address, demoAccount(env.dataDir, 'admin'));
        await page.waitForURL(/\/admin/);
        const year = new Date().getFullYear();
        // a weekday in November of this year
        let day = 4;
        while ([0, 6].includes(new Date(Date.UTC(year, 10, day)).getUTCDay())) day++;
        const date = `${year}-11-${String(day).padStart(2, '0')}`;
        await page.goto(`${address}/admin?tab=calendar`);
        const cell = page.locator(`button[data-date="${date}"]`);
        await cell.click();
        const editor = page.getByTestId('day-editor');
        await editor.waitFor();
        assert.equal(await editor.getByLabel('调休上班日').isDisabled(), true, 'a weekday cannot be a make-up workday');
        await editor.getByLabel('法定节假日（放假）').check();
        await editor.getByLabel('节日名称 / 原因').fill('防汛停工');
        await page.screenshot({ path: shot('admin-calendar-day-1920.png') });
        await editor.getByRole('button', { name: '保存' }).click();
        await page.locator(`button[data-date="${date}"][data-kind="holiday"]`).waitFor();
        const cal = await (await context.request.get(`${address}/api/v1/calendar?year=${year}`)).json();
        assert.ok(cal.holidays.some((h: { date: string; name: string }) => h.date === date && h.name === '防汛停工'), 'saved with its reason');

        // the admission list: add a whole class, save, read back
        await page.goto(`${address}/admin?tab=admission`);
        await page.getByTestId('admission-table').or(page.getByText('清单为空')).first().waitFor();
        const before = (await (await context.request.get(`${address}/api/v1/admission`)).json()).entries.length;
        const add = page.getByLabel('添加事项或大类');
        const option = await add.locator('optgroup').first().locator('option').first().getAttribute('value');
        await add.selectOption(option!);
        await page.getByRole('button', { name: '添加', exact: true }).click();
        await page.getByRole('button', { name: '保存清单' }).click();
        await page.getByText(/已保存，共 \d+ 项/).waitFor();
        const after = (await (await context.request.get(`${address}/api/v1/admission`)).json()).entries;
        assert.equal(after.length, before + 1);
        assert.ok(after.some((e: { matterClass?: string }) => e.matterClass === option!.slice(2)));

        // a webhook whose receiver answers 502: its log shows the attempt, the status and the error
        const created = await context.request.post(`${address}/api/v1/webhooks`, {
          data: { name: '城管业务系统', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, topics: ['case.created'] },
          headers: { 'x-csrf-token': (await (await context.request.get(`${address}/api/v1/auth/me`)).json()).csrfToken },
        });
        assert.equal(created.status(), 201, await created.text());
        const operator = await userClient(env.app, env.ctx, 'operator');
        const p = demoPoint(env, 3);
        await operator.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: '垃圾', location: { lon: p.lon, lat: p.lat } });
        await runWebhookDelivery(env.ctx, { random: () => 0 });
        await page.goto(`${address}/admin?tab=webhooks`);
        const row = page.locator('[data-webhook]').filter({ hasText: '城管业务系统' });
        await row.getByText('HTTP 502').waitFor();
        await row.getByRole('button', { name: '投递记录' }).click();
        const log = page.getByTestId('delivery-log');
        await log.getByText('case.created').waitFor();
        assert.match((await log.locator('tbody tr').first().textContent())!, /待重试.*1.*502/);
        await page.screenshot({ path: shot('admin-webhooks-1920.png') });
      } finally {
        await close();
      }
    }

    // ---- the seat: replies, messages that go with their cause, the routing line in each language ----
    {
      const { context, close } = await launchBrowser({ width: 1920, height: 1080 });
      try {
        const page = await context.newPage();
        page.on('pageerror', (e) => errors.push(e.message));
        // a failed sign-in, in Chinese
        await page.goto(`${address}/login`);
        await page.getByLabel('用户名').fill('nobody');
        await page.getByLabel('密码').fill('wrong password');
        await page.getByRole('button', { name: '登录' }).click();
        await page.getByText('用户名或密码错误').waitFor();
        assert.equal(await page.getByText('Wrong username or password').count(), 0);

        await signIn(page, address, demoAccount(env.dataDir, 'operator'));
        await page.waitForURL(/\/intake$/);
        await page.getByLabel('来电号码').fill('13912340002');
        await page.getByLabel('诉求内容').fill('小区门口垃圾堆了好几天没人清运');
        await page.getByRole('button', { name: '提交工单' }).click();
        const matterError = page.getByText('请选择事项类型');
        await matterError.waitFor();
        const top = page.locator('.suggest-list .chip-top');
        await top.click();
        await matterError.waitFor({ state: 'detached' });
        // the replies for this call, beside the knowledge base; one is inserted as the refusal's reason
        const replies = page.getByTestId('standard-replies');
        await replies.waitFor();
        await page.getByLabel('不予受理（告知转介）').check();
        const first = replies.locator('li').first();
        const text = (await first.locator('.kb-body').textContent())!.trim();
        await first.getByRole('button', { name: '插入原因' }).click();
        assert.equal(await page.getByLabel('不予受理原因').inputValue(), text);
        await page.getByLabel('派单（新建案件，或对已有案件催办）').check();
        // the routing line names the unit, in Chinese, then in English
        const place = await env.db.selectFrom('places').select(['name']).where('kind', '=', 'compound').orderBy('id').executeTakeFirstOrThrow();
        await page.getByLabel('地址').fill(place.name);
        await page.getByRole('button', { name: '定位', exact: true }).click();
        await Promise.race([page.getByTestId('located').waitFor(), page.locator('.candidates').waitFor()]);
        if (await page.locator('.candidates').isVisible()) await page.locator('.candidates .candidate').first().click();
        await page.getByTestId('routing').locator('.routing-answer strong').waitFor();
        const unitName = (await page.getByTestId('routing').locator('.routing-answer strong').textContent())!.trim();
        assert.ok([...env.ctx.ref.current().units.values()].some((u) => u.name === unitName), `a unit's name: ${unitName}`);
        const why = page.getByTestId('routing-why');
        await why.waitFor();
        const zh = (await why.textContent())!;
        assert.ok(zh.includes(unitName), `the unit's name in "${zh}"`);
        assert.doesNotMatch(zh.replace(/RULE-\d+/g, ''), /[A-Za-z]{3,}/, `no English in the Chinese routing line (a rule's id aside): "${zh}"`);
        await page.getByLabel('语言').selectOption('en');
        const en = (await why.textContent())!;
        assert.ok(en.includes(unitName) && /Routed|rule|fallback/i.test(en), `English routing line: "${en}"`);
        assert.doesNotMatch(en, /按规则|派给|兜底/, 'no Chinese sentence in the English line');
        await page.screenshot({ path: shot('intake-replies-en-1920.png') });
        // and a failed sign-in in English after signing out
        await page.context().clearCookies();
        await page.goto(`${address}/login`);
        await page.getByLabel('Username').fill('nobody');
        await page.getByLabel('Password').fill('wrong password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText('Wrong username or password').waitFor();
      } finally {
        await close();
      }
    }

    // ---- the grid member's phone: a case given to them appears without a reload ----
    {
      const { context, close } = await launchBrowser({ width: 390, height: 844 });
      try {
        const page = await context.newPage();
        page.on('pageerror', (e) => errors.push(e.message));
        const gmAccount = demoAccount(env.dataDir, 'grid_member');
        await signIn(page, address, gmAccount);
        await page.waitForURL(/\/m/);
        await page.locator('[data-testid="m-live"][data-live="open"]').waitFor();
        await page.evaluate('window.__notReloaded = true');
        const ref = env.ctx.ref.current();
        const gm = await env.db.selectFrom('users').select(['id', 'region_ids']).where('username', '=', gmAccount.username).executeTakeFirstOrThrow();
        const street = (JSON.parse(gm.region_ids) as string[])[0];
        const n = [...Array(ref.grids.size).keys()].find((i) => ref.regions.get(demoPoint(env, i).communityId)?.parentId === street)!;
        const p = demoPoint(env, n);
        const matter = [...ref.matters.values()].find((m) => ref.admission.admits(m.code))!;
        const inspector = await userClient(env.app, env.ctx, 'inspector');
        const c = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: matter.code, description: '网格员实时任务', location: { lon: p.lon, lat: p.lat } });
        assert.equal(c.status, 201, JSON.stringify(c.body));
        const dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
        const d = await dispatcher.post(`/api/v1/cases/${c.body.id}/dispatch`, { gridMemberId: gm.id, version: c.body.version });
        assert.equal(d.status, 200, JSON.stringify(d.body));
        await page.locator(`[data-case-no="${c.body.caseNo}"]`).waitFor();
        assert.equal(await page.evaluate('window.__notReloaded === true'), true, 'the page was not reloaded');
        await page.screenshot({ path: shot('mobile-live-task-390.png') });
      } finally {
        await close();
      }
    }
    assert.deepEqual(errors, []);
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
    await env.close();
  }
});

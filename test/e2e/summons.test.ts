/**
 * Browser test of the summons (吹哨报到, issue 9 part 2) on the built console:
 *   a case dispatched to a street office → the street blows a 攻坚哨 on it from the case page, naming two
 *   departments → one department checks in on site from a phone (Playwright's faked geolocation near the meeting
 *   place) on the summons desk, the other reports online → the street closes the summons with an outcome and rates
 *   both departments,
 * asserting the UI at each step and the stored result through the API. Screenshots: the case panel at 1920×1080 and
 * the phone's summons desk at 390×844.
 *
 * Run: node web/build.mjs && node --import tsx --test test/e2e/summons.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { createUser } from '../../src/commands/user-create.ts';
import type { Role } from '../../src/domain/policy/permissions.ts';
import { launchBrowser, SCREENSHOTS, signIn as signInAt } from './browser.ts';

const WEB_DIR = path.resolve(process.env.CITYOPS_WEB_DIR ?? 'web/dist');
const PASSWORD = 'correct horse battery';

test('summons: a whistle with two departments, one checking in on site (faked geolocation), one online; closed and rated', async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `${WEB_DIR} is not built (node web/build.mjs)`);
  const env = await createDemoEnv('sqlite', { now: Date.now(), config: { webDir: WEB_DIR } });
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const desk = await launchBrowser({ width: 1920, height: 1080 });
  const phone = await launchBrowser({ width: 390, height: 844 });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  try {
    await loadGridPoints(env);
    const p = demoPoint(env, 3);
    const inspector = await userClient(env.app, env.ctx, 'inspector');
    const dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
    const created = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06001', description: '小区绿地私搭乱建，街道多次劝阻无效', location: { lon: p.lon, lat: p.lat } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const caseId = created.body.id as number;
    const streetId = (await env.db.selectFrom('cases').select('street_id').where('id', '=', caseId).executeTakeFirstOrThrow()).street_id!;
    const officeId = [...env.ctx.ref.current().units.values()].find((u) => u.regionId === streetId && u.kind === 'street_office')!.id;
    assert.equal((await dispatcher.post(`/api/v1/cases/${caseId}/dispatch`, { unitId: officeId })).status, 200);

    const user = async (username: string, roles: Role[], unitIds: string[]) => {
      await createUser(env.ctx, { username, password: PASSWORD, roles, unitIds, regionIds: [], displayName: username }, null);
      return username;
    };
    const streetLeader = await user('jd-leader', ['unit_leader'], [officeId]);
    const cgzf = await user('cgzf-handler', ['unit_handler'], ['U-CGZF']);
    const sw = await user('sw-handler', ['unit_handler'], ['U-SW']);

    const signIn = async (context: BrowserContext, page: Page, username: string) => {
      await context.clearCookies();
      await signInAt(page, address, { username, password: PASSWORD });
      await page.locator('.topbar').waitFor();
    };
    const errors: string[] = [];

    // ---- the street blows the whistle from the case page ----
    const page = await desk.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(desk.context, page, streetLeader);
    await page.goto(`${address}/cases/${caseId}`);
    const panel = page.locator('section.summons-panel');
    await panel.getByRole('heading', { name: '吹哨报到' }).waitFor();
    await panel.getByRole('button', { name: '吹哨', exact: true }).click();
    const form = panel.getByRole('form', { name: '吹哨' });
    await form.getByLabel('哨类').selectOption('tackling');
    await form.getByLabel('会商方式').selectOption('on_site');
    for (const unit of ['U-CGZF', 'U-SW']) {
      const name = env.ctx.ref.current().units.get(unit)!.name;
      await form.getByLabel('筛选部门').fill(name);
      await form.getByLabel(name, { exact: true }).check();
    }
    await form.getByLabel('筛选部门').fill('');
    await form.getByLabel('吹哨事由').fill('违建涉及执法与水务管线，街道无法单独处置，请限时到场会商');
    await form.getByRole('button', { name: '吹哨', exact: true }).click();
    const card = panel.locator('.summons-card').first();
    await card.waitFor();
    assert.match(await card.locator('.summons-kind').textContent() ?? '', /攻坚哨/);
    assert.deepEqual(await card.getByTestId('dept-state').allTextContents(), ['待报到', '待报到']);
    assert.equal(await card.locator('.countdown').count(), 2, 'each waiting department counts down');
    assert.match(await card.locator('.countdown').first().textContent() ?? '', /剩余/);
    const [summons] = (await dispatcher.get(`/api/v1/cases/${caseId}/summons`)).body.items;
    assert.deepEqual(summons.departments.map((d: { unit: { id: string } }) => d.unit.id), ['U-CGZF', 'U-SW']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'summons-case-panel.png'), fullPage: true });

    // ---- a department checks in on site from a phone: geolocation faked ~100 m from the meeting place ----
    await phone.context.grantPermissions(['geolocation'], { origin: address });
    await phone.context.setGeolocation({ latitude: p.lat + 0.0009, longitude: p.lon, accuracy: 10 });
    const mobile = await phone.context.newPage();
    mobile.on('pageerror', (e) => errors.push(e.message));
    await signIn(phone.context, mobile, cgzf);
    await mobile.goto(`${address}/summons`);
    const mine = mobile.locator(`[data-summons-id="${summons.id}"]`);
    await mine.waitFor();
    assert.equal(await mobile.getByRole('tab', { name: '待我单位报到' }).getAttribute('aria-selected'), 'true');
    await mine.getByRole('button', { name: '现场签到' }).click();
    // It stays in view with its new state although it is no longer waiting for this unit.
    await mine.locator('[data-unit="U-CGZF"] [data-testid="dept-state"]').filter({ hasText: '已报到' }).waitFor();
    const checkedIn = await mine.locator('[data-unit="U-CGZF"]').textContent();
    assert.match(checkedIn ?? '', /现场 · 距会商点 \d+ 米/);
    await mobile.screenshot({ path: path.join(SCREENSHOTS, 'summons-phone-checkin.png'), fullPage: true });

    // ---- the other reports online ----
    await signIn(phone.context, mobile, sw);
    await mobile.goto(`${address}/summons`);
    const theirs = mobile.locator(`[data-summons-id="${summons.id}"]`);
    await theirs.getByRole('button', { name: '线上报到' }).click();
    await theirs.locator('[data-unit="U-SW"] [data-testid="dept-state"]').filter({ hasText: '已报到' }).waitFor();

    // ---- the street closes it with an outcome and rates both ----
    await page.reload();
    const open = panel.locator('.summons-card').first();
    await open.locator('[data-unit="U-SW"] [data-testid="dept-state"]').filter({ hasText: '已报到' }).waitFor();
    const close = open.getByRole('form', { name: '结束吹哨' });
    await close.getByLabel('处置结果').selectOption('resolved');
    await close.getByLabel('结果说明').fill('现场会商确定由执法中队拆除，水务配合迁改管线');
    await close.getByRole('button', { name: '结束吹哨' }).click();
    await open.getByTestId('summons-outcome').waitFor();
    assert.match(await open.getByTestId('summons-outcome').textContent() ?? '', /已解决/);
    const cgzfName = env.ctx.ref.current().units.get('U-CGZF')!.name;
    const swName = env.ctx.ref.current().units.get('U-SW')!.name;
    const rateCgzf = open.getByRole('form', { name: `评价 ${cgzfName}` });
    await rateCgzf.getByLabel('评分').selectOption('5');
    await rateCgzf.getByLabel('评语（可选）').fill('到场及时');
    await rateCgzf.getByRole('button', { name: '评价' }).click();
    await open.locator('[data-unit="U-CGZF"] [data-testid="dept-rating"]').waitFor();
    const rateSw = open.getByRole('form', { name: `评价 ${swName}` });
    await rateSw.getByLabel('评分').selectOption('4');
    await rateSw.getByRole('button', { name: '评价' }).click();
    await open.locator('[data-unit="U-SW"] [data-testid="dept-rating"]').waitFor();
    assert.equal(await open.getByRole('form', { name: /^评价 / }).count(), 0, 'each department is rated once');

    // ---- the assessment and the settings on the summons desk (an administrator) ----
    const admin = await user('admin-1', ['admin'], []);
    await signIn(desk.context, page, admin);
    await page.goto(`${address}/summons`);
    await page.getByRole('tab', { name: '报到考核' }).click();
    const rows = page.locator('table.summons-summary tbody tr');
    await rows.first().waitFor();
    // department | summoned | on time | late | absent | waiting | average rating (ratings)
    const cells = async (r: number) => (await rows.nth(r).locator('td').allTextContents()).join('|');
    assert.deepEqual([await cells(0), await cells(1)].sort(), [`${cgzfName}|1|1|0|0|0|5（1）`, `${swName}|1|1|0|0|0|4（1）`].sort());
    await page.getByRole('tab', { name: '设置' }).click();
    const settings = page.getByRole('form', { name: '吹哨报到设置' });
    await settings.getByLabel('应急哨报到时限（分钟）').fill('15');
    await settings.getByRole('button', { name: '保存' }).click();
    await settings.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    assert.equal((await dispatcher.get('/api/v1/summons/settings')).body.reportLimitMinutes.emergency, 15);

    // ---- what was stored ----
    const stored = (await dispatcher.get(`/api/v1/summons/${summons.id}`)).body;
    assert.equal(stored.state, 'closed');
    assert.equal(stored.outcome, 'resolved');
    const byUnit = Object.fromEntries(stored.departments.map((d: any) => [d.unit.id, [d.state, d.reportMode, d.late, d.rating]]));
    assert.deepEqual(byUnit, { 'U-CGZF': ['reported', 'on_site', false, 5], 'U-SW': ['reported', 'online', false, 4] });
    const onSite = stored.departments.find((d: any) => d.unit.id === 'U-CGZF');
    assert.ok(onSite.distanceMeters > 50 && onSite.distanceMeters < 200, `checked in ${onSite.distanceMeters} m away`);
    assert.deepEqual(errors, []);
  } finally {
    await phone.close();
    await desk.close();
    await env.close();
  }
});

/**
 * Browser test of 联勤联动 (joint action) on the built console, with two assisting units:
 *   inspector reports on patrol (API, registered directly) →
 *   dispatcher dispatches in the UI to the lead unit with two assisting units, an instruction each →
 *   lead handler signs (UI) and is refused disposal while the assisting tasks are open (UI, the error names them) →
 *   assisting unit 1 finds the case in its inbox marked 协办, signs its task and completes it with a result and photo (UI) →
 *   assisting unit 2 signs and returns its task with reason and basis (UI) →
 *   dispatcher rules on the returned task: waived (UI) →
 *   lead disposes (UI) → DISPOSED.
 * The centre and lead are demo accounts; the two assisting units' handlers are made for the test (the demo city has
 * unit accounts in the lead unit only). Screenshots: the panel at 1920×1080 and 390×844.
 *
 * Run: node web/build.mjs && node --import tsx --test test/e2e/joint-action.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request } from '../support/api-client.ts';
import type { TestEnv } from '../support/test-context.ts';
import { createUser } from '../../src/commands/user-create.ts';
import { launchBrowser, SCREENSHOTS, demoAccount } from './browser.ts';

const WEB_DIR = path.resolve(process.env.CITYOPS_WEB_DIR ?? 'web/dist');
/** A real 8×8 PNG (the server sniffs the type from the bytes). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR4nGNgYGD4z8DAwMDAAAAKAAHJIuJBAAAAAElFTkSuQmCC', 'base64');
const PASSWORD = 'joint-action-pass';

async function apiSession(env: TestEnv, username: string, password: string) {
  const login = await request(env.app, 'POST', '/api/v1/auth/login', { body: { username, password } });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const cookie = String(login.headers['set-cookie']).split(';')[0];
  const headers = { 'x-csrf-token': login.body.csrfToken as string };
  return {
    get: (url: string) => request(env.app, 'GET', url, { cookie }),
    post: async (url: string, body: unknown = {}) => request(env.app, 'POST', url, { body, cookie, headers }),
  };
}

test('joint action with two assisting units through the console', async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `${WEB_DIR} is not built (node web/build.mjs)`);
  const env = await createDemoEnv('sqlite', { now: Date.now(), config: { webDir: WEB_DIR } });
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const { context, close } = await launchBrowser({ width: 1920, height: 1080 });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const shot = (name: string) => path.join(SCREENSHOTS, name);
  try {
    const errors: string[] = [];
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));

    const leadUnit = demoAccount(env.dataDir, 'unit_handler').unitId!;
    await loadGridPoints(env);
    const ref = env.ctx.ref.current();
    let point = demoPoint(env, 0);
    for (let n = 0; n < ref.grids.size && ref.routing.route({ matterCode: '06010', regionId: point.communityId }).unitId !== leadUnit; n++) point = demoPoint(env, n);
    assert.equal(ref.routing.route({ matterCode: '06010', regionId: point.communityId }).unitId, leadUnit);
    const [u1, u2] = [...ref.units.values()].filter((u) => u.active && !u.parentId && u.id !== leadUnit && u.kind !== 'centre');
    const accounts: Record<string, { username: string; password: string }> = {};
    for (const [k, u] of [['a1', u1], ['a2', u2]] as const) {
      const username = `joint-${k}`;
      await createUser(env.ctx, { username, password: PASSWORD, displayName: `${u.name}协办员`, roles: ['unit_handler'], unitIds: [u.id], regionIds: [] }, null);
      accounts[k] = { username, password: PASSWORD };
    }
    const cred = (role: string) => accounts[role] ?? demoAccount(env.dataDir, role);

    const inspector = await apiSession(env, demoAccount(env.dataDir, 'inspector').username, demoAccount(env.dataDir, 'inspector').password);
    const created = await inspector.post('/api/v1/cases', {
      channel: 'patrol', matterCode: '06010', description: '桥下占道堆物，需环卫清运并执法取证（联勤联动测试）', location: { lon: point.lon, lat: point.lat },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id, caseNo } = created.body as { id: number; caseNo: string };
    assert.equal(created.body.state, 'REGISTERED');
    const apiCase = async () => (await inspector.get(`/api/v1/cases/${id}`)).body;

    const signIn = async (role: string) => {
      await context.clearCookies();
      const a = cred(role);
      await page.goto(address + '/login');
      if (!(await page.getByLabel('用户名').waitFor({ timeout: 10_000 }).then(() => true, () => false))) await page.goto(address + '/login');
      await page.getByLabel('用户名').fill(a.username);
      await page.getByLabel('密码').fill(a.password);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('.topbar').waitFor();
    };
    const expectState = async (zh: string) => {
      await page.waitForFunction((s) => document.querySelector('[data-testid="case-state"]')?.textContent === s, zh);
    };
    const panel = page.getByTestId('joint-panel');
    const task = (unitId: string) => panel.locator(`[data-testid="assist-task"][data-unit-id="${unitId}"]`);
    const taskState = async (unitId: string, state: string) => { await panel.locator(`[data-testid="assist-task"][data-unit-id="${unitId}"][data-state="${state}"]`).waitFor(); };
    const taskAct = async (unitId: string, label: string, fill: () => Promise<void> = async () => {}) => {
      await task(unitId).getByRole('button', { name: label, exact: true }).click();
      const form = task(unitId).getByRole('form');
      await form.waitFor();
      await fill();
      await form.getByRole('button', { name: `确认${label}` }).click();
      await form.waitFor({ state: 'detached' });
    };

    // ---- the dispatcher dispatches to the lead with two assisting units, each with its instruction ----
    await signIn('dispatcher');
    await page.goto(`${address}/cases/${id}`);
    await expectState('已立案');
    await page.getByRole('button', { name: '派遣', exact: true }).click();
    const form = page.getByRole('form', { name: '派遣' });
    await form.getByLabel('处置单位').locator(`option[value="${leadUnit}"]`).waitFor({ state: 'attached' });
    await form.getByLabel('协办单位（可多选）').selectOption([u1.id, u2.id]);
    await form.getByTestId('assist-instructions').waitFor();
    await form.locator(`input[data-unit-id="${u1.id}"]`).fill('负责清运堆物');
    await form.locator(`input[data-unit-id="${u2.id}"]`).fill('负责现场执法取证');
    await form.getByRole('button', { name: '确认派遣' }).click();
    await expectState('已派遣待签收');
    await taskState(u1.id, 'dispatched');
    await taskState(u2.id, 'dispatched');
    assert.match(await task(u1.id).textContent() ?? '', /负责清运堆物/);
    assert.match(await task(u2.id).textContent() ?? '', /负责现场执法取证/);
    assert.deepEqual((await apiCase()).assistingUnits.map((u: { id: string }) => u.id).sort(), [u1.id, u2.id].sort());

    // ---- the lead signs; disposal is refused while the assisting tasks are open ----
    await signIn('unit_handler');
    await page.goto(`${address}/cases/${id}`);
    await expectState('已派遣待签收');
    await page.getByRole('button', { name: '签收', exact: true }).click();
    await page.getByRole('form', { name: '签收' }).getByRole('button', { name: '确认签收' }).click();
    await expectState('处置中');
    await page.getByTestId('joint-bundle').filter({ hasText: '2 项协办任务未完成' }).waitFor();
    assert.equal(await task(u1.id).locator('[data-assist-action]').count(), 0, 'the lead acts on no assisting task');
    await page.getByRole('button', { name: '处置反馈', exact: true }).click();
    const dispose = page.getByRole('form', { name: '处置反馈' });
    await dispose.getByLabel('处置结果').fill('已到场处置');
    await dispose.getByLabel('现场照片').setInputFiles({ name: 'lead.png', mimeType: 'image/png', buffer: PNG });
    await dispose.getByRole('button', { name: '确认处置反馈' }).click();
    await page.getByRole('alert').filter({ hasText: '协办任务尚未完成' }).waitFor();
    assert.equal((await apiCase()).state, 'IN_PROGRESS');

    // ---- assisting unit 1: its inbox marks the case 协办; it signs and completes with a photo ----
    await signIn('a1');
    await page.waitForURL(/\/cases/);
    const row = page.locator(`[data-case-no="${caseNo}"]`);
    await row.waitFor();
    await row.getByTestId('assist-mark').filter({ hasText: '协办' }).waitFor();
    await row.click();
    await expectState('处置中');
    await page.getByText('您在本案当前环节没有可办理的操作。').waitFor();
    // the joint-action board loads beside the case: wait for both tasks and this unit's actions before counting
    await taskState(u1.id, 'dispatched');
    await taskState(u2.id, 'dispatched');
    await task(u1.id).locator('[data-assist-action]').first().waitFor();
    assert.equal(await task(u2.id).locator('[data-assist-action]').count(), 0, 'no action on another unit\'s task');
    assert.deepEqual((await task(u1.id).locator('[data-assist-action]').allTextContents()).sort(), ['签收', '退回'].sort());
    await taskAct(u1.id, '签收');
    await taskState(u1.id, 'signed');
    assert.match(await task(u1.id).textContent() ?? '', /协办员/, 'the handler who signed is shown');
    await taskAct(u1.id, '完成协办', async () => {
      await task(u1.id).getByLabel('协办结果').fill('已清运堆物 3 车');
      await task(u1.id).getByLabel('现场照片').setInputFiles({ name: 'a1.png', mimeType: 'image/png', buffer: PNG });
    });
    await taskState(u1.id, 'done');
    await task(u1.id).getByTestId('assist-result').filter({ hasText: '已清运堆物 3 车' }).waitFor();
    await task(u1.id).locator('.photos img').first().waitFor();

    // ---- assisting unit 2 signs, then returns its task with a reason and basis ----
    await signIn('a2');
    await page.goto(`${address}/cases/${id}`);
    await taskState(u2.id, 'dispatched');
    await taskAct(u2.id, '签收');
    await taskState(u2.id, 'signed');
    await taskAct(u2.id, '退回', async () => {
      await task(u2.id).getByLabel('退回原因').fill('现场无违法行为，无需执法');
      await task(u2.id).getByRole('textbox', { name: /^依据/ }).fill('执法事项清单第 5 项');
    });
    await taskState(u2.id, 'returned');

    // ---- the centre rules on the returned task: waived ----
    await signIn('dispatcher');
    await page.goto(`${address}/cases/${id}`);
    await taskState(u2.id, 'returned');
    await taskAct(u2.id, '裁定', async () => {
      await task(u2.id).getByLabel('裁定结果').selectOption('waive');
      await task(u2.id).getByLabel('裁定意见及依据').fill('经核实无需执法，免除协办');
    });
    await taskState(u2.id, 'waived');
    await page.getByTestId('joint-bundle').filter({ hasText: '均已完成或免除' }).waitFor();
    await page.screenshot({ path: shot('joint-action-1920.png'), fullPage: true });

    // ---- the lead now disposes ----
    await signIn('unit_handler');
    await page.goto(`${address}/cases/${id}`);
    await expectState('处置中');
    await page.getByRole('button', { name: '处置反馈', exact: true }).click();
    const dispose2 = page.getByRole('form', { name: '处置反馈' });
    await dispose2.getByLabel('处置结果').fill('联合处置完毕，现场已恢复');
    await dispose2.getByLabel('现场照片').setInputFiles({ name: 'lead.png', mimeType: 'image/png', buffer: PNG });
    await dispose2.getByRole('button', { name: '确认处置反馈' }).click();
    await page.getByRole('status').filter({ hasText: '已处置反馈' }).waitFor();
    assert.equal((await apiCase()).state, 'DISPOSED');
    const board = (await inspector.get(`/api/v1/cases/${id}/assists`)).body;
    const states = Object.fromEntries(board.tasks.map((t: { unit: { id: string }; state: string }) => [t.unit.id, t.state]));
    assert.deepEqual(states, { [u1.id]: 'done', [u2.id]: 'waived' });

    await page.setViewportSize({ width: 390, height: 844 });
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('joint-action-390.png') });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the page fits a phone (overflow ${overflow}px)`);
    assert.deepEqual(errors, [], `page errors: ${errors.join(' | ')}`);
  } finally {
    await close();
    await env.close();
  }
});

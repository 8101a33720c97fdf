/**
 * Browser test of the assessment desks (issue 10 part 4) on the built console:
 *   the seat's callback queue — one case 满意 (archived), one 不满意 (reopened: 重办; back in the queue after its new
 *   check, marked as such); a unit leader appeals a case from the case page with a photo, the centre accepts it on the
 *   appeals desk; a shift leader requests an exclusion on the case page, another approves it on the desk; an overdue
 *   case is supervised from the supervision desk and its unit answers the notice —
 * asserting the UI at each step and the stored result through the API. Screenshots at 1920×1080 and 390×844.
 *
 * Run: node web/build.mjs && node --import tsx --test test/e2e/desks.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { act, crewFor, disposeAndCheck, throughCheck } from '../support/case-flow.ts';
import { createUser } from '../../src/commands/user-create.ts';
import { runDeadlineSweep } from '../../src/jobs/deadline-sweep.job.ts';
import type { Role } from '../../src/domain/policy/permissions.ts';
import { launchBrowser, SCREENSHOTS, signIn as signInAt } from './browser.ts';

const WEB_DIR = path.resolve(process.env.CITYOPS_WEB_DIR ?? 'web/dist');
const PASSWORD = 'correct horse battery';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000040000000308020000003b9639910000001049444154789c63706b8a8223069c1c00085a0d9934efd51e0000000049454e44ae426082', 'hex');

test('desks: callback queue (satisfied, unsatisfied → reopen), an appeal accepted, an exclusion approved, a supervision notice answered', async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `${WEB_DIR} is not built (node web/build.mjs)`);
  const env = await createDemoEnv('sqlite', { now: Date.now(), config: { webDir: WEB_DIR } });
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const desk = await launchBrowser({ width: 1920, height: 1080 });
  const phone = await launchBrowser({ width: 390, height: 844 });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  try {
    await loadGridPoints(env);
    const p = demoPoint(env, 4);
    const crew = await crewFor(env, env.ctx.ref.current().routing.route({ matterCode: '06010', regionId: p.communityId }).unitId);
    const city = [...env.ctx.ref.current().regions.values()].find((r) => r.parentId === null)!.id;
    const user = async (username: string, roles: Role[], scope: { unitIds?: string[]; regionIds?: string[] }) => {
      await createUser(env.ctx, { username, password: PASSWORD, roles, unitIds: scope.unitIds ?? [], regionIds: scope.regionIds ?? [], displayName: username }, null);
      return username;
    };
    const seat = await user('seat-1', ['operator'], { regionIds: [city] });
    const shiftA = await user('shift-a', ['shift_leader'], { regionIds: [city] });
    const shiftB = await user('shift-b', ['shift_leader'], { regionIds: [city] });
    const centre = await user('centre-1', ['centre_leader'], { regionIds: [city] });
    const unitLeader = await user('unit-leader-1', ['unit_leader'], { unitIds: [crew.unitId] });
    const unitHandler = await user('unit-handler-1', ['unit_handler'], { unitIds: [crew.unitId] });
    const hotline = async (n: number) => {
      const c = await crew.operator.post('/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: `小区门口垃圾堆积 ${n}`, location: { lon: p.lon, lat: p.lat }, reporter: { name: '王五', phone: `1380000${1000 + n}` } });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      await throughCheck(env, crew, c.body.id);
      return { id: c.body.id as number, caseNo: c.body.caseNo as string };
    };
    const happy = await hotline(1);
    const unhappy = await hotline(2);
    const api = await userClient(env.app, env.ctx, 'shift_leader');
    const caseState = async (id: number) => (await api.get(`/api/v1/cases/${id}`)).body;

    const signIn = async (context: BrowserContext, page: Page, username: string) => {
      await context.clearCookies();
      await signInAt(page, address, { username, password: PASSWORD });
      await page.waitForURL((u) => !u.pathname.startsWith('/login')); // where the role lands (a centre leader: the big screen)
    };
    const errors: string[] = [];
    const page = await desk.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));

    // ---- the callback queue: 满意 ----
    await signIn(desk.context, page, seat);
    await page.goto(`${address}/callbacks`);
    const cardOf = (caseNo: string) => page.getByRole('article', { name: caseNo });
    await cardOf(happy.caseNo).waitFor();
    await cardOf(happy.caseNo).getByText('13800001001').waitFor(); // the seat sees the phone
    await cardOf(happy.caseNo).getByRole('button', { name: '领取回访' }).click();
    const form1 = cardOf(happy.caseNo).getByRole('form', { name: '提交回访结果' });
    await form1.getByLabel('回访结果').selectOption('satisfied');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desks-callback-queue.png') });
    await form1.getByRole('button', { name: '提交回访结果' }).click();
    await cardOf(happy.caseNo).waitFor({ state: 'detached' });
    assert.equal((await caseState(happy.id)).state, 'ARCHIVED');

    // ---- 不满意 → reopened (重办), back in the queue after its new check, marked ----
    await cardOf(unhappy.caseNo).getByRole('button', { name: '领取回访' }).click();
    const form2 = cardOf(unhappy.caseNo).getByRole('form', { name: '提交回访结果' });
    await form2.getByLabel('回访结果').selectOption('unsatisfied');
    await form2.getByRole('button', { name: '提交回访结果' }).click();
    await form2.getByText(/「说明」|note/).waitFor(); // the note is required when unsatisfied: the server says so at the field
    await form2.getByLabel(/来电人意见/).fill('门口垃圾还没清走');
    await form2.getByRole('button', { name: '提交回访结果' }).click();
    await cardOf(unhappy.caseNo).waitFor({ state: 'detached' });
    const reopened = await caseState(unhappy.id);
    assert.deepEqual([reopened.state, reopened.counters.reopen], ['IN_PROGRESS', 1]);
    await disposeAndCheck(env, crew, unhappy.id);
    await page.reload();
    await cardOf(unhappy.caseNo).getByText('重办后回访').waitFor();

    // ---- an appeal from the case page (with a photo), accepted on the desk ----
    await signIn(desk.context, page, unitLeader);
    await page.goto(`${address}/cases/${happy.id}`);
    const panel = page.locator('section.desk-panel');
    await panel.getByRole('button', { name: '申诉' }).click();
    const appealForm = panel.getByRole('form', { name: '提交申诉' });
    await appealForm.getByLabel('申诉理由').fill('该处为小区内部道路，不属本单位保洁范围');
    await appealForm.locator('input[type=file]').setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: PNG });
    await appealForm.getByRole('button', { name: '提交申诉' }).click();
    await panel.getByText('待裁决').waitFor();
    await signIn(desk.context, page, centre);
    await page.goto(`${address}/appeals`);
    const appealCard = page.getByRole('article', { name: `申诉 ${happy.caseNo}` });
    await appealCard.getByText('证据 1 份').waitFor();
    const decide = appealCard.getByRole('form', { name: '提交裁决' });
    await decide.getByRole('combobox').selectOption('accept');
    await decide.getByLabel('裁决理由').fill('经核实属小区内部道路');
    await decide.getByRole('button', { name: '提交裁决' }).click();
    await appealCard.getByText('申诉成立').first().waitFor();
    const appeals = (await api.get('/api/v1/appeals?state=accepted')).body.items;
    assert.equal(appeals[0].caseId, happy.id);
    assert.equal(appeals[0].evidence.length, 1);

    // ---- an exclusion requested on the case page, approved on the desk by another leader ----
    await signIn(desk.context, page, shiftA);
    await page.goto(`${address}/cases/${unhappy.id}`);
    await panel.getByRole('button', { name: '申请认定无理诉求' }).click();
    const exForm = panel.getByRole('form', { name: '提交认定申请' });
    await exForm.getByLabel('无理诉求的理由').fill('来电人要求清理其私人院内垃圾');
    await exForm.getByRole('button', { name: '提交认定申请' }).click();
    await panel.getByText('待审核').waitFor();
    await signIn(desk.context, page, shiftB);
    await page.goto(`${address}/appeals`);
    await page.getByRole('tab', { name: '无理诉求' }).click();
    const exCard = page.getByRole('article', { name: `无理诉求 ${unhappy.caseNo}` });
    const review = exCard.getByRole('form', { name: '提交审核' });
    await review.getByLabel('审核结论').selectOption('approve');
    await review.getByRole('button', { name: '提交审核' }).click();
    await exCard.getByText('已认定').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desks-exclusions.png') });
    const h = (await api.get(`/api/v1/cases/${unhappy.id}/history`)).body.items.map((x: { action: string }) => x.action);
    assert.ok(h.includes('exclusion_approved'));

    // ---- supervision: an overdue case supervised from the desk, answered by its unit (on a phone) ----
    const patrol = await crew.inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: '主路暴露垃圾无人清理', location: { lon: p.lon, lat: p.lat } });
    await act(crew.dispatcher, patrol.body.id, 'dispatch', { unitId: crew.unitId });
    await act(crew.handler, patrol.body.id, 'sign');
    env.clock.advance(5 * 86_400_000);
    await runDeadlineSweep(env.ctx);
    await signIn(desk.context, page, shiftA);
    await page.goto(`${address}/supervision`);
    const cand = page.getByRole('article', { name: patrol.body.caseNo });
    await cand.getByRole('button', { name: '督办' }).click();
    const notice = cand.getByRole('form', { name: '下发督办单' });
    await notice.getByLabel('督办级别').selectOption('supervise');
    await notice.getByLabel('督办要求').fill('已超期，请于48小时内处置并答复');
    await notice.getByRole('button', { name: '下发督办单' }).click();
    await cand.getByText(/督办 · 单位 · 待答复/).waitFor();
    const ppage = await phone.context.newPage();
    ppage.on('pageerror', (e) => errors.push(e.message));
    await signIn(phone.context, ppage, unitHandler);
    await ppage.goto(`${address}/supervision`);
    const ncard = ppage.getByRole('article', { name: `督办单 ${patrol.body.caseNo}` });
    const answer = ncard.getByRole('form', { name: '答复督办' });
    await answer.getByLabel('答复内容').fill('已安排清运，今日完成');
    await answer.getByRole('button', { name: '答复督办' }).click();
    await ncard.getByText('已答复').waitFor();
    await ppage.screenshot({ path: path.join(SCREENSHOTS, 'desks-supervision-phone.png') });
    const later = await userClient(env.app, env.ctx, 'shift_leader'); // signed in after the clock moved on five days
    const n = (await later.get(`/api/v1/cases/${patrol.body.id}/desks`)).body.notices[0];
    assert.deepEqual([n.state, n.answer, n.level, n.tier], ['answered', '已安排清运，今日完成', 'supervise', 'unit']);
    assert.deepEqual(errors, []);
  } finally {
    await desk.close();
    await phone.close();
    await env.close();
  }
});

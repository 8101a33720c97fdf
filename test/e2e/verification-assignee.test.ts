/**
 * Browser test of 派发核实 to a named verifier (issue 8, docs/issue-8/verification-assignee.md): an inspector goes on
 * duty on the phone near a case; the dispatcher's 派发核实 form offers them first (distance and load, 在岗), before
 * the plain list of inspectors covering the place; the dispatcher names them; the named inspector's phone lists the
 * task marked 指定由我核实, and another inspector in the same area is not offered it.
 * Screenshots: test/e2e/screenshots/request-verify-nearest-1920.png, mobile-named-verifier-390.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { launchBrowser, SCREENSHOTS, demoAccount, signIn } from './browser.ts';

const WEB_DIR = process.env.CITYOPS_WEB_DIR ? path.resolve(process.env.CITYOPS_WEB_DIR) : path.resolve('web/dist');

test('the dispatcher names the nearest inspector on duty to verify; that inspector sees the task on the phone', async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `${WEB_DIR} is not built (node web/build.mjs)`);
  const env = await createDemoEnv('sqlite', { now: Date.now(), config: { webDir: WEB_DIR } });
  const tick = setInterval(() => env.clock.set(Date.now()), 200); // the phone stamps fixes with the real time
  await loadGridPoints(env);
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const shot = (name: string) => path.join(SCREENSHOTS, name);
  try {
    const ref = env.ctx.ref.current();
    const inspAccount = demoAccount(env.dataDir, 'inspector');
    const insp = await env.db.selectFrom('users').select(['id', 'display_name', 'region_ids']).where('username', '=', inspAccount.username).executeTakeFirstOrThrow();
    const scope = JSON.parse(insp.region_ids) as string[];
    const pathOf = (community: string) => { const p: string[] = []; for (let r: string | null | undefined = community; r; r = ref.regions.get(r)?.parentId) p.push(r); return p; };
    const n = [...Array(ref.grids.size).keys()].find((i) => pathOf(demoPoint(env, i).communityId).some((r) => scope.includes(r)))!;
    assert.ok(n !== undefined, 'a grid in the inspector\'s area');
    const p = demoPoint(env, n);
    const op = await userClient(env.app, env.ctx, 'operator');
    // another inspector covering the same area, not on duty: only in the plain list, and not offered the task
    const other = await userClient(env.app, env.ctx, 'inspector', { regionIds: scope });
    const created = await op.post('/api/v1/cases', { channel: 'hotline', matterCode: '06012', description: '道路不洁，指定核实', location: { lon: p.lon, lat: p.lat } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const c = created.body as { id: number; caseNo: string };
    assert.equal((await op.post(`/api/v1/cases/${c.id}/accept`, {})).status, 200);

    const phone = await launchBrowser({ width: 390, height: 844 });
    try {
      await phone.context.grantPermissions(['geolocation'], { origin: address });
      await phone.context.setGeolocation({ longitude: p.lon + 0.0004, latitude: p.lat, accuracy: 10 });
      const page = await phone.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await signIn(page, address, inspAccount);
      await page.waitForURL(/\/m$/);
      await page.getByRole('button', { name: '上岗' }).click();
      await page.getByTestId('duty-state').getByText('已上报').waitFor();

      // ---- the dispatcher: 派发核实, the nearest on duty first, then the plain list ----
      const desk = await launchBrowser({ width: 1920, height: 1080 });
      try {
        const dp = await desk.context.newPage();
        const derrors: string[] = [];
        dp.on('pageerror', (e) => derrors.push(e.message));
        await signIn(dp, address, demoAccount(env.dataDir, 'dispatcher'));
        await dp.waitForURL(/\/cases/);
        await dp.goto(`${address}/cases/${c.id}`);
        await dp.getByRole('button', { name: '派发核实', exact: true }).click();
        const form = dp.getByRole('form', { name: '派发核实' });
        const select = form.getByLabel('指定核实人');
        await select.locator(`option[value="${other.userId}"]`).waitFor({ state: 'attached' });
        const options = await select.evaluate((s: HTMLSelectElement) => [...s.options].map((o) => ({ value: o.value, text: o.textContent ?? '' })));
        assert.equal(options[0].value, '', 'nobody in particular comes first');
        assert.equal(options[1].value, insp.id, `the inspector on duty is the nearest: ${JSON.stringify(options)}`);
        assert.match(options[1].text, /\d+ 米/);
        assert.match(options[1].text, /在办 \d+/);
        assert.match(options[1].text, /在岗/);
        const plain = options.find((o) => o.value === other.userId)!;
        assert.doesNotMatch(plain.text, /在岗/, 'an inspector off duty is in the plain list');
        await select.selectOption(insp.id);
        await form.getByLabel('给监督员的说明').fill('请就近核实');
        await dp.screenshot({ path: shot('request-verify-nearest-1920.png') });
        await form.getByRole('button', { name: '确认派发核实' }).click();
        await dp.getByTestId('case-verifier').getByText(insp.display_name).waitFor();
        assert.deepEqual(derrors, []);
      } finally {
        await desk.close();
      }
      const now = (await op.get(`/api/v1/cases/${c.id}`)).body;
      assert.equal(now.state, 'VERIFYING');
      assert.equal(now.verifier.id, insp.id);
      assert.ok(!(await other.get(`/api/v1/cases/${c.id}`)).body.allowedActions.includes('verify'));

      // ---- the named inspector's phone: the task, marked as named for them ----
      await page.getByRole('button', { name: '刷新' }).click();
      const task = page.locator(`a.m-task[data-case-no="${c.caseNo}"]`);
      await task.waitFor();
      await task.getByTestId('m-named-verifier').waitFor();
      await page.screenshot({ path: shot('mobile-named-verifier-390.png') });
      // 下岗 before leaving (as the field-resources test does: the phone stops sharing its position)
      await page.getByRole('button', { name: '下岗' }).click();
      await page.getByTestId('duty-state').getByText('未上岗').waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await phone.close();
    }
  } finally {
    try { await env.close(); } finally { clearInterval(tick); } // the fake clock keeps moving while the store closes
  }
});

/**
 * Browser test of a case given to a grid member (domain.md §6, admitted matters only), on the built console:
 * the dispatcher's form starts from what the responsibility list proposes (the routed unit and its assisting units)
 * and offers the grid members covering the place; the grid member then finds the case on the phone (待签收), signs
 * it, and reports it done with a photo (待处置 → 已处置). A matter off the admission list offers no grid member.
 * Screenshots: test/e2e/screenshots/dispatch-grid-member-1920.png, mobile-grid-member-390.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { launchBrowser, SCREENSHOTS, demoAccount, signIn } from './browser.ts';

const WEB_DIR = process.env.CITYOPS_WEB_DIR ? path.resolve(process.env.CITYOPS_WEB_DIR) : path.resolve('web/dist');
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

test('a case given to a grid member: dispatch form prefilled from the list, signed and disposed on the phone', async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `${WEB_DIR} is not built (npm run build:web)`);
  const env = await createDemoEnv('sqlite', { now: Date.now(), config: { webDir: WEB_DIR } });
  await loadGridPoints(env);
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const shot = (name: string) => path.join(SCREENSHOTS, name);
  try {
    const ref = env.ctx.ref.current();
    // The demo grid member covers one street: a point in it, and an admitted matter the list routes with assisting units.
    const gmAccount = demoAccount(env.dataDir, 'grid_member');
    const gm = await env.db.selectFrom('users').select(['id', 'region_ids']).where('username', '=', gmAccount.username).executeTakeFirstOrThrow();
    const street = (JSON.parse(gm.region_ids) as string[])[0];
    const n = [...Array(ref.grids.size).keys()].find((i) => ref.regions.get(demoPoint(env, i).communityId)?.parentId === street)!;
    assert.ok(n !== undefined, 'a grid in the grid member\'s street');
    const p = demoPoint(env, n);
    const matter = [...ref.matters.values()].find((m) => ref.admission.admits(m.code)
      && ref.routing.route({ matterCode: m.code, regionId: p.communityId }).assistingUnitIds.length > 0)!;
    assert.ok(matter, 'an admitted matter routed with assisting units');
    const inspector = await userClient(env.app, env.ctx, 'inspector');
    const report = async (matterCode: string) => {
      const r = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode, description: `网格员处置 ${matterCode}`, location: { lon: p.lon, lat: p.lat } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { id: number; caseNo: string; routing: { unit: { id: string }; assistingUnits: { id: string }[] } };
    };
    const c = await report(matter.code);
    const offList = await report('08001');
    assert.ok(c.routing.assistingUnits.length > 0);

    // ---- the dispatcher's form: routed unit and proposed assisting units preselected; the grid member offered ----
    {
      const { context, close } = await launchBrowser({ width: 1920, height: 1080 });
      try {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await signIn(page, address, demoAccount(env.dataDir, 'dispatcher'));
        await page.waitForURL(/\/cases/);
        await page.goto(`${address}/cases/${offList.id}`);
        await page.getByRole('button', { name: '派遣', exact: true }).click();
        const offForm = page.getByRole('form', { name: '派遣' });
        await offForm.getByLabel('处置单位').waitFor();
        assert.equal(await offForm.getByLabel('或派给网格员').count(), 0, 'a matter off the admission list offers no grid member');

        await page.goto(`${address}/cases/${c.id}`);
        await page.getByRole('button', { name: '派遣', exact: true }).click();
        const form = page.getByRole('form', { name: '派遣' });
        const unit = form.getByLabel('处置单位');
        await unit.locator(`option[value="${c.routing.unit.id}"]`).waitFor({ state: 'attached' });
        assert.equal(await unit.inputValue(), c.routing.unit.id, 'the routed unit is preselected');
        const assisting = await form.getByLabel('协办单位（可多选）').evaluate((s: HTMLSelectElement) => [...s.selectedOptions].map((o) => o.value));
        assert.deepEqual(assisting.sort(), c.routing.assistingUnits.map((u) => u.id).sort(), 'the proposed assisting units are preselected');
        const member = form.getByLabel('或派给网格员');
        await member.locator(`option[value="${gm.id}"]`).waitFor({ state: 'attached' });
        await member.selectOption(gm.id);
        assert.equal(await unit.isDisabled(), true, 'a grid member handles it alone');
        await page.screenshot({ path: shot('dispatch-grid-member-1920.png') });
        await form.getByRole('button', { name: '确认派遣' }).click();
        await page.getByTestId('case-state').getByText('已派遣待签收').waitFor();
        await page.getByText('处置人（网格员）').waitFor();
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    }
    const dispatched = (await inspector.get(`/api/v1/cases/${c.id}`)).body;
    assert.equal(dispatched.assignedGridMember.id, gm.id);
    assert.equal(dispatched.assignedUnit, null);

    // ---- the grid member on the phone: sign, then report it done with a photo ----
    {
      const { context, close } = await launchBrowser({ width: 390, height: 844 });
      try {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await signIn(page, address, gmAccount);
        await page.waitForURL(/\/m$/);
        const task = page.locator(`a.m-task[data-case-no="${c.caseNo}"]`);
        await task.waitFor();
        assert.match((await task.textContent()) ?? '', /待签收/);
        await page.screenshot({ path: shot('mobile-grid-member-390.png') });
        await task.click();
        await page.getByLabel('签收', { exact: true }).check();
        await page.getByRole('button', { name: '提交', exact: true }).click();
        await page.getByText(`已提交：${c.caseNo}`).waitFor();
        assert.equal((await inspector.get(`/api/v1/cases/${c.id}`)).body.state, 'IN_PROGRESS');

        await task.waitFor();
        await page.waitForFunction((no) => /待处置/.test(document.querySelector(`a.m-task[data-case-no="${no}"]`)?.textContent ?? ''), c.caseNo);
        await task.click();
        await page.getByLabel('处置完成').check();
        await page.getByLabel('处置结果').fill('已现场清理完毕');
        const submit = page.getByRole('button', { name: '提交', exact: true });
        assert.equal(await submit.isDisabled(), true, 'disposal needs a photo');
        await page.locator('input[type="file"][name="photos"]').setInputFiles({ name: 'done.png', mimeType: 'image/png', buffer: PNG });
        await submit.click();
        await page.getByText(`已提交：${c.caseNo}`).waitFor();
        const done = (await inspector.get(`/api/v1/cases/${c.id}`)).body;
        assert.equal(done.state, 'DISPOSED');
        const h = (await inspector.get(`/api/v1/cases/${c.id}/history`)).body.items as { action: string; attachmentIds: string[] }[];
        assert.equal(h.find((x) => x.action === 'dispose')?.attachmentIds.length, 1, 'the photo is attached to the disposal');
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    }
  } finally {
    await env.close();
  }
});

/**
 * Browser test (issue 8): a dialog left open while the case moves on in another tab (or at another desk) says so —
 * a form whose action is no longer possible closes with a notice naming the new state; one still possible warns
 * inside the form; a success notice goes once the case moves on. Screenshot: stale-form-1920.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { act } from '../support/case-flow.ts';
import { launchBrowser, SCREENSHOTS, demoAccount, signIn } from './browser.ts';

test('a stale action form says the case moved on, never vanishes silently', async () => {
  assert.ok(fs.existsSync(path.resolve('web/dist/index.html')), 'web/dist is not built (npm run build:web)');
  const env = await createDemoEnv('sqlite', { now: Date.now() });
  await loadGridPoints(env);
  const base = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const { context, close } = await launchBrowser({ width: 1920, height: 1080 });
  const errors: string[] = [];
  try {
    const inspector = await userClient(env.app, env.ctx, 'inspector');
    const other = await userClient(env.app, env.ctx, 'dispatcher');
    const leader = await userClient(env.app, env.ctx, 'shift_leader');
    const p = demoPoint(env, 12);
    const created = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: '两个标签页同时办理', location: { lon: p.lon, lat: p.lat } });
    assert.equal(created.status, 201);
    const { id } = created.body;
    const unitId = created.body.routing.unit.id as string;

    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    const d = demoAccount(env.dataDir, 'dispatcher');
    await signIn(page, base, d);
    await page.waitForURL(/\/cases/);
    await page.goto(`${base}/cases/${id}`);
    await page.getByRole('button', { name: '派遣', exact: true }).click();
    await page.getByRole('form', { name: '派遣' }).waitFor();

    // Another dispatcher dispatches it meanwhile: the open form cannot be used any more, and says why.
    await act(other, id, 'dispatch', { unitId });
    await page.getByText('案件已被他人更新，现为“已派遣待签收”，“派遣”已不能办理，表单已关闭。').waitFor();
    assert.equal(await page.getByRole('form', { name: '派遣' }).count(), 0);

    // A form that is still possible warns when the case changes under it (a leader's 督办 meanwhile).
    await page.getByRole('button', { name: '改派', exact: true }).click();
    const form = page.getByRole('form', { name: '改派' });
    await form.getByLabel('改派原因').fill('还没写完');
    await act(leader, id, 'supervise', { level: 'supervise', note: '请尽快处理' });
    await form.getByTestId('stale-form').waitFor();
    assert.match(await form.getByTestId('stale-form').innerText(), /已被更新/);
    assert.equal(await form.getByLabel('改派原因').inputValue(), '还没写完', 'what was typed is kept');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'stale-form-1920.png') });

    // A success notice holds only while the case is where the action left it: once the unit signs, it goes.
    const elsewhere = [...env.ctx.ref.current().units.values()].find((u) => u.active && u.id !== unitId && u.kind !== 'centre')!;
    await form.getByLabel('改派至单位').locator(`option[value="${elsewhere.id}"]`).waitFor({ state: 'attached' });
    await form.getByLabel('改派至单位').selectOption(elsewhere.id);
    await form.getByRole('button', { name: '确认改派' }).click();
    const done = page.getByText('已改派：案件现为“已派遣待签收”');
    await done.waitFor();
    const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [elsewhere.id] });
    await act(handler, id, 'sign');
    await done.waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
  } finally {
    try { await close(); } finally { await env.close(); }
  }
});

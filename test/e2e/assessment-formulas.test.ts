/**
 * Browser test of the score formula editor (issue 10 part 2): a centre leader opens /assessment/formulas, sees the
 * formula in force, changes weights (the total says when it does not add up to 100 and adopting waits), previews the
 * new formula on past months beside the current one, is told by the server's own error when the month is in the past,
 * and adopts from the current month; the version is listed and the assessment table then scores by it.
 * Screenshots zh + en at 1920×1080 in test/e2e/screenshots.
 *
 * Run: node web/build.mjs && node --import tsx --test test/e2e/assessment-formulas.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { act, photo } from '../support/case-flow.ts';
import { createUser } from '../../src/commands/user-create.ts';
import { runAssessmentCount } from '../../src/jobs/assessment-count.job.ts';
import { launchBrowser, SCREENSHOTS, signIn } from './browser.ts';

const WEB_DIR = path.resolve(process.env.CITYOPS_WEB_DIR ?? 'web/dist');
const PASSWORD = 'correct horse battery';

test('formula editor: weights that must add up to 100, what-if preview beside the current formula, adopt from this month', async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `${WEB_DIR} is not built (node web/build.mjs)`);
  const env = await createDemoEnv('sqlite', { now: Date.now(), config: { webDir: WEB_DIR } });
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const desk = await launchBrowser({ width: 1920, height: 1080 });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  try {
    await loadGridPoints(env);
    const inspector = await userClient(env.app, env.ctx, 'inspector');
    const checker = await userClient(env.app, env.ctx, 'inspector');
    const dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
    const p = demoPoint(env, 0);
    const mk = async () => (await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: '路边暴露垃圾', location: { lon: p.lon, lat: p.lat } })).body;
    const done = await mk();
    const open = await mk();
    const unitId = done.routing.unit.id as string;
    const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
    for (const c of [done, open]) await act(dispatcher, c.id, 'dispatch', { unitId });
    await act(handler, done.id, 'sign');
    await act(handler, done.id, 'dispose', { result: '已清运', photos: [await photo(env, handler)] });
    await act(dispatcher, done.id, 'send-check');
    await act(checker, done.id, 'check-pass');
    await runAssessmentCount(env.ctx);
    await createUser(env.ctx, { username: 'gs-leader', password: PASSWORD, roles: ['centre_leader'], unitIds: [], regionIds: [[...env.ctx.ref.current().regions.values()].find((r) => r.parentId === null)!.id], displayName: '中心领导' }, null);

    const errors: string[] = [];
    const page = await desk.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, address, { username: 'gs-leader', password: PASSWORD });
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`${address}/assessment`);
    await page.getByRole('link', { name: '计分公式' }).click();
    await page.getByRole('heading', { name: /现行公式/ }).waitFor();
    const total = page.getByTestId('weight-total');
    assert.match((await total.textContent()) ?? '', /合计 100$/);
    // 处置率 30 → 40: the total is 110 and adopting waits
    const weights = page.locator('.assess-terms input.assess-weight');
    await weights.nth(0).fill('40');
    assert.match((await total.textContent()) ?? '', /110（须为 100）/);
    assert.equal(await page.getByRole('button', { name: /^通过，自/ }).isDisabled(), true);
    // (1−返工率) 20 → 10: back to 100
    await weights.nth(2).fill('10');
    assert.match((await total.textContent()) ?? '', /合计 100$/);
    await page.getByRole('button', { name: '预览（不保存）' }).click();
    const preview = page.getByRole('region', { name: '预览结果' });
    const unitName = env.ctx.ref.current().units.get(unitId)!.name;
    const row = preview.locator('table.assess-preview').last().locator('tbody tr', { has: page.getByRole('rowheader', { name: unitName }) });
    await row.waitFor();
    const [current, proposed] = [await row.locator('td').nth(0).textContent(), await row.locator('td').nth(1).textContent()];
    // 1 of 2 handled (on time), nothing reworked: 75.0 by the current formula, 40×½ + 20×½ + 10 + 20 + 10 = 70.0 by the new one
    assert.deepEqual([current, proposed], ['75.0', '70.0']);
    await preview.locator('canvas').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'assessment-formulas-zh.png') });

    // a past month: the server refuses and names the field
    const monthInput = page.locator('input[type="month"]');
    const currentMonth = (await monthInput.inputValue());
    const [y, m] = currentMonth.split('-').map(Number);
    const past = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    await monthInput.fill(past);
    await page.getByRole('button', { name: `通过，自 ${past} 起生效` }).click();
    await page.getByRole('alert').filter({ hasText: /不能改写过去的月份/ }).waitFor();
    await monthInput.fill(currentMonth);
    await page.locator('.assess-note input').fill('加重处置率');
    await page.getByRole('button', { name: `通过，自 ${currentMonth} 起生效` }).click();
    await page.getByRole('status').filter({ hasText: `自 ${currentMonth} 起按新公式计分` }).waitFor();
    await page.locator('.assess-versions tbody tr', { hasText: '加重处置率' }).waitFor();
    const listed = await env.ctx.store.assessment.listFormulas();
    assert.equal(listed.length, 1);
    assert.deepEqual(listed[0].terms.slice(0, 3).map((x) => [x.indicator, x.weight]), [['disposal_rate', 40], ['on_time_disposal_rate', 20], ['rework_rate', 10]]);

    // English
    await page.evaluate(() => localStorage.setItem('cityops.locale', 'en'));
    await page.reload();
    await page.getByRole('heading', { name: /In force/ }).waitFor();
    await page.locator('.assess-terms input.assess-weight').nth(0).fill('35');
    await page.locator('.assess-terms input.assess-weight').nth(2).fill('15');
    await page.getByRole('button', { name: 'Preview (saves nothing)' }).click();
    await page.getByRole('region', { name: 'Preview' }).locator('table.assess-preview tbody tr').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'assessment-formulas-en.png') });
    assert.deepEqual(errors, []);
  } finally {
    await desk.close();
    await env.close();
  }
});

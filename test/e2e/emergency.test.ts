/**
 * Browser test (issue 8): a 12345 seat types a fire with someone inside. The form says it sounds like a threat to
 * life, raises the urgency to 非常紧急 by itself, offers 119 first (Alt+R from the description records the call as
 * referred to 119); lowering the urgency by hand is refused until the seat confirms it is not an emergency. A long
 * description (1,800 characters) still gets matter suggestions. Screenshot: emergency-1920.png.
 * Then a caller-ID pop-up opens /intake?phone=…: the caller's open case is listed, and one click makes the call a
 * 催办 on it. Screenshot: caller-history-1920.png. The knowledge base is offered for a complaint too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { createCase } from '../../src/commands/case-create.ts';
import { launchBrowser, SCREENSHOTS, demoAccount, signIn } from './browser.ts';

test('emergency words at the seat: warning, urgency raised, referral one keystroke away, no silent ordinary case', async () => {
  assert.ok(fs.existsSync(path.resolve('web/dist/index.html')), 'web/dist is not built (npm run build:web)');
  const env = await createDemoEnv('sqlite', { now: Date.now() });
  const base = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const { context, close } = await launchBrowser({ width: 1920, height: 1080 });
  const errors: string[] = [];
  try {
    const op = demoAccount(env.dataDir, 'operator');
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, op);
    await page.waitForURL(/\/intake$/);

    await page.getByLabel('来电号码').fill('13912340009');
    const description = page.getByLabel('诉求内容');
    await description.fill('着火了！居民楼着火了，里面好像还有人');
    const banner = page.getByTestId('emergency');
    await banner.waitFor();
    assert.match(await banner.innerText(), /疑似危及生命安全/);
    assert.match(await banner.innerText(), /着火/);
    assert.equal(await page.getByLabel('紧急程度').inputValue(), 'very_urgent', 'the urgency is raised by itself');
    const first = banner.getByRole('button').first();
    assert.match(await first.innerText(), /119/);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'emergency-1920.png') });

    // The seat lowers the urgency by hand: saving is refused until it confirms that this is not an emergency.
    await page.getByLabel('紧急程度').selectOption('normal');
    await page.getByRole('button', { name: '提交工单' }).click();
    await page.getByText('诉求内容疑似危及生命安全').first().waitFor();
    assert.ok(await banner.getByRole('checkbox').isVisible(), 'the confirmation is offered');

    // Alt+R from the description: the call is handed to 119 (refused with that referral), one keystroke.
    await description.focus();
    await page.keyboard.press('Alt+r');
    assert.equal(await page.getByLabel('转介至').inputValue(), '119');
    assert.match(await page.getByLabel('不予受理原因').inputValue(), /119/);
    await page.getByRole('button', { name: '记录不予受理' }).click();
    await page.getByTestId('intake-result').waitFor();
    assert.match(await page.getByTestId('intake-result').innerText(), /消防 119/);
    const calls = await env.db.selectFrom('hotline_calls').select(['outcome', 'referral']).execute();
    assert.deepEqual(calls.map((c) => [c.outcome, c.referral]), [['refused', '119']]);
    assert.equal((await env.db.selectFrom('cases').select('id').execute()).length, 0, 'no ordinary case was saved');

    // A long description still gets suggestions (it is sent in a body, not the URL).
    await page.getByRole('button', { name: '受理下一个' }).click();
    await page.getByLabel('诉求内容').fill('小区门口的井盖坏了，'.repeat(180));
    await page.locator('.suggest-list button').first().waitFor({ timeout: 10_000 });

    // The knowledge base is offered whatever the request type (here a complaint), to read out to the caller.
    await page.getByLabel('诉求内容').fill('问下周停水安排，家里老人要提前储水');
    const kb = page.getByTestId('kb-reference');
    await kb.waitFor({ timeout: 10_000 });
    assert.equal(await page.getByLabel('诉求类型').inputValue(), 'complaint');
    assert.match(await kb.innerText(), /停水通知查询/);

    // The caller-ID pop-up: /intake?phone=… shows this caller's open case; one click makes the call a 催办 on it.
    await loadGridPoints(env);
    const p = demoPoint(env, 5);
    const earlier = await createCase(env.ctx, { channel: 'hotline', matterCode: '06012', description: '楼下路面很脏', location: { lon: p.lon, lat: p.lat }, reporter: { phone: '13912340055' } },
      { userId: 'u-seat', roles: ['operator'], unitIds: [], regionIds: [] });
    await page.goto(base + '/intake?phone=13912340055');
    assert.equal(await page.getByLabel('来电号码').inputValue(), '13912340055');
    const history = page.getByTestId('caller-history');
    await history.waitFor();
    assert.match(await history.innerText(), new RegExp(earlier.row.case_no));
    await history.getByRole('button', { name: '催办此案' }).click();
    assert.equal(await page.getByLabel('来电涉及的已有案件编号（催办，可选）').inputValue(), earlier.row.case_no);
    await page.getByLabel('诉求内容').fill('上次反映的路面还是很脏，请尽快处理');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'caller-history-1920.png') });
    await page.getByRole('button', { name: '提交工单' }).click();
    await page.getByTestId('intake-result').waitFor();
    assert.match(await page.getByTestId('intake-result').innerText(), new RegExp(`催办.*${earlier.row.case_no}`));

    // The seat's own log: today's calls by outcome — the 119 referral and the 催办 — newest first.
    const log = page.getByTestId('my-calls');
    await log.locator('summary').getByText('催办 1').waitFor();
    assert.match(await log.locator('summary').innerText(), /我的今日来电\s*\(2\)[\s\S]*不予受理 1[\s\S]*催办 1/);
    await log.locator('summary').click();
    const items = log.locator('.my-calls-list li');
    assert.equal(await items.count(), 2);
    assert.match(await items.first().innerText(), /重复来电（催办）/);
    assert.match(await items.nth(1).innerText(), /消防 119/);
    assert.deepEqual(errors, [], 'no uncaught errors in the page');
  } finally {
    try { await close(); } finally { await env.close(); }
  }
});

/**
 * Browser test (issue 8): a dispatched case prints as an A4 work order (派遣单) with its unit, deadline and the
 * dispatcher's note; photos open in a viewer (zoom, before and after side by side, Esc closes) instead of a raw file;
 * on the phone the inspector's check screen shows the urgency, the centre's note and the unit's written result
 * beside its photos. Screenshots: work-order-a4.png, photo-viewer-1920.png, m-check-390.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { act, photo } from '../support/case-flow.ts';
import { launchBrowser, SCREENSHOTS, demoAccount, signIn } from './browser.ts';

test('work order print page, photo viewer, and the check screen on the phone', async () => {
  assert.ok(fs.existsSync(path.resolve('web/dist/index.html')), 'web/dist is not built (npm run build:web)');
  const env = await createDemoEnv('sqlite', { now: Date.now() });
  await loadGridPoints(env);
  const base = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const errors: string[] = [];
  const desk = await launchBrowser({ width: 1920, height: 1080 });
  const phone = await launchBrowser({ width: 390, height: 844 });
  try {
    // A patrol report with a photo, dispatched with a note, handled with a result and a photo, sent to the check.
    const inspector = await userClient(env.app, env.ctx, 'inspector');
    const dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
    const p = demoPoint(env, 40);
    const created = await inspector.post('/api/v1/cases', {
      channel: 'patrol', matterCode: '06010', urgency: 'urgent', description: '路口垃圾堆积，影响通行（打印测试）',
      address: '测试路1号', location: { lon: p.lon, lat: p.lat }, attachmentIds: [await photo(env, inspector)],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id, caseNo } = created.body;
    const unitId = created.body.routing.unit.id as string;
    const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
    await act(dispatcher, id, 'dispatch', { unitId, note: '请今天下班前清运完毕' });

    const page = await desk.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    const d = demoAccount(env.dataDir, 'dispatcher');
    await signIn(page, base, d);
    await page.waitForURL(/\/cases/);

    // ---- the work order
    await page.goto(`${base}/cases/${id}`);
    await page.getByTestId('print-work-order').click();
    await page.waitForURL(new RegExp(`/cases/${id}/print$`));
    const sheet = page.getByTestId('work-order');
    await sheet.getByText('城市运行管理案件派遣单').waitFor();
    const text = await sheet.innerText();
    for (const want of [caseNo, '请今天下班前清运完毕', created.body.routing.unit.name, '紧急', '签收人', '处置情况']) {
      assert.ok(text.includes(want), `the work order shows ${want}`);
    }
    await sheet.locator('.wo-photos img').first().waitFor();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.print-tools').isVisible(), false, 'the tools are not printed');
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10_000, 'the page prints');
    await page.emulateMedia({ media: 'screen' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'work-order-a4.png'), fullPage: true });

    // ---- the photo viewer: the unit's photo next to the report's
    await act(handler, id, 'sign');
    await act(handler, id, 'dispose', { result: '已清运垃圾，路面已冲洗', photos: [await photo(env, handler)] });
    await act(dispatcher, id, 'send-check', { note: '请核查路面是否冲洗干净' });
    await page.goto(`${base}/cases/${id}`);
    const thumbs = page.locator('.timeline .photo-thumb');
    await thumbs.nth(1).waitFor();
    await thumbs.nth(1).click();
    const viewer = page.getByRole('dialog', { name: '照片查看' });
    await viewer.waitFor();
    assert.equal(await page.locator('a[target="_blank"] img').count(), 0, 'no photo opens as a raw file in a new tab');
    await viewer.getByRole('button', { name: '放大' }).click();
    await viewer.getByText('150%').waitFor();
    await viewer.getByRole('button', { name: '处置前后对比' }).click();
    assert.equal(await viewer.locator('.pv-compare figure').count(), 2);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'photo-viewer-1920.png') });
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    // ---- the inspector's check screen on the phone
    const m = await phone.context.newPage();
    m.on('pageerror', (e) => errors.push(e.message));
    const ins = demoAccount(env.dataDir, 'inspector');
    await signIn(m, base, ins);
    await m.waitForURL(/\/m/);
    await m.goto(`${base}/m?case=${id}`);
    await m.getByTestId('m-result').getByText('已清运垃圾，路面已冲洗').waitFor();
    assert.equal(await m.getByTestId('m-urgency').innerText(), '紧急');
    assert.equal(await m.getByTestId('m-sent-note').innerText(), '请核查路面是否冲洗干净');
    assert.ok(await m.locator('.m-photos .photo-thumb').count() >= 2, 'report and handling photos');
    await m.screenshot({ path: path.join(SCREENSHOTS, 'm-check-390.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    try { await desk.close(); await phone.close(); } finally { await env.close(); }
  }
});

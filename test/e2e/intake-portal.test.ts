/**
 * Browser test of the operator intake form (/intake) and the citizen portal (/portal), on the built console.
 *
 * 1. A hotline operator files a 12345 work order through the form: types the caller's words, takes the suggested
 *    matter, geocodes an address, sees the located grid, the duplicate check and the routing answer, saves — and
 *    the case exists through the API with that matter and location. A second click never makes a second case.
 *    Then: a consultation answered from the knowledge base (no case), a media report through POST /cases with the
 *    matter from the searchable picker, and a repeat call linked to the first case as a 催办.
 * 2. A citizen (no sign-in, phone size) reports on /portal with "use my location" and a photo, gets a case number
 *    and a tracking code, follows it; once the centre has closed it (set up through the API), rates it in the UI.
 * Screenshots: /intake at 1920×1080, /portal at 390×844.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv } from '../support/demo-env.ts';
import { pointOnSurface } from '../../src/domain/grid/index.ts';
import { gazetteerOf } from '../../src/runtime/gazetteer-cache.ts';
import { launchBrowser, SCREENSHOTS, demoAccount, signIn } from './browser.ts';

const WEB_INDEX = path.resolve('web/dist/index.html');
// A 1×1 PNG: a real image for the photo upload.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');


/** A signed-in API session from outside the browser (set-up and checks). */
async function apiSession(base: string, account: { username: string; password: string }) {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(account) });
  assert.equal(login.status, 200, await login.clone().text());
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = await login.json() as { csrfToken: string };
  const call = async (method: string, url: string, body?: unknown) => {
    const r = await fetch(base + url, {
      method, headers: { cookie, 'x-csrf-token': csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: await r.json() as any };
  };
  return { get: (url: string) => call('GET', url), post: (url: string, body: unknown) => call('POST', url, body) };
}

test('intake form and citizen portal', async (t) => {
  assert.ok(fs.existsSync(WEB_INDEX), 'web/dist is not built (npm run build:web)');
  const env = await createDemoEnv('sqlite', { now: Date.now(), duplicates: true });
  const base = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const { context, close } = await launchBrowser({ width: 1920, height: 1080 });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const shot = (name: string) => path.join(SCREENSHOTS, name);
  const errors: string[] = [];
  const external: string[] = [];
  context.on('request', (r) => {
    const u = new URL(r.url());
    // blob: and data: URLs are the photo previews, made in the page itself
    if (u.protocol !== 'blob:' && u.protocol !== 'data:' && u.hostname !== '127.0.0.1') external.push(r.url());
  });
  try {
    const op = demoAccount(env.dataDir, 'operator');
    const opApi = await apiSession(base, op);

    // An address the gazetteer knows: a compound of the demo city.
    const place = await env.db.selectFrom('places').select(['name']).where('kind', '=', 'compound').orderBy('id').executeTakeFirstOrThrow();
    const geo = (await gazetteerOf(env.ctx)).geocode(place.name, { limit: 5 });
    t.diagnostic(`address ${place.name}: ${geo.outcome}`);
    assert.notEqual(geo.outcome, 'none');

    // ---- 1. the operator files a hotline work order -------------------------------------------------------
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, op);
    await page.waitForURL(/\/intake$/);
    await page.getByRole('heading', { name: '受理' }).waitFor();
    assert.equal(await page.getByLabel('渠道').inputValue(), 'hotline', 'the hotline is the default channel');

    await page.getByLabel('来电人姓名').fill('王女士');
    await page.getByLabel('来电号码').fill('12345');
    await page.getByLabel('来电号码').blur();
    await page.getByText('号码格式不正确').waitFor();
    await page.getByLabel('来电号码').fill('13912340001');
    await page.getByLabel('诉求类型').selectOption('complaint');
    await page.getByLabel('诉求内容').fill('小区门口井盖坏了，翘起来很危险');
    // The suggestions come from the words; the first is taken with one click.
    const top = page.locator('.suggest-list .chip-top');
    await top.waitFor();
    const topCode = (await top.locator('code').textContent())!.trim();
    const topName = (await top.locator('.chip-name').textContent())!.trim();
    assert.match(topName, /井盖/);
    await top.click();
    await page.getByTestId('chosen-matter').getByText(topCode).waitFor();

    // The address, geocoded; if several places match, the operator chooses the first.
    await page.getByLabel('地址').fill(place.name);
    await page.getByRole('button', { name: '定位', exact: true }).click();
    await Promise.race([page.getByTestId('located').waitFor(), page.locator('.candidates').waitFor()]);
    if (await page.locator('.candidates').isVisible()) await page.locator('.candidates .candidate').first().click();
    const located = page.getByTestId('located');
    await located.waitFor();
    const locatedText = (await located.textContent())!;
    assert.match(locatedText, /所在网格：.+/);
    const [, lonText, latText] = /\((-?\d+\.\d+), (-?\d+\.\d+)\)/.exec(locatedText)!;

    // Before saving: the duplicate check and the routing answer.
    const routing = page.getByTestId('routing');
    await routing.getByText('将派往').waitFor();
    const routingText = (await routing.textContent())!;
    assert.match(routingText, /将派往 .+/);
    await page.getByTestId('duplicates').waitFor();
    await page.locator('.map-overlay').waitFor({ state: 'detached', timeout: 20_000 });
    await page.screenshot({ path: shot('intake-1920.png'), fullPage: true });

    // Save — twice in a row: the Idempotency-Key keeps it one work order.
    const submit = page.getByRole('button', { name: '提交工单' });
    await submit.dblclick();
    const result = page.getByTestId('intake-result');
    await result.waitFor();
    assert.match((await result.textContent())!, /已建案/);
    // What happens next, said plainly: a hotline report waits for the centre and an on-site check before dispatch.
    assert.match(await result.getByTestId('next-step').innerText(), /下一步：等待中心受理，再派核查员到现场核实；属实则立案，预计派往 .+/);
    const href = await result.locator('a').first().getAttribute('href');
    assert.match(href ?? '', /^\/cases\/\d+$/);
    const caseId = Number(href!.split('/').pop());
    await page.screenshot({ path: shot('intake-result-1920.png') });

    const c = await opApi.get(`/api/v1/cases/${caseId}`);
    assert.equal(c.status, 200, JSON.stringify(c.body));
    assert.equal(c.body.channel, 'hotline');
    assert.equal(c.body.matter.code, topCode);
    assert.equal(c.body.description, '小区门口井盖坏了，翘起来很危险');
    assert.ok(Math.abs(c.body.location.lon - Number(lonText)) < 1e-5 && Math.abs(c.body.location.lat - Number(latText)) < 1e-5,
      `case at ${JSON.stringify(c.body.location)}, form showed (${lonText}, ${latText})`);
    assert.ok(locatedText.includes(c.body.grid.code), `grid ${c.body.grid.code} shown before saving`);
    assert.ok(routingText.includes(c.body.routing.unit.name), `the routing answer named ${c.body.routing.unit.name}`);
    const calls = await opApi.get('/api/v1/hotline/calls?phone=13912340001');
    assert.equal(calls.body.items.length, 1, 'one call recorded despite the double click');

    // The next report starts from a clean form.
    await page.getByRole('button', { name: '受理下一个' }).click();
    assert.equal(await page.getByLabel('诉求内容').inputValue(), '');

    // A consultation answered from the knowledge base: no case, one recorded call.
    const admin = await apiSession(base, demoAccount(env.dataDir, 'admin'));
    const kb = await admin.post('/api/v1/kb', { title: '小区垃圾清运安排', body: '本区生活垃圾每日 6:00 和 18:00 各清运一次。', matterCode: '06010', keywords: '垃圾 清运 时间' });
    assert.equal(kb.status, 201, JSON.stringify(kb.body));
    await page.getByLabel('来电号码').fill('13912340002');
    await page.getByLabel('诉求类型').selectOption('consult');
    await page.getByLabel('诉求内容').fill('请问小区垃圾清运是什么时间');
    await page.getByLabel('知识库直接答复').check();
    await page.locator('.kb-list li', { hasText: '各清运一次' }).getByRole('button', { name: '用此条答复' }).click();
    await page.getByRole('button', { name: '记录直接答复' }).click();
    await page.getByTestId('intake-result').getByText(/已直接答复/).waitFor();
    const answered = await opApi.get('/api/v1/hotline/calls?phone=13912340002');
    assert.deepEqual(answered.body.items.map((c: { outcome: string; caseId: number | null; articleId: number }) => [c.outcome, c.caseId, c.articleId]), [['answered', null, kb.body.id]]);

    // Another channel (media): the matter from the searchable picker, saved as a case through POST /cases.
    await page.getByRole('button', { name: '受理下一个' }).click();
    await page.getByLabel('渠道').selectOption('media');
    assert.equal(await page.getByLabel('诉求类型').count(), 0, 'request kinds are a hotline thing');
    await page.getByLabel('诉求内容').fill('网友反映路边有垃圾');
    await page.getByLabel('搜索事项（名称或编码）').fill('暴露垃圾');
    await page.getByLabel('搜索事项（名称或编码）').press('Enter');
    await page.getByTestId('chosen-matter').getByText('06010').waitFor();
    // A look-alike address (one character off) is offered as such and never taken silently; so is a town's name.
    const town = [...env.ctx.ref.current().regions.values()].find((r) => r.level === 'street')!;
    for (const [q, words] of [[place.name.slice(0, 1) + '㐀' + place.name.slice(2), '近似'], [town.name, '街镇/社区范围']] as const) {
      await page.getByLabel('地址').fill(q);
      await page.getByLabel('地址').press('Enter');
      const offered = page.getByTestId('geocode-candidates');
      await offered.getByText('没有完全一致的地址').waitFor();
      await offered.getByText(words).first().waitFor();
      await page.getByText('尚未选择位置').waitFor();
      assert.equal(await page.getByTestId('located').count(), 0, `${q}: no point chosen before the seat confirms`);
    }
    await page.getByLabel('地址').fill(place.name);
    await page.getByLabel('地址').press('Enter');
    await Promise.race([page.getByTestId('located').waitFor(), page.locator('.candidates').waitFor()]);
    if (await page.locator('.candidates').isVisible()) await page.locator('.candidates .candidate').first().click();
    await page.getByTestId('routing').getByText('将派往').waitFor();
    await page.getByRole('button', { name: '保存案件' }).click();
    const saved = page.getByTestId('intake-result');
    await saved.getByText(/已保存为案件/).waitFor();
    const mediaId = Number((await saved.locator('a').first().getAttribute('href'))!.split('/').pop());
    const media = await opApi.get(`/api/v1/cases/${mediaId}`);
    assert.equal(media.body.channel, 'media');
    assert.equal(media.body.matter.code, '06010');
    assert.equal(media.body.grid.code, c.body.grid.code);
    await page.getByRole('button', { name: '受理下一个' }).click();

    // The first caller calls again about their case: a 催办 on it, no new case.
    await page.getByLabel('来电号码').fill('13912340001');
    await page.getByLabel('诉求内容').fill('井盖还没修好，催一下');
    await page.getByLabel(/已有案件编号/).fill(c.body.caseNo);
    await page.getByRole('button', { name: '提交工单' }).click();
    const linked = page.getByTestId('intake-result');
    await linked.getByText(/已作为催办关联到案件/).waitFor();
    assert.equal(await linked.locator('a').first().getAttribute('href'), `/cases/${caseId}`);
    assert.equal((await opApi.get(`/api/v1/cases/${caseId}`)).body.counters.supervisions, 1);
    await page.getByRole('button', { name: '受理下一个' }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByLabel('诉求内容').fill('路灯不亮');
    await page.locator('.suggest-list .chip-top', { hasText: '路灯' }).waitFor();
    await page.screenshot({ path: shot('intake-390.png'), fullPage: true });
    await page.close();

    // ---- 2. the citizen reports on the portal (phone) ---------------------------------------------------
    const grid = await env.db.selectFrom('grids').select(['id', 'geometry']).orderBy('id').limit(1).offset(5).executeTakeFirstOrThrow();
    const [lon, lat] = pointOnSurface(JSON.parse(grid.geometry));
    await context.clearCookies();
    await context.grantPermissions(['geolocation'], { origin: base });
    await context.setGeolocation({ longitude: lon, latitude: lat, accuracy: 10 });
    const phone = await context.newPage();
    phone.on('pageerror', (e) => errors.push(e.message));
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(base + '/portal');
    await phone.getByRole('tab', { name: '我要反映' }).waitFor();
    await phone.locator('.map-overlay').waitFor({ state: 'detached', timeout: 20_000 });
    await phone.screenshot({ path: shot('portal-start-390.png') });
    assert.equal(await phone.evaluate(() => document.documentElement.scrollWidth), 390, 'no sideways scrolling on the phone');
    await phone.getByLabel('语言').selectOption('en');
    await phone.getByRole('tab', { name: 'Report a problem' }).waitFor();
    await phone.getByLabel('Language').selectOption('zh-CN');
    await phone.getByLabel('问题类型').selectOption({ label: '暴露垃圾' });
    await phone.getByRole('button', { name: /使用我的位置/ }).click();
    await phone.getByTestId('portal-point').getByText('已选位置').waitFor();
    await phone.getByLabel(/照片/).setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await phone.locator('.portal-photos img').waitFor();
    await phone.getByLabel('问题描述').fill('路边垃圾堆了好几天，气味很大');
    await phone.getByLabel(/手机号/).fill('13800138000');
    await phone.locator('.map-overlay').waitFor({ state: 'detached', timeout: 20_000 });
    await phone.screenshot({ path: shot('portal-390.png'), fullPage: true });
    await phone.getByRole('button', { name: '提交', exact: true }).click();
    const done = phone.getByTestId('portal-done');
    await done.waitFor();
    const caseNo = (await done.getByTestId('case-no').textContent())!.trim();
    const code = (await done.getByTestId('tracking-code').textContent())!.trim();
    assert.match(code, /^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
    await phone.screenshot({ path: shot('portal-done-390.png'), fullPage: true });

    // The report is a case of the right matter at the GPS point, with its photo, through the app channel.
    const reported = await opApi.get(`/api/v1/cases/${caseNo}`);
    assert.equal(reported.status, 200, JSON.stringify(reported.body));
    assert.equal(reported.body.channel, 'app');
    assert.equal(reported.body.matter.code, '06010');
    assert.equal(reported.body.grid.id, grid.id);
    assert.ok(Math.abs(reported.body.location.lon - lon) < 1e-6 && Math.abs(reported.body.location.lat - lat) < 1e-6);
    const photos = await env.db.selectFrom('attachments').select('id').where('case_id', '=', reported.body.id).execute();
    assert.equal(photos.length, 1);

    // Following it: the public stage, no personal data on the page.
    await done.getByRole('button', { name: '查看进度' }).click();
    const view = phone.getByTestId('portal-case');
    await view.waitFor();
    assert.equal((await view.getByTestId('case-status').textContent())!.trim(), '办理中');
    assert.match((await view.getByTestId('case-stage').textContent())!, /已收到您的反映/);
    const viewText = (await view.textContent())!;
    assert.ok(viewText.includes('暴露垃圾'));
    for (const secret of ['13800138000', '气味很大']) assert.ok(!viewText.includes(secret), `the public view shows ${secret}`);
    await phone.screenshot({ path: shot('portal-follow-390.png'), fullPage: true });

    // The centre closes it (API), then the citizen rates it on the page.
    const leader = await apiSession(base, demoAccount(env.dataDir, 'shift_leader'));
    const closed = await leader.post(`/api/v1/cases/${reported.body.id}/close`, { closureType: 'special', reason: '已清理' });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    await phone.reload();
    await view.getByTestId('case-status').getByText('已办结').waitFor();
    const rating = phone.getByRole('form', { name: '评价处理结果' });
    assert.equal(await rating.getByLabel('查询码').inputValue(), code, 'the code this phone was given is filled in');
    await rating.getByLabel('查询码').fill('AAAAA-AAAAA');
    await rating.getByText('基本满意').click();
    await rating.getByRole('button', { name: '提交评价' }).click();
    await rating.getByText('查询码不正确').waitFor();
    await phone.screenshot({ path: shot('portal-rate-390.png'), fullPage: true });
    await rating.getByLabel('查询码').fill(code);
    await rating.getByLabel(/意见建议/).fill('清理得很及时');
    await rating.getByRole('button', { name: '提交评价' }).click();
    await view.getByTestId('case-rating').getByText('基本满意').waitFor();
    await phone.screenshot({ path: shot('portal-rated-390.png'), fullPage: true });
    const pub = await fetch(`${base}/api/v1/public/cases/${caseNo}`).then((r) => r.json()) as { rating: { value: string } | null; ratable: boolean };
    assert.equal(pub.rating?.value, 'basically_satisfied');
    assert.equal(pub.ratable, false);

    assert.deepEqual(errors, [], 'no uncaught errors in the pages');
    assert.deepEqual(external, [], 'nothing is fetched from outside the machine');
  } finally {
    try { await close(); } finally { await env.close(); }
  }
});

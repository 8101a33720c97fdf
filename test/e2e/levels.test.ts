/**
 * Browser test of the levels of platform (issue 9 part 3) with the demo accounts: a case of the demo street starts at
 * the street platform; the street's dispatcher finds it in their platform's queue and escalates it (上报) from the
 * case page; the district's dispatcher finds it waiting for them, accepts it (接收), and the /levels statistics count
 * the escalation on both platforms. Screenshots: the case's level panel at 1920×1080 and 390×844, the statistics.
 *
 * Run: node web/build.mjs && node --import tsx --test test/e2e/levels.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request } from '../support/api-client.ts';
import { launchBrowser, SCREENSHOTS, demoAccount, signIn as signInAt } from './browser.ts';

const WEB_DIR = path.resolve(process.env.CITYOPS_WEB_DIR ?? 'web/dist');

/** A demo account by user name (DATA_DIR/demo-credentials.txt: `role username password …`). */
function accountNamed(dataDir: string, username: string): { username: string; password: string } {
  const line = fs.readFileSync(path.join(dataDir, 'demo-credentials.txt'), 'utf8').split('\n').find((l) => l.trim().split(/\s+/)[1] === username);
  if (!line) throw new Error(`no demo account ${username}`);
  const [, u, password] = line.trim().split(/\s+/);
  return { username: u, password };
}

test('levels: a street escalates a case to its district through the console, the district accepts it, and it is counted', async () => {
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

    // The demo's street coordinator covers one street; a 私搭乱建 (06001) there goes to the street's 城管中队, so the
    // case starts at the street platform.
    const streetUser = await env.db.selectFrom('users').select(['region_ids']).where('username', '=', 'demo-street-dispatcher').executeTakeFirstOrThrow();
    const [street] = JSON.parse(streetUser.region_ids) as string[];
    const ref = env.ctx.ref.current();
    const district = ref.regions.get(street)!.parentId!;
    await loadGridPoints(env);
    let point = demoPoint(env, 0);
    for (let n = 1; ref.regions.get(point.communityId)!.parentId !== street; n++) point = demoPoint(env, n);

    const admin = demoAccount(env.dataDir, 'admin');
    const login = await request(env.app, 'POST', '/api/v1/auth/login', { body: { username: admin.username, password: admin.password } });
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const adminApi = {
      get: (url: string) => request(env.app, 'GET', url, { cookie }),
      post: (url: string, body: unknown) => request(env.app, 'POST', url, { body, cookie, headers: { 'x-csrf-token': login.body.csrfToken as string } }),
    };
    const created = await adminApi.post('/api/v1/cases', {
      channel: 'superior', matterCode: '06001', description: '河道旁私搭乱建棚屋（浏览器测试）', location: { lon: point.lon, lat: point.lat },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id, caseNo } = created.body as { id: number; caseNo: string };
    assert.equal(created.body.platform.region.id, street);

    const signIn = async (username: string) => {
      await context.clearCookies();
      await signInAt(page, address, accountNamed(env.dataDir, username));
      await page.locator('.topbar').waitFor();
    };
    const act = async (action: string, fill: () => Promise<void> = async () => {}) => {
      const panel = page.getByTestId('level-panel');
      await panel.getByRole('button', { name: action, exact: true }).click();
      const form = panel.getByRole('form', { name: action });
      await form.waitFor();
      await fill();
      await form.getByRole('button', { name: `确认${action}` }).click();
      await panel.getByRole('status').filter({ hasText: `已${action}` }).waitFor();
    };

    // ---- the street: its platform's queue, the case's level, 上报 ----
    await signIn('demo-street-dispatcher');
    await page.goto(`${address}/cases?sort=due&platform=mine`);
    await page.getByRole('heading', { name: '本平台队列' }).waitFor();
    await page.locator(`[data-case-no="${caseNo}"]`).click();
    await page.waitForURL(new RegExp(`/cases/${id}$`));
    const panel = page.getByTestId('level-panel');
    await panel.getByTestId('platform-level').filter({ hasText: '街镇平台' }).waitFor();
    assert.equal(await panel.getByTestId('platform-name').textContent(), ref.regions.get(street)!.name);
    // The escalation form names where the case goes: the street's district.
    await panel.getByRole('button', { name: '上报', exact: true }).click();
    await panel.getByRole('form', { name: '上报' }).getByText(ref.regions.get(district)!.name).waitFor();
    await panel.getByRole('button', { name: '上报', exact: true }).click(); // close again
    await act('上报', async () => {
      await panel.getByLabel('上报理由（本级为何无法解决）').fill('棚屋位于区管河道蓝线内，街道无执法权，请区级协调水务、城管联合处置');
    });
    await panel.getByTestId('pending-transfer').filter({ hasText: ref.regions.get(district)!.name }).waitFor();
    // The generic actions panel does not offer the level actions a second time.
    assert.equal(await page.locator('.case-actions [data-action="escalate"]').count(), 0);
    // The timeline shows the step (one case, one history).
    await page.locator('.tl-item.tl-escalate').waitFor();
    await page.screenshot({ path: shot('levels-escalated-1920.png'), fullPage: false });
    assert.equal((await adminApi.get(`/api/v1/cases/${id}`)).body.pendingTransfer.to.id, district);

    // ---- the district: waiting for it, 接收 ----
    await signIn('demo-district-dispatcher');
    await page.goto(`${address}/cases?sort=due&platform=incoming`);
    const row = page.locator(`[data-case-no="${caseNo}"]`);
    await row.waitFor();
    assert.match(await row.textContent() ?? '', /上报→/);
    await row.click();
    await page.waitForURL(new RegExp(`/cases/${id}$`));
    await act('接收', async () => { await panel.getByLabel('备注（可选）').fill('区城管执法局牵头，水务局配合'); });
    await panel.getByTestId('platform-level').filter({ hasText: '区级平台' }).waitFor();
    assert.equal(await panel.getByTestId('pending-transfer').count(), 0);
    await page.locator('.tl-item.tl-accept_transfer').waitFor();
    const after = (await adminApi.get(`/api/v1/cases/${id}`)).body;
    assert.deepEqual([after.platform.region.id, after.pendingTransfer, after.caseNo], [district, null, caseNo]);
    const h = (await adminApi.get(`/api/v1/cases/${id}/history`)).body.items.map((x: { action: string }) => x.action);
    assert.deepEqual(h.slice(-2), ['escalate', 'accept_transfer']);

    // ---- the statistics: one escalation sent by the street, received and accepted by the district ----
    await page.goto(`${address}/levels`);
    const table = page.getByTestId('level-stats');
    await table.waitFor();
    const cell = (platform: string, col: string) => table.locator(`tr[data-platform="${platform}"] td[data-col="${col}"]`).textContent();
    assert.equal(await cell(street, 'escalationsSent'), '1');
    assert.equal(await cell(district, 'escalationsReceived'), '1');
    assert.equal(await cell(district, 'escalationsRefused'), '0');
    await page.screenshot({ path: shot('levels-stats-1920.png'), fullPage: false });

    // ---- a phone ----
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${address}/cases/${id}`);
    await panel.getByTestId('platform-level').filter({ hasText: '区级平台' }).waitFor();
    const box = await panel.boundingBox();
    assert.ok(box && box.width <= 390, `the panel fits the phone (${box?.width})`);
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('levels-case-390.png'), fullPage: false });
    assert.deepEqual(errors, []);
  } finally {
    await close();
    await env.close();
  }
});

/**
 * Browser test of the administration pages (/admin), signed in as the demo admin, on the built console:
 * every tab shows real data read back from the API; a user is created through the form (then its password reset
 * and the account deactivated); an INVALID grid GeoJSON is refused with a report naming each feature and
 * coordinate path and nothing changes; a matter's time limit is edited; a tie in the responsibility list is
 * reported and refused, a valid change saved as a new version; the routing tester's answer matches
 * GET /api/v1/routing/explain for a point picked on the map; the calendar shows holidays and computes the same
 * deadline as the API; an API key is shown once, listed, works, and stops working when revoked.
 * Screenshots at 1920×1080 and 390×844 go to test/e2e/screenshots/admin-*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { request as pwRequest, type APIRequestContext, type Page } from 'playwright-core';
import { createDemoEnv } from '../support/demo-env.ts';
import { launchBrowser, SCREENSHOTS, demoAccount, signIn } from './browser.ts';

const WEB_INDEX = path.resolve('web/dist/index.html');


async function getJson<T>(api: APIRequestContext, url: string): Promise<T> {
  const res = await api.get(url);
  assert.equal(res.status(), 200, `${url}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Clicks the middle of a map (after its layers are loaded) until `done()` holds; a map needs a few frames to draw. */
async function clickMapUntil(page: Page, selector: string, handle: string, done: () => Promise<boolean>, dx = 0, dy = 0): Promise<void> {
  // The map is ready when its layers are added (MapView removes its loading overlay and calls onReady).
  await page.locator(`${selector} ~ .map-overlay`).waitFor({ state: 'detached', timeout: 60_000 });
  await page.waitForFunction((h) => !!(window as unknown as Record<string, unknown>)[h], handle);
  const map = page.locator(selector);
  await map.scrollIntoViewIfNeeded();
  for (let i = 0; i < 30 && !(await done()); i++) {
    const box = (await map.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
    await page.waitForTimeout(300);
  }
  assert.ok(await done(), `a click on ${selector} had the expected effect`);
}

test('administration: regions and grids, people, catalogue, responsibility list, calendar, API keys', async () => {
  assert.ok(fs.existsSync(WEB_INDEX), 'web/dist is not built (npm run build:web)');
  const env = await createDemoEnv('sqlite', { now: Date.now() });
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const { context, close } = await launchBrowser({ width: 1920, height: 1080 });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const shot = (name: string) => path.join(SCREENSHOTS, name);
  const anon = await pwRequest.newContext({ baseURL: address });
  try {
    const errors: string[] = [];
    const external: string[] = [];
    context.on('request', (r) => { if (new URL(r.url()).hostname !== '127.0.0.1') external.push(r.url()); });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    const api = context.request; // shares the browser's session cookie

    // Sign in as the demo admin: the start page is /admin with every tab.
    const admin = demoAccount(env.dataDir, 'admin');
    await signIn(page, address, admin);
    await page.waitForURL(/\/admin/);
    const tabs = page.getByRole('tab');
    await tabs.first().waitFor();
    assert.deepEqual(await tabs.allTextContents(), ['区划与网格', '单位与人员', '事项与时限', '责任清单', '工作日历', '网格准入', '门户事项', '12345 话术', '接口密钥', '推送订阅']);

    // ---- 1. Regions and grids ----------------------------------------------------------------------------
    const streets = (await getJson<{ items: { id: string; name: string }[] }>(api, `${address}/api/v1/regions?level=street`)).items;
    const tree = page.getByRole('list', { name: '区划树' });
    await tree.getByText(streets[0].name, { exact: true }).waitFor();
    assert.ok((await tree.textContent())!.includes(streets[streets.length - 1].name), 'every street is in the tree');
    // A click on a grid shows its details, as the API has them.
    const details = page.getByTestId('grid-details-name');
    await clickMapUntil(page, '.admin-map-card .map', 'cityopsAdminMap', async () => (await details.count()) > 0 && (await details.isVisible()));
    const gridId = (await page.locator('.grid-details dd code').first().textContent())!;
    const grid = await getJson<{ name: string; community: { name: string } }>(api, `${address}/api/v1/grids/${gridId}`);
    assert.equal(await details.textContent(), grid.name);
    assert.ok((await page.locator('.grid-details').textContent())!.includes(grid.community.name));
    // A community in the tree lists its grids.
    const communities = (await getJson<{ items: { id: string; name: string; parentId: string }[] }>(api, `${address}/api/v1/regions?level=community`)).items;
    const community = communities.find((c) => c.parentId === streets[0].id)!;
    await tree.locator('summary', { hasText: streets[0].name }).click();
    await tree.getByRole('button', { name: new RegExp(community.name) }).click();
    const communityGrids = (await getJson<{ items: { name: string }[] }>(api, `${address}/api/v1/grids?communityId=${community.id}`)).items;
    await page.getByRole('heading', { name: `${community.name}的网格` }).waitFor();
    await page.getByRole('cell', { name: communityGrids[0].name, exact: true }).waitFor();
    await page.screenshot({ path: shot('admin-regions-1920.png') });

    // Import an INVALID file: a valid grid, a bow-tie, an unknown community with an unclosed ring → nothing imported.
    const before = (await getJson<{ total: number }>(api, `${address}/api/v1/grids?limit=1`)).total;
    const square = [[120.30, 31.50], [120.301, 31.50], [120.301, 31.501], [120.30, 31.501], [120.30, 31.50]];
    const bad = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { id: 'G-E2E-OK', communityId: community.id, name: 'E2E 正常网格' }, geometry: { type: 'Polygon', coordinates: [square] } },
        { type: 'Feature', properties: { id: 'G-E2E-BOWTIE', communityId: community.id, name: 'E2E 自相交' },
          geometry: { type: 'Polygon', coordinates: [[[120.30, 31.50], [120.301, 31.501], [120.301, 31.50], [120.30, 31.501], [120.30, 31.50]]] } },
        { type: 'Feature', properties: { id: 'G-E2E-NOWHERE', communityId: 'R-NOT-A-COMMUNITY', name: 'E2E 未闭合' },
          geometry: { type: 'Polygon', coordinates: [[[120.30, 31.50], [120.301, 31.50], [120.301, 31.501], [120.30, 31.502]]] } },
      ],
    };
    await page.locator('#grid-import-file').setInputFiles({ name: 'bad-grids.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(bad)) });
    await page.getByRole('button', { name: '导入', exact: true }).click();
    const report = page.getByTestId('grid-import-report');
    await report.waitFor();
    const reportText = (await report.textContent())!;
    assert.match(reportText, /未导入任何网格/);
    for (const needle of ['G-E2E-BOWTIE', 'features[1].geometry.coordinates[0]', 'SELF_INTERSECTION', 'G-E2E-NOWHERE', 'features[2].properties.communityId', 'UNKNOWN_COMMUNITY', 'UNCLOSED_RING']) {
      assert.ok(reportText.includes(needle), `the report names ${needle}: ${reportText}`);
    }
    assert.ok(!reportText.includes('G-E2E-OK'), 'the valid feature is not reported');
    assert.equal((await api.get(`${address}/api/v1/grids/G-E2E-OK`)).status(), 404, 'the valid grid of the refused file was not imported');
    assert.equal((await getJson<{ total: number }>(api, `${address}/api/v1/grids?limit=1`)).total, before, 'no grid was added');
    await report.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('admin-grid-import-report-1920.png') });

    // ---- 2. Units and people -----------------------------------------------------------------------------
    await page.getByRole('tab', { name: '单位与人员' }).click();
    const units = (await getJson<{ items: { id: string; name: string; parentId: string | null }[] }>(api, `${address}/api/v1/units`)).items;
    const unitTree = page.getByRole('list', { name: '单位树' });
    const parentUnit = units.find((u) => u.parentId === null && units.some((c) => c.parentId === u.id))!;
    const childUnit = units.find((c) => c.parentId === parentUnit.id)!;
    await unitTree.getByText(parentUnit.name, { exact: true }).first().waitFor();
    assert.equal(await unitTree.getByText(childUnit.name, { exact: true }).count(), 0, 'sub-units are folded');
    await unitTree.getByRole('button', { name: `${parentUnit.name} 的下级单位`, exact: false }).click();
    await unitTree.locator('button.tree-leaf', { hasText: childUnit.name }).first().click();
    await page.getByRole('heading', { name: childUnit.name, exact: true }).waitFor();
    assert.ok((await page.locator('section[aria-labelledby="unit-details-h"]').textContent())!.includes(parentUnit.name), 'the details name the parent unit');
    await page.screenshot({ path: shot('admin-people-1920.png') });
    // A new sub-unit under the selected unit.
    await page.getByRole('button', { name: '新建单位' }).click();
    const unitForm = page.getByRole('form', { name: '新建处置单位' });
    await unitForm.getByLabel('单位编号').fill('U-E2E');
    await unitForm.getByLabel('简码').fill('E2E');
    await unitForm.getByLabel('单位全称').fill('E2E 测试中队');
    await unitForm.getByLabel('单位类型').selectOption('sub_unit');
    assert.equal(await unitForm.getByLabel('上级单位').inputValue(), childUnit.id, 'the selected unit is the parent');
    await unitForm.getByLabel('服务区域').selectOption(streets[0].id);
    await unitForm.getByRole('button', { name: '创建单位' }).click();
    await page.getByText('已创建单位 E2E 测试中队').waitFor();
    await page.getByRole('heading', { name: 'E2E 测试中队', exact: true }).waitFor();
    const newUnit = await getJson<{ parentId: string; regionId: string; kind: string; parent: { name: string } }>(api, `${address}/api/v1/units/U-E2E`);
    assert.deepEqual([newUnit.parentId, newUnit.regionId, newUnit.kind], [childUnit.id, streets[0].id, 'sub_unit']);
    await page.getByTestId('users-table').getByText(admin.username, { exact: true }).waitFor();

    await page.getByRole('button', { name: '新建用户' }).click();
    const form = page.getByRole('form', { name: '新建用户' });
    await form.getByLabel('用户名').fill('e2e-inspector');
    await form.getByLabel('姓名').fill('测试监督员');
    await form.getByLabel('初始密码').fill('first-password-1');
    await form.getByRole('checkbox', { name: '监督员' }).check();
    await form.getByLabel('负责区域').selectOption(streets[0].id);
    await page.screenshot({ path: shot('admin-people-create-1920.png') });
    await form.getByRole('button', { name: '创建用户' }).click();
    await page.getByText('已创建用户 e2e-inspector').waitFor();
    type U = { id: string; username: string; displayName: string; roles: string[]; regionIds: string[]; active: boolean };
    let created = (await getJson<{ items: U[] }>(api, `${address}/api/v1/users`)).items.find((u) => u.username === 'e2e-inspector');
    assert.ok(created, 'the user exists');
    assert.deepEqual([created.displayName, created.roles, created.regionIds, created.active], ['测试监督员', ['inspector'], [streets[0].id], true]);
    const row = page.locator('tr[data-username="e2e-inspector"]');
    await row.waitFor();
    assert.ok((await row.textContent())!.includes(streets[0].name), 'the row shows the scope by name');

    // Reset the password, then the new one signs in and the old one does not.
    await row.getByRole('button', { name: '重置密码' }).click();
    await row.getByLabel('新密码（至少 8 位）').fill('second-password-2');
    await row.getByRole('button', { name: '保存' }).click();
    await row.getByText('密码已重置').waitFor();
    const login = (password: string) => anon.post('/api/v1/auth/login', { data: { username: 'e2e-inspector', password } });
    assert.equal((await login('first-password-1')).status(), 401);
    assert.equal((await login('second-password-2')).status(), 200);
    // Deactivate: the API says inactive and the account cannot sign in.
    await row.getByRole('button', { name: '停用' }).click();
    await row.getByText('已停用', { exact: true }).first().waitFor();
    created = (await getJson<{ items: U[] }>(api, `${address}/api/v1/users`)).items.find((u) => u.username === 'e2e-inspector')!;
    assert.equal(created.active, false);
    assert.notEqual((await login('second-password-2')).status(), 200);
    await page.screenshot({ path: shot('admin-people-users-1920.png') });

    // ---- 3. Catalogue and time limits --------------------------------------------------------------------
    await page.getByRole('tab', { name: '事项与时限' }).click();
    const m06010 = await getJson<{ name: string; limits: { stage: string; urgency: string; areaClass: string | null; amount: number; unit: string; appliesTo: string }[] }>(api, `${address}/api/v1/catalog/matters/06010`);
    const matters = page.getByTestId('matters-table');
    await matters.getByText('01001', { exact: true }).waitFor();
    await page.getByLabel('搜索（名称或编码）').fill(m06010.name);
    await matters.getByText('06010', { exact: true }).waitFor();
    await page.getByLabel('大类').selectOption('06');
    await matters.getByText('06010', { exact: true }).waitFor();
    await page.getByRole('button', { name: '06010 的时限' }).click();
    await page.getByRole('heading', { name: `时限：06010 ${m06010.name}` }).waitFor();
    const own = m06010.limits.filter((l) => l.appliesTo === 'matter');
    assert.equal(await page.getByTestId('limits-table').locator('tbody tr').count(), own.length, 'one editable row per configured limit');
    assert.equal(await page.getByLabel('第 1 行 时长').inputValue(), String(own[0].amount));
    await page.getByLabel('第 1 行 时长').fill('7');
    await page.getByLabel('第 1 行 单位').selectOption('natural_hours');
    await page.getByRole('button', { name: '保存时限' }).click();
    await page.getByText(`已保存，${own.length} 条时限生效。`).waitFor();
    const after = await getJson<typeof m06010>(api, `${address}/api/v1/catalog/matters/06010`);
    const changedRow = after.limits.find((l) => l.stage === own[0].stage && l.urgency === own[0].urgency && l.areaClass === own[0].areaClass && l.appliesTo === 'matter')!;
    assert.deepEqual([changedRow.amount, changedRow.unit], [7, 'natural_hours']);
    const shownAmounts = await page.getByTestId('limits-table').locator('input[type="number"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    assert.deepEqual(shownAmounts.sort(), after.limits.filter((l) => l.appliesTo === 'matter').map((l) => String(l.amount)).sort(), 'the table shows the saved rows');
    await page.screenshot({ path: shot('admin-catalog-1920.png') });

    // ---- 4. Responsibility list ----------------------------------------------------------------------------
    await page.getByRole('tab', { name: '责任清单' }).click();
    const rules = await getJson<{ version: number; rules: { id: string; matterCode?: string; regionId: string; unitId: string; note?: string }[] }>(api, `${address}/api/v1/rules`);
    await page.getByTestId('rules-version').getByText(`当前版本 v${rules.version}（${rules.rules.length} 条规则`).waitFor();
    await page.getByTestId('rules-table').getByText(rules.rules[0].id, { exact: true }).waitFor();

    // "Who would get this?" for a point picked on the map: the same answer as the API.
    await page.locator('#tester-matter').selectOption('06010');
    await clickMapUntil(page, '.tester .map', 'cityopsTesterMap', async () => (await page.locator('#tester-lon').inputValue()) !== '');
    const lon = await page.locator('#tester-lon').inputValue();
    const lat = await page.locator('#tester-lat').inputValue();
    await page.getByRole('button', { name: '测试派遣' }).click();
    const answer = page.getByTestId('routing-answer');
    await answer.waitFor();
    const explain = await getJson<{ decision: { unit: { name: string }; ruleId: string | null; ruleVersion: number }; location: { grid?: { name: string } } }>(
      api, `${address}/api/v1/routing/explain?matterCode=06010&lon=${lon}&lat=${lat}&urgency=normal`);
    assert.equal(await page.getByTestId('answer-unit').textContent(), explain.decision.unit.name);
    assert.equal(await page.getByTestId('answer-version').textContent(), `v${explain.decision.ruleVersion}`);
    if (explain.decision.ruleId) assert.equal(await page.getByTestId('answer-rule').textContent(), explain.decision.ruleId);
    if (explain.location.grid) assert.ok((await answer.textContent())!.includes(explain.location.grid.name));
    await page.screenshot({ path: shot('admin-rules-tester-1920.png') });

    // A rule that ties with an existing one: validation reports the TIE, saving is refused, nothing changes.
    const existing = rules.rules.find((r) => r.matterCode === '06010')!;
    const otherUnitId = units.find((u) => u.id !== existing.unitId)!.id;
    await page.getByRole('button', { name: '添加规则' }).click();
    const ruleForm = page.getByRole('form', { name: '规则', exact: true });
    const newId = await ruleForm.getByLabel('规则编号').inputValue();
    await ruleForm.getByLabel(/^事项/).selectOption('06010');
    await ruleForm.getByLabel('区域（含下级）').selectOption(existing.regionId);
    await ruleForm.getByLabel('处置单位').selectOption(otherUnitId);
    await ruleForm.getByRole('button', { name: '放入草稿' }).click();
    await page.getByTestId('draft-state').getByText('草稿已修改，尚未保存').waitFor();
    await page.getByRole('button', { name: '校验清单' }).click();
    const rulesReport = page.getByTestId('rules-report');
    await rulesReport.waitFor();
    const text = (await rulesReport.textContent())!;
    assert.match(text, /有 \d+ 个错误/);
    assert.ok(text.includes('TIE') && text.includes(existing.id) && text.includes(newId), text);
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await rulesReport.getByText(/未保存/).waitFor();
    assert.equal((await getJson<{ items: unknown[] }>(api, `${address}/api/v1/rules/versions`)).items.length, 1, 'the refused list made no version');
    await rulesReport.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('admin-rules-report-1920.png') });

    // Take it out again, change a note instead, and save: version 2.
    await page.getByRole('button', { name: `删除 ${newId}` }).click();
    await page.getByTestId('draft-state').getByText('与当前版本相同').waitFor();
    await page.getByLabel('筛选规则（编号、事项、区域、单位）').fill(existing.id);
    await page.getByRole('button', { name: `修改 ${existing.id}` }).click();
    await page.getByRole('form', { name: '规则', exact: true }).getByLabel('备注').fill('E2E 修改备注');
    await page.getByRole('form', { name: '规则', exact: true }).getByRole('button', { name: '放入草稿' }).click();
    await page.getByLabel('修改说明（随版本保存）').fill('E2E: note changed');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByText(`已保存为版本 v${rules.version + 1}`).waitFor();
    const saved = await getJson<typeof rules & { note: string }>(api, `${address}/api/v1/rules`);
    assert.equal(saved.version, rules.version + 1);
    assert.equal(saved.note, 'E2E: note changed');
    assert.equal(saved.rules.find((r) => r.id === existing.id)?.note, 'E2E 修改备注');
    await page.getByTestId('versions-table').getByText(`v${rules.version + 1}`).waitFor();
    await page.getByRole('button', { name: `版本 v${rules.version + 1} 的校验报告` }).click();
    await page.getByTestId('version-report').getByText('没有错误').waitFor();

    // ---- 5. Work calendar -----------------------------------------------------------------------------------
    await page.getByRole('tab', { name: '工作日历' }).click();
    const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    const cal = await getJson<{ holidays: { date: string; name: string }[]; makeUpWorkdays: string[] }>(api, `${address}/api/v1/calendar?year=${year}`);
    await page.getByRole('heading', { name: `${year} 年工作日历` }).waitFor();
    assert.ok(cal.holidays.length > 0, 'the demo calendar has holidays');
    assert.equal(await page.locator(`.day[data-date="${cal.holidays[0].date}"]`).getAttribute('data-kind'), 'holiday');
    if (cal.makeUpWorkdays[0]) assert.equal(await page.locator(`.day[data-date="${cal.makeUpWorkdays[0]}"]`).getAttribute('data-kind'), 'makeup');
    assert.equal(await page.locator('.day[data-kind="holiday"]').count(), cal.holidays.length);
    assert.equal(await page.locator('.day[data-kind="makeup"]').count(), cal.makeUpWorkdays.length);
    // The deadline calculator answers what the API answers (3 work days from the day before a holiday, 16:00 local).
    const startDay = cal.holidays.find((h) => h.name === '国庆节')?.date ?? cal.holidays[0].date;
    const prev = new Date(Date.parse(`${startDay}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel(/开始时间/).fill(`${prev}T16:00`);
    await page.getByLabel('时长').fill('3');
    await page.getByLabel('单位', { exact: true }).selectOption('work_days');
    await page.getByRole('button', { name: '计算截止时间' }).click();
    await page.getByTestId('deadline-result').waitFor();
    const dl = await getJson<{ deadline: string }>(api, `${address}/api/v1/calendar/deadline?start=${encodeURIComponent(`${prev}T16:00:00+08:00`)}&amount=3&unit=work_days`);
    assert.equal(await page.getByTestId('deadline-at').getAttribute('data-iso'), dl.deadline);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: shot('admin-calendar-1920.png') });
    // Import next year's arrangement through the form.
    await page.getByRole('button', { name: '下一年' }).click();
    await page.getByRole('heading', { name: `${year + 1} 年工作日历` }).waitFor();
    const arrangement = { source: 'e2e', year: year + 1, weekend: ['Saturday', 'Sunday'], holidays: [{ name: '元旦', daysOff: [`${year + 1}-01-01`] }] };
    await page.getByLabel('安排（JSON）').fill(JSON.stringify(arrangement));
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.getByText(`已导入 ${year + 1} 年：1 天节假日，0 天调休上班。`).waitFor();
    const next = await getJson<{ holidays: { date: string; name: string }[] }>(api, `${address}/api/v1/calendar?year=${year + 1}`);
    assert.deepEqual(next.holidays, [{ date: `${year + 1}-01-01`, name: '元旦' }]);
    await page.locator(`.day[data-date="${year + 1}-01-01"][data-kind="holiday"]`).waitFor();

    // ---- 6. API keys ---------------------------------------------------------------------------------------
    await page.getByRole('tab', { name: '接口密钥' }).click();
    await page.getByText('还没有接口密钥').waitFor();
    await page.getByRole('button', { name: '新建密钥' }).click();
    await page.getByLabel('用途名称').fill('E2E 水务局工单系统');
    await page.getByRole('button', { name: '创建密钥' }).click();
    const secretEl = page.getByTestId('new-key-secret');
    await secretEl.waitFor();
    const secret = (await secretEl.textContent())!;
    assert.ok(secret.length > 20, 'the secret is shown');
    assert.match((await page.getByTestId('new-key').textContent())!, /只显示这一次/);
    const keys = (await getJson<{ items: { id: string; name: string; prefix: string; active: boolean }[] }>(api, `${address}/api/v1/apikeys`)).items;
    const key = keys.find((k) => k.name === 'E2E 水务局工单系统');
    assert.ok(key && key.active && secret.includes(key.prefix), 'listed by the API, with the prefix of the shown secret');
    const keyRow = page.locator(`tr[data-key-id="${key.id}"]`);
    await keyRow.waitFor();
    assert.ok((await keyRow.textContent())!.includes(key.prefix));
    assert.ok(!(await keyRow.textContent())!.includes(secret), 'the list never shows the secret');
    const me = (s: string) => anon.get('/api/v1/auth/me', { headers: { authorization: `Bearer ${s}` } });
    assert.equal((await me(secret)).status(), 200, 'the key works');
    await page.screenshot({ path: shot('admin-apikeys-1920.png') });
    await page.getByRole('button', { name: '我已保存，关闭' }).click();
    assert.equal(await secretEl.count(), 0);
    assert.ok(!(await page.content()).includes(secret), 'once closed, the secret is gone from the page');
    await keyRow.getByRole('button', { name: '吊销 E2E 水务局工单系统' }).click();
    await keyRow.getByRole('button', { name: '确认吊销' }).click();
    await keyRow.getByText(/已吊销/).waitFor();
    const revoked = (await getJson<{ items: { id: string; active: boolean }[] }>(api, `${address}/api/v1/apikeys`)).items.find((k) => k.id === key.id)!;
    assert.equal(revoked.active, false);
    assert.equal((await me(secret)).status(), 401, 'a revoked key stops working');

    // ---- the phone ------------------------------------------------------------------------------------------
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('tab', { name: '责任清单' }).click();
    await page.getByTestId('rules-table').waitFor();
    await page.screenshot({ path: shot('admin-rules-390.png') });
    await page.getByRole('tab', { name: '区划与网格' }).click();
    await tree.waitFor();
    await page.screenshot({ path: shot('admin-regions-390.png'), fullPage: true });

    assert.deepEqual(errors, [], 'no uncaught errors in the page');
    assert.deepEqual(external, [], 'nothing is fetched from outside the machine');
  } finally {
    await anon.dispose();
    try { await close(); } finally { await env.close(); }
  }
});

/**
 * Browser test of the work-time settings on the calendar page (/admin?tab=calendar), signed in as the demo admin: a
 * stored setting that cannot be used is shown as a problem; the city's work periods, day counting and a unit that
 * keeps other hours are changed through the form, read back from the API, and the deadline calculator computes a
 * unit's deadline as the API does; a bad period is refused with the field named and nothing saved. The 12345 feedback
 * limits are changed on the catalogue page and read back from the API.
 * Screenshots at 1920×1080 and 390×844 go to test/e2e/screenshots/admin-calendar-settings-*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv } from '../support/demo-env.ts';
import { launchBrowser, SCREENSHOTS, demoAccount, signIn } from './browser.ts';

const WEB_INDEX = path.resolve('web/dist/index.html');

test('calendar page: work periods, day counting, a unit with its own hours, and the stored settings\' problems', async () => {
  assert.ok(fs.existsSync(WEB_INDEX), 'web/dist is not built (npm run build:web)');
  const env = await createDemoEnv('sqlite', { now: Date.now() });
  // A bad stored value (as an old version or a hand edit might leave it): the platform runs on the default.
  await env.db.updateTable('settings').set({ value: '[{"start":"17:30","end":"09:00"}]' }).where('key', '=', 'work_periods').execute();
  await env.ctx.ref.load();
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const { context, close } = await launchBrowser({ width: 1920, height: 1080 });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  try {
    const errors: string[] = [];
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    const api = context.request;
    const admin = demoAccount(env.dataDir, 'admin');
    await signIn(page, address, admin);
    await page.waitForURL(/\/admin/);
    await page.goto(address + '/admin?tab=calendar');

    const problems = page.getByTestId('calendar-problems');
    await problems.waitFor();
    assert.match((await problems.textContent())!, /work_periods/);
    const card = page.getByTestId('calendar-settings');
    await card.waitFor();
    assert.equal(await card.getByLabel('第 1 段开始').inputValue(), '09:00', 'the default in force is shown');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-calendar-settings-problem-1920.png') });

    // A refused change names the field; nothing is saved.
    await card.getByLabel('第 2 段开始').fill('11:00');
    await card.getByRole('button', { name: '保存工作时间' }).click();
    await card.getByText(/workPeriods\[1\]\.start/).waitFor();
    const unchanged = await (await api.get(`${address}/api/v1/calendar/settings`)).json();
    assert.deepEqual(unchanged.workPeriods, [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '17:30' }]);

    // The city keeps 08:30–12:00, 13:00–17:00 and counts elapsed work time; a unit works 08:00–18:00 every day.
    await card.getByLabel('第 1 段开始').fill('08:30');
    await card.getByLabel('第 2 段开始').fill('13:00');
    await card.getByLabel('第 2 段结束').fill('17:00');
    await card.getByLabel('按日计算的时限').selectOption('elapsed_work_time');
    await card.getByRole('button', { name: '添加单位' }).click();
    const units = (await (await api.get(`${address}/api/v1/units`)).json()).items as { id: string; name: string }[];
    const unit = units.find((u) => u.id === 'U-CGZF') ?? units[0];
    await card.getByLabel('第 1 行的单位').selectOption(unit.id);
    await card.getByLabel('第 1 行的工作时段').fill('08:00-18:00');
    await card.getByLabel('第 1 行全年无休').check();
    await card.getByRole('button', { name: '保存工作时间' }).click();
    await card.getByText('已保存，新的计时立即生效。').waitFor();
    await problems.waitFor({ state: 'detached' });
    const saved = await (await api.get(`${address}/api/v1/calendar/settings`)).json();
    assert.deepEqual(saved.workPeriods, [{ start: '08:30', end: '12:00' }, { start: '13:00', end: '17:00' }]);
    assert.equal(saved.dayCounting, 'elapsed_work_time');
    assert.deepEqual(saved.unitWorkPeriods.map((u: { unitId: string; everyDay: boolean; workPeriods: unknown }) => [u.unitId, u.everyDay, u.workPeriods]),
      [[unit.id, true, [{ start: '08:00', end: '18:00' }]]]);
    assert.deepEqual(saved.problems, []);
    await page.getByText('工作时间: 08:30–12:00、13:00–17:00', { exact: false }).waitFor();

    // The calculator, for that unit, answers what the API answers (a Saturday: the unit is on duty).
    const start = '2026-11-28T17:00';
    await page.getByLabel(/开始时间/).fill(start);
    await page.getByLabel('时长').fill('2');
    await page.getByLabel('单位', { exact: true }).selectOption('work_hours');
    await page.getByLabel('处置单位（可选）').selectOption(unit.id);
    await page.getByRole('button', { name: '计算截止时间' }).click();
    await page.getByTestId('deadline-result').waitFor();
    const dl = await (await api.get(`${address}/api/v1/calendar/deadline?start=${encodeURIComponent(`${start}:00+08:00`)}&amount=2&unit=work_hours&unitId=${unit.id}`)).json();
    assert.equal(dl.deadline, '2026-11-29T01:00:00.000Z', 'Saturday 17:00 + 2 work hours on 08:00–18:00 every day: Sunday 09:00');
    assert.equal(await page.getByTestId('deadline-at').getAttribute('data-iso'), dl.deadline);
    assert.equal(await page.getByTestId('deadline-periods').textContent(), '08:00–18:00');
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-calendar-settings-1920.png') });

    // On a phone the form stays usable: the save button and the unit table are reachable.
    await page.setViewportSize({ width: 390, height: 844 });
    await card.getByRole('button', { name: '保存工作时间' }).scrollIntoViewIfNeeded();
    assert.ok(await card.getByRole('button', { name: '保存工作时间' }).isVisible());
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `no sideways scrolling of the page on a phone (${overflow}px)`);
    await card.screenshot({ path: path.join(SCREENSHOTS, 'admin-calendar-settings-390.png') });

    // The 12345 feedback limits, on the catalogue page: general requests get 5 work days, 紧急 is left to the matter.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByRole('tab', { name: '事项与时限' }).click();
    const limits = page.getByTestId('hotline-limits');
    await limits.waitFor();
    assert.equal(await limits.getByLabel('一般诉求的时长').inputValue(), '7');
    await limits.getByLabel('一般诉求的时长').fill('5');
    await limits.getByLabel('一般诉求的单位').selectOption('work_days');
    await limits.getByLabel('紧急', { exact: true }).selectOption('');
    await limits.getByRole('button', { name: '保存答复时限' }).click();
    await limits.getByText('已保存，新来电立即按此计时。').waitFor();
    const policy = await (await api.get(`${address}/api/v1/hotline/feedback-limits`)).json();
    assert.deepEqual(policy.limits.general, { amount: 5, unit: 'work_days', label: policy.limits.general.label });
    assert.equal(policy.urgencyClasses.urgent, null);
    assert.equal(policy.limits.threat.amount, 2);
    await limits.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-hotline-limits-1920.png') });
    assert.deepEqual(errors, []);
  } finally {
    try { await close(); } finally { await env.close(); }
  }
});

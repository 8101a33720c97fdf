/**
 * Browser test (issue 9 §5, §6): a 非常紧急 case rings at its street; nobody there acknowledges; after the street's
 * limit (1 minute here, on the test clock) the escalation job moves it to the district, and the district's console
 * shows the banner (screenshot emergency-ring-1920.png); its dispatcher acknowledges it and the banner goes. Then a
 * unit handler's bell shows a new task, live, and clicking it opens the case; in the bell's settings the handler
 * sends new tasks out by SMS too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, request } from '../support/api-client.ts';
import { createUser } from '../../src/commands/user-create.ts';
import { runNotifyFanout } from '../../src/jobs/notify-fanout.job.ts';
import { escalateDueEmergencies } from '../../src/commands/emergency-raise.ts';
import { launchBrowser, SCREENSHOTS, signIn } from './browser.ts';

test('an unacknowledged emergency escalates to the district console; the bell shows a new task', async () => {
  assert.ok(fs.existsSync(path.resolve('web/dist/index.html')), 'web/dist is not built (npm run build:web)');
  const env = await createDemoEnv('sqlite', { now: Date.now() });
  await loadGridPoints(env);
  const base = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const { context, close } = await launchBrowser({ width: 1920, height: 1080 });
  const errors: string[] = [];
  try {
    const p = demoPoint(env, 5);
    const loc = env.ctx.ref.locate(p.lon, p.lat)!;
    const unitId = env.ctx.ref.current().routing.route({ matterCode: '06010', regionId: p.communityId }).unitId;
    const password = 'correct horse battery';
    await createUser(env.ctx, { username: 'district-duty', password, roles: ['dispatcher'], unitIds: [], regionIds: [loc.districtId!] }, null);
    await createUser(env.ctx, { username: 'unit-duty', password, roles: ['unit_handler'], unitIds: [unitId], regionIds: [] }, null);
    const admin = await userClient(env.app, env.ctx, 'admin');
    const operator = await userClient(env.app, env.ctx, 'operator');
    const inspector = await userClient(env.app, env.ctx, 'inspector');
    const dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
    const set = await request(env.app, 'PUT', '/api/v1/alerts/settings', {
      cookie: admin.headers.cookie, headers: { 'x-csrf-token': admin.headers['x-csrf-token'] },
      body: { urgencies: ['very_urgent'], ackMinutes: { street: 1, district: 1, city: 1 } },
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    await runNotifyFanout(env.ctx); // what the seed left

    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    const login = async (username: string) => {
      await signIn(page, base, { username, password });
      await page.waitForURL(/\/cases/);
    };
    await login('district-duty');

    // A very urgent case: it rings at the street (and its unit), not yet at the district.
    const c = await operator.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', urgency: 'very_urgent', description: '路面塌陷，有车辆陷入', location: { lon: p.lon, lat: p.lat } });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    assert.equal((await runNotifyFanout(env.ctx)).alertsRaised, 1);
    await page.reload();
    await page.getByTestId('bell').waitFor();
    assert.equal(await page.getByTestId('emergency-banner').count(), 0, 'not at the district before the street\'s minute has passed');

    // Nobody at the street acknowledges: a minute later (test clock) the job escalates it, once.
    env.clock.advance(61_000);
    assert.equal((await escalateDueEmergencies(env.ctx)).escalated, 1);
    assert.equal((await escalateDueEmergencies(env.ctx)).escalated, 0);
    const alert = page.getByTestId('emergency-alert');
    await alert.waitFor({ timeout: 20_000 }); // the live stream's emergency.escalated (or the 15 s poll)
    const text = await alert.innerText();
    assert.match(text, new RegExp(c.body.caseNo));
    assert.match(text, /已升级至区级/);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'emergency-ring-1920.png') });
    await alert.getByRole('button', { name: '确认接警' }).click();
    await page.getByTestId('emergency-banner').waitFor({ state: 'detached' });
    const acked = await env.db.selectFrom('emergency_alerts').select(['state', 'acknowledged_by_name']).where('case_id', '=', c.body.id).executeTakeFirstOrThrow();
    assert.equal(acked.state, 'acknowledged');
    assert.equal(acked.acknowledged_by_name, 'district-duty');

    // The bell: a unit handler is told of a new task while looking at the console.
    await context.clearCookies();
    await login('unit-duty');
    await page.getByTestId('bell').waitFor();
    const d = await operator.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: '垃圾满溢', location: { lon: p.lon, lat: p.lat } });
    assert.equal(d.status, 201);
    await operator.post(`/api/v1/cases/${d.body.id}/accept`, {});
    await operator.post(`/api/v1/cases/${d.body.id}/request-verify`, {});
    await inspector.post(`/api/v1/cases/${d.body.id}/verify`, { outcome: 'confirmed' });
    assert.equal((await dispatcher.post(`/api/v1/cases/${d.body.id}/dispatch`, { unitId })).status, 200);
    await runNotifyFanout(env.ctx);
    await page.getByTestId('bell-count').waitFor({ timeout: 20_000 });
    await page.getByTestId('bell').click();
    const item = page.getByTestId('bell-item').filter({ hasText: d.body.caseNo });
    assert.match(await item.innerText(), /新任务/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'notification-bell-1920.png') });
    await item.click();
    await page.waitForURL(new RegExp(`/cases/${d.body.id}$`));

    // Settings in the bell: new tasks also go out by SMS.
    await page.getByTestId('bell').click();
    await page.getByRole('button', { name: '设置' }).click();
    await page.getByLabel('紧急警报').waitFor();
    assert.ok(await page.getByLabel('紧急警报').isChecked(), 'emergencies go out by default');
    await page.getByLabel('站外通知方式').selectOption('sms');
    await page.getByLabel('手机号').fill('13800001111');
    await page.getByLabel('新任务').check();
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').waitFor();
    const pref = await env.db.selectFrom('notify_preferences').selectAll().executeTakeFirstOrThrow();
    assert.equal(pref.channel, 'sms');
    assert.deepEqual(JSON.parse(pref.kinds).sort(), ['emergency', 'new_task']);
    assert.deepEqual(errors, []);
  } finally {
    await close();
    await env.close();
  }
});

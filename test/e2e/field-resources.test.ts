/**
 * Browser test of field resources (issue 9 §4): an inspector goes on duty (上岗) on the phone view with a faked
 * geolocation; the phone sends the position; the dispatcher sees the inspector as the nearest person on a case's
 * detail page and as a point on the resources map layer; going off duty (下岗) takes them off.
 * A shift leader puts the dispatcher on the roster (值班表); an overlapping entry is refused with the field named.
 * Screenshots: test/e2e/screenshots/mobile-duty-390.png, case-nearest-1920.png, resources-map-1920.png, rosters-1920.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { launchBrowser, SCREENSHOTS, demoAccount, signIn } from './browser.ts';

const WEB_DIR = process.env.CITYOPS_WEB_DIR ? path.resolve(process.env.CITYOPS_WEB_DIR) : path.resolve('web/dist');

test('an inspector on duty on the phone is the nearest person to a case and a point on the resources map', async () => {
  assert.ok(fs.existsSync(path.join(WEB_DIR, 'index.html')), `${WEB_DIR} is not built (npm run build:web)`);
  const env = await createDemoEnv('sqlite', { now: Date.now(), config: { webDir: WEB_DIR } });
  // The phone stamps fixes with the real time: keep the server's (fake) clock on it.
  const tick = setInterval(() => env.clock.set(Date.now()), 200);
  await loadGridPoints(env);
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const shot = (name: string) => path.join(SCREENSHOTS, name);
  try {
    const ref = env.ctx.ref.current();
    const inspAccount = demoAccount(env.dataDir, 'inspector');
    const insp = await env.db.selectFrom('users').select(['id', 'display_name', 'region_ids']).where('username', '=', inspAccount.username).executeTakeFirstOrThrow();
    const scope = JSON.parse(insp.region_ids) as string[];
    const pathOf = (community: string) => { const p: string[] = []; for (let r: string | null | undefined = community; r; r = ref.regions.get(r)?.parentId) p.push(r); return p; };
    const n = [...Array(ref.grids.size).keys()].find((i) => pathOf(demoPoint(env, i).communityId).some((r) => scope.includes(r)))!;
    assert.ok(n !== undefined, 'a grid in the inspector\'s area');
    const p = demoPoint(env, n);
    const op = await userClient(env.app, env.ctx, 'operator');
    const c = await op.post('/api/v1/cases', { channel: 'hotline', matterCode: '06012', description: '道路不洁，需要核实', location: { lon: p.lon, lat: p.lat } });
    assert.equal(c.status, 201, JSON.stringify(c.body));

    // ---- the inspector's phone: 上岗 with the browser's (faked) position ----
    const phone = await launchBrowser({ width: 390, height: 844 });
    try {
      await phone.context.grantPermissions(['geolocation'], { origin: address });
      // ~40 m from the case
      await phone.context.setGeolocation({ longitude: p.lon + 0.0004, latitude: p.lat, accuracy: 10 });
      const page = await phone.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await signIn(page, address, inspAccount);
      await page.waitForURL(/\/m$/);
      await page.getByTestId('duty-state').getByText('未上岗').waitFor();
      await page.getByRole('button', { name: '上岗' }).click();
      await page.getByTestId('duty-state').getByText('已上报').waitFor();
      await page.screenshot({ path: shot('mobile-duty-390.png') });
      const me = await env.ctx.store.field.findLatest([`user:${insp.id}`]);
      assert.equal(me[0].on_duty, 1);
      assert.ok(Math.abs(Number(me[0].lon) - (p.lon + 0.0004)) < 1e-9, 'the faked position was stored');
      assert.equal(await env.ctx.store.field.isOnDuty(insp.id, Date.now()), true);

      // ---- the dispatcher: nearest on the case, and the point on the map layer ----
      const desk = await launchBrowser({ width: 1920, height: 1080 });
      try {
        const dp = await desk.context.newPage();
        const derrors: string[] = [];
        dp.on('pageerror', (e) => derrors.push(e.message));
        await signIn(dp, address, demoAccount(env.dataDir, 'dispatcher'));
        await dp.waitForURL(/\/cases/);
        await dp.goto(`${address}/cases/${c.body.id}`);
        const first = dp.getByTestId('nearest-panel').getByTestId('nearest-item').first();
        await first.waitFor();
        const text = (await first.textContent()) ?? '';
        assert.ok(text.includes([...insp.display_name][0]), `the inspector is the nearest: ${text}`);
        assert.match(text, /监督员/);
        assert.match(text, /\d+ 米/);
        await dp.screenshot({ path: shot('case-nearest-1920.png') });
        await dp.goto(`${address}/resources`);
        await dp.waitForFunction(() => Number(document.querySelector('[data-testid="resources-map"]')?.getAttribute('data-layer-points') ?? 0) >= 1);
        await dp.getByTestId('resource-table').getByText('监督员').first().waitFor();
        // the inspector's track of today: one click on the name
        await dp.getByTestId('resource-table').getByRole('button').first().click();
        await dp.getByText(/今日轨迹：\d+ 个定位点/).waitFor();
        await dp.waitForTimeout(1000); // let MapLibre draw the layer before the screenshot (nothing is asserted on timing)
        await dp.screenshot({ path: shot('resources-map-1920.png') });
        assert.deepEqual(derrors, []);

        // ---- 下岗: sharing stops, and the inspector leaves the dispatcher's list ----
        await page.getByRole('button', { name: '下岗' }).click();
        await page.getByTestId('duty-state').getByText('未上岗').waitFor();
        const after = await (await userClient(env.app, env.ctx, 'dispatcher')).get(`/api/v1/resources/nearest?caseId=${c.body.id}`);
        assert.ok(!after.body.items.some((h: { resource: { userId: string } }) => h.resource.userId === insp.id));
        assert.deepEqual(errors, []);
      } finally {
        await desk.close();
      }
    } finally {
      await phone.close();
    }

    // ---- the shift leader puts the dispatcher on the roster; an overlapping entry is refused, naming the start ----
    const lead = await launchBrowser({ width: 1920, height: 1080 });
    try {
      const page = await lead.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await signIn(page, address, demoAccount(env.dataDir, 'shift_leader'));
      await page.waitForURL(/\/cases/);
      await page.goto(`${address}/rosters`);
      const form = page.getByTestId('roster-form');
      const person = form.getByLabel('人员');
      const dispatcher = await env.db.selectFrom('users').select(['id', 'display_name']).where('username', '=', demoAccount(env.dataDir, 'dispatcher').username).executeTakeFirstOrThrow();
      await person.locator(`option[value="${dispatcher.id}"]`).waitFor({ state: 'attached' });
      await person.selectOption(dispatcher.id);
      await form.getByLabel('中心（区域）').selectOption({ index: 1 });
      await form.getByRole('button', { name: '保存' }).click();
      await page.getByTestId('roster-table').getByText(dispatcher.display_name).waitFor();
      await form.getByRole('button', { name: '保存' }).click();
      await page.getByText('此人在这段时间已有排班，时段不能重叠。').waitFor();
      await page.screenshot({ path: shot('rosters-1920.png') });
      assert.equal(Number((await env.db.selectFrom('rosters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), 1);
      assert.deepEqual(errors, []);
    } finally {
      await lead.close();
    }
  } finally {
    clearInterval(tick);
    await env.close();
  }
});

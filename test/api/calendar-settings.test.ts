/**
 * A city sets its own work time (issue: settings nobody could change): GET/PUT /api/v1/calendar/settings — work
 * periods, weekend, day counting, units that keep other hours — validated before anything is written, one
 * transaction with an event and the reference version; deadlines (calculator and case clocks) follow at once; a bad
 * stored value is reported to administrators and its default used.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, T0, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';

const V1 = '/api/v1';
const HOUR = 3_600_000;
const CITY = [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '17:30' }];

for (const store of storesUnderTest()) {
  describe(`calendar settings [${store}]`, () => {
    let env: TestEnv;
    let admin: Client, operator: Client, inspector: Client, dispatcher: Client;
    let unitId: string, subUnitId: string | undefined;
    const put = (c: Client, body: unknown) => request(env.app, 'PUT', `${V1}/calendar/settings`, {
      body, cookie: c.headers.cookie, headers: { 'x-csrf-token': c.headers['x-csrf-token'] },
    });
    const setting = async (key: string) => {
      const r = await env.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      return r ? JSON.parse(r.value) : undefined;
    };
    const events = async (topic: string) => (await env.db.selectFrom('outbox').select('payload').where('topic', '=', topic).execute()).map((r) => JSON.parse(r.payload));
    const deadline = async (start: string, amount: number, unit: string, unitParam?: string) => {
      const q = `start=${encodeURIComponent(start)}&amount=${amount}&unit=${unit}${unitParam ? `&unitId=${encodeURIComponent(unitParam)}` : ''}`;
      return operator.get(`${V1}/calendar/deadline?${q}`);
    };

    before(async () => {
      env = await createDemoEnv(store, { config: { sessionIdleMs: 365 * 86400_000, sessionTtlMs: 365 * 86400_000 } });
      await loadGridPoints(env);
      admin = await userClient(env.app, env.ctx, 'admin');
      operator = await userClient(env.app, env.ctx, 'operator');
      inspector = await userClient(env.app, env.ctx, 'inspector');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      const ref = env.ctx.ref.current();
      unitId = ref.routing.route({ matterCode: '09009', regionId: demoPoint(env, 1).communityId }).unitId;
      subUnitId = [...ref.units.values()].find((u) => u.parentId === unitId)?.id;
    });
    after(async () => env.close());

    test('reading the settings needs calendar.manage; the defaults are the city office hours and the legal day rule', async () => {
      assert.equal((await request(env.app, 'GET', `${V1}/calendar/settings`)).status, 401);
      assert.equal((await operator.get(`${V1}/calendar/settings`)).status, 403);
      const r = await admin.get(`${V1}/calendar/settings`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.workPeriods, CITY);
      assert.deepEqual(r.body.weekendDays, [0, 6]);
      assert.equal(r.body.dayCounting, 'next_day_close_of_business');
      assert.deepEqual(r.body.unitWorkPeriods, []);
      assert.deepEqual(r.body.problems, []);
      const cal = await operator.get(`${V1}/calendar?year=2026`);
      assert.equal(cal.body.dayCounting, 'next_day_close_of_business');
      assert.equal(cal.body.problems, undefined, 'problems are for administrators');
      assert.deepEqual((await admin.get(`${V1}/calendar?year=2026`)).body.problems, []);
    });

    test('a refused change names its field and writes nothing', async () => {
      const version = await setting('reference_version');
      const outbox = (await events('calendar.settings_changed')).length;
      assert.equal((await put(operator, { dayCounting: 'elapsed_work_time' })).status, 403);
      const cases: [unknown, string][] = [
        [{ workPeriods: [{ start: '09:00', end: '12:00' }, { start: '11:30', end: '17:30' }] }, 'workPeriods[1].start'],
        [{ workPeriods: [{ start: '09:00', end: '08:00' }] }, 'workPeriods[0].end'],
        [{ dayCounting: 'whenever' }, 'dayCounting'],
        [{ weekendDays: [] }, 'weekendDays'],
        // 2026 has make-up workdays on Saturdays: a Sunday-only weekend would make them plain weekdays
        [{ weekendDays: [0] }, 'weekendDays'],
        [{ unitWorkPeriods: [{ unitId: 'U-NOPE', workPeriods: [{ start: '08:00', end: '18:00' }] }] }, 'unitWorkPeriods[0].unitId'],
        [{ unitWorkPeriods: [{ unitId, workPeriods: [{ start: '08:00', end: '25:00' }] }] }, 'unitWorkPeriods[0].workPeriods[0].end'],
        // a valid part does not get written when another part is refused
        [{ dayCounting: 'elapsed_work_time', workPeriods: [{ start: '9:00', end: '12:00' }] }, 'workPeriods[0].start'],
        [{ colour: 'red' }, 'colour'],
      ];
      for (const [body, field] of cases) {
        const r = await put(admin, body);
        assert.equal(r.status, 400, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.field, field, JSON.stringify(r.body));
      }
      assert.equal(await setting('reference_version'), version);
      assert.equal(await setting('day_counting'), undefined);
      assert.deepEqual(await setting('work_periods'), CITY);
      assert.equal((await events('calendar.settings_changed')).length, outbox);
    });

    test('work periods and day counting: written with an event and a new reference version, and deadlines follow at once', async () => {
      const start = '2026-12-01T10:00:00+08:00'; // a Tuesday
      assert.equal((await deadline(start, 1, 'work_days')).body.deadline, '2026-12-02T09:30:00.000Z', 'the day rule: close of business of the next work day');
      const version = Number(await setting('reference_version'));
      const r = await put(admin, { workPeriods: [{ start: '08:30', end: '12:00' }, { start: '13:00', end: '17:00' }], dayCounting: 'elapsed_work_time' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.workPeriods, [{ start: '08:30', end: '12:00' }, { start: '13:00', end: '17:00' }]);
      assert.equal(r.body.dayCounting, 'elapsed_work_time');
      assert.equal(r.body.referenceVersion, version + 1);
      assert.deepEqual(await setting('work_periods'), [{ start: '08:30', end: '12:00' }, { start: '13:00', end: '17:00' }]);
      assert.equal(await setting('day_counting'), 'elapsed_work_time');
      const ev = await events('calendar.settings_changed');
      assert.deepEqual(ev.at(-1).changed.sort(), ['day_counting', 'work_periods']);
      assert.equal(ev.at(-1).by, admin.userId);
      // elapsed work time: one work day from Tuesday 10:00 is Wednesday 10:00
      const d = await deadline(start, 1, 'work_days');
      assert.equal(d.body.deadline, '2026-12-02T02:00:00.000Z');
      assert.equal(d.body.calendar.dayCounting, 'elapsed_work_time');
      // 17:00 is after the new close of business: 1 work hour from Tuesday 16:30 ends Wednesday 09:00
      assert.equal((await deadline('2026-12-01T16:30:00+08:00', 1, 'work_hours')).body.deadline, '2026-12-02T01:00:00.000Z');
      const cal = await operator.get(`${V1}/calendar?year=2026`);
      assert.equal(cal.body.dayCounting, 'elapsed_work_time');
      // an omitted field keeps its value; back to the defaults
      const back = await put(admin, { workPeriods: CITY, dayCounting: 'next_day_close_of_business' });
      assert.equal(back.status, 200, JSON.stringify(back.body));
      assert.deepEqual(back.body.weekendDays, [0, 6]);
      assert.equal((await deadline(start, 1, 'work_days')).body.deadline, '2026-12-02T09:30:00.000Z');
    });

    test('a unit that keeps other hours: the calculator and the handling clock of its cases use them; its sub-units inherit them', async () => {
      assert.equal((await deadline('2026-11-25T17:00:00+08:00', 1, 'work_hours', 'U-NOPE')).body.error.field, 'unitId');
      const r = await put(admin, { unitWorkPeriods: [{ unitId, workPeriods: [{ start: '08:00', end: '18:00' }] }] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.unitWorkPeriods.map((u: { unitId: string; everyDay: boolean }) => [u.unitId, u.everyDay]), [[unitId, false]]);
      assert.ok(r.body.unitWorkPeriods[0].unitName);
      assert.deepEqual(await setting('unit_work_periods'), { [unitId]: { workPeriods: [{ start: '08:00', end: '18:00' }] } });
      // one work hour from Wednesday 17:00: the city's hours end Thursday 09:30, the unit's (08:00–18:00) at 18:00 the same day
      const start = '2026-11-25T17:00:00+08:00';
      assert.equal((await deadline(start, 1, 'work_hours')).body.deadline, '2026-11-26T01:30:00.000Z');
      const own = await deadline(start, 1, 'work_hours', unitId);
      assert.equal(own.body.deadline, '2026-11-25T10:00:00.000Z');
      assert.deepEqual(own.body.calendar.workPeriods, [{ start: '08:00', end: '18:00' }]);
      if (subUnitId) assert.equal((await deadline(start, 1, 'work_hours', subUnitId)).body.deadline, '2026-11-25T10:00:00.000Z', 'a sub-unit keeps its parent unit\'s hours');

      // a case of 09009 (1 work hour) dispatched to that unit on Wednesday at 17:00 is due at 18:00, on the unit's hours
      env.clock.set(T0 + 7 * HOUR);
      const p = demoPoint(env, 1);
      const c = await inspector.post(`${V1}/cases`, { channel: 'patrol', matterCode: '09009', description: '机动车乱停放', location: { lon: p.lon, lat: p.lat } });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      const d = await dispatcher.post(`${V1}/cases/${c.body.id}/dispatch`, { unitId });
      assert.equal(d.status, 200, JSON.stringify(d.body));
      assert.equal(d.body.deadlines.handleDueAt, '2026-11-25T10:00:00.000Z');
      // a postponement of 1 work hour is added on the unit's hours too: Thursday 09:00 (the city's would be 10:00)
      const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
      assert.equal((await handler.post(`${V1}/cases/${c.body.id}/sign`, {})).status, 200);
      const asked = await handler.post(`${V1}/cases/${c.body.id}/request-postpone`, { extra: { amount: 1, unit: 'work_hours' }, reason: '需调拖车' });
      assert.equal(asked.status, 200, JSON.stringify(asked.body));
      const approved = await dispatcher.post(`${V1}/cases/${c.body.id}/approve-postpone`, {});
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal(approved.body.deadlines.handleDueAt, '2026-11-26T01:00:00.000Z');

      // on duty every day: no weekend for it — 4 work hours from Friday 22:00 end Saturday 02:00
      const duty = await put(admin, { unitWorkPeriods: [{ unitId, workPeriods: [{ start: '00:00', end: '24:00' }], everyDay: true }] });
      assert.equal(duty.status, 200, JSON.stringify(duty.body));
      assert.equal((await deadline('2026-11-27T22:00:00+08:00', 4, 'work_hours', unitId)).body.deadline, '2026-11-27T18:00:00.000Z');
      // removing the entry gives the unit the city calendar again
      const none = await put(admin, { unitWorkPeriods: [] });
      assert.deepEqual(none.body.unitWorkPeriods, []);
      assert.equal((await deadline(start, 1, 'work_hours', unitId)).body.deadline, '2026-11-26T01:30:00.000Z');
    });

    test('a bad stored value never stops the platform: administrators see it, its default is used, a valid change clears it', async () => {
      const write = (key: string, value: string) => env.db.insertInto('settings').values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
      await write('work_periods', '[]');
      await write('day_counting', '"sometimes"');
      await write('unit_work_periods', JSON.stringify({ 'U-GONE': [{ start: '08:00', end: '18:00' }], [unitId]: [{ start: '18:00', end: '08:00' }] }));
      await env.ctx.ref.load();
      const s = await admin.get(`${V1}/calendar/settings`);
      assert.equal(s.status, 200, JSON.stringify(s.body));
      const problems = s.body.problems as { setting: string; message: string }[];
      assert.deepEqual(problems.map((p) => p.setting).sort(), ['day_counting', 'unit_work_periods', 'unit_work_periods', 'work_periods']);
      assert.ok(problems.some((p) => /U-GONE/.test(p.message)));
      assert.ok(problems.some((p) => p.message.startsWith(`unit_work_periods.${unitId}[0].end`)), JSON.stringify(problems));
      assert.deepEqual(s.body.workPeriods, CITY, 'the default is used');
      assert.deepEqual(s.body.unitWorkPeriods, []);
      assert.equal((await admin.get(`${V1}/calendar?year=2026`)).body.problems.length, 4);
      assert.equal((await deadline('2026-12-01T10:00:00+08:00', 1, 'work_days')).body.deadline, '2026-12-02T09:30:00.000Z');
      const fixed = await put(admin, { workPeriods: CITY, dayCounting: 'next_day_close_of_business', unitWorkPeriods: [] });
      assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
      assert.deepEqual(fixed.body.problems, []);
    });
  });
}

import { sql } from 'kysely';
/**
 * GET /stats/overview and /stats/grids: the big screen's counts agree with the case list, follow the caller's scope
 * (a street sees its street, a unit its unit), count "today" in the city's local day, and are cached for 5 s.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, T0, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';
import { runDeadlineSweep } from '../../src/jobs/deadline-sweep.job.ts';
import { STATES } from '../../src/domain/case/states.ts';
import { DUE_AT_SQL, LATE_CASES_SQL, OPEN_CASES_SQL } from '../../src/storage/repositories/case.repository.ts';

const OPEN = STATES.filter((s) => s.open).map((s) => s.state);
const openQuery = OPEN.map((s) => `state=${s}`).join('&');

for (const store of storesUnderTest()) {
  describe(`stats [${store}]`, () => {
    let env: TestEnv;
    let inspector: Client, dispatcher: Client, operator: Client;
    let streetA: string, streetB: string;
    const ids: Record<string, number> = {};
    const gridOf: Record<string, string> = {};

    /** The n-th point (by grid) of a street. */
    let pointsOf: (street: string) => { lon: number; lat: number; gridId: string }[];
    const report = async (c: Client, key: string, street: string, n: number, channel: string) => {
      const p = pointsOf(street)[n];
      const r = await c.post('/api/v1/cases', { channel, matterCode: '06010', description: `统计测试 ${key}`, location: { lon: p.lon, lat: p.lat } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ids[key] = r.body.id;
      gridOf[key] = r.body.grid.id;
      return r.body;
    };
    const listTotal = async (c: Client, query: string) => {
      const r = await c.get(`/api/v1/cases?${query}&limit=1`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.totalCapped, false);
      return r.body.total as number;
    };

    before(async () => {
      // the fake clock moves by hours: keep the test sessions alive
      env = await createDemoEnv(store, { config: { sessionIdleMs: 30 * 86400_000, sessionTtlMs: 30 * 86400_000 } });
      await loadGridPoints(env);
      const ref = env.ctx.ref.current();
      const byStreet = new Map<string, { lon: number; lat: number; gridId: string }[]>();
      for (let n = 0; n < ref.grids.size; n++) {
        const p = demoPoint(env, n);
        const street = ref.regions.get(p.communityId)!.parentId!;
        byStreet.set(street, [...(byStreet.get(street) ?? []), p]);
      }
      [streetA, streetB] = [...byStreet.keys()].sort();
      pointsOf = (s) => byStreet.get(s)!;
      inspector = await userClient(env.app, env.ctx, 'inspector');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      operator = await userClient(env.app, env.ctx, 'operator');
      const shiftLeader = await userClient(env.app, env.ctx, 'shift_leader');

      // yesterday (local): one case, still open
      env.clock.set(T0 - 86400_000);
      await report(inspector, 'Y1', streetA, 7, 'patrol');
      env.clock.set(T0);
      // today: five patrol reports (registered at once) and one hotline report
      await report(inspector, 'A1', streetA, 0, 'patrol');
      await report(inspector, 'A2', streetA, 1, 'patrol');
      await report(inspector, 'A3', streetA, 2, 'patrol');
      const b1 = await report(inspector, 'B1', streetB, 0, 'patrol');
      await report(inspector, 'B2', streetB, 1, 'patrol');
      await report(operator, 'H1', streetB, 2, 'hotline');
      for (const k of ['A1', 'A2', 'B1']) {
        const c = (await dispatcher.get(`/api/v1/cases/${ids[k]}`)).body;
        const d = await dispatcher.post(`/api/v1/cases/${ids[k]}/dispatch`, { unitId: c.routing.unit.id });
        assert.equal(d.status, 200, JSON.stringify(d.body));
      }
      const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [b1.routing.unit.id] });
      const a2 = (await dispatcher.get(`/api/v1/cases/${ids.A2}`)).body;
      const a2Handler = a2.assignedUnit.id === b1.routing.unit.id ? handler : await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [a2.assignedUnit.id] });
      assert.equal((await a2Handler.post(`/api/v1/cases/${ids.A2}/sign`, {})).status, 200);
      const closed = await shiftLeader.post(`/api/v1/cases/${ids.B2}/close`, { closureType: 'special', reason: '统计测试：当日结案' });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      // two hours on: the unsigned and undispatched cases are past their stage clocks
      env.clock.set(T0 + 2 * 3600_000);
      await runDeadlineSweep(env.ctx);
    });
    after(async () => env.close());

    test('city-wide: counts by state, street, unit and channel agree with the case list', async () => {
      const r = await dispatcher.get('/api/v1/stats/overview');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const o = r.body;
      assert.equal(o.scope.kind, 'city');
      assert.equal(o.localDate, '2026-11-25');
      assert.equal(o.maxAgeSeconds, 5);
      assert.equal(o.generatedAt, new Date(T0 + 2 * 3600_000).toISOString());
      assert.match(String(r.headers['cache-control']), /^private, max-age=5$/);

      assert.equal(o.totals.open, 6); // Y1 A1 A2 A3 B1 H1 (B2 closed)
      assert.equal(o.totals.open, await listTotal(dispatcher, openQuery));
      assert.deepEqual(o.byState.map((s: { state: string }) => s.state), OPEN);
      for (const s of o.byState) assert.equal(s.count, await listTotal(dispatcher, `state=${s.state}`), s.state);
      const overdue = await listTotal(dispatcher, `${openQuery}&alertLevel=overdue`);
      assert.ok(overdue >= 3, 'A1 and B1 unsigned, A3 and H1 undispatched');
      assert.ok(overdue < o.totals.open, 'A2 is signed and within its handling time');
      assert.equal(o.totals.overdue, overdue);
      assert.equal(o.totals.warning, await listTotal(dispatcher, `${openQuery}&alertLevel=warning`));

      const street = (id: string) => o.byStreet.find((s: { id: string }) => s.id === id);
      assert.equal(o.byStreet.length, new Set([...env.ctx.ref.current().regions.values()].filter((x) => x.level === 'street').map((x) => x.id)).size);
      assert.deepEqual([street(streetA).open, street(streetB).open], [4, 2]);
      for (const id of [streetA, streetB]) {
        assert.equal(street(id).overdue, await listTotal(dispatcher, `${openQuery}&alertLevel=overdue&regionId=${id}`));
      }
      assert.ok(o.byStreet.filter((s: { id: string }) => s.id !== streetA && s.id !== streetB).every((s: { open: number }) => s.open === 0));

      assert.ok(o.topOverdueUnits.length >= 1 && o.topOverdueUnits.length <= 10);
      for (const u of o.topOverdueUnits) {
        assert.equal(u.name, env.ctx.ref.current().units.get(u.id)!.name);
        assert.equal(u.overdue, await listTotal(dispatcher, `${openQuery}&alertLevel=overdue&unitId=${u.id}`));
        assert.ok(u.open >= u.overdue);
      }

      const intake = Object.fromEntries(o.todayIntake.map((c: { channel: string; count: number }) => [c.channel, c.count]));
      assert.deepEqual([intake.patrol, intake.hotline, intake.open311], [5, 1, 0], 'yesterday\'s report is not today\'s intake');
      assert.equal(o.totals.todayIntake, 6);
      assert.equal(o.totals.todayClosed, 1);
      assert.deepEqual(o.todayIntake[0].label, { zh: '12345热线', en: 'Hotline' });
    });

    test("scope: a street's dispatcher counts only that street", async () => {
      const local = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [streetA] });
      const o = (await local.get('/api/v1/stats/overview')).body;
      assert.deepEqual(o.scope, { kind: 'regions', ids: [streetA] });
      assert.equal(o.totals.open, 4);
      assert.equal(o.totals.open, await listTotal(local, openQuery));
      assert.deepEqual(o.byStreet.map((s: { id: string }) => s.id), [streetA], 'no other street, not even with zeros');
      assert.equal(o.totals.todayIntake, 3);
      assert.equal(o.totals.todayClosed, 0, 'the closure was in street B');
      const grids = (await local.get('/api/v1/stats/grids')).body;
      assert.deepEqual(grids.items.map((g: [string]) => g[0]).sort(), ['Y1', 'A1', 'A2', 'A3'].map((k) => gridOf[k]).sort());
      const nowhere = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [] });
      const none = (await nowhere.get('/api/v1/stats/overview')).body;
      assert.deepEqual([none.totals.open, none.byStreet.length, none.totals.todayIntake], [0, 0, 0]);
    });

    test("scope: a unit's handler counts only its unit's cases", async () => {
      const b1 = (await dispatcher.get(`/api/v1/cases/${ids.B1}`)).body;
      const unitId = b1.assignedUnit.id as string;
      const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
      const o = (await handler.get('/api/v1/stats/overview')).body;
      assert.deepEqual(o.scope, { kind: 'units', ids: [unitId] });
      assert.ok(o.totals.open >= 1);
      assert.equal(o.totals.open, await listTotal(handler, openQuery));
      assert.equal(o.totals.overdue, await listTotal(handler, `${openQuery}&alertLevel=overdue`));
      assert.deepEqual(o.topOverdueUnits.map((u: { id: string }) => u.id), [unitId]);
      const grids = (await handler.get('/api/v1/stats/grids')).body;
      assert.equal(grids.items.reduce((n: number, g: [string, number]) => n + g[1], 0), o.totals.open);
    });

    test('grids: compact rows [gridId, open, overdue, warning] for grids with open cases', async () => {
      const r = await operator.get('/api/v1/stats/grids');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.fields, ['gridId', 'open', 'overdue', 'warning']);
      const rows = r.body.items as [string, number, number, number][];
      assert.ok(rows.every((g) => g.length === 4 && g[1] >= 1 && g[2] + g[3] <= g[1]));
      assert.deepEqual(rows.map((g) => g[0]), [...rows.map((g) => g[0])].sort(), 'by grid id');
      assert.equal(rows.reduce((n, g) => n + g[1], 0), 6);
      assert.ok(!rows.some((g) => g[0] === gridOf.B2), 'a grid whose only case is closed is not listed');
      const overdue = (await operator.get('/api/v1/stats/overview')).body.totals.overdue;
      assert.equal(rows.reduce((n, g) => n + g[2], 0), overdue);
    });

    test('401 without credentials; 400 naming an unknown parameter', async () => {
      for (const url of ['/api/v1/stats/overview', '/api/v1/stats/grids']) {
        const anon = await request(env.app, 'GET', url);
        assert.equal(anon.status, 401);
        assert.equal(anon.body.error.code, 'UNAUTHENTICATED');
        const bad = await operator.get(`${url}?street=1`);
        assert.equal(bad.status, 400);
        assert.equal(bad.body.error.code, 'VALIDATION_FAILED');
        assert.equal(bad.body.error.field, 'street');
        assert.match(bad.body.error.message, /street/);
      }
    });

    test('one counting per 5 s for every caller; then fresh', async () => {
      const before = (await operator.get('/api/v1/stats/overview')).body;
      await report(inspector, 'A4', streetA, 3, 'patrol');
      env.clock.advance(4000);
      const cached = await dispatcher.get('/api/v1/stats/overview');
      assert.equal(cached.body.generatedAt, before.generatedAt, 'another caller, same counting');
      assert.equal(cached.body.totals.open, before.totals.open, 'up to 5 s stale');
      assert.match(String(cached.headers['cache-control']), /max-age=1$/);
      env.clock.advance(1000);
      const fresh = (await operator.get('/api/v1/stats/overview')).body;
      assert.notEqual(fresh.generatedAt, before.generatedAt);
      assert.equal(fresh.totals.open, before.totals.open + 1);
      assert.equal(fresh.totals.todayIntake, before.totals.todayIntake + 1);
    });

    test('"today" is the city\'s local day: at 00:30 local the new day has no intake yet', async () => {
      env.clock.set(Date.UTC(2026, 10, 25, 16, 30)); // 2026-11-26 00:30 in UTC+8
      const o = (await operator.get('/api/v1/stats/overview')).body;
      assert.equal(o.localDate, '2026-11-26');
      assert.deepEqual([o.totals.todayIntake, o.totals.todayClosed], [0, 0]);
      assert.equal(o.totals.open, 7, 'open cases do not depend on the day');
    });

    if (store === 'sqlite') {
      test('the aggregate and the queue read their partial indexes (SQLite plans)', async () => {
        const plans = async (s: string) => (await sql.raw<{ detail: string }>(`EXPLAIN QUERY PLAN ${s}`).execute(env.db)).rows.map((r) => r.detail).join(' | ');
        const plan = plans;
        const aggregate = await plan(`SELECT alert_level, state, grid_id, assigned_unit_id, sub_unit_id, count(*) FROM cases WHERE ${OPEN_CASES_SQL}
          GROUP BY alert_level, state, grid_id, assigned_unit_id, sub_unit_id`);
        assert.match(aggregate, /COVERING INDEX cases_open_stats/);
        assert.doesNotMatch(aggregate, /TEMP B-TREE/, 'grouped in index order, no sort');
        assert.match(await plan(`SELECT * FROM cases WHERE ${OPEN_CASES_SQL} AND ${DUE_AT_SQL} >= -1 ORDER BY ${DUE_AT_SQL}, id LIMIT 50`), /INDEX cases_open_due/);
        assert.match(await plan(`SELECT * FROM cases WHERE state IN ('DISPATCHED', 'IN_PROGRESS') AND ${OPEN_CASES_SQL} AND ${DUE_AT_SQL} >= -1
          ORDER BY ${DUE_AT_SQL}, id LIMIT 50`), /INDEX (cases_open_due|cases_state_id)/, 'a state filter never reads the statistics index');
        assert.match(await plan('SELECT count(*) FROM cases WHERE closed_at >= 1 AND closed_at < 2'), /INDEX cases_closed_at/);
        assert.match(await plan(`SELECT id FROM cases WHERE alert_level IN ('overdue') AND ${LATE_CASES_SQL} ORDER BY id DESC LIMIT 50`), /INDEX cases_late/);
      });
    }
  });
}

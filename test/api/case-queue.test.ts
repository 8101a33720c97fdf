/**
 * The case list as a live dispatch queue: several states at once, urgency and deadline-level filters, sorted by
 * remaining time (sort=due) with cursor paging, a total on the first page, and the caller's scope always applied.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { runDeadlineSweep } from '../../src/jobs/deadline-sweep.job.ts';

interface Item { id: number; state: string; urgency: string; deadlines: { dueAt: string | null; stageDueAt: string | null; handleDueAt: string | null; alertLevel: string } }
const idsOf = (items: Item[]) => items.map((c) => c.id);
const dueOf = (c: Item) => (c.deadlines.dueAt === null ? Infinity : Date.parse(c.deadlines.dueAt));

for (const store of storesUnderTest()) {
  describe(`case queue [${store}]`, () => {
    let env: TestEnv;
    let inspector: Client, dispatcher: Client;
    const cases: { id: number; unitId: string }[] = [];
    let hungId = 0;
    let unitA = '';

    before(async () => {
      env = await createDemoEnv(store, { config: { sessionIdleMs: 30 * 86400_000, sessionTtlMs: 30 * 86400_000 } });
      await loadGridPoints(env);
      inspector = await userClient(env.app, env.ctx, 'inspector');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      // 12 registered reports, a third urgent; eight dispatched a minute apart, so their clocks end at different times
      for (let i = 0; i < 12; i++) {
        const p = demoPoint(env, i * 31);
        const r = await inspector.post('/api/v1/cases', {
          channel: 'patrol', matterCode: i % 2 ? '06010' : '09009', urgency: i % 3 === 0 ? 'urgent' : 'normal',
          description: `队列测试 ${i}`, location: { lon: p.lon, lat: p.lat },
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        cases.push({ id: r.body.id, unitId: r.body.routing.unit.id });
        env.clock.advance(60_000);
      }
      for (const c of cases.slice(0, 8)) {
        const d = await dispatcher.post(`/api/v1/cases/${c.id}/dispatch`, { unitId: c.unitId });
        assert.equal(d.status, 200, JSON.stringify(d.body));
        env.clock.advance(60_000);
      }
      // one hung case: its clocks stop, so it goes to the end of the queue
      const h = cases[0];
      unitA = h.unitId;
      const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [h.unitId] });
      assert.equal((await handler.post(`/api/v1/cases/${h.id}/sign`, {})).status, 200);
      assert.equal((await handler.post(`/api/v1/cases/${h.id}/request-hang`, { reason: '需市级协调' })).status, 200);
      const hung = await dispatcher.post(`/api/v1/cases/${h.id}/approve-hang`, {});
      assert.equal(hung.status, 200, JSON.stringify(hung.body));
      assert.equal(hung.body.state, 'HUNG');
      hungId = h.id;
    });
    after(async () => env.close());

    test('sort=due: nearest running deadline first, hung last; dueAt is that deadline', async () => {
      const r = await dispatcher.get('/api/v1/cases?sort=due&limit=100');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const items = r.body.items as Item[];
      assert.equal(items.length, 12);
      assert.equal(r.body.total, 12);
      assert.equal(r.body.nextCursor, null, 'one page holds all');
      for (let i = 1; i < items.length; i++) {
        assert.ok(dueOf(items[i - 1]) < dueOf(items[i]) || (dueOf(items[i - 1]) === dueOf(items[i]) && items[i - 1].id < items[i].id), `order at ${i}`);
      }
      assert.equal(items[items.length - 1].id, hungId);
      assert.equal(items[items.length - 1].deadlines.dueAt, null);
      for (const c of items.filter((x) => x.state === 'REGISTERED')) assert.equal(c.deadlines.dueAt, c.deadlines.stageDueAt);
      for (const c of items.filter((x) => x.state === 'DISPATCHED')) {
        const clocks = [c.deadlines.stageDueAt, c.deadlines.handleDueAt].filter((x): x is string => x !== null).map(Date.parse);
        assert.equal(Date.parse(c.deadlines.dueAt!), Math.min(...clocks));
      }
      // the newest-first list is unchanged
      const newest = (await dispatcher.get('/api/v1/cases?limit=100')).body.items as Item[];
      assert.deepEqual(idsOf(newest), cases.map((c) => c.id).sort((a, b) => b - a));
    });

    test('cursor paging walks the queue exactly once; total on the first page only', async () => {
      const all = idsOf((await dispatcher.get('/api/v1/cases?sort=due&limit=100')).body.items);
      const seen: number[] = [];
      let url = '/api/v1/cases?sort=due&limit=5';
      for (let page = 0; page < 10; page++) {
        const r = await dispatcher.get(url);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.total, page === 0 ? 12 : null);
        assert.equal(r.body.nextBeforeId, null);
        seen.push(...idsOf(r.body.items));
        if (!r.body.nextCursor) break;
        assert.match(r.body.nextCursor, /^d\.\d+\.\d+$/);
        url = `/api/v1/cases?sort=due&limit=5&cursor=${r.body.nextCursor}`;
      }
      assert.deepEqual(seen, all);
      // newest first pages with cursor too (and beforeId as before)
      const p1 = (await dispatcher.get('/api/v1/cases?limit=7')).body;
      assert.equal(p1.nextCursor, `n.${p1.nextBeforeId}`);
      const p2 = (await dispatcher.get(`/api/v1/cases?limit=7&cursor=${p1.nextCursor}`)).body;
      const p2b = (await dispatcher.get(`/api/v1/cases?limit=7&beforeId=${p1.nextBeforeId}`)).body;
      assert.deepEqual(idsOf(p2.items), idsOf(p2b.items));
      assert.equal(p1.items.length + p2.items.length, 12);
    });

    test('filters: several states, urgency, deadline levels', async () => {
      const two = (await dispatcher.get('/api/v1/cases?sort=due&state=REGISTERED&state=HUNG&limit=100')).body;
      assert.deepEqual(two.items.map((c: Item) => c.state).sort(), [...Array(4).fill('REGISTERED'), 'HUNG'].sort());
      assert.equal(two.total, 5);
      const urgent = (await dispatcher.get('/api/v1/cases?urgency=urgent&urgency=very_urgent&limit=100')).body;
      assert.equal(urgent.total, 4);
      assert.ok(urgent.items.every((c: Item) => c.urgency === 'urgent'));
      // an hour and a half later the registered cases are past their dispatch clock, the dispatched ones near or past signing
      env.clock.advance(90 * 60_000);
      await runDeadlineSweep(env.ctx);
      const late = (await dispatcher.get('/api/v1/cases?sort=due&alertLevel=warning&alertLevel=overdue&limit=100')).body;
      assert.ok(late.total >= 4);
      assert.ok(late.items.every((c: Item) => c.deadlines.alertLevel !== 'normal'));
      assert.ok(!idsOf(late.items).includes(hungId), 'a hung case is never late');
      const overdue = (await dispatcher.get('/api/v1/cases?alertLevel=overdue&limit=100')).body;
      assert.ok(overdue.items.every((c: Item) => c.deadlines.alertLevel === 'overdue'));
      assert.ok(overdue.total <= late.total);
    });

    test("scope and filters intersect: another unit's or street's queue is empty, not disclosed", async () => {
      const other = cases.find((c) => c.unitId !== unitA)!.unitId;
      const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitA] });
      const own = (await handler.get('/api/v1/cases?sort=due&limit=100')).body;
      assert.ok(own.total >= 1);
      assert.ok(own.items.every((c: { assignedUnit: { id: string } | null }) => c.assignedUnit?.id === unitA));
      const peek = (await handler.get(`/api/v1/cases?unitId=${other}&limit=100`)).body;
      assert.deepEqual([peek.total, peek.items.length], [0, 0]);
      const ref = env.ctx.ref.current();
      const streets = [...ref.regions.values()].filter((r) => r.level === 'street').map((r) => r.id);
      const local = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [streets[0]] });
      const elsewhere = (await local.get(`/api/v1/cases?regionId=${streets[1]}&limit=100`)).body;
      assert.deepEqual([elsewhere.total, elsewhere.items.length], [0, 0]);
      const mine = (await local.get(`/api/v1/cases?regionId=${streets[0]}&limit=100`)).body;
      assert.equal(mine.total, (await local.get('/api/v1/cases?limit=100')).body.total);
    });

    test('bad input is a 400 naming the field', async () => {
      const bad: [string, string][] = [
        ['/api/v1/cases?sort=due&state=ARCHIVED', 'state'],
        ['/api/v1/cases?sort=soon', 'sort'],
        ['/api/v1/cases?urgency=asap', 'urgency'],
        ['/api/v1/cases?alertLevel=red', 'alertLevel'],
        ['/api/v1/cases?cursor=abc', 'cursor'],
        ['/api/v1/cases?sort=due&cursor=n.5', 'cursor'],
        ['/api/v1/cases?cursor=d.1.2', 'cursor'],
        ['/api/v1/cases?sort=due&beforeId=5', 'beforeId'],
      ];
      for (const [url, field] of bad) {
        const r = await dispatcher.get(url);
        assert.equal(r.status, 400, url);
        assert.equal(r.body.error.code, 'VALIDATION_FAILED', url);
        assert.match(r.body.error.field, new RegExp(`^${field}`), url);
        assert.match(r.body.error.message, new RegExp(field), url);
      }
    });

  });
}

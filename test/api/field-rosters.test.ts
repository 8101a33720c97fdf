/**
 * Rosters (值班表, issue 9 §4): CRUD with validation (end before start, overlaps, unknown people and units, scope),
 * a roster.changed event per change, and the on-duty questions other parts ask (isOnDuty, onDutyIn).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';

const V1 = '/api/v1';
const H = 3600_000;

for (const store of storesUnderTest()) {
  describe(`rosters [${store}]`, () => {
    let env: TestEnv;
    let leader: Client, dispatcher: Client, op: Client, otherLeader: Client;
    let cityId: string, streetId: string, otherStreetId: string, districtId: string;
    const iso = (ms: number) => new Date(ms).toISOString();
    const patch = (c: Client, url: string, body: unknown) => request(env.app, 'PATCH', url, { body, headers: c.headers });
    const del = (c: Client, url: string) => request(env.app, 'DELETE', url, { headers: c.headers });
    const count = async () => Number((await env.db.selectFrom('rosters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const events = async () => (await env.db.selectFrom('outbox').selectAll().where('topic', '=', 'roster.changed').orderBy('id').execute()).map((r) => JSON.parse(r.payload));

    before(async () => {
      env = await createDemoEnv(store);
      const regions = [...env.ctx.ref.current().regions.values()];
      cityId = regions.find((r) => r.parentId === null)!.id;
      const streets = regions.filter((r) => r.level === 'street');
      streetId = streets[0].id;
      otherStreetId = streets[1].id;
      districtId = regions.find((r) => r.id === env.ctx.ref.current().regions.get(streetId)!.parentId)!.id;
      leader = await userClient(env.app, env.ctx, 'shift_leader');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      op = await userClient(env.app, env.ctx, 'operator');
      otherLeader = await userClient(env.app, env.ctx, 'shift_leader', { regionIds: [otherStreetId] });
    });
    after(async () => env.close());

    test('a shift leader puts a dispatcher on the street centre\'s roster: 201, event, on duty then', async () => {
      const start = env.clock.now() - H;
      const r = await leader.post(`${V1}/rosters`, { userId: dispatcher.userId, regionId: streetId, dutyRole: 'dispatcher', startAt: iso(start), endAt: iso(start + 8 * H), note: '白班' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.onDutyNow, true);
      assert.equal(r.body.canEdit, true);
      assert.equal(r.body.dutyRoleLabel.zh, '派遣员');
      const ev = await events();
      assert.equal(ev.length, 1);
      assert.deepEqual([ev[0].action, ev[0].userIds], ['created', [dispatcher.userId]]);
      assert.equal(await env.ctx.store.field.isOnDuty(dispatcher.userId, env.clock.now()), true);
      assert.equal(await env.ctx.store.field.isOnDuty(dispatcher.userId, start + 9 * H), false);
      const here = await env.ctx.store.field.onDutyIn([cityId, districtId, streetId], env.clock.now());
      assert.deepEqual(here, [{ userId: dispatcher.userId, dutyRoles: ['dispatcher'] }]);
      assert.deepEqual(await env.ctx.store.field.onDutyIn([otherStreetId], env.clock.now()), []);
      const who = await op.get(`${V1}/rosters/on-duty?regionId=${streetId}`);
      assert.equal(who.status, 200, JSON.stringify(who.body));
      assert.deepEqual(who.body.items.map((x: { userId: string }) => x.userId), [dispatcher.userId]);
      const list = await op.get(`${V1}/rosters`);
      assert.equal(list.status, 200);
      assert.equal(list.body.items.length, 1);
      assert.equal(list.body.items[0].canEdit, false);
    });

    test('bad entries: 400 naming the field, 409 on overlap, 403 outside scope — nothing written', async () => {
      const before = await count();
      const start = env.clock.now() + 24 * H;
      const body = { userId: dispatcher.userId, regionId: streetId, dutyRole: 'dispatcher', startAt: iso(start), endAt: iso(start + 8 * H) };
      const cases: [unknown, number, string][] = [
        [{ ...body, endAt: iso(start - H) }, 400, 'endAt'],
        [{ ...body, endAt: iso(start + 30 * H) }, 400, 'endAt'],
        [{ ...body, userId: 'nobody' }, 400, 'userId'],
        [{ ...body, regionId: 'nowhere' }, 400, 'regionId'],
        [{ ...body, regionId: null }, 400, 'regionId'],
        [{ ...body, unitId: 'no-such-unit' }, 400, 'unitId'],
        [{ ...body, dutyRole: 'captain' }, 400, 'dutyRole'],
        [{ ...body, startAt: 'yesterday' }, 400, 'startAt'],
        [{ ...body, startAt: iso(env.clock.now()), endAt: iso(env.clock.now() + 2 * H) }, 409, 'startAt'],
      ];
      for (const [b, status, field] of cases) {
        const r = await leader.post(`${V1}/rosters`, b);
        assert.equal(r.status, status, `${field}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.field, field, r.body.error.message);
      }
      const outside = await otherLeader.post(`${V1}/rosters`, body);
      assert.equal(outside.status, 403, JSON.stringify(outside.body));
      assert.equal((await dispatcher.post(`${V1}/rosters`, body)).status, 403);
      assert.equal(await count(), before);
    });

    test('change and delete: overlaps checked against the others only; events; 404 for an unknown or out-of-scope entry', async () => {
      const start = env.clock.now() + 48 * H;
      const a = await leader.post(`${V1}/rosters`, { userId: dispatcher.userId, regionId: streetId, dutyRole: 'dispatcher', startAt: iso(start), endAt: iso(start + 8 * H) });
      assert.equal(a.status, 201);
      const moved = await patch(leader, `${V1}/rosters/${a.body.id}`, { startAt: iso(start + H), endAt: iso(start + 9 * H) });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.equal(moved.body.startAt, iso(start + H));
      const bad = await patch(leader, `${V1}/rosters/${a.body.id}`, { endAt: iso(start) });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'endAt');
      assert.equal((await patch(otherLeader, `${V1}/rosters/${a.body.id}`, { note: 'x' })).status, 404);
      assert.equal((await patch(leader, `${V1}/rosters/999999`, { note: 'x' })).status, 404);
      const gone = await del(leader, `${V1}/rosters/${a.body.id}`);
      assert.equal(gone.status, 204);
      assert.equal((await del(leader, `${V1}/rosters/${a.body.id}`)).status, 404);
      const ev = await events();
      assert.deepEqual(ev.slice(-3).map((e) => e.action), ['created', 'updated', 'deleted']);
      const people = await leader.get(`${V1}/rosters/people?q=dispatcher`);
      assert.equal(people.status, 200);
      assert.ok(people.body.items.some((u: { id: string }) => u.id === dispatcher.userId));
    });
  });
}

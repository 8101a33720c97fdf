/**
 * 改派 and 撤回 (issue 8): a dispatched case nobody has signed for is sent to another holder, or taken back to the
 * centre's desk, by its dispatchers, with a reason in the history; once signed, the unit's way out is a return.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { act } from '../support/case-flow.ts';

for (const store of storesUnderTest()) {
  describe(`reassign and recall [${store}]`, () => {
    let env: TestEnv;
    let inspector: Client, dispatcher: Client;
    let unitA: string, unitB: string;
    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      inspector = await userClient(env.app, env.ctx, 'inspector');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
    });
    after(async () => env.close());

    const newCase = async (i: number) => {
      const p = demoPoint(env, 300 + i * 7);
      const r = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: `改派测试 ${i}`, location: { lon: p.lon, lat: p.lat } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      unitA = r.body.routing.unit.id;
      unitB = [...env.ctx.ref.current().units.values()].find((u) => u.active && u.id !== unitA && u.kind !== 'centre')!.id;
      return r.body.id as number;
    };

    test('reassign: a reason, another holder; the old unit loses the case, the new one gets fresh clocks', async () => {
      const id = await newCase(1);
      await act(dispatcher, id, 'dispatch', { unitId: unitA });
      const handlerA = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitA] });
      assert.ok((await handlerA.get(`/api/v1/cases/${id}`)).body.allowedActions.includes('sign'));
      const noReason = await dispatcher.post(`/api/v1/cases/${id}/reassign`, { unitId: unitB });
      assert.equal(noReason.status, 400);
      assert.equal(noReason.body.error.field, 'reason');
      const same = await dispatcher.post(`/api/v1/cases/${id}/reassign`, { unitId: unitA, reason: '派错了' });
      assert.equal(same.status, 400);
      assert.equal(same.body.error.field, 'unitId');
      const unknown = await dispatcher.post(`/api/v1/cases/${id}/reassign`, { unitId: 'no-such-unit', reason: '派错了' });
      assert.equal(unknown.status, 400, JSON.stringify(unknown.body));
      const handlerCannot = await handlerA.post(`/api/v1/cases/${id}/reassign`, { unitId: unitB, reason: 'x' });
      assert.equal(handlerCannot.status, 403);

      const r = await act(dispatcher, id, 'reassign', { unitId: unitB, reason: '属于B单位职责' });
      assert.deepEqual([r.state, r.assignedUnit.id], ['DISPATCHED', unitB]);
      assert.ok(r.deadlines.handleDueAt, 'a handling deadline for the new unit');
      const h = (await dispatcher.get(`/api/v1/cases/${id}/history`)).body.items.at(-1);
      assert.deepEqual([h.action, h.reason, h.details.unitId, h.details.previousUnitId], ['reassign', '属于B单位职责', unitB, unitA]);
      assert.equal((await handlerA.get(`/api/v1/cases/${id}`)).status, 404, 'the unit it was taken from no longer sees it');
      const handlerB = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitB] });
      await act(handlerB, id, 'sign');
      const late = await dispatcher.post(`/api/v1/cases/${id}/reassign`, { unitId: unitA, reason: 'x' });
      assert.equal(late.status, 409, 'signed: no more reassigning');
    });

    test('recall: back to the centre with no holder and no handling clock, then dispatched again', async () => {
      const id = await newCase(2);
      await act(dispatcher, id, 'dispatch', { unitId: unitA, assistingUnitIds: [unitB] });
      const noReason = await dispatcher.post(`/api/v1/cases/${id}/recall`, {});
      assert.equal(noReason.status, 400);
      const r = await act(dispatcher, id, 'recall', { reason: '需先核实' });
      assert.equal(r.state, 'REGISTERED');
      assert.equal(r.assignedUnit, null);
      assert.deepEqual(r.assistingUnits, []);
      assert.equal(r.deadlines.handleDueAt, null);
      const assists = (await dispatcher.get(`/api/v1/cases/${id}/assists`)).body;
      assert.ok(assists.tasks.every((t: { state: string }) => t.state === 'waived'), 'the assisting task is waived with it');
      const again = await act(dispatcher, id, 'dispatch', { unitId: unitB });
      assert.equal(again.assignedUnit.id, unitB);
    });
  });
}

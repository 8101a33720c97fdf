/**
 * 联勤联动 over HTTP, on each store: a case dispatched to a lead unit with two assisting units (each with its own
 * task and instruction); each assisting unit sees its task, signs, one returns and is ruled back, both complete with
 * photos; the lead is blocked from disposing until both are done or waived; the centre adds and waives a task; bad
 * input gets a 4xx naming the field and leaves nothing behind; every change leaves a history row and an outbox row.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { act } from '../support/case-flow.ts';
import { runAssistOverdue } from '../../src/jobs/assist-overdue.job.ts';
import { runNotifyFanout } from '../../src/jobs/notify-fanout.job.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

async function photo(env: TestEnv, who: Client): Promise<string> {
  const boundary = '----joint' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
    PNG, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const r = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...who.headers } });
  assert.equal(r.statusCode, 201, r.body);
  return JSON.parse(r.body).id;
}

for (const store of storesUnderTest()) {
  describe(`joint action (联勤联动) [${store}]`, () => {
    let env: TestEnv;
    let dispatcher: Client, inspector: Client, lead: Client, a1: Client, a2: Client, a3: Client, stranger: Client;
    let leadUnit: string, u1: string, u2: string, u3: string, inactiveUnit: string;

    const count = async (table: 'case_history' | 'outbox' | 'case_assist_tasks', caseId: number) =>
      Number((await env.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow()).n);

    const newCase = async (n: number): Promise<number> => {
      const p = demoPoint(env, n);
      const r = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: '占道堆物需多部门联合处置', location: { lon: p.lon, lat: p.lat } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.state, 'REGISTERED');
      return r.body.id;
    };

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      const routed = env.ctx.ref.current().routing.route({ matterCode: '06010', regionId: demoPoint(env, 0).communityId });
      leadUnit = routed.unitId;
      const others = [...env.ctx.ref.current().units.values()].filter((u) => u.active && u.id !== leadUnit && !u.parentId).map((u) => u.id);
      [u1, u2, u3] = others;
      inactiveUnit = others[3];
      await env.db.updateTable('units').set({ active: 0 }).where('id', '=', inactiveUnit).execute();
      await env.ctx.ref.load();
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      inspector = await userClient(env.app, env.ctx, 'inspector');
      lead = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [leadUnit] });
      a1 = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [u1] });
      a2 = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [u2] });
      a3 = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [u3] });
      stranger = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [others[4]] });
    });
    after(async () => env.close());

    test('two assisting units from dispatch to closure; the lead waits for both', async () => {
      const id = await newCase(0);
      const d = await act(dispatcher, id, 'dispatch', {
        unitId: leadUnit,
        assists: [
          { unitId: u1, instruction: '负责清运堆物', limit: { amount: 4, unit: 'work_hours' } },
          { unitId: u2, instruction: '负责执法取证' },
        ],
      });
      assert.equal(d.state, 'DISPATCHED');
      assert.deepEqual(d.assistingUnits.map((u: { id: string }) => u.id).sort(), [u1, u2].sort());

      let b = (await dispatcher.get(`/api/v1/cases/${id}/assists`)).body;
      assert.equal(b.tasks.length, 2);
      assert.equal(b.lead.unit.id, leadUnit);
      assert.equal(b.bundle.open, 2);
      assert.equal(b.bundle.settled, false);
      const t1 = b.tasks.find((t: { unit: { id: string } }) => t.unit.id === u1);
      const t2 = b.tasks.find((t: { unit: { id: string } }) => t.unit.id === u2);
      assert.equal(t1.instruction, '负责清运堆物');
      assert.equal(t1.state, 'dispatched');
      assert.ok(Date.parse(t1.dueAt) <= Date.parse(b.bundle.dueAt), 'a task\'s deadline lies inside the case\'s handling deadline');
      assert.equal(t2.dueAt, b.bundle.dueAt, 'without its own limit a task is due with the case');
      assert.deepEqual(t1.allowedActions, ['waive'], 'the centre may waive; it does not sign for the unit');

      // Each assisting unit sees the case in its inbox and may act only on its own task.
      const inbox = (await a1.get('/api/v1/cases?sort=due&state=DISPATCHED&state=IN_PROGRESS')).body;
      assert.ok(inbox.items.some((c: { id: number }) => c.id === id), 'the task is in the assisting unit\'s inbox');
      const seen = (await a1.get(`/api/v1/cases/${id}/assists`)).body;
      assert.deepEqual(seen.tasks.find((t: { id: number }) => t.id === t1.id).allowedActions, ['sign', 'return']);
      assert.deepEqual(seen.tasks.find((t: { id: number }) => t.id === t2.id).allowedActions, []);
      assert.deepEqual((await a1.get(`/api/v1/cases/${id}`)).body.allowedActions, [], 'an assisting unit has no action on the case itself');
      // Someone who does not see the case learns nothing of it or its tasks, on every joint-action route.
      const outsider = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [] });
      for (const who of [stranger, outsider]) {
        assert.equal((await who.get(`/api/v1/cases/${id}/assists`)).status, 404);
        assert.equal((await who.post(`/api/v1/cases/${id}/assists`, { assists: [{ unitId: u3 }] })).status, 404);
        for (const a of ['sign', 'return', 'complete', 'waive', 'rule']) {
          const body = { sign: {}, return: { reason: 'x', basis: 'y' }, complete: { result: 'x', photos: [] }, waive: { reason: 'x' }, rule: { outcome: 'waive', ruling: 'x' } }[a];
          assert.equal((await who.post(`/api/v1/cases/${id}/assists/${t1.id}/${a}`, body)).status, 404, a);
        }
      }
      const foreign = await a1.post(`/api/v1/cases/${id}/assists/${t2.id}/sign`, {});
      assert.equal(foreign.status, 403);
      assert.equal(foreign.body.error.field, 'taskId');

      // The lead signs; it may not dispose while the tasks are open (a typed error naming them).
      await act(lead, id, 'sign');
      const early = await lead.post(`/api/v1/cases/${id}/dispose`, { result: '已清理', photos: [await photo(env, lead)] });
      assert.equal(early.status, 409, JSON.stringify(early.body));
      assert.equal(early.body.error.code, 'INVALID_TRANSITION');
      assert.equal(early.body.error.field, 'assists');
      assert.deepEqual(early.body.error.details.openAssists.map((x: { unitId: string }) => x.unitId).sort(), [u1, u2].sort());
      assert.equal((await lead.get(`/api/v1/cases/${id}`)).body.state, 'IN_PROGRESS', 'the refused disposal changed nothing');

      // Unit 1: sign, then complete without a result (400 naming it), then with result and photo.
      b = (await a1.post(`/api/v1/cases/${id}/assists/${t1.id}/sign`, {})).body;
      const s1 = b.tasks.find((t: { id: number }) => t.id === t1.id);
      assert.equal(s1.state, 'signed');
      assert.equal(s1.handler.id, a1.userId);
      assert.equal(typeof s1.part.signMs, 'number');
      const before = await count('case_history', id);
      const noResult = await a1.post(`/api/v1/cases/${id}/assists/${t1.id}/complete`, { result: '  ', photos: [] });
      assert.equal(noResult.status, 400);
      assert.equal(noResult.body.error.field, 'result');
      const noPhoto = await a1.post(`/api/v1/cases/${id}/assists/${t1.id}/complete`, { result: '已清运', photos: [] });
      assert.equal(noPhoto.status, 400);
      assert.equal(noPhoto.body.error.field, 'photos');
      assert.equal(await count('case_history', id), before, 'a refused completion leaves nothing behind');
      const pic = await photo(env, a1);
      b = (await a1.post(`/api/v1/cases/${id}/assists/${t1.id}/complete`, { result: '已清运堆物 3 车', photos: [pic] })).body;
      const done1 = b.tasks.find((t: { id: number }) => t.id === t1.id);
      assert.equal(done1.state, 'done');
      assert.deepEqual(done1.photoIds, [pic]);
      assert.equal(done1.result, '已清运堆物 3 车');
      assert.equal(done1.part.overdue, false);

      // Unit 2 returns its task (reason + basis); the centre rules it back (a buck-passing); unit 2 signs and completes.
      const noBasis = await a2.post(`/api/v1/cases/${id}/assists/${t2.id}/return`, { reason: '不属于本单位' });
      assert.equal(noBasis.status, 400);
      b = (await a2.post(`/api/v1/cases/${id}/assists/${t2.id}/return`, { reason: '不属于本单位', basis: '清单第 3 项' })).body;
      assert.equal(b.tasks.find((t: { id: number }) => t.id === t2.id).state, 'returned');
      const ruleAsUnit = await a2.post(`/api/v1/cases/${id}/assists/${t2.id}/rule`, { outcome: 'keep', ruling: '仍由你单位协办' });
      assert.equal(ruleAsUnit.status, 403);
      b = (await dispatcher.post(`/api/v1/cases/${id}/assists/${t2.id}/rule`, { outcome: 'keep', ruling: '按清单仍由你单位协办' })).body;
      assert.equal(b.tasks.find((t: { id: number }) => t.id === t2.id).state, 'dispatched');
      const buck = await env.db.selectFrom('unit_counters').select('value').where('unit_id', '=', u2).where('counter', '=', 'assist_buck_passing').executeTakeFirst();
      assert.equal(Number(buck?.value), 1);
      await a2.post(`/api/v1/cases/${id}/assists/${t2.id}/sign`, {});
      b = (await a2.post(`/api/v1/cases/${id}/assists/${t2.id}/complete`, { result: '已取证并告知', photos: [await photo(env, a2)] })).body;
      assert.equal(b.bundle.settled, true);

      // Now the lead disposes, and the case closes as usual.
      const disposed = await act(lead, id, 'dispose', { result: '联合处置完毕', photos: [await photo(env, lead)] });
      assert.equal(disposed.state, 'DISPOSED');
      await act(dispatcher, id, 'send-check');
      const closed = await act(inspector, id, 'check-pass');
      assert.ok(['ARCHIVED', 'CLOSED_PENDING_CALLBACK'].includes(closed.state));

      // Every change left a history row and an outbox row with the assisting unit and the lead.
      const hist = await env.db.selectFrom('case_history').select('action').where('case_id', '=', id).execute();
      for (const a of ['assist_assign', 'assist_sign', 'assist_return', 'assist_rule', 'assist_complete']) assert.ok(hist.some((h) => h.action === a), a);
      const events = await env.db.selectFrom('outbox').select(['topic', 'unit_ids']).where('case_id', '=', id).where('topic', 'like', 'assist.%').execute();
      assert.deepEqual([...new Set(events.map((e) => e.topic))].sort(), ['assist.assigned', 'assist.completed', 'assist.returned', 'assist.signed']);
      for (const e of events) assert.ok(JSON.parse(e.unit_ids).includes(leadUnit), 'the lead hears of every assist event');
      // The parts are stored for assessment.
      const parts = await env.db.selectFrom('case_assist_tasks').select(['unit_id', 'sign_ms', 'done_ms', 'overdue']).where('case_id', '=', id).execute();
      for (const p of parts) { assert.notEqual(p.done_ms, null); assert.equal(Number(p.overdue), 0); }
    });

    test('the centre adds a task later and waives one; the lead then disposes', async () => {
      const id = await newCase(1);
      await act(dispatcher, id, 'dispatch', { unitId: leadUnit, assistingUnitIds: [u1] });
      let b = (await dispatcher.get(`/api/v1/cases/${id}/assists`)).body;
      assert.equal(b.tasks.length, 1, 'plain assistingUnitIds get a task too (default instruction)');
      assert.equal(b.mayAdd, true);
      assert.equal((await lead.get(`/api/v1/cases/${id}/assists`)).body.mayAdd, false);
      b = (await dispatcher.post(`/api/v1/cases/${id}/assists`, { assists: [{ unitId: u3, instruction: '提供监控录像' }] })).body;
      assert.equal(b.tasks.length, 2);
      assert.ok((await a3.get(`/api/v1/cases/${id}`)).status === 200, 'the added unit now sees the case');
      await act(lead, id, 'sign');
      // A postponement of the case moves the bundle: the task without a limit of its own is due with the case again.
      await act(lead, id, 'request-postpone', { extra: { amount: 1, unit: 'work_days' }, reason: '需协调' });
      const extended = await act(dispatcher, id, 'approve-postpone');
      const moved = (await dispatcher.get(`/api/v1/cases/${id}/assists`)).body;
      assert.equal(moved.bundle.dueAt, extended.deadlines.handleDueAt);
      for (const t of moved.tasks) assert.equal(t.dueAt, extended.deadlines.handleDueAt, 'tasks without their own limit follow the case');
      for (const t of b.tasks) {
        const w = await dispatcher.post(`/api/v1/cases/${id}/assists/${t.id}/waive`, { reason: '现场已无需协办' });
        assert.equal(w.status, 200, JSON.stringify(w.body));
      }
      b = (await dispatcher.get(`/api/v1/cases/${id}/assists`)).body;
      assert.deepEqual(b.tasks.map((t: { state: string }) => t.state), ['waived', 'waived']);
      assert.equal((await a3.get(`/api/v1/cases/${id}`)).status, 404, 'a waived unit no longer holds the case');
      const again = await dispatcher.post(`/api/v1/cases/${id}/assists/${b.tasks[0].id}/waive`, { reason: '再次' });
      assert.equal(again.status, 409);
      await act(lead, id, 'dispose', { result: '主办单位处置完毕', photos: [await photo(env, lead)] });
      const waived = await env.db.selectFrom('outbox').select('topic').where('case_id', '=', id).where('topic', '=', 'assist.waived').execute();
      assert.equal(waived.length, 2);
    });

    test('a task past its own deadline is marked overdue once, its unit and the lead are told; ruled back, it may be marked again', async () => {
      const id = await newCase(3);
      await act(dispatcher, id, 'dispatch', { unitId: leadUnit, assists: [{ unitId: u3, instruction: '协助清运', limit: { amount: 2, unit: 'work_hours' } }] });
      const t = (await dispatcher.get(`/api/v1/cases/${id}/assists`)).body.tasks[0];
      assert.ok(t.dueAt, 'the task has its own deadline');
      assert.equal((await runAssistOverdue(env.ctx)).overdue, 0, 'not yet due');
      const then = env.clock.now();
      env.clock.set(Date.parse(t.dueAt) + 60_000);
      assert.equal((await runAssistOverdue(env.ctx)).overdue, 1);
      assert.equal((await runAssistOverdue(env.ctx)).overdue, 0, 'marked once');
      env.clock.set(then); // back, so the test's sessions stay valid
      const hist = await env.db.selectFrom('case_history').select(['action', 'details', 'actor_id']).where('case_id', '=', id).where('action', '=', 'assist_overdue').execute();
      assert.equal(hist.length, 1);
      assert.equal(hist[0].actor_id, null);
      assert.equal(JSON.parse(hist[0].details).unitId, u3);
      const ev = await env.db.selectFrom('outbox').select(['unit_ids', 'payload']).where('case_id', '=', id).where('topic', '=', 'assist.overdue').execute();
      assert.equal(ev.length, 1);
      assert.deepEqual(JSON.parse(ev[0].unit_ids).sort(), [leadUnit, u3].sort());
      await runNotifyFanout(env.ctx, {});
      const bell = (await a3.get('/api/v1/notifications')).body.items.filter((x: { kind: string; caseId: number }) => x.kind === 'overdue' && x.caseId === id);
      assert.equal(bell.length, 1, 'the assisting unit\'s handler is told');
      // still completable, late: the task's flag says so when it ends
      await a3.post(`/api/v1/cases/${id}/assists/${t.id}/return`, { reason: '人手不足', basis: '—' });
      await dispatcher.post(`/api/v1/cases/${id}/assists/${t.id}/rule`, { outcome: 'keep', ruling: '仍由你单位协办' });
      const kept = (await dispatcher.get(`/api/v1/cases/${id}/assists`)).body.tasks[0];
      assert.ok(kept.dueAt, 'a new deadline from the ruling');
      const row = await env.db.selectFrom('case_assist_tasks').select('overdue_at').where('id', '=', t.id).executeTakeFirstOrThrow();
      assert.equal(row.overdue_at, null, 'the new deadline clears the mark');
      assert.equal((await runAssistOverdue(env.ctx)).overdue, 0);
      env.clock.set(Date.parse(kept.dueAt) + 60_000);
      assert.equal((await runAssistOverdue(env.ctx)).overdue, 1, 'the new deadline is watched again');
      env.clock.set(then);
    });

    test('reassigning a returned task opens a task for the other unit', async () => {
      const id = await newCase(2);
      await act(dispatcher, id, 'dispatch', { unitId: leadUnit, assists: [{ unitId: u1, instruction: '协助' }] });
      const t = (await dispatcher.get(`/api/v1/cases/${id}/assists`)).body.tasks[0];
      await a1.post(`/api/v1/cases/${id}/assists/${t.id}/return`, { reason: '非本单位职责', basis: '三定方案' });
      const toLead = await dispatcher.post(`/api/v1/cases/${id}/assists/${t.id}/rule`, { outcome: 'reassign', ruling: '改派', unitId: leadUnit });
      assert.equal(toLead.status, 400);
      assert.equal(toLead.body.error.field, 'unitId');
      const b = (await dispatcher.post(`/api/v1/cases/${id}/assists/${t.id}/rule`, { outcome: 'reassign', ruling: '改由其他单位协办', unitId: u2 })).body;
      assert.deepEqual(b.tasks.map((x: { state: string; unit: { id: string } }) => [x.unit.id, x.state]), [[u1, 'reassigned'], [u2, 'dispatched']]);
      assert.equal(b.tasks[1].previousTaskId, t.id);
      const ev = await env.db.selectFrom('outbox').select(['unit_ids', 'payload']).where('case_id', '=', id).where('topic', '=', 'assist.assigned').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(ev.unit_ids).sort(), [leadUnit, u1, u2].sort(), 'a reassignment concerns both units and the lead');
      assert.equal(JSON.parse(ev.payload).previousTaskId, t.id);
      assert.equal((await a1.get(`/api/v1/cases/${id}`)).status, 404, 'the unit it was taken from no longer holds the case');
      assert.equal((await a2.get(`/api/v1/cases/${id}`)).status, 200);
    });

    test('a dispute ruling keeps the units it names again, opens new ones, waives the rest; a closure waives what is open', async () => {
      const id = await newCase(4);
      await act(dispatcher, id, 'dispatch', { unitId: leadUnit, assists: [{ unitId: u1, instruction: '清运' }, { unitId: u2, instruction: '取证' }] });
      const before = (await dispatcher.get(`/api/v1/cases/${id}/assists`)).body.tasks;
      await act(lead, id, 'return', { reason: '主办应为他单位', basis: '清单' });
      const ruled = await act(dispatcher, id, 'rule-dispute', { unitId: leadUnit, ruling: '仍由原单位主办', assists: [{ unitId: u1 }, { unitId: u3, instruction: '提供录像' }] });
      assert.deepEqual(ruled.assistingUnits.map((u: { id: string }) => u.id).sort(), [u1, u3].sort());
      const after = (await dispatcher.get(`/api/v1/cases/${id}/assists`)).body.tasks;
      const byUnit = Object.fromEntries(after.map((t: { unit: { id: string }; state: string; id: number; instruction: string }) => [t.unit.id, t]));
      assert.equal(byUnit[u1].id, before.find((t: { unit: { id: string } }) => t.unit.id === u1).id, 'u1 keeps its task');
      assert.equal(byUnit[u1].instruction, '清运');
      assert.equal(byUnit[u2].state, 'waived', 'u2 is no longer named: its task is waived');
      assert.equal(byUnit[u3].state, 'dispatched');
      assert.equal(byUnit[u3].instruction, '提供录像');
      assert.equal((await a2.get(`/api/v1/cases/${id}`)).status, 404);
      // A special closure by the shift leader waives what is still open.
      const shift = await userClient(env.app, env.ctx, 'shift_leader');
      const closed = await act(shift, id, 'close', { closureType: 'special', reason: '情况变化，特殊结案' });
      assert.equal(closed.state, 'ARCHIVED');
      const final = (await dispatcher.get(`/api/v1/cases/${id}/assists`)).body;
      assert.deepEqual(final.tasks.map((t: { state: string }) => t.state), ['waived', 'waived', 'waived']);
      assert.ok(final.tasks.every((t: { allowedActions: string[] }) => t.allowedActions.length === 0), 'nothing to do on a closed case');
    });

    test('bad input: 4xx naming the field, nothing left behind', async () => {
      const id = await newCase(3);
      const bad: [object, number, string][] = [
        [{ unitId: leadUnit, assists: [{ unitId: 'no-such-unit' }] }, 400, 'assists[0].unitId'],
        [{ unitId: leadUnit, assists: [{ unitId: inactiveUnit }] }, 400, 'assists[0].unitId'],
        [{ unitId: leadUnit, assists: [{ unitId: leadUnit }] }, 400, 'assists[0].unitId'],
        [{ unitId: leadUnit, assists: [{ unitId: u1 }, { unitId: u1 }] }, 400, 'assists[1].unitId'],
        [{ unitId: leadUnit, assistingUnitIds: [u1, u1] }, 400, 'assistingUnitIds[1]'],
        [{ unitId: leadUnit, assistingUnitIds: [leadUnit] }, 400, 'assistingUnitIds[0]'],
        [{ unitId: leadUnit, assists: [{ unitId: u1 }], assistingUnitIds: [u2] }, 400, 'assistingUnitIds'],
        [{ unitId: leadUnit, assists: [{ unitId: u1, limit: { amount: 0, unit: 'work_hours' } }] }, 400, 'assists.0.limit.amount'],
      ];
      const h0 = await count('case_history', id);
      const o0 = await count('outbox', id);
      for (const [body, status, field] of bad) {
        const r = await dispatcher.post(`/api/v1/cases/${id}/dispatch`, body);
        assert.equal(r.status, status, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.field, field, JSON.stringify(r.body));
      }
      assert.equal(await count('case_history', id), h0);
      assert.equal(await count('outbox', id), o0);
      assert.equal(await count('case_assist_tasks', id), 0);
      assert.equal((await dispatcher.get(`/api/v1/cases/${id}`)).body.state, 'REGISTERED');

      // Adding to a case not in handling; adding a unit that already has an open task; an unknown task.
      const notYet = await dispatcher.post(`/api/v1/cases/${id}/assists`, { assists: [{ unitId: u1 }] });
      assert.equal(notYet.status, 409);
      await act(dispatcher, id, 'dispatch', { unitId: leadUnit, assists: [{ unitId: u1 }] });
      const dup = await dispatcher.post(`/api/v1/cases/${id}/assists`, { assists: [{ unitId: u1 }] });
      assert.equal(dup.status, 400);
      assert.equal(dup.body.error.field, 'assists[0].unitId');
      const byUnit = await lead.post(`/api/v1/cases/${id}/assists`, { assists: [{ unitId: u2 }] });
      assert.equal(byUnit.status, 403);
      assert.equal((await a1.post(`/api/v1/cases/${id}/assists/999999/sign`, {})).status, 404);
      const t = (await dispatcher.get(`/api/v1/cases/${id}/assists`)).body.tasks[0];
      const early = await a1.post(`/api/v1/cases/${id}/assists/${t.id}/complete`, { result: '完成', photos: [] });
      assert.equal(early.status, 409, 'complete needs a signature first');
      assert.equal(await count('case_assist_tasks', id), 1);
    });
  });
}

/**
 * The clocks of the lifecycle over HTTP, on each store (domain.md §4–§5): while a returned case waits for the
 * centre's ruling its handling clock pauses and the dispute's own clock runs under an owner; ruled back to the same
 * unit the paused clock resumes with the time it had left, to another unit it starts afresh; a failed check keeps
 * the approved postponements.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { runDeadlineSweep } from '../../src/jobs/deadline-sweep.job.ts';
import { addLimit, extendDeadline, resumeDeadline, type LimitUnit } from '../../src/domain/deadline/index.ts';
import { stageLimit } from '../../src/commands/case-clocks.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

for (const store of storesUnderTest()) {
  describe(`lifecycle clocks [${store}]`, () => {
    let env: TestEnv;
    let inspector: Client, dispatcher: Client;

    before(async () => {
      // sessions outlive the days these cases wait
      env = await createDemoEnv(store, { config: { sessionIdleMs: 30 * DAY, sessionTtlMs: 30 * DAY } });
      await loadGridPoints(env);
      inspector = await userClient(env.app, env.ctx, 'inspector');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
    });
    after(async () => env.close());

    const act = async (who: Client, id: number, action: string, body: object = {}, expect = 200) => {
      const r = await who.post(`/api/v1/cases/${id}/${action}`, body);
      assert.equal(r.status, expect, `${action}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const photo = async (who: Client): Promise<string> => {
      const boundary = '----cityops' + Math.random().toString(16).slice(2);
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n`),
        PNG, Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...who.headers } });
      assert.equal(r.statusCode, 201, r.body);
      return JSON.parse(r.body).id;
    };
    /** An inspector's patrol report (registered at once, no callback), dispatched to its routed unit. */
    const dispatchedCase = async (n: number) => {
      const p = demoPoint(env, n);
      const r = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: `时钟测试 ${n}`, location: { lon: p.lon, lat: p.lat } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const unitId = r.body.routing.unit.id as string;
      const d = await act(dispatcher, r.body.id, 'dispatch', { unitId });
      return { id: r.body.id as number, unitId, c: d };
    };

    test('a returned case waits for the ruling without its handling clock: ruled back, it resumes and closes on time', async () => {
      const { id, unitId } = await dispatchedCase(3);
      const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
      env.clock.advance(HOUR / 2);
      const returned = await act(handler, id, 'return', { reason: '非本单位职责', basis: '清单第12项' });
      assert.equal(returned.state, 'DISPUTED');
      assert.equal(returned.deadlines.stage, 'dispute', 'the dispute runs on its own clock');
      assert.equal(returned.deadlines.handlePausedAt, new Date(env.clock.now()).toISOString());
      assert.equal(returned.disputeOwner.region.id, returned.street.id, 'the street owns the dispute');
      const cal = env.ctx.ref.current().calendar;
      const disputeLimit = stageLimit(env.ctx.ref, '06010', 'dispute', 'normal', returned.areaClass);
      assert.deepEqual(disputeLimit, { amount: 2, unit: 'work_hours' });
      assert.equal(Date.parse(returned.deadlines.stageDueAt), addLimit(cal, env.clock.now(), disputeLimit));
      assert.equal(Date.parse(returned.deadlines.dueAt), Date.parse(returned.deadlines.stageDueAt), 'the queue counts down to the ruling');
      const dueBefore = Date.parse(returned.deadlines.handleDueAt);
      const pausedAt = env.clock.now();

      // The centre takes five days to rule: long past the unit's deadline, which must not count against the unit.
      env.clock.advance(5 * DAY);
      assert.ok(env.clock.now() > dueBefore);
      await runDeadlineSweep(env.ctx);
      const waiting = (await dispatcher.get(`/api/v1/cases/${id}`)).body;
      assert.equal(waiting.deadlines.alertLevel, 'overdue', 'the dispute itself is late');
      assert.equal(waiting.deadlines.everOverdue, false, 'the unit is not');
      const h = (await dispatcher.get(`/api/v1/cases/${id}/history`)).body.items;
      const late = h.find((x: { action: string }) => x.action === 'deadline_overdue');
      assert.equal(late.details.stage, 'dispute');
      assert.equal(late.details.handleLevel, 'normal');

      const ruled = await act(dispatcher, id, 'rule-dispute', { unitId, ruling: '按清单由原单位处置' });
      assert.equal(ruled.state, 'DISPATCHED');
      assert.equal(ruled.disputeOwner, null);
      assert.equal(ruled.deadlines.handlePausedAt, null);
      const unit = ruled.deadlines.handleLimit.unit as LimitUnit;
      assert.equal(Date.parse(ruled.deadlines.handleDueAt), resumeDeadline(cal, unit, dueBefore, pausedAt, env.clock.now()), 'the time left at the return');
      assert.equal(ruled.deadlines.alertLevel, 'normal');

      env.clock.advance(HOUR);
      await act(handler, id, 'sign');
      await act(handler, id, 'dispose', { result: '已清运', photos: [await photo(handler)] });
      await act(dispatcher, id, 'send-check');
      const closed = await act(inspector, id, 'check-pass');
      assert.equal(closed.state, 'ARCHIVED');
      assert.equal(closed.closureType, 'normal', 'finished within the time it had: closed on time');
    });

    test('ruled to another unit, that unit gets a fresh handling limit', async () => {
      const { id, unitId, c } = await dispatchedCase(4);
      const other = [...env.ctx.ref.current().units.values()].find((u) => u.id !== unitId && u.parentId === null && u.active)!.id;
      const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
      env.clock.advance(HOUR / 2);
      await act(handler, id, 'return', { reason: '非本单位职责', basis: '清单第12项' });
      env.clock.advance(2 * DAY);
      const ruled = await act(dispatcher, id, 'rule-dispute', { unitId: other, ruling: '改派' });
      const cal = env.ctx.ref.current().calendar;
      const limit = { amount: c.deadlines.handleLimit.amount, unit: c.deadlines.handleLimit.unit as LimitUnit };
      assert.equal(ruled.deadlines.handleStartedAt, new Date(env.clock.now()).toISOString());
      assert.equal(Date.parse(ruled.deadlines.handleDueAt), addLimit(cal, env.clock.now(), limit));
      assert.equal(ruled.assignedUnit.id, other);
    });

    test('only the coordinators covering the dispute owner region may rule it', async () => {
      const { id, unitId, c } = await dispatchedCase(5);
      const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
      await act(handler, id, 'return', { reason: '非本单位职责', basis: '清单第12项' });
      const community = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [c.community.id] });
      const street = await userClient(env.app, env.ctx, 'shift_leader', { regionIds: [c.street.id] });
      const seen = await community.get(`/api/v1/cases/${id}`);
      assert.equal(seen.status, 200, 'the community dispatcher sees the case');
      assert.equal(seen.body.allowedActions.includes('rule_dispute'), false);
      const refused = await community.post(`/api/v1/cases/${id}/rule-dispute`, { unitId, ruling: '原单位处置' });
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'FORBIDDEN');
      await act(street, id, 'rule-dispute', { unitId, ruling: '原单位处置' });
    });

    test('a failed check restarts the handling clock with the approved postponement kept', async () => {
      const { id, unitId } = await dispatchedCase(6);
      const handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
      await act(handler, id, 'sign');
      const extra = { amount: 2, unit: 'work_days' as const };
      await act(handler, id, 'request-postpone', { extra, reason: '需协调清运车辆' });
      const approved = await act(dispatcher, id, 'approve-postpone');
      assert.deepEqual(approved.deadlines.extensions.map((x: { amount: number; unit: string; unitId: string }) => [x.amount, x.unit, x.unitId]), [[2, 'work_days', unitId]]);
      await act(handler, id, 'dispose', { result: '已清运', photos: [await photo(handler)] });
      await act(dispatcher, id, 'send-check');
      env.clock.advance(HOUR);
      const failed = await act(inspector, id, 'check-fail', { reason: '仍有残留' });
      assert.equal(failed.state, 'IN_PROGRESS');
      const cal = env.ctx.ref.current().calendar;
      const base = { amount: failed.deadlines.handleLimit.amount, unit: failed.deadlines.handleLimit.unit as LimitUnit };
      assert.equal(failed.deadlines.handleStartedAt, new Date(env.clock.now()).toISOString(), 'rework starts a fresh handling limit from now');
      assert.equal(Date.parse(failed.deadlines.handleDueAt), extendDeadline(cal, addLimit(cal, env.clock.now(), base), extra), 'base limit + the approved postponement');
      assert.equal(failed.deadlines.extensions.length, 1);
    });
  });
}

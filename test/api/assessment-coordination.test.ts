/**
 * Coordination indicators (issue 9's joint action, summons and levels, counted for issue 10's assessment) over HTTP
 * on each store: a month's assisting tasks and summons per unit, transfers per street platform, each with its
 * definition; rows cut by the visibility policy; a task of another month not counted; bad input names the field.
 * The records are written straight into their tables (the flows that make them are tested in joint-action, summons
 * and levels tests): what is under test here is the counting.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, T0, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';

const H = 3_600_000;

for (const store of storesUnderTest()) {
  describe(`assessment coordination [${store}]`, () => {
    let env: TestEnv;
    let admin: Client;
    let caseId: number, caseNo: string, u1: string, u2: string, streetId: string, districtId: string;

    before(async () => {
      env = await createDemoEnv(store, { now: T0 });
      await loadGridPoints(env);
      admin = await userClient(env.app, env.ctx, 'admin');
      const inspector = await userClient(env.app, env.ctx, 'inspector');
      const p = demoPoint(env, 2);
      const r = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: '协同指标测试', location: { lon: p.lon, lat: p.lat } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      caseId = r.body.id;
      caseNo = r.body.caseNo;
      const row = await env.db.selectFrom('cases').select(['street_id', 'district_id']).where('id', '=', caseId).executeTakeFirstOrThrow();
      streetId = row.street_id!;
      districtId = row.district_id!;
      [u1, u2] = [...env.ctx.ref.current().units.values()].filter((u) => u.active && u.kind !== 'centre').map((u) => u.id);

      const task = (over: Record<string, unknown>) => ({
        case_id: caseId, unit_id: u1, instruction: '协办', limit_amount: null, limit_unit: null, due_at: T0 + 24 * H, state: 'dispatched',
        dispatched_at: T0 - 5 * H, dispatched_by: null, signed_at: null, signed_by: null, signed_by_name: null, done_at: null, done_by: null,
        result: null, photo_ids: '[]', return_reason: null, return_basis: null, returned_at: null, return_count: 0, ruling: null,
        closed_at: null, previous_task_id: null, sign_ms: null, done_ms: null, overdue: null, version: 1, ...over,
      });
      await env.db.insertInto('case_assist_tasks').values([
        task({ state: 'done', done_at: T0 - 4 * H, overdue: 0 }), // done on time
        task({ state: 'done', done_at: T0 - 1 * H, overdue: 1 }), // done late
        task({ state: 'waived', ruling: '免除', return_count: 1, closed_at: T0 - 2 * H }), // returned, waived: not due
        task({ state: 'signed', ruling: '仍由你单位协办', return_count: 1 }), // returned, ruled back to it: buck-passing
        task({ state: 'done', done_at: Date.UTC(2026, 9, 11), dispatched_at: Date.UTC(2026, 9, 10), overdue: 0 }), // October: not this month
        task({ unit_id: u2, state: 'done', done_at: T0 - 2 * H, overdue: 0 }),
      ] as never).execute();

      const s = await env.db.insertInto('summons').values({
        case_id: caseId, case_no: caseNo, kind: 'routine', state: 'closed', reason: '需多部门会诊', mode: 'on_site', place_address: null, place_lon: null, place_lat: null,
        district_id: districtId, street_id: streetId, community_id: null, issuer_unit_id: null, issued_by: null, issued_by_name: null,
        issued_at: T0 - 3 * H, report_limit_minutes: 30, due_at: T0 - 3 * H + 30 * 60_000, outcome: null, outcome_note: null, closed_by: null, closed_by_name: null, closed_at: null,
      } as never).returning('id').executeTakeFirstOrThrow();
      const summoned = (unitId: string, position: number, over: Record<string, unknown>) => ({
        summons_id: s.id, unit_id: unitId, position, state: 'summoned', issued_at: T0 - 3 * H, due_at: T0 - 3 * H + 30 * 60_000, overdue_at: null,
        reported_at: null, reported_by: null, reported_by_name: null, report_mode: null, report_lon: null, report_lat: null, report_distance_m: null,
        report_note: null, late: 0, rating: null, rating_comment: null, rated_by: null, rated_at: null, ...over,
      });
      // one summons per unit per row here: the same unit appears once per summons in real life, so a second summons is made for the rest
      await env.db.insertInto('summons_units').values([
        summoned(u1, 0, { state: 'reported', reported_at: T0 - 3 * H + 10 * 60_000, report_mode: 'on_site', rating: 5 }),
        summoned(u2, 1, { state: 'absent', rating: 1 }),
      ] as never).execute();
      const s2 = await env.db.insertInto('summons').values({
        case_id: caseId, case_no: caseNo, kind: 'tackling', state: 'closed', reason: '攻坚', mode: 'online', place_address: null, place_lon: null, place_lat: null,
        district_id: districtId, street_id: streetId, community_id: null, issuer_unit_id: null, issued_by: null, issued_by_name: null,
        issued_at: T0 - 2 * H, report_limit_minutes: 30, due_at: T0 + 10 * 60_000, outcome: null, outcome_note: null, closed_by: null, closed_by_name: null, closed_at: null,
      } as never).returning('id').executeTakeFirstOrThrow();
      await env.db.insertInto('summons_units').values([
        // reported late, rated 3
        { ...summoned(u1, 0, { state: 'reported', reported_at: T0 - 1 * H, report_mode: 'online', late: 1, rating: 3 }), summons_id: s2.id, issued_at: T0 - 2 * H, due_at: T0 - 2 * H + 30 * 60_000 },
      ] as never).execute();
      const s3 = await env.db.insertInto('summons').values({
        case_id: caseId, case_no: caseNo, kind: 'emergency', state: 'open', reason: '应急', mode: 'on_site', place_address: null, place_lon: null, place_lat: null,
        district_id: districtId, street_id: streetId, community_id: null, issuer_unit_id: null, issued_by: null, issued_by_name: null,
        issued_at: T0 - 10 * 60_000, report_limit_minutes: 30, due_at: T0 + 20 * 60_000, outcome: null, outcome_note: null, closed_by: null, closed_by_name: null, closed_at: null,
      } as never).returning('id').executeTakeFirstOrThrow();
      await env.db.insertInto('summons_units').values([
        // still within its limit: neither on time nor late yet
        { ...summoned(u1, 0, {}), summons_id: s3.id, issued_at: T0 - 10 * 60_000, due_at: T0 + 20 * 60_000 },
      ] as never).execute();

      const transfer = (status: string) => ({
        case_id: caseId, kind: 'escalate', from_region_id: streetId, to_region_id: streetId, reason: '无法解决', requested_by: null, requested_by_name: null,
        requested_at: T0 - 6 * H, status, decided_by: null, decided_by_name: null, decided_at: status === 'pending' ? null : T0 - 5 * H,
        decision_reason: status === 'refused' ? '属于本级事权' : null,
      });
      await env.db.insertInto('case_transfers').values([transfer('accepted'), transfer('refused'), transfer('withdrawn')] as never).execute();
      await env.db.insertInto('case_transfers').values([transfer('pending')] as never).execute();
    });
    after(async () => env.close());

    test('units: assisting tasks and summons of the month, with definitions', async () => {
      const r = await admin.get('/api/v1/assessment/coordination?dim=unit&period=month&value=2026-11');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.period.from, '2026-11-01');
      const row = r.body.rows.find((x: { key: string }) => x.key === u1);
      assert.ok(row, 'the unit has a row');
      assert.deepEqual(row.values, {
        assist_tasks: 4, assist_on_time_rate: 1 / 3, assist_done: 2, assist_returns: 2, assist_kept: 1,
        summons_summoned: 3, summons_on_time_rate: 0.5, summons_absent: 0, summons_rating: 4,
      });
      const other = r.body.rows.find((x: { key: string }) => x.key === u2);
      assert.equal(other.values.assist_on_time_rate, 1);
      assert.equal(other.values.summons_absent, 1);
      assert.equal(other.values.summons_on_time_rate, 0);
      const quiet = r.body.rows.find((x: { key: string; values: { assist_tasks: number } }) => x.key !== u1 && x.key !== u2);
      assert.equal(quiet.values.assist_on_time_rate, null, 'nothing to divide by is null, not 0 %');
      const ids = r.body.definitions.map((d: { id: string }) => d.id);
      assert.ok(ids.includes('assist_on_time_rate') && ids.includes('summons_rating') && !ids.includes('level_refused'));
      assert.match(r.body.definitions.find((d: { id: string }) => d.id === 'assist_on_time_rate').formula.zh, /÷/);
      // October holds one task of u1
      const oct = await admin.get('/api/v1/assessment/coordination?dim=unit&period=month&value=2026-10');
      assert.equal(oct.body.rows.find((x: { key: string }) => x.key === u1).values.assist_tasks, 1);
    });

    test('street platforms: transfers received and refused (withdrawn ones not counted)', async () => {
      const r = await admin.get('/api/v1/assessment/coordination?dim=street&period=custom&from=2026-11-01&to=2026-11-30');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const row = r.body.rows.find((x: { key: string }) => x.key === streetId);
      assert.deepEqual(row.values, { level_received: 3, level_refusal_rate: 0.5, level_refused: 1 });
      assert.deepEqual(r.body.definitions.map((d: { group: string }) => d.group), ['levels', 'levels', 'levels']);
    });

    test('a unit leader sees the units they work for only', async () => {
      const leader = await userClient(env.app, env.ctx, 'unit_leader', { unitIds: [u2], regionIds: [] });
      const r = await leader.get('/api/v1/assessment/coordination?dim=unit&period=month&value=2026-11');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(r.body.rows.length >= 1);
      assert.ok(r.body.rows.every((x: { key: string }) => x.key !== u1), 'another unit\'s row is not shown');
      assert.ok(r.body.rows.some((x: { key: string }) => x.key === u2));
    });

    test('bad input names the field', async () => {
      const r = await admin.get('/api/v1/assessment/coordination?dim=grid');
      assert.equal(r.status, 400);
      assert.equal(r.body.error.field, 'dim');
      assert.equal(r.body.error.key, 'assessment.coordination_dim');
      const p = await admin.get('/api/v1/assessment/coordination?period=month&value=2026-13');
      assert.equal(p.status, 400);
      assert.equal(p.body.error.field, 'value');
    });
  });
}

/**
 * The assessment API (issue 10 part A): counting from the outbox, indicators and drill-down, scope, formulas with
 * versions and what-if, the live month, and a rebuild that finds and corrects drift.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { storesUnderTest, T0, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { act, photo } from '../support/case-flow.ts';
import { runDeadlineSweep } from '../../src/jobs/deadline-sweep.job.ts';
import { runAssessmentCount } from '../../src/jobs/assessment-count.job.ts';
import { rebuildMonth } from '../../src/commands/assessment-rebuild.ts';

for (const store of storesUnderTest()) {
  describe(`assessment [${store}]`, () => {
    let env: TestEnv;
    let leader: Client, unitLeader: Client, otherLeader: Client, inspector: Client, dispatcher: Client, handler: Client, checker: Client;
    let unitId: string, otherUnit: string;
    const ids: Record<string, number> = {};
    const month = '2026-11';
    const table = async (c: Client, q: string) => c.get(`/api/v1/assessment/indicators?${q}`);
    const unitRow = async () => (await table(leader, `dim=unit&period=month&value=${month}`)).body.rows.find((r: { key: string }) => r.key === unitId);

    before(async () => {
      env = await createDemoEnv(store, { config: { sessionIdleMs: 30 * 86400_000, sessionTtlMs: 30 * 86400_000 } });
      await loadGridPoints(env);
      inspector = await userClient(env.app, env.ctx, 'inspector');
      dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      checker = await userClient(env.app, env.ctx, 'inspector');
      leader = await userClient(env.app, env.ctx, 'centre_leader');
      const report = async (k: string, n: number) => {
        const p = demoPoint(env, n);
        const r = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: `考核 ${k}`, location: { lon: p.lon, lat: p.lat } });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        ids[k] = r.body.id;
        return r.body;
      };
      const a = await report('A', 0);
      unitId = a.routing.unit.id;
      await report('B', 0);
      await report('C', 0);
      otherUnit = [...env.ctx.ref.current().units.keys()].find((u) => u !== unitId)!;
      handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
      unitLeader = await userClient(env.app, env.ctx, 'unit_leader', { unitIds: [unitId], regionIds: [] });
      otherLeader = await userClient(env.app, env.ctx, 'unit_leader', { unitIds: [otherUnit], regionIds: [] });
      for (const k of ['A', 'B', 'C']) await act(dispatcher, ids[k], 'dispatch', { unitId });
      // A: handled and closed on time
      await act(handler, ids.A, 'sign');
      await act(handler, ids.A, 'dispose', { result: '已清理', photos: [await photo(env, handler)] });
      await act(dispatcher, ids.A, 'send-check');
      await act(checker, ids.A, 'check-pass');
      // C: returned, then ruled back to the same unit (推诿)
      await act(handler, ids.C, 'return', { reason: '不属本单位', basis: '清单第3条' });
      await act(dispatcher, ids.C, 'rule-dispute', { unitId, ruling: '按清单由原单位处置' });
      // B: signed, then left until long past its deadline
      await act(handler, ids.B, 'sign');
      env.clock.set(T0 + 3 * 86400_000);
      await runDeadlineSweep(env.ctx);
      await runAssessmentCount(env.ctx);
    });
    after(async () => env?.close());

    test('indicators count the unit\'s cases from the outbox, with definitions beside them', async () => {
      const r = await table(leader, `dim=unit&period=month&value=${month}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const row = r.body.rows.find((x: { key: string }) => x.key === unitId);
      assert.ok(row, 'the unit has a row');
      assert.equal(row.counters.to_handle, 3);
      assert.equal(row.counters.handled, 1);
      assert.equal(row.counters.handled_on_time, 1);
      assert.equal(row.counters.closed_on_time, 1);
      assert.equal(row.counters.overdue_open, 2, 'B, and C (ruled back, unsigned, its clock resumed)');
      assert.equal(row.counters.buck_passing, 1);
      assert.equal(row.counters.returned, 1);
      assert.equal(row.indicators.disposal_rate, 1 / 3);
      assert.equal(row.indicators.dispatch_accuracy, 2 / 3);
      // default (Chengdu Jinniu) score: 30·⅓ + 20·⅓ + 20·(1−0) + 20·(1−⅔) + 10·(1−0)
      assert.equal(row.score.value, Math.round((10 + 20 / 3 + 20 + 20 / 3 + 10) * 100) / 100);
      const def = r.body.definitions.find((d: { id: string }) => d.id === 'on_time_disposal_rate');
      assert.match(def.formula.zh, /按期处置率/);
      assert.equal(def.denominator, 'to_handle');
      // the street and the city saw the same cases
      const city = await table(leader, `dim=city&period=month&value=${month}`);
      assert.equal(city.body.rows[0].counters.reported, 3);
    });

    test('counting twice changes nothing', async () => {
      const before = await unitRow();
      await env.ctx.store.transaction(async (tx) => {
        const { recountCases } = await import('../../src/commands/assessment-count.ts');
        await tx.assessment.lockCounting();
        const r = await recountCases(tx, [ids.A, ids.B, ids.C, ids.A], env.clock.now(), env.ctx.config.utcOffsetMinutes);
        assert.equal(r.changed.length, 0);
      });
      assert.deepEqual((await unitRow()).counters, before.counters);
    });

    test('drill-down lists exactly the cases behind a number, with why', async () => {
      const r = await leader.get(`/api/v1/assessment/cases?dim=unit&key=${unitId}&indicator=on_time_disposal_rate&period=month&value=${month}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.cases.map((c: { id: number }) => c.id), [ids.A]);
      assert.match(r.body.cases[0].reason.zh, /处置 .*时限 .*→ 按期/);
      const overdue = await leader.get(`/api/v1/assessment/cases?dim=unit&key=${unitId}&indicator=overdue_open&period=month&value=${month}`);
      assert.deepEqual(overdue.body.cases.map((c: { id: number }) => c.id), [ids.B, ids.C]);
      const all = await leader.get(`/api/v1/assessment/cases?dim=unit&key=${unitId}&indicator=to_handle&period=month&value=${month}&limit=2`);
      assert.equal(all.body.cases.length, 2);
      const rest = await leader.get(`/api/v1/assessment/cases?dim=unit&key=${unitId}&indicator=to_handle&period=month&value=${month}&limit=2&after=${all.body.next}`);
      assert.equal(rest.body.cases.length, 1);
      assert.equal(new Set([...all.body.cases, ...rest.body.cases].map((c: { id: number }) => c.id)).size, 3);
      const bad = await leader.get(`/api/v1/assessment/cases?dim=unit&key=${unitId}&indicator=avg_handle&period=month&value=${month}`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'indicator');
    });

    test('scope: a unit leader sees their unit only; city-wide slices need city scope', async () => {
      const r = await table(unitLeader, `dim=unit&period=month&value=${month}`);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.rows.map((x: { key: string }) => x.key), [unitId]);
      assert.equal((await table(unitLeader, `dim=street&period=month&value=${month}`)).body.rows.length, 0);
      assert.equal((await table(unitLeader, `dim=city&period=month&value=${month}`)).status, 403);
      const other = await otherLeader.get(`/api/v1/assessment/cases?dim=unit&key=${unitId}&indicator=handled&period=month&value=${month}`);
      assert.equal(other.status, 404);
      const h = await handler.get(`/api/v1/assessment/indicators?dim=unit`);
      assert.equal(h.status, 403);
    });

    test('bad periods and dimensions are refused by name', async () => {
      for (const [q, field] of [['period=year&value=2026', 'period'], ['period=month&value=2026-13', 'value'], ['dim=planet', 'dim'], ['period=custom&from=2026-11-05&to=2026-11-01', 'to']]) {
        const r = await table(leader, q);
        assert.equal(r.status, 400, q);
        assert.equal(r.body.error.field, field, q);
      }
    });

    test('formulas: checked by field, versioned from a month on, never rewriting the past; what-if saves nothing', async () => {
      const bad = async (body: object, field: string) => {
        const r = await leader.post('/api/v1/assessment/formulas', body);
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.equal(r.body.error.field, field);
      };
      await bad({ effectiveFrom: '2026-12', terms: [{ indicator: 'disposal_rate', weight: 60 }] }, 'terms');
      await bad({ effectiveFrom: '2026-12', terms: [{ indicator: 'happiness', weight: 100 }] }, 'terms[0].indicator');
      await bad({ effectiveFrom: '2026-10', terms: [{ indicator: 'disposal_rate', weight: 100 }] }, 'effectiveFrom');
      assert.equal((await unitLeader.post('/api/v1/assessment/formulas', { effectiveFrom: '2026-12', terms: [{ indicator: 'disposal_rate', weight: 100 }] })).status, 403);
      const preview = await leader.post('/api/v1/assessment/formulas/preview', { terms: [{ indicator: 'disposal_rate', weight: 100 }], end: month, months: 1 });
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
      const pr = preview.body.months[0].rows.find((x: { key: string }) => x.key === unitId);
      assert.equal(pr.proposed, Math.round(10000 / 3) / 100);
      assert.equal((await leader.get('/api/v1/assessment/formulas')).body.versions.length, 0, 'the preview saved nothing');
      const ok = await leader.post('/api/v1/assessment/formulas', { effectiveFrom: '2026-12', terms: [{ indicator: 'disposal_rate', weight: 100 }], note: '试行' });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      const f = (await leader.get('/api/v1/assessment/formulas')).body;
      assert.equal(f.current.id, 0, 'November keeps the default');
      const t = await leader.get(`/api/v1/assessment/trend?dim=unit&key=${unitId}&end=2026-12&months=2`);
      assert.equal(t.status, 200, JSON.stringify(t.body));
      assert.deepEqual(t.body.months.map((m: { formulaId: number }) => m.formulaId), [0, ok.body.id]);
      assert.equal(t.body.months[0].score.value, (await unitRow()).score.value, 'the past month is scored as before');
    });

    test('a unit leader\'s live month names the cases that will hurt next', async () => {
      const r = await unitLeader.get('/api/v1/assessment/live');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.unit.id, unitId);
      const b = r.body.hurting.find((h: { id: number }) => h.id === ids.B);
      assert.equal(b?.reason, 'overdue');
      assert.equal((await otherLeader.get(`/api/v1/assessment/live?unitId=${unitId}`)).status, 404);
    });

    test('rebuild recomputes from history, reports drift and corrects it', async () => {
      const before = await unitRow();
      const clean = await rebuildMonth(env.ctx, month);
      assert.equal(clean.factsChanged, 0);
      assert.equal(clean.countersCorrected, 0);
      assert.ok(clean.cases >= 3);
      // drift: a counter row damaged, a fact row lost
      await sql`UPDATE assessment_counters SET handled = handled + 5 WHERE dim = 'unit' AND key = ${unitId}`.execute(env.db);
      await sql`DELETE FROM assessment_facts WHERE case_id = ${ids.C}`.execute(env.db);
      const fixed = await rebuildMonth(env.ctx, month);
      assert.ok(fixed.countersCorrected > 0);
      assert.equal(fixed.factsChanged, 1);
      assert.ok(fixed.counterDifferences.some((d) => d.dim === 'unit' && d.counter === 'handled' && d.stored - d.expected === 5));
      assert.deepEqual((await unitRow()).counters, before.counters);
      assert.equal((await rebuildMonth(env.ctx, month)).countersCorrected, 0);
      await assert.rejects(rebuildMonth(env.ctx, '2026-1'), /month/);
    });
  });
}

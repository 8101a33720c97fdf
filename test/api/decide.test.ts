/**
 * Decision support (issue 10 part 5): the job turns new reports into hotspot rollups and recurring problems exactly
 * once (and the rebuild builds the same), the map and trend answers follow the caller's scope, and 每月一题 /
 * 未诉先办 move through their lifecycles with history, permissions and bad input answered by field.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, T0, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { runDecisionTail } from '../../src/jobs/recurrence-tail.job.ts';
import { rebuildDecisionSupport } from '../../src/commands/recurrence-rebuild.ts';
import { h3Of } from '../../src/domain/hotspot/cells.ts';

const DAY = 86_400_000;
/** 10:00 local on the day `d` days before T0 (a Wednesday). */
const daysBefore = (d: number) => T0 - d * DAY;

for (const store of storesUnderTest()) {
  describe(`decision support [${store}]`, () => {
    let env: TestEnv;
    let leader: Client, operator: Client, streetB: Client, handler: Client;
    let A: { lon: number; lat: number; gridId: string; communityId: string };
    let B: typeof A;
    let streetOfA: string, streetOfB: string;
    let unitId: string;
    const created: number[] = [];

    const report = async (p: { lon: number; lat: number }, at: number, matterCode = '06010') => {
      env.clock.set(at);
      const r = await operator.post('/api/v1/cases', { channel: 'hotline', matterCode, description: '井盖又坏了', location: { lon: p.lon, lat: p.lat } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      created.push(r.body.id);
      return r.body;
    };

    before(async () => {
      env = await createDemoEnv(store, { config: { sessionIdleMs: 400 * DAY, sessionTtlMs: 400 * DAY } });
      await loadGridPoints(env);
      const ref = env.ctx.ref.current();
      A = demoPoint(env, 0);
      streetOfA = ref.regions.get(A.communityId)!.parentId!;
      for (let n = 1; n < ref.grids.size; n++) {
        const p = demoPoint(env, n);
        if (ref.regions.get(p.communityId)!.parentId !== streetOfA) { B = p; break; }
      }
      streetOfB = ref.regions.get(B.communityId)!.parentId!;
      unitId = [...ref.units.values()].find((u) => u.active)!.id;
      leader = await userClient(env.app, env.ctx, 'centre_leader');
      operator = await userClient(env.app, env.ctx, 'operator');
      streetB = await userClient(env.app, env.ctx, 'shift_leader', { regionIds: [streetOfB] });
      handler = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId], regionIds: [] });
      // Six reports of one matter at A, all on weekends (Sat/Sun of the three weeks before T0), one elsewhere, one other matter at A.
      for (const d of [18, 17, 11, 10, 4, 3]) await report(A, daysBefore(d));
      await report(B, daysBefore(2));
      await report(A, daysBefore(1), '06012');
      env.clock.set(T0);
    });
    after(async () => env?.close());

    test('the job counts each report once; a second run adds nothing', async () => {
      const r1 = await runDecisionTail(env.ctx);
      assert.equal(r1.cases, 8);
      assert.equal(r1.problemsCreated, 1);
      assert.equal(r1.daily, true); // first run of the day: the month's topics and the proactive tasks were proposed
      const r2 = await runDecisionTail(env.ctx);
      assert.equal(r2.cases, 0);
      const map = await leader.get('/api/v1/decide/hotspots');
      assert.equal(map.status, 200, JSON.stringify(map.body));
      assert.equal(map.body.total, 8);
      assert.equal(map.body.source, 'rollup');
      const a = map.body.features.find((f: { id: string }) => f.id === A.gridId);
      assert.equal(a.properties.count, 7);
      assert.equal(a.geometry, null);
    });

    test('H3 layer: hexagons with outlines; resolution from zoom; matter and class filters', async () => {
      const hex = await leader.get('/api/v1/decide/hotspots?layer=h3&resolution=9');
      assert.equal(hex.status, 200, JSON.stringify(hex.body));
      const cell = hex.body.features.find((f: { id: string }) => f.id === h3Of(A.lon, A.lat));
      assert.equal(cell.properties.count, 7);
      assert.equal(cell.geometry.type, 'Polygon');
      assert.equal(cell.geometry.coordinates[0].length, 7);
      const z = await leader.get('/api/v1/decide/hotspots?layer=h3&zoom=10');
      assert.equal(z.body.resolution, 7);
      const m = await leader.get('/api/v1/decide/hotspots?matter=06012');
      assert.equal(m.body.total, 1);
      const week = await leader.get(`/api/v1/decide/hotspots?period=week&date=${new Date(daysBefore(4) + 8 * 3600_000).toISOString().slice(0, 10)}`);
      assert.equal(week.body.total, 2, JSON.stringify(week.body));
    });

    test('a street sees its region only; unit staff without decide.read are refused', async () => {
      const b = await streetB.get('/api/v1/decide/hotspots');
      assert.equal(b.status, 200);
      assert.deepEqual(b.body.features.map((f: { id: string }) => f.id), [B.gridId]);
      const outside = await streetB.get(`/api/v1/decide/hotspots?regionId=${streetOfA}`);
      assert.equal(outside.status, 403);
      assert.equal(outside.body.error.field, 'regionId');
      const r = await streetB.get('/api/v1/decide/recurring');
      assert.equal(r.body.items.length, 0);
      assert.equal((await handler.get('/api/v1/decide/hotspots')).status, 403);
    });

    test('bad input: a clear 400 naming the field', async () => {
      const cases: [string, string][] = [
        ['/api/v1/decide/hotspots?period=year', 'period'],
        ['/api/v1/decide/hotspots?period=custom&from=2026-11-10', 'to'],
        ['/api/v1/decide/hotspots?from=2026-11-10&to=2026-11-01', 'to'],
        ['/api/v1/decide/hotspots?from=2024-01-01&to=2026-11-01', 'to'],
        ['/api/v1/decide/hotspots?date=2026-02-30&period=day', 'date'],
        ['/api/v1/decide/hotspots?matter=99999', 'matter'],
        ['/api/v1/decide/hotspots?layer=h3&resolution=5', 'resolution'],
        ['/api/v1/decide/trends?month=2026-13', 'month'],
      ];
      for (const [url, field] of cases) {
        const r = await leader.get(url);
        assert.equal(r.status, 400, url);
        assert.match(JSON.stringify(r.body.error), new RegExp(field), url);
      }
    });

    test('grid × matter × period table and the monthly trend', async () => {
      const t = await leader.get('/api/v1/decide/hotspots/table?bucket=week');
      assert.equal(t.status, 200, JSON.stringify(t.body));
      assert.equal(t.body.rows[0].grid.id, A.gridId);
      assert.equal(t.body.rows[0].count, 2);
      assert.match(t.body.rows[0].period, /^\d{4}-\d{2}-\d{2}\/W$/);
      const tr = await leader.get('/api/v1/decide/trends?matter=06010');
      assert.equal(tr.status, 200);
      assert.equal(tr.body.months.length, 25);
      assert.equal(tr.body.current.month, '2026-11');
      assert.equal(tr.body.current.count, 7);
      assert.equal(tr.body.sameMonthLastYear.month, '2025-11');
      assert.equal(tr.body.sameMonthLastYear.change, null);
    });

    test('recurring problem: six reports at one place, its weekend rhythm; the rebuild builds the same', async () => {
      const list = await leader.get('/api/v1/decide/recurring');
      assert.equal(list.body.items.length, 1);
      const p = list.body.items[0];
      assert.equal(p.caseCount, 6);
      assert.equal(p.matter.code, '06010');
      const d = await leader.get(`/api/v1/decide/recurring/${p.id}`);
      assert.equal(d.status, 200);
      assert.deepEqual(d.body.cases.map((c: { id: number }) => c.id).sort((x: number, y: number) => x - y), created.slice(0, 6));
      assert.equal(d.body.pattern.kind, 'weekend');
      assert.equal((await streetB.get(`/api/v1/decide/recurring/${p.id}`)).status, 404);
      const before = (await leader.get('/api/v1/decide/hotspots?layer=h3&resolution=9')).body;
      const beforeGrid = (await leader.get('/api/v1/decide/hotspots')).body; // the grid × day counters (migration 039b)
      const r = await rebuildDecisionSupport(env.ctx);
      assert.equal(r.cases, 8);
      assert.equal(r.problems, 1);
      const after2 = await leader.get('/api/v1/decide/recurring');
      assert.equal(after2.body.items[0].caseCount, 6);
      assert.deepEqual((await leader.get('/api/v1/decide/hotspots?layer=h3&resolution=9')).body.features, before.features);
      assert.deepEqual((await leader.get('/api/v1/decide/hotspots')).body.features, beforeGrid.features);
      assert.equal((await runDecisionTail(env.ctx)).cases, 0); // the cursor continues after the rebuild
    });

    test('每月一题: propose, adopt, assign, resolve — with history, versions and permissions', async () => {
      // The job's daily run (the first test) already proposed the month's candidates; proposing again adds nothing.
      const pr = await leader.post('/api/v1/decide/topics/propose', { month: '2026-11' });
      assert.equal(pr.status, 200, JSON.stringify(pr.body));
      assert.deepEqual([pr.body.proposed, pr.body.candidates], [0, 1]);
      const list = await leader.get('/api/v1/decide/topics?month=2026-11');
      const t = list.body.items[0];
      assert.equal(t.state, 'proposed');
      assert.equal(t.monthCount, 6);
      assert.deepEqual(t.allowedActions, ['adopt', 'dismiss']);
      assert.equal((await streetB.post(`/api/v1/decide/topics/${t.id}/adopt`, { version: t.version })).status, 404); // not in its region
      const a = await leader.post(`/api/v1/decide/topics/${t.id}/adopt`, { version: t.version });
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(a.body.state, 'adopted');
      assert.equal((await leader.post(`/api/v1/decide/topics/${t.id}/adopt`, { version: a.body.version })).status, 409);
      const stale = await leader.post(`/api/v1/decide/topics/${t.id}/assign`, { version: t.version, unitId });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.field, 'version');
      const bad = await leader.post(`/api/v1/decide/topics/${t.id}/assign`, { version: a.body.version, unitId: 'U-NOPE' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'unitId');
      const as = await leader.post(`/api/v1/decide/topics/${t.id}/assign`, { version: a.body.version, unitId });
      assert.equal(as.body.state, 'assigned');
      assert.equal(as.body.unit.id, unitId);
      const unitLeader = await userClient(env.app, env.ctx, 'unit_leader', { unitIds: [unitId], regionIds: [] });
      const mine = await unitLeader.get('/api/v1/decide/topics');
      assert.deepEqual(mine.body.items.map((x: { id: number }) => x.id), [t.id]);
      assert.deepEqual(mine.body.items[0].allowedActions, ['resolve']);
      assert.equal((await unitLeader.post(`/api/v1/decide/topics/${t.id}/dismiss`, { version: as.body.version, note: 'no' })).status, 403);
      const done = await unitLeader.post(`/api/v1/decide/topics/${t.id}/resolve`, { version: as.body.version, note: '已更换井盖并加固' });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.deepEqual(done.body.history.map((h: { action: string }) => h.action), ['propose', 'adopt', 'assign', 'resolve']);
      const again = await leader.post(`/api/v1/decide/topics/${t.id}/dismiss`, { version: done.body.version, note: 'x' });
      assert.equal(again.status, 409);
    });

    test('未诉先办: a weekend rhythm becomes a proposed task; adopting creates a proactive case through the intake', async () => {
      // Proposed by the job's daily run; suggesting again adds nothing while the task is open.
      const s = await leader.post('/api/v1/decide/proactive/suggest');
      assert.equal(s.status, 200, JSON.stringify(s.body));
      assert.equal(s.body.proposed, 0);
      const list = await leader.get('/api/v1/decide/proactive?state=proposed');
      assert.equal(list.body.items.length, 1);
      const t = list.body.items[0];
      assert.equal(t.pattern.kind, 'weekend');
      assert.equal(t.dueDate, '2026-11-28'); // the next Saturday after Wednesday T0
      const noNote = await leader.post(`/api/v1/decide/proactive/${t.id}/dismiss`, { version: t.version });
      assert.equal(noNote.status, 400);
      assert.equal(noNote.body.error.field, 'note');
      assert.equal((await streetB.post(`/api/v1/decide/proactive/${t.id}/adopt`, { version: t.version })).status, 404);
      const a = await leader.post(`/api/v1/decide/proactive/${t.id}/adopt`, { version: t.version });
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(a.body.state, 'adopted');
      const c = await leader.get(`/api/v1/cases/${a.body.caseId}`);
      assert.equal(c.status, 200);
      assert.equal(c.body.channel, 'proactive');
      assert.equal(c.body.matter.code ?? c.body.matterCode, '06010');
      assert.equal((await leader.post(`/api/v1/decide/proactive/${t.id}/adopt`, { version: a.body.version })).status, 409);
      // The proactive case does not count as another occurrence of the problem.
      await runDecisionTail(env.ctx);
      assert.equal((await leader.get('/api/v1/decide/recurring')).body.items[0].caseCount, 6);
      const r = await leader.post(`/api/v1/decide/proactive/${t.id}/resolve`, { version: a.body.version });
      assert.equal(r.body.state, 'resolved');
      assert.deepEqual(r.body.history.map((h: { action: string }) => h.action), ['propose', 'adopt', 'resolve']);
    });

    test('settings: city data, validated by field; only administrators change them', async () => {
      const g = await leader.get('/api/v1/decide/settings');
      assert.deepEqual({ ...g.body }, { radiusMeters: 50, minCount: 5, windowDays: 90, topicCandidates: 5, proactiveHorizonDays: 7 });
      assert.equal((await leader.post('/api/v1/decide/run')).status, 200);
      const admin = await userClient(env.app, env.ctx, 'admin');
      const put = (body: unknown) => request(env, admin, body);
      const bad = await put({ radiusMeters: 500, minCount: 5, windowDays: 90, topicCandidates: 5, proactiveHorizonDays: 7 });
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /radiusMeters/);
      const ok = await put({ radiusMeters: 80, minCount: 3, windowDays: 60, topicCandidates: 3, proactiveHorizonDays: 10 });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.minCount, 3);
      assert.equal(env.ctx.ref.current().recurrence.radiusMeters, 80);
    });
  });
}

async function request(env: TestEnv, c: Client, body: unknown) {
  const { request: req } = await import('../support/api-client.ts');
  return req(env.app, 'PUT', '/api/v1/decide/settings', { body, cookie: c.headers.cookie, headers: { 'x-csrf-token': c.headers['x-csrf-token'] } });
}

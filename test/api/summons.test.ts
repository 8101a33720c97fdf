/**
 * Summons (吹哨报到, issue 9 part 2) over HTTP on each store: the street blows the whistle on a case, departments
 * report on site (GPS check-in) or online, late ones are marked late, the overdue job marks once, closing marks the
 * silent ones absent, the street rates each response once, and the assessment summary counts it all. Bad input is a
 * 4xx naming the field and leaves nothing behind.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, T0, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';
import { runSummonsOverdue } from '../../src/jobs/summons-overdue.job.ts';

for (const store of storesUnderTest()) {
  describe(`summons [${store}]`, () => {
    let env: TestEnv;
    let inspector: Client, street: Client, admin: Client;
    let caseId: number, caseNo: string, streetId: string, officeId: string, otherStreetUnit: string;
    let place: { lon: number; lat: number };

    const put = (c: Client, url: string, body: unknown) => request(env.app, 'PUT', url, { cookie: c.headers.cookie, headers: { 'x-csrf-token': c.headers['x-csrf-token'] }, body });
    const expectError = (r: { status: number; body: any }, status: number, code: string, field: string) => {
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(r.body.error.code, code, JSON.stringify(r.body));
      assert.equal(r.body.error.field, field, JSON.stringify(r.body));
    };
    const summonsRows = async () => Number((await env.db.selectFrom('summons').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const outbox = async (topic: string) => (await env.db.selectFrom('outbox').selectAll().where('topic', '=', topic).orderBy('id').execute())
      .map((r) => ({ unitIds: JSON.parse(r.unit_ids) as string[], regionIds: JSON.parse(r.region_ids) as string[], payload: JSON.parse(r.payload), caseId: r.case_id }));
    const newCase = async (n: number) => {
      const p = demoPoint(env, n);
      const r = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: `吹哨测试 ${n}`, location: { lon: p.lon, lat: p.lat } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return { id: r.body.id as number, caseNo: r.body.caseNo as string, ...p };
    };

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      inspector = await userClient(env.app, env.ctx, 'inspector');
      admin = await userClient(env.app, env.ctx, 'admin');
      const c = await newCase(3);
      caseId = c.id;
      caseNo = c.caseNo;
      place = { lon: c.lon, lat: c.lat };
      const row = await env.db.selectFrom('cases').select(['street_id']).where('id', '=', caseId).executeTakeFirstOrThrow();
      streetId = row.street_id!;
      const units = [...env.ctx.ref.current().units.values()];
      officeId = units.find((u) => u.regionId === streetId && u.kind === 'street_office')!.id;
      otherStreetUnit = units.find((u) => u.kind === 'street_office' && u.regionId !== streetId)!.id;
      street = await userClient(env.app, env.ctx, 'unit_leader', { unitIds: [officeId], regionIds: [] });
      // The case went to the street office, which cannot solve it alone.
      const dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      const d = await dispatcher.post(`/api/v1/cases/${caseId}/dispatch`, { unitId: officeId });
      assert.equal(d.status, 200, JSON.stringify(d.body));
    });
    after(async () => env.close());
    const otherStreetRegion = (than: string) => [...env.ctx.ref.current().regions.values()].find((r) => r.level === 'street' && r.id !== than)!.id;

    test('bad whistles: 4xx naming the field, nothing left behind', async () => {
      const body = { kind: 'routine', unitIds: ['U-CGZF'], reason: '占道经营屡禁不止，需执法与市场监管联合处置', mode: 'on_site' };
      const url = `/api/v1/cases/${caseId}/summons`;
      expectError(await street.post(url, { ...body, unitIds: [] }), 400, 'VALIDATION_FAILED', 'unitIds');
      expectError(await street.post(url, { ...body, unitIds: ['U-CGZF', 'U-SW', 'U-CGZF'] }), 400, 'VALIDATION_FAILED', 'unitIds.2');
      expectError(await street.post(url, { ...body, unitIds: ['U-NOPE'] }), 400, 'VALIDATION_FAILED', 'unitIds.0');
      expectError(await street.post(url, { ...body, unitIds: ['U-SW', otherStreetUnit] }), 400, 'VALIDATION_FAILED', 'unitIds.1');
      expectError(await street.post(url, { ...body, unitIds: [officeId] }), 400, 'VALIDATION_FAILED', 'unitIds.0');
      expectError(await street.post(url, { ...body, kind: 'whistle' }), 400, 'VALIDATION_FAILED', 'kind');
      expectError(await street.post(url, { ...body, reason: ' ' }), 400, 'VALIDATION_FAILED', 'reason');
      expectError(await street.post(url, { ...body, place: { lon: 0.5, lat: 0.5 } }), 422, 'OUT_OF_GRID', 'place');
      // Who sees the case but does not command on the street (an inspector) may not blow the whistle; a department
      // that does not hold the case does not even see it.
      expectError(await inspector.post(url, body), 403, 'FORBIDDEN', 'caseId');
      const dept = await userClient(env.app, env.ctx, 'unit_leader', { unitIds: ['U-CGZF'], regionIds: [] });
      expectError(await dept.post(url, body), 404, 'NOT_FOUND', undefined as never);
      assert.equal(await summonsRows(), 0);
      assert.equal((await outbox('summons.issued')).length, 0);
    });

    test('a closed case cannot be summoned on (409, field caseId)', async () => {
      const c = await newCase(5);
      await env.db.updateTable('cases').set({ state: 'ARCHIVED' }).where('id', '=', c.id).execute();
      const coordinator = await userClient(env.app, env.ctx, 'dispatcher');
      expectError(await coordinator.post(`/api/v1/cases/${c.id}/summons`, { kind: 'routine', unitIds: ['U-SW'], reason: '需要水务到场', mode: 'online' }), 409, 'INVALID_TRANSITION', 'caseId');
      assert.equal(await summonsRows(), 0);
    });

    test('whistle → reports on site and online (one late) → overdue once → close marks absent → ratings → summary', async () => {
      env.clock.set(T0);
      const issued = await street.post(`/api/v1/cases/${caseNo}/summons`, {
        kind: 'tackling', unitIds: ['U-CGZF', 'U-SW', 'U-ZJW'], reason: '小区门口长期占道经营，需要执法、水务、住建联合处置', mode: 'on_site',
      });
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      const s = issued.body;
      assert.equal(s.state, 'open');
      assert.equal(s.issuerUnit.id, officeId);
      assert.deepEqual(s.departments.map((d: any) => [d.unit.id, d.state]), [['U-CGZF', 'summoned'], ['U-SW', 'summoned'], ['U-ZJW', 'summoned']]);
      assert.equal(s.dueAt, new Date(T0 + 30 * 60_000).toISOString());
      assert.deepEqual([s.place.lon, s.place.lat], [place.lon, place.lat]);
      assert.deepEqual(s.allowedActions, ['close']);
      assert.equal(s.history[0].action, 'issued');
      const [ev] = await outbox('summons.issued');
      assert.deepEqual(ev.unitIds, ['U-CGZF', 'U-SW', 'U-ZJW']);
      assert.equal(ev.caseId, caseId);
      assert.equal(ev.payload.caseNo, caseNo);
      assert.ok(ev.regionIds.includes(streetId));

      // One open summons per case.
      expectError(await street.post(`/api/v1/cases/${caseId}/summons`, { kind: 'routine', unitIds: ['U-SW'], reason: '再吹一次', mode: 'online' }), 409, 'CONFLICT', 'caseId');

      const cgzf = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: ['U-CGZF'], regionIds: [] });
      const sw = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: ['U-SW'], regionIds: [] });
      const stranger = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: ['U-SCJG'], regionIds: [] });
      // The department sees the summons (not the case) in "waiting for my unit".
      const waiting = await sw.get('/api/v1/summons?waiting=true');
      assert.equal(waiting.status, 200, JSON.stringify(waiting.body));
      assert.deepEqual(waiting.body.items.map((x: any) => x.id), [s.id]);
      assert.deepEqual(waiting.body.items[0].allowedActions, ['report']);
      assert.equal(waiting.body.items[0].caseVisible, false, 'the department does not hold the case');
      assert.equal((await street.get(`/api/v1/summons/${s.id}`)).body.caseVisible, true);
      assert.equal((await stranger.get(`/api/v1/summons/${s.id}`)).status, 404);
      // Someone with no unit waits for nothing (an empty unit list once reached PostgreSQL as a NUL string: 500).
      const none = await admin.get('/api/v1/summons?waiting=true&unitId=U-SW');
      assert.equal(none.status, 200, JSON.stringify(none.body));
      assert.deepEqual(none.body.items, []);
      assert.deepEqual((await stranger.get('/api/v1/summons')).body.items, []);

      const report = `/api/v1/summons/${s.id}/report`;
      expectError(await stranger.post(report, { unitId: 'U-SW', mode: 'online' }), 404, 'NOT_FOUND', undefined as never);
      expectError(await cgzf.post(report, { unitId: 'U-SW', mode: 'online' }), 403, 'FORBIDDEN', 'unitId');
      expectError(await cgzf.post(report, { mode: 'on_site' }), 400, 'VALIDATION_FAILED', 'position');
      expectError(await cgzf.post(report, { mode: 'on_site', position: { lon: 0.5, lat: 0.5 } }), 422, 'OUT_OF_GRID', 'position');
      const far = await cgzf.post(report, { mode: 'on_site', position: { lon: place.lon + 0.01, lat: place.lat } });
      expectError(far, 400, 'VALIDATION_FAILED', 'position');
      assert.ok(far.body.error.details.distanceMeters > 500);
      env.clock.set(T0 + 10 * 60_000);
      const onSite = await cgzf.post(report, { mode: 'on_site', position: { lon: place.lon + 0.001, lat: place.lat, accuracy: 12 }, note: '中队两人到场' });
      assert.equal(onSite.status, 200, JSON.stringify(onSite.body));
      const c1 = onSite.body.departments[0];
      assert.deepEqual([c1.state, c1.reportMode, c1.late], ['reported', 'on_site', false]);
      assert.ok(c1.distanceMeters > 50 && c1.distanceMeters < 200, String(c1.distanceMeters));
      expectError(await cgzf.post(report, { mode: 'online' }), 409, 'CONFLICT', 'unitId');

      // Past the limit: the job marks the silent departments overdue, once, however often it runs.
      env.clock.set(T0 + 31 * 60_000);
      // Two runs at once (two nodes on PostgreSQL share the pool's connections): each mark is claimed once.
      const runs = await Promise.all([runSummonsOverdue(env.ctx), runSummonsOverdue(env.ctx)]);
      assert.equal(runs[0].overdue + runs[1].overdue, 2, JSON.stringify(runs));
      assert.deepEqual(await runSummonsOverdue(env.ctx), { overdue: 0 });
      const overdue = await outbox('summons.overdue');
      // The department that missed its limit, and the street that is waiting for it.
      assert.deepEqual(overdue.map((e) => e.unitIds).sort(), [['U-SW', officeId], ['U-ZJW', officeId]]);
      assert.deepEqual(overdue[0].payload.userIds, [street.userId]);
      const late = await sw.post(report, { mode: 'online' });
      assert.equal(late.status, 200, JSON.stringify(late.body));
      assert.deepEqual([late.body.departments[1].state, late.body.departments[1].late], ['reported', true]);
      const reported = await outbox('summons.reported');
      assert.equal(reported.length, 2);
      assert.deepEqual(reported[0].unitIds, ['U-CGZF', 'U-SW', 'U-ZJW', officeId]);
      assert.deepEqual(reported[1].payload.userIds, [street.userId]);
      assert.equal(reported[1].payload.late, true);

      // Ratings: not before a department reported; once each.
      const rate = `/api/v1/summons/${s.id}/rate`;
      expectError(await street.post(rate, { unitId: 'U-ZJW', rating: 3 }), 409, 'INVALID_TRANSITION', 'unitId');
      expectError(await street.post(rate, { unitId: 'U-SCJG', rating: 3 }), 400, 'VALIDATION_FAILED', 'unitId');
      expectError(await street.post(rate, { unitId: 'U-CGZF', rating: 6 }), 400, 'VALIDATION_FAILED', 'rating');
      expectError(await cgzf.post(rate, { unitId: 'U-CGZF', rating: 5 }), 403, 'FORBIDDEN', 'rating');
      assert.equal((await street.post(rate, { unitId: 'U-CGZF', rating: 5, comment: '到场及时' })).status, 200);
      expectError(await street.post(rate, { unitId: 'U-CGZF', rating: 4 }), 409, 'CONFLICT', 'unitId');

      // Close: only the street; the silent department becomes absent.
      const close = `/api/v1/summons/${s.id}/close`;
      expectError(await cgzf.post(close, { outcome: 'resolved', note: '已解决' }), 403, 'FORBIDDEN', 'outcome');
      expectError(await street.post(close, { outcome: 'solved', note: '已解决' }), 400, 'VALIDATION_FAILED', 'outcome');
      const closed = await street.post(close, { outcome: 'resolved', note: '现场协调，摊贩已清退' });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      assert.equal(closed.body.state, 'closed');
      assert.equal(closed.body.outcome, 'resolved');
      assert.deepEqual(closed.body.departments.map((d: any) => d.state), ['reported', 'reported', 'absent']);
      assert.deepEqual(closed.body.ratableUnitIds, ['U-SW', 'U-ZJW']);
      expectError(await street.post(close, { outcome: 'resolved', note: '再关一次' }), 409, 'INVALID_TRANSITION', 'outcome');
      expectError(await sw.post(report, { mode: 'online' }), 409, 'INVALID_TRANSITION', 'unitId');
      const [closedEv] = await outbox('summons.closed');
      assert.deepEqual(closedEv.payload.absentUnitIds, ['U-ZJW']);
      assert.deepEqual(closedEv.payload.userIds.sort(), [cgzf.userId, sw.userId].sort());
      assert.equal((await street.post(rate, { unitId: 'U-SW', rating: 3 })).status, 200);
      const last = await street.post(rate, { unitId: 'U-ZJW', rating: 1, comment: '未报到' });
      assert.equal(last.status, 200);
      assert.deepEqual(last.body.history.map((h: any) => h.action), ['issued', 'reported', 'overdue', 'overdue', 'reported', 'rated', 'absent', 'closed', 'rated', 'rated']);
      const rated = await outbox('summons.rated');
      assert.deepEqual(rated.map((e) => e.unitIds), [['U-CGZF'], ['U-SW'], ['U-ZJW']]);
      assert.deepEqual(rated[0].payload.userIds, [cgzf.userId]);

      // The case's summonses, and the assessment summary.
      const ofCase = await inspector.get(`/api/v1/cases/${caseId}/summons`);
      assert.deepEqual(ofCase.body.items.map((x: any) => x.id), [s.id]);
      const from = new Date(T0 - 86_400_000).toISOString();
      const to = new Date(T0 + 86_400_000).toISOString();
      const sum = await admin.get(`/api/v1/summons/summary?from=${from}&to=${to}`);
      assert.equal(sum.status, 200, JSON.stringify(sum.body));
      const by = Object.fromEntries(sum.body.items.map((x: any) => [x.unit.id, [x.received, x.reportedOnTime, x.reportedLate, x.absent, x.averageRating]]));
      assert.deepEqual(by, { 'U-CGZF': [1, 1, 0, 0, 5], 'U-SW': [1, 0, 1, 0, 3], 'U-ZJW': [1, 0, 0, 1, 1] });
      const mine = await sw.get(`/api/v1/summons/summary?from=${from}&to=${to}`);
      assert.deepEqual(mine.body.items.map((x: any) => x.unit.id), ['U-SW']);
      expectError(await admin.get(`/api/v1/summons/summary?from=${to}&to=${from}`), 400, 'VALIDATION_FAILED', 'to');
    });

    test('the reach offered to the console, and a coordinator covering the street blows the whistle in no unit\'s name', async () => {
      const c = await newCase(9);
      const row = await env.db.selectFrom('cases').select(['street_id', 'district_id']).where('id', '=', c.id).executeTakeFirstOrThrow();
      const coordinator = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [row.street_id!] });
      const cands = await coordinator.get(`/api/v1/cases/${c.id}/summons/candidates`);
      assert.equal(cands.status, 200, JSON.stringify(cands.body));
      assert.equal(cands.body.mayIssue, true);
      const ids = cands.body.items.map((u: { id: string }) => u.id);
      assert.ok(ids.includes('U-CGZF') && ids.includes('U-GD'));
      const units = env.ctx.ref.current().units;
      assert.ok(ids.every((id: string) => [null, row.street_id, row.district_id].includes(units.get(id)!.regionId)
        || env.ctx.ref.current().regions.get(units.get(id)!.regionId!)?.parentId === row.street_id), 'nothing of another street');
      assert.equal((await inspector.get(`/api/v1/cases/${c.id}/summons/candidates`)).body.mayIssue, false);
      const s = await coordinator.post(`/api/v1/cases/${c.id}/summons`, { kind: 'emergency', unitIds: ['U-XF', 'U-GD'], reason: '燃气管道附近施工，需消防与供电到场', mode: 'online' });
      assert.equal(s.status, 201, JSON.stringify(s.body));
      assert.equal(s.body.issuerUnit, null);
      assert.equal(s.body.issuedBy.id, coordinator.userId);
      assert.deepEqual(s.body.allowedActions, ['close']);
      assert.equal((await coordinator.get(`/api/v1/cases/${c.id}/summons/candidates`)).body.mayIssue, false, 'one open summons per case');
      const elsewhere = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [otherStreetRegion(row.street_id!)] });
      assert.equal((await elsewhere.post(`/api/v1/summons/${s.body.id}/close`, { outcome: 'resolved', note: '不是我的街道' })).status, 404);
      assert.equal((await coordinator.post(`/api/v1/summons/${s.body.id}/close`, { outcome: 'escalated', note: '上报区应急局统筹' })).status, 200);
    });

    test('settings: admins change the limits per kind; a bad stored setting falls back to the defaults', async () => {
      const officer = await userClient(env.app, env.ctx, 'dispatcher');
      assert.deepEqual((await officer.get('/api/v1/summons/settings')).body, { reportLimitMinutes: { routine: 30, tackling: 30, emergency: 30 }, checkInRadiusMeters: 500 });
      assert.equal((await put(officer, '/api/v1/summons/settings', { reportLimitMinutes: { routine: 30, tackling: 30, emergency: 15 }, checkInRadiusMeters: 300 })).status, 403);
      expectError(await put(admin, '/api/v1/summons/settings', { reportLimitMinutes: { routine: 30, tackling: 30, emergency: 0 }, checkInRadiusMeters: 300 }), 400, 'VALIDATION_FAILED', 'reportLimitMinutes.emergency');
      const ok = await put(admin, '/api/v1/summons/settings', { reportLimitMinutes: { routine: 60, tackling: 45, emergency: 15 }, checkInRadiusMeters: 300 });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const c = await newCase(7);
      env.clock.set(T0 + 3_600_000);
      const s = await admin.post(`/api/v1/cases/${c.id}/summons`, { kind: 'emergency', unitIds: ['U-GD'], reason: '电缆外露，需要供电到场', mode: 'on_site' });
      assert.equal(s.status, 201, JSON.stringify(s.body));
      assert.deepEqual([s.body.reportLimitMinutes, s.body.dueAt, s.body.checkInRadiusMeters], [15, new Date(T0 + 3_600_000 + 15 * 60_000).toISOString(), 300]);
      // A stored value an old version or a hand edit spoiled: the server keeps going on the defaults and says so.
      await env.db.updateTable('settings').set({ value: JSON.stringify({ reportLimitMinutes: 5 }) }).where('key', '=', 'summons_settings').execute();
      await env.ctx.ref.load();
      const got = await admin.get('/api/v1/summons/settings');
      assert.equal(got.body.reportLimitMinutes.routine, 30);
      assert.equal(got.body.problems[0].setting, 'summons_settings');
      assert.equal((await officer.get('/api/v1/summons/settings')).body.problems, undefined);
    });
  });
}

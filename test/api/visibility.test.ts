/**
 * One visibility policy (issue 12): every role, on a case in its scope and on one outside it, against EVERY route that
 * names a case id (read from the route table, so a new route is covered as soon as it exists), plus the list, its
 * total, the statistics, photos and live events. The expected statuses are written down here as one table, from the
 * rule itself — not computed by the code under test:
 *   - a role without the route's permission: 403 (before anything is loaded, so nothing is disclosed);
 *   - a case the actor may not see: 404 (for every route, actions and merges included);
 *   - a case the actor may see: 200 for reads; for actions, 409 (the request carries a stale version, so the
 *     action is refused after the case was found, without changing it); 403 for the candidates of an action form
 *     (grid members to dispatch to, verifiers to name) on a case that may not be dispatched, ruled or sent for
 *     verification now.
 * Who may see what: centre staff of street A see the cases of street A; staff of the lead unit and of an assisting
 * unit see the case their unit holds; administrators see everything.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { routeTable } from '../../src/http/middleware/auth.ts';
import { hasPermission, ROLE_NAMES, type Permission, type Role } from '../../src/domain/policy/permissions.ts';
import type { Action } from '../../src/domain/case/index.ts';
import { canSeeEvent } from '../../src/http/routes/events/event.routes.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const STALE = 999_999;

/** A request body each action's schema accepts (the actions must reach the case before they are refused). */
function bodies(units: { unitId: string; subUnitId: string; otherUnitId: string }, masterCaseId: number): Record<Action, Record<string, unknown>> {
  return {
    accept: {}, reject: { reason: 'x', rejectKind: 'invalid' }, request_verify: {}, verify: { outcome: 'confirmed' }, register: {},
    dispatch: { unitId: units.unitId }, reassign: { unitId: units.subUnitId, reason: 'x' }, recall: { reason: 'x' }, sign: {}, second_dispatch: { subUnitId: units.subUnitId }, return: { reason: 'x', basis: 'y' },
    rule_dispute: { unitId: units.otherUnitId, ruling: 'x' }, request_postpone: { extra: { amount: 1, unit: 'work_days' }, reason: 'x' },
    approve_postpone: {}, deny_postpone: { reason: 'x' }, request_hang: { reason: 'x' }, approve_hang: {}, deny_hang: { reason: 'x' },
    resume: {}, dispose: { result: 'x', photos: [] }, send_check: {}, check_pass: {}, check_fail: { reason: 'x' },
    callback: { satisfied: true }, close: { closureType: 'special', reason: 'x' }, reopen: { reason: 'x' },
    supervise: { note: 'x', level: 'urge' }, self_fix: { result: 'x', photos: ['p'] }, merge_into: { masterCaseId }, split: { reason: 'x' },
    escalate: { reason: 'x' }, assign_down: { toRegionId: 'x', reason: 'x' }, accept_transfer: {}, refuse_transfer: { reason: 'x' },
  };
}

for (const store of storesUnderTest()) {
  describe(`one visibility policy: every role × in / out of scope × every case route [${store}]`, () => {
    let env: TestEnv;
    let admin: Client;
    const ids = { A: 0, B: 0, C: 0 };
    const photos = { A: '', B: '' };
    let streetA = '';
    let units: { lead: string; assisting: string; other: string; sub: string };
    const actors: { name: string; roles: Role[]; client: Client; sees: { A: boolean; B: boolean; C: boolean } }[] = [];

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      admin = await userClient(env.app, env.ctx, 'admin');
      const ref = env.ctx.ref.current();
      // two points in different streets
      const pA = demoPoint(env, 0);
      const streetOf = (communityId: string) => ref.regions.get(communityId)!.parentId!;
      streetA = streetOf(pA.communityId);
      let n = 1;
      while (streetOf(demoPoint(env, n).communityId) === streetA) n++;
      const pB = demoPoint(env, n);
      // three units: the lead of A, an assisting unit of A, and B's unit; plus a sub-unit (for second dispatch bodies)
      const unitList = [...ref.units.values()].filter((u) => u.kind !== 'centre');
      const sub = unitList.find((u) => u.parentId !== null)!;
      const [lead, assisting, other] = unitList.filter((u) => u.parentId === null).map((u) => u.id);
      units = { lead, assisting, other, sub: sub.id };

      const upload = async () => {
        const boundary = `----v${Math.random().toString(16).slice(2)}`;
        const payload = Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n`), PNG,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        const r = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...admin.headers } });
        assert.equal(r.statusCode, 201, r.body);
        return JSON.parse(r.body).id as string;
      };
      const create = async (p: { lon: number; lat: number }, photo?: string) => {
        const r = await admin.post('/api/v1/cases', {
          channel: 'superior', matterCode: '06010', description: '可见性测试', location: { lon: p.lon, lat: p.lat }, ...(photo ? { attachmentIds: [photo] } : {}),
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.state, 'REGISTERED');
        return r.body.id as number;
      };
      photos.A = await upload();
      photos.B = await upload();
      ids.A = await create(pA, photos.A);
      ids.B = await create(pB, photos.B);
      ids.C = await create(pA);
      const d1 = await admin.post(`/api/v1/cases/${ids.A}/dispatch`, { unitId: lead, assistingUnitIds: [assisting] });
      assert.equal(d1.status, 200, JSON.stringify(d1.body));
      const d2 = await admin.post(`/api/v1/cases/${ids.B}/dispatch`, { unitId: other });
      assert.equal(d2.status, 200, JSON.stringify(d2.body));

      const centre: Role[] = ['operator', 'shift_leader', 'dispatcher', 'inspector', 'grid_member', 'centre_leader'];
      for (const role of ROLE_NAMES) {
        if (role === 'admin') {
          actors.push({ name: 'admin', roles: [role], client: await userClient(env.app, env.ctx, role, { regionIds: [] }), sees: { A: true, B: true, C: true } });
        } else if (centre.includes(role)) {
          actors.push({ name: `${role}@streetA`, roles: [role], client: await userClient(env.app, env.ctx, role, { regionIds: [streetA] }), sees: { A: true, B: false, C: true } });
        } else {
          actors.push({ name: `${role}@lead`, roles: [role], client: await userClient(env.app, env.ctx, role, { unitIds: [lead], regionIds: [] }), sees: { A: true, B: false, C: false } });
          actors.push({ name: `${role}@assisting`, roles: [role], client: await userClient(env.app, env.ctx, role, { unitIds: [assisting], regionIds: [] }), sees: { A: true, B: false, C: false } });
        }
      }
    });
    after(async () => env.close());

    test('every route naming a case answers by the one table', async () => {
      // The joint-action routes (…/assists, …/assists/:taskId/…) have bodies and a task id of their own: their visibility
      // is tested in test/api/joint-action.test.ts. Blowing a whistle (POST …/summons) is not a case action either
      // (no version, its own body): test/api/summons.test.ts checks that a case one may not see is a 404 there.
      const routes = routeTable.filter((r) => r.url.startsWith('/api/v1/cases/:id') && !r.url.includes('/assists')
        && !(r.method === 'POST' && r.url.endsWith('/summons')));
      const unique = [...new Map(routes.map((r) => [`${r.method} ${r.url}`, r])).values()];
      assert.ok(unique.length >= 32, `found ${unique.length} case routes`); // 28 actions + case, history, duplicates, grid members
      const body = bodies({ unitId: units.lead, subUnitId: units.sub, otherUnitId: units.other }, ids.C);
      const mismatches: string[] = [];
      let checked = 0;
      for (const a of actors) {
        for (const r of unique) {
          for (const which of ['A', 'B'] as const) {
            const id = ids[which];
            const action = r.url.replace('/api/v1/cases/:id/', '').replace(/-/g, '_') as Action;
            const url = r.url.replace(':id', String(which === 'A' && action === 'merge_into' ? ids.A : id));
            const allowed = hasPermission(a.roles, r.permission as Permission);
            // GET …/grid-members serves the dispatch and ruling forms, GET …/verifiers the 派发核实 form: on a visible case
            // that nobody may dispatch, rule or send for verification now (case A is DISPATCHED) they are refused like those
            // actions would be.
            const asAction = r.url.endsWith('/grid-members') || r.url.endsWith('/verifiers');
            const expected = !allowed ? 403 : !a.sees[which] ? 404 : asAction ? 403 : r.method === 'GET' ? 200 : 409;
            const res = r.method === 'GET' ? await a.client.get(url) : await a.client.post(url, { ...body[action], version: STALE });
            checked++;
            if (res.status !== expected) mismatches.push(`${a.name} ${r.method} ${r.url} case ${which}: ${res.status} (expected ${expected}) ${JSON.stringify(res.body).slice(0, 160)}`);
            if (res.status === 404) assert.doesNotMatch(JSON.stringify(res.body), /\d{14}/, 'a 404 names no case number');
          }
        }
      }
      assert.deepEqual(mismatches, [], `${mismatches.length} of ${checked} answers differ from the table`);
    });

    test('the list, its total and the statistics show exactly the visible cases', async () => {
      for (const a of actors) {
        const expected = (['A', 'B', 'C'] as const).filter((k) => a.sees[k]).map((k) => ids[k]).sort((x, y) => x - y);
        const list = await a.client.get('/api/v1/cases?limit=100');
        assert.equal(list.status, 200, a.name);
        assert.deepEqual(list.body.items.map((c: { id: number }) => c.id).sort((x: number, y: number) => x - y), expected, `${a.name}: list`);
        assert.equal(list.body.total, expected.length, `${a.name}: total`);
        const queue = await a.client.get('/api/v1/cases?sort=due&limit=100');
        assert.equal(queue.body.total, expected.length, `${a.name}: queue total`);
        const stats = await a.client.get('/api/v1/stats/overview');
        assert.equal(stats.status, 200, a.name);
        assert.equal(stats.body.totals.open, expected.length, `${a.name}: open cases counted by the statistics`);
      }
    });

    test("photos follow their case's visibility; an unattached upload is its uploader's", async () => {
      for (const a of actors) {
        for (const which of ['A', 'B'] as const) {
          const r = await a.client.get(`/api/v1/attachments/${photos[which]}`);
          assert.equal(r.status, a.sees[which] ? 200 : 404, `${a.name} photo of ${which}`);
          if (r.status === 200) assert.equal(r.headers['x-content-type-options'], 'nosniff');
        }
      }
    });

    test('live events go to exactly the actors who may see the case (assisting units included)', async () => {
      const rows = await env.db.selectFrom('outbox').selectAll().where('case_id', 'in', [ids.A, ids.B]).where('topic', '=', 'case.transitioned').execute();
      assert.equal(rows.length, 2);
      const regions = env.ctx.ref.current().regions;
      const path = (regionIds: string[]) => {
        const out = new Set(regionIds);
        for (const id of regionIds) for (let r = regions.get(id); r?.parentId; r = regions.get(r.parentId)) out.add(r.parentId);
        return [...out];
      };
      for (const row of rows) {
        const e = { id: Number(row.id), topic: row.topic, caseId: Number(row.case_id), unitIds: JSON.parse(row.unit_ids), regionIds: JSON.parse(row.region_ids), payload: {}, at: 0 };
        const which = Number(row.case_id) === ids.A ? 'A' : 'B';
        for (const a of actors) {
          const me = await a.client.get('/api/v1/auth/me');
          const p = { kind: 'user' as const, userId: me.body.id, name: '', roles: me.body.roles, unitIds: me.body.unitIds, regionIds: me.body.regionIds };
          assert.equal(canSeeEvent(p, e, path), a.sees[which], `${a.name} event of ${which}`);
        }
      }
    });

    test('merging into a case the actor may not see is refused as an unknown case, and names nothing', async () => {
      const local = actors.find((a) => a.name === 'dispatcher@streetA')!.client;
      assert.equal((await local.get(`/api/v1/cases/${ids.B}`)).status, 404);
      const merge = await local.post(`/api/v1/cases/${ids.C}/merge-into`, { masterCaseId: ids.B });
      assert.equal(merge.status, 400, JSON.stringify(merge.body));
      assert.equal(merge.body.error.field, 'masterCaseId');
      const caseNoB = (await admin.get(`/api/v1/cases/${ids.B}`)).body.caseNo;
      assert.doesNotMatch(JSON.stringify(merge.body), new RegExp(caseNoB));
      const c = (await admin.get(`/api/v1/cases/${ids.C}`)).body;
      assert.equal(c.state, 'REGISTERED', 'nothing was written');
      assert.equal(c.masterCaseId, null);
    });
  });
}

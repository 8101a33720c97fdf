/** Duplicate detection across channels (issue 3 §5): automatic linking, manual merge, duplicates listed with photos. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { dupCell, neighbourCells, pickMaster, DEFAULT_DUPLICATE_POLICY } from '../../src/domain/duplicates/duplicates.ts';

const north = (lat: number, m: number) => lat + m / 111320;

test('dupCell: points within the radius fall in the 3×3 block; pickMaster takes the oldest open one within radius', () => {
  const [lon, lat] = [121.47, 31.23];
  const block = neighbourCells(dupCell(lon, lat));
  for (const [dx, dy] of [[49, 0], [-49, 0], [0, 49], [0, -49], [35, 35]]) {
    assert.ok(block.includes(dupCell(lon + dx / (111320 * Math.cos(31.23 * Math.PI / 180)), lat + dy / 111320)));
  }
  const c = (id: number, m: number, createdAt: number, state = 'REPORTED') => ({ id, caseNo: `n${id}`, state, lon, lat: north(lat, m), createdAt });
  const r = pickMaster([c(1, 60, 1), c(2, 10, 5), c(3, 5, 3), c(4, 1, 0, 'ARCHIVED')], { lon, lat }, 10, { ...DEFAULT_DUPLICATE_POLICY, enabled: true });
  assert.equal(r?.master.id, 3);
});

for (const store of storesUnderTest()) {
  describe(`duplicate detection [${store}]`, () => {
    let env: TestEnv;
    let op: Client;
    let n = 0;
    before(async () => {
      env = await createDemoEnv(store, { duplicates: true });
      await loadGridPoints(env);
      op = await userClient(env.app, env.ctx, 'operator');
    });
    after(async () => env.close());

    // each test its own grid so they do not see each other's cases
    const report = (pointNo: number, metresNorth: number, extra: Record<string, unknown> = {}) => {
      const p = demoPoint(env, pointNo);
      return op.post('/api/v1/cases', {
        channel: 'hotline', matterCode: '06012', description: `道路不洁 ${++n}`, location: { lon: p.lon, lat: north(p.lat, metresNorth) }, ...extra,
      });
    };

    test('a second report of the same matter 10 m away is linked to the first as its duplicate', async () => {
      const a = await report(1, 0);
      assert.equal(a.status, 201, JSON.stringify(a.body));
      assert.equal(a.body.masterCaseId, null);
      const b = await report(1, 10, { channel: 'app' });
      assert.equal(b.status, 201, JSON.stringify(b.body));
      assert.equal(b.body.state, 'CANCELLED');
      assert.equal(b.body.masterCaseId, a.body.id);
      assert.deepEqual(b.body.duplicateOf, { id: a.body.id, caseNo: a.body.caseNo, state: a.body.state });
      const h = await op.get(`/api/v1/cases/${b.body.id}/history`);
      assert.equal(h.body.items[0].action, 'linked_duplicate');
      assert.equal(h.body.items[0].details.masterCaseId, a.body.id);
      assert.ok(h.body.items[0].details.distanceMeters > 5 && h.body.items[0].details.distanceMeters < 15);
      const got = await op.get(`/api/v1/cases/${b.body.id}`);
      assert.equal(got.body.duplicateOf.id, a.body.id);
    });

    test('200 m apart, or another matter: independent cases', async () => {
      const a = await report(2, 0);
      const far = await report(2, 200);
      assert.equal(far.body.masterCaseId, null);
      assert.notEqual(far.body.state, 'CANCELLED');
      const other = await report(2, 5, { matterCode: '06010' });
      assert.equal(other.status, 201, JSON.stringify(other.body));
      assert.equal(other.body.masterCaseId, null);
      assert.ok(a.body.id);
    });

    test('once the master is archived or cancelled, a new report is independent', async () => {
      for (const [pointNo, state] of [[3, 'ARCHIVED'], [4, 'CANCELLED']] as const) {
        const a = await report(pointNo, 0);
        await env.db.updateTable('cases').set({ state }).where('id', '=', a.body.id).execute();
        const b = await report(pointNo, 3);
        assert.equal(b.body.masterCaseId, null, state);
        assert.notEqual(b.body.state, 'CANCELLED');
      }
    });

    test('an idempotent retry of a linked duplicate returns the first result', async () => {
      const a = await report(5, 0);
      const key = { 'idempotency-key': `dup-retry-${store}` };
      const p = demoPoint(env, 5);
      const body = { channel: 'hotline', matterCode: '06012', description: 'retry', location: { lon: p.lon, lat: p.lat } };
      const b1 = await op.post('/api/v1/cases', body, key);
      const b2 = await op.post('/api/v1/cases', body, key);
      assert.equal(b1.status, 201);
      assert.equal(b2.status, 200);
      assert.equal(b2.body.id, b1.body.id);
      assert.equal(b2.body.masterCaseId, a.body.id);
      assert.equal(b2.body.duplicateOf.id, a.body.id);
    });

    test('manual merge links the case, and the master lists it with its photos; merge into self is refused', async () => {
      const boundary = 'b' + Math.random().toString(16).slice(2);
      const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);
      const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), jpeg, Buffer.from(`\r\n--${boundary}--\r\n`)]);
      const up = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', payload, headers: { ...op.headers, 'content-type': `multipart/form-data; boundary=${boundary}` } });
      assert.equal(up.statusCode, 201, up.body);
      const photo = JSON.parse(up.body).id as string;
      const master = await report(6, 0);
      const other = await report(6, 300, { attachmentIds: [photo] }); // too far to be linked automatically
      assert.equal(other.body.masterCaseId, null);
      const self = await op.post(`/api/v1/cases/${master.body.id}/merge-into`, { masterCaseId: master.body.id });
      assert.ok([400, 409].includes(self.status), JSON.stringify(self.body));
      assert.equal(self.body.error.field, 'masterCaseId');
      const m = await op.post(`/api/v1/cases/${other.body.id}/merge-into`, { masterCaseId: master.body.id, reason: '同一处垃圾' });
      assert.equal(m.status, 200, JSON.stringify(m.body));
      assert.equal(m.body.state, 'CANCELLED');
      assert.equal(m.body.masterCaseId, master.body.id);
      const again = await op.post(`/api/v1/cases/${other.body.id}/merge-into`, { masterCaseId: master.body.id });
      assert.equal(again.status, 409);
      const d = await op.get(`/api/v1/cases/${master.body.id}/duplicates`);
      assert.equal(d.status, 200, JSON.stringify(d.body));
      assert.deepEqual(d.body.items.map((i: { case: { id: number } }) => i.case.id), [other.body.id]);
      assert.deepEqual(d.body.items[0].attachmentIds, [photo]);
      const mh = await op.get(`/api/v1/cases/${master.body.id}/history`);
      assert.ok(mh.body.items.some((h: { action: string }) => h.action === 'duplicate_merged'));
    });

    test('reports in flight together (one write batch) still see each other: one master, the rest linked', async () => {
      const rs = await Promise.all([0, 4, 8, 12, 16].map((m) => report(7, m)));
      for (const r of rs) assert.equal(r.status, 201, JSON.stringify(r.body));
      const masters = rs.filter((r) => r.body.masterCaseId === null);
      assert.equal(masters.length, 1, JSON.stringify(rs.map((r) => [r.body.id, r.body.masterCaseId])));
      for (const r of rs) if (r !== masters[0]) {
        assert.equal(r.body.masterCaseId, masters[0].body.id);
        assert.equal(r.body.state, 'CANCELLED');
      }
      const d = await op.get(`/api/v1/cases/${masters[0].body.id}/duplicates`);
      assert.equal(d.body.items.length, 4);
    });

    test('split: a linked report becomes its own case again with a fresh dispatch clock; history on both', async () => {
      const a = await report(8, 0);
      const b = await report(8, 6, { channel: 'app' });
      assert.equal(b.body.masterCaseId, a.body.id);
      const noReason = await op.post(`/api/v1/cases/${b.body.id}/split`, {});
      assert.equal(noReason.status, 400);
      assert.match(noReason.body.error.message, /reason/);
      const s = await op.post(`/api/v1/cases/${b.body.id}/split`, { reason: '是隔壁路段的另一处垃圾' });
      assert.equal(s.status, 200, JSON.stringify(s.body));
      assert.equal(s.body.masterCaseId, null);
      assert.equal(s.body.state, 'REPORTED');
      assert.ok(s.body.allowedActions.length > 0);
      const again = await op.post(`/api/v1/cases/${b.body.id}/split`, { reason: 'x' });
      assert.equal(again.status, 409);
      const d = await op.get(`/api/v1/cases/${a.body.id}/duplicates`);
      assert.deepEqual(d.body.items, []);
      const mh = await op.get(`/api/v1/cases/${a.body.id}/history`);
      assert.ok(mh.body.items.some((h: { action: string }) => h.action === 'duplicate_split'));
      const bh = await op.get(`/api/v1/cases/${b.body.id}/history`);
      assert.ok(bh.body.items.some((h: { action: string; reason: string }) => h.action === 'split' && h.reason.includes('另一处')));
    });
  });
}

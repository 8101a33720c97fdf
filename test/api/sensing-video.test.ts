/**
 * Issue 11 part 5: video-AI alarms. A camera is registered; the analytics post detections (an uploaded snapshot or a
 * URL on the city's video platform, never fetched): below the type's threshold it is only recorded; otherwise it waits
 * in the review queue; a resend answers the first alarm; an operator accepts one (a case, channel video, accepted by
 * them) and rejects another as false (accuracy per AI model); a later detection of that camera and matter joins the
 * open case; a whitelisted type in that area is dispatched at once; the case page lists the nearest cameras.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, request, type Client } from '../support/api-client.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f0d8f40000000049454e44ae426082', 'hex');

for (const store of storesUnderTest()) {
  describe(`video-AI alarms [${store}]`, () => {
    let env: TestEnv;
    let admin: Client, operator: Client;
    let where: { lon: number; lat: number };
    const put = (c: Client, url: string, body: unknown) => request(env.app, 'PUT', url, { cookie: c.headers.cookie, headers: { 'x-csrf-token': c.headers['x-csrf-token'] }, body });
    const detection = (id: string, extra: Record<string, unknown> = {}) => ({
      detectionId: id, type: 'garbage_exposed', confidence: 0.9, cameraId: 'cam-1', model: { name: 'cityscene', version: '3.2' }, ...extra,
    });
    const upload = async (c: Client): Promise<string> => {
      const boundary = '----snap';
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="snap.png"\r\nContent-Type: image/png\r\n\r\n`),
        PNG, Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...c.headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
      assert.equal(r.statusCode, 201, r.body);
      return JSON.parse(r.body).id;
    };

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      const p = demoPoint(env, 2);
      where = { lon: p.lon, lat: p.lat };
      admin = await userClient(env.app, env.ctx, 'admin');
      operator = await userClient(env.app, env.ctx, 'operator');
    });
    after(async () => env.close());

    test('the camera registry: bad input named, saved, listed', async () => {
      const bad = await put(admin, '/api/v1/cameras/cam-1', { name: '东门', lon: 500, lat: where.lat });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'lon');
      assert.equal((await put(operator, '/api/v1/cameras/cam-1', { name: '东门', ...where })).status, 403);
      const ok = await put(admin, '/api/v1/cameras/cam-1', { name: '东门路口', ...where, direction: 90, streamUrl: 'rtsp://video.city.local/cam-1' });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.ok(ok.body.gridId);
      assert.equal((await operator.get('/api/v1/cameras')).body.items.length, 1);
    });

    let queued = '', second = '';
    test('detections: unknown type refused, below threshold recorded only, others queued, a resend answers the first', async () => {
      const unknown = await admin.post('/api/v1/video/detections', detection('d0', { type: 'ufo' }));
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.error.field, 'type');
      const noCam = await admin.post('/api/v1/video/detections', detection('d0', { cameraId: 'cam-x' }));
      assert.equal(noCam.body.error.field, 'position');
      const badSnap = await admin.post('/api/v1/video/detections', detection('d0', { snapshot: { attachmentId: 'nope' } }));
      assert.equal(badSnap.body.error.field, 'snapshot.attachmentId');
      const low = await admin.post('/api/v1/video/detections', detection('d1', { confidence: 0.3 }));
      assert.equal(low.status, 201);
      assert.equal(low.body.disposition, 'below_threshold');
      const snap = await upload(admin);
      const q = await admin.post('/api/v1/video/detections', detection('d2', { snapshot: { attachmentId: snap } }));
      assert.equal(q.status, 201, JSON.stringify(q.body));
      assert.equal(q.body.disposition, 'pending');
      assert.equal(q.body.caseId, null);
      queued = q.body.alarm.id;
      const again = await admin.post('/api/v1/video/detections', detection('d2', { snapshot: { attachmentId: snap } }));
      assert.equal(again.status, 200);
      assert.equal(again.body.created, false);
      assert.equal(again.body.alarm.id, queued);
      const s = await admin.post('/api/v1/video/detections', detection('d3', { type: 'illegal_parking', snapshot: { url: 'https://video.city.local/snap/d3.jpg' } }));
      second = s.body.alarm.id;
      assert.equal(s.body.alarm.snapshotUrl, 'https://video.city.local/snap/d3.jpg');
      const queue = await operator.get('/api/v1/alarms?review=pending');
      assert.deepEqual(queue.body.items.map((a: { id: string }) => a.id).sort(), [queued, second].sort());
      assert.ok(queue.body.items.every((a: { canReview: boolean }) => a.canReview));
      const img = await request(env.app, 'GET', `/api/v1/alarms/${queued}/snapshot`, { cookie: operator.headers.cookie });
      assert.equal(img.status, 200, 'the reviewer sees the snapshot the analytics uploaded');
      assert.equal(img.headers['content-type'], 'image/png');
    });

    let caseId = 0;
    test('accept: a case on channel video, accepted by the reviewer, with the snapshot; a second accept is a conflict', async () => {
      const r = await operator.post(`/api/v1/alarms/${queued}/accept`, { note: '核实画面属实' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.how, 'case');
      caseId = r.body.caseId;
      const c = await operator.get(`/api/v1/cases/${caseId}`);
      const body = c.body.case ?? c.body;
      assert.equal(body.channel, 'video');
      assert.equal(body.state, 'ACCEPTED');
      assert.equal(body.matterCode ?? body.matter?.code, '06010');
      assert.ok(JSON.stringify(c.body).includes(r.body.alarm.id) || (await operator.get(`/api/v1/alarms?caseId=${caseId}`)).body.items.length === 1);
      assert.equal((await operator.post(`/api/v1/alarms/${queued}/accept`, {})).status, 409);
    });

    test('reject as false alarm: no case; accuracy per AI model counts it', async () => {
      const r = await operator.post(`/api/v1/alarms/${second}/reject`, { reason: '车辆正常临时停靠' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.review, 'rejected');
      assert.equal(r.body.caseId, null);
      const acc = await operator.get('/api/v1/alarms/accuracy?by=ai_model');
      const m = acc.body.items.find((i: { key: string }) => i.key === 'cityscene@3.2');
      assert.deepEqual([m.total, m.falseAlarms, m.accuracy], [2, 1, 0.5]);
      assert.equal((await operator.get('/api/v1/alarms?review=pending')).body.items.length, 0);
    });

    test('a later detection of that camera and matter joins the open case on accept', async () => {
      const d = await admin.post('/api/v1/video/detections', detection('d4'));
      const r = await operator.post(`/api/v1/alarms/${d.body.alarm.id}/accept`, {});
      assert.equal(r.body.how, 'linked');
      assert.equal(r.body.caseId, caseId);
    });

    test('a whitelisted type in that area is filed and dispatched at once', async () => {
      const street = env.ctx.ref.locate(where.lon, where.lat)!.streetId!;
      const pol = await put(admin, '/api/v1/sensing/alarm-policy', { autoDispatch: [{ source: 'video', matterCode: '09006', regionIds: [street] }] });
      assert.equal(pol.status, 200, JSON.stringify(pol.body));
      const d = await admin.post('/api/v1/video/detections', detection('d5', { type: 'street_vending' }));
      assert.equal(d.body.disposition, 'filed');
      const c = await admin.get(`/api/v1/cases/${d.body.caseId}`);
      assert.equal((c.body.case ?? c.body).state, 'DISPATCHED');
    });

    test('the case page lists the nearest cameras', async () => {
      const r = await operator.get(`/api/v1/cases/${caseId}/cameras`);
      assert.equal(r.status, 200);
      assert.equal(r.body.items[0].camera.id, 'cam-1');
      assert.ok(r.body.items[0].distanceMeters < 50);
      assert.equal((await operator.get('/api/v1/cases/999999/cameras')).status, 404);
    });
  });
}

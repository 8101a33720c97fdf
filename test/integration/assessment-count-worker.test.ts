/**
 * The assessment counting job on its own thread (src/jobs/assessment-count-worker.ts), on each store: cases created
 * on the main thread are counted by the thread (facts and the cursor), the main thread runs no counting, and stop()
 * lets the thread finish and end.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { AssessmentCountWorker } from '../../src/jobs/assessment-count-worker.ts';
import { ASSESSMENT_CURSOR } from '../../src/jobs/assessment-count.job.ts';

for (const store of storesUnderTest()) {
  describe(`assessment counting thread [${store}]`, () => {
    let env: TestEnv;
    before(async () => { env = await createDemoEnv(store); await loadGridPoints(env); });
    after(async () => env.close());

    test('cases created here are counted by the thread; stop ends it', async () => {
      const inspector = await userClient(env.app, env.ctx, 'inspector');
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) {
        const p = demoPoint(env, i);
        const r = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: `计数线程 ${i}`, location: { lon: p.lon, lat: p.lat } });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        ids.push(r.body.id);
      }
      const counted = async () => Number((await env.db.selectFrom('assessment_facts').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', 'in', ids).executeTakeFirstOrThrow()).n);
      assert.equal(await counted(), 0, 'nothing counts them on this thread');
      const worker = new AssessmentCountWorker(env.ctx, 50);
      try {
        const deadline = Date.now() + 60_000;
        while ((await counted()) < ids.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        assert.equal(await counted(), ids.length, 'the thread counted every case');
        const last = await env.ctx.store.outbox.lastId();
        while ((await env.ctx.store.notifications.cursorOf(ASSESSMENT_CURSOR)) < last && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        assert.ok((await env.ctx.store.notifications.cursorOf(ASSESSMENT_CURSOR)) >= last, 'the cursor passed the cases\' outbox rows');
      } finally {
        await worker.stop();
      }
      // after stop nothing counts: a new case stays uncounted
      const p = demoPoint(env, 5);
      const r = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: '停止后', location: { lon: p.lon, lat: p.lat } });
      await new Promise((res) => setTimeout(res, 300));
      assert.equal(Number((await env.db.selectFrom('assessment_facts').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', r.body.id).executeTakeFirstOrThrow()).n), 0);
    });
  });
}

describe('supervised thread [sqlite]', () => {
  let env: TestEnv;
  before(async () => { env = await createDemoEnv('sqlite'); await loadGridPoints(env); });
  after(async () => env.close());

  test('a counting thread that dies is started again and counts on', async () => {
    const worker = new AssessmentCountWorker(env.ctx, 50);
    const thread = (worker as unknown as { thread: { current: { threadId: number; terminate(): Promise<number> } } }).thread;
    try {
      const first = thread.current.threadId;
      await thread.current.terminate(); // as if it crashed
      const deadline = Date.now() + 30_000;
      while (thread.current.threadId === first && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.notEqual(thread.current.threadId, first, 'a new thread was started');
      const inspector = await userClient(env.app, env.ctx, 'inspector');
      const p = demoPoint(env, 1);
      const r = await inspector.post('/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: '重启后计数', location: { lon: p.lon, lat: p.lat } });
      const counted = async () => Number((await env.db.selectFrom('assessment_facts').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', r.body.id).executeTakeFirstOrThrow()).n);
      while ((await counted()) === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
      assert.equal(await counted(), 1, 'the new thread counts');
    } finally {
      await worker.stop();
    }
  });
});

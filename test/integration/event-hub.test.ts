/** The live-event hub delivers rows that commit out of id order (PostgreSQL sequences), once each. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestEnv } from '../support/test-context.ts';
import { EventHub } from '../../src/runtime/event-hub.ts';

test('a row committed late behind a higher id is still delivered, once', async () => {
  const env = await createTestEnv('sqlite');
  try {
    const hub = new EventHub(env.ctx.store, 60_000);
    await hub.start();
    const seen: number[] = [];
    hub.subscribe((r) => seen.push(r.id));
    const base = hub.position;
    const insert = (id: number) => env.db.insertInto('outbox').values({
      id, topic: 't', case_id: 1, unit_ids: '[]', region_ids: '[]', payload: '{}', created_at: 0,
    } as never).execute();
    await insert(base + 1);
    await insert(base + 3); // base + 2 is still "in flight"
    await hub.flush();
    assert.deepEqual(seen, [base + 1, base + 3]);
    await insert(base + 2); // …and commits now
    await hub.flush();
    assert.deepEqual(seen, [base + 1, base + 3, base + 2]);
    await hub.flush();
    assert.equal(seen.length, 3, 'nothing is delivered twice');
    hub.stop();
  } finally {
    await env.close();
  }
});

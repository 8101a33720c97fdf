/**
 * The SQLite write lock shared by the main thread and the writer threads (src/storage/sqlite-write-lock.ts): the main
 * thread waits for a writer thread's commit asynchronously (the event loop keeps answering), a transaction of the main
 * connection does not begin while a writer thread holds the lock, and a thread that died holding it frees it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { adoptWriteLocks, createWriteLock, releaseIfHeldBy, WORKER_LOCK_SOURCE, writeLockBuffers, writeLockFor } from '../../src/storage/sqlite-write-lock.ts';
import { createDemoEnv } from '../support/demo-env.ts';
import type { TestEnv } from '../support/test-context.ts';

const turns = async (n: number) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };

describe('SQLite write lock', () => {
  test('a second holder on the main thread waits until the first releases', async () => {
    const lock = createWriteLock();
    await lock.acquire();
    let second = false;
    const p = lock.acquire().then(() => { second = true; });
    await turns(5);
    assert.equal(second, false);
    lock.release();
    await p;
    assert.equal(second, true);
    lock.release();
  });

  test('a lock adopted over the same buffer (the MQTT ingest worker) excludes the one it came from, and the other way round', async () => {
    const file = path.join('/tmp', `cityops-lock-${process.pid}-${Date.now()}.sqlite`);
    const main = writeLockFor(file)!;
    const buffers = writeLockBuffers();
    assert.equal(buffers[path.resolve(file)], main.buffer);
    const other = createWriteLock(buffers[path.resolve(file)]); // what adoptWriteLocks builds in the worker thread
    adoptWriteLocks(buffers); // a file this thread has already: kept as it is
    assert.equal(writeLockFor(file), main);
    await other.acquire();
    let got = false;
    const p = main.acquire().then(() => { got = true; });
    await turns(5);
    assert.equal(got, false);
    other.release();
    await p;
    let back = false;
    const q = other.acquire().then(() => { back = true; });
    await turns(5);
    assert.equal(back, false);
    main.release();
    await q;
    other.release();
  });

  test('while a writer thread holds it, the main thread waits without blocking the event loop', async () => {
    const lock = createWriteLock();
    const go = new SharedArrayBuffer(4);
    const worker = new Worker(`
      const { workerData, parentPort } = require('node:worker_threads');
      ${WORKER_LOCK_SOURCE}
      const go = new Int32Array(workerData.go);
      locked(() => { parentPort.postMessage('holding'); Atomics.wait(go, 0, 0); });
      parentPort.postMessage('released');
    `, { eval: true, workerData: { lock: lock.buffer, go } });
    assert.equal((await once(worker, 'message'))[0], 'holding');
    let acquired = false;
    const p = lock.acquire().then(() => { acquired = true; });
    let ticks = 0;
    const ticker = setInterval(() => { ticks++; }, 1);
    await turns(20);
    while (ticks < 3) await new Promise((r) => setTimeout(r, 2));
    clearInterval(ticker);
    assert.equal(acquired, false, 'the writer thread still holds the lock');
    Atomics.store(new Int32Array(go), 0, 1);
    Atomics.notify(new Int32Array(go), 0);
    await p;
    assert.equal(acquired, true);
    lock.release();
    await worker.terminate();
  });

  test('a writer thread waiting for the lock goes before the main thread', async () => {
    const lock = createWriteLock();
    const cell = new Int32Array(lock.buffer);
    Atomics.store(cell, 1, 1); // one writer thread waits (the lock itself is free)
    let acquired = false;
    const p = lock.acquire().then(() => { acquired = true; });
    await turns(10);
    assert.equal(acquired, false);
    Atomics.store(cell, 1, 0);
    Atomics.notify(cell, 1);
    await p;
    assert.equal(acquired, true);
    lock.release();
  });

  test('a lock left by a thread that stopped is freed for the others', async () => {
    const lock = createWriteLock();
    const cell = new Int32Array(lock.buffer);
    Atomics.store(cell, 0, 2 + 99); // thread 99 stopped while holding it
    releaseIfHeldBy(lock.buffer, 98); // another thread's exit frees nothing
    assert.equal(Atomics.load(cell, 0), 101);
    releaseIfHeldBy(lock.buffer, 99);
    await lock.acquire();
    lock.release();
  });
});

describe('SQLite write lock with the store [sqlite]', () => {
  let env: TestEnv;
  before(async () => { env = await createDemoEnv('sqlite'); });
  after(async () => env.close());

  test('a command\'s transaction begins only after the writer thread lets go; fixes written meanwhile are stored', async () => {
    const lock = writeLockFor(path.join(env.dataDir, 'cityops.sqlite'))!;
    assert.ok(lock);
    const cell = new Int32Array(lock.buffer);
    Atomics.store(cell, 0, 2 + 12345); // as a writer thread holding it
    let began = false;
    const tx = env.ctx.store.transaction(async (t) => { began = true; return t.notifications.cursorOf('lock-test'); });
    await turns(10);
    assert.equal(began, false);
    releaseIfHeldBy(lock.buffer, 12345);
    await tx;
    assert.equal(began, true);
    // and the writer thread takes it after the main thread: a batch of positions is committed
    const t0 = Date.now();
    await env.ctx.store.field.writePositionBatch([{ resource_id: 'vehicle:L1', at: t0, lon: 121.4, lat: 31.2, accuracy_m: null, grid_id: null }], []);
    const n = await env.db.selectFrom('field_track').select((eb) => eb.fn.countAll<number>().as('n')).where('resource_id', '=', 'vehicle:L1').executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 1);
    assert.equal(Atomics.load(cell, 0), 0);
  });

  test('a hot read (the nearest people\'s open load) answers from the read connection while a transaction waits for the lock', async () => {
    const lock = writeLockFor(path.join(env.dataDir, 'cityops.sqlite'))!;
    const cell = new Int32Array(lock.buffer);
    const someone = 'lock-test-handler'; // the demo city has no cases: the answer is an empty load, but an answer
    Atomics.store(cell, 0, 2 + 4242); // a writer thread holds the lock …
    let began = false;
    const tx = env.ctx.store.transaction(async (t) => { began = true; return t.notifications.cursorOf('lock-test-2'); }); // … so this waits, holding the main connection
    await turns(5);
    let load: Map<string, number> | undefined;
    const read = env.ctx.store.field.openLoad([someone]).then((m) => { load = m; });
    await turns(20);
    try {
      assert.equal(began, false);
      assert.ok(load, 'the read answered while the transaction still waited');
      assert.equal(load.get(someone), undefined);
    } finally {
      releaseIfHeldBy(lock.buffer, 4242);
      await tx;
      await read;
    }
  });
});

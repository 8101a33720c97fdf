/**
 * One SQLite writer at a time, waited for without stopping the event loop (issue 9 §4, the nearest query's tail).
 *
 * SQLite lets one connection write at a time. The writer threads (field positions, sensor readings) have connections
 * of their own to the same file, and when one of them held the write lock, the main connection's `BEGIN IMMEDIATE`
 * (a new-case batch, any command's transaction, a background job) waited in SQLite's busy handler — which sleeps the
 * thread. On the main thread that is the event loop: every request (a dispatcher's nearest query) waited the worker's
 * whole commit out, plus the busy handler's sleep steps (measured: new-case batches of 4 cases holding the loop
 * 20–76 ms while position batches were committed).
 *
 * This lock is taken before a write transaction by every thread that writes the file: the main thread awaits it
 * (`Atomics.waitAsync`, the loop keeps running), a writer thread blocks on it (`Atomics.wait`, its own thread). It
 * is advisory: SQLite's own locking still guarantees correctness, and a writer thread that waited `WORKER_WAIT_MS`
 * goes ahead and lets SQLite's busy timeout decide (a stuck holder never stops the writers for good).
 *
 * One lock per database file in this process (all connections to the same file share it). A worker thread that opens
 * the file through openDatabase (the MQTT ingest worker) must be handed the main thread's locks (`writeLockBuffers()` →
 * `adoptWriteLocks()` before it opens the store): a module's state is per thread, and a lock of its own would exclude
 * nobody — its transactions would meet the others only in SQLite's busy handler ("database is locked"). There the
 * async side holds the lock as 2 + its thread id (like a writer thread), so a thread that dies holding it can be
 * released (`releaseIfHeldBy`).
 */
import path from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';

const FREE = 0;
const MAIN = 1;
/** How long the main thread waits for one wake-up before looking again (a lost notify costs at most this). */
const MAIN_POLL_MS = 20;
/** The longest the main thread lets waiting writer threads go first. */
const DEFER_MS = 1000;

export interface WriteLock {
  /** Shared with the writer threads (`workerData.lock`). */
  readonly buffer: SharedArrayBuffer;
  /** Resolves when this thread holds the lock; waits asynchronously while a writer thread holds it. */
  acquire(): Promise<void>;
  release(): void;
}

// Node has had Atomics.waitAsync since 16; TypeScript's lib declares it from es2024 on.
type WaitAsync = (a: Int32Array, i: number, v: number, ms: number) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

const locks = new Map<string, WriteLock>();

/** The lock of a database file (created on first use); undefined for a database in memory (no other connection). */
export function writeLockFor(file: string): WriteLock | undefined {
  if (file === ':memory:' || file === '' || file.startsWith('file::memory:')) return undefined;
  const key = path.resolve(file);
  let lock = locks.get(key);
  if (!lock) locks.set(key, (lock = createWriteLock()));
  return lock;
}

/** The locks of this thread's files, to hand to a worker thread that opens the same files (`adoptWriteLocks`). */
export function writeLockBuffers(): Record<string, SharedArrayBuffer> {
  return Object.fromEntries([...locks].map(([file, lock]) => [file, lock.buffer]));
}

/** In a worker thread, before it opens a store: share the given locks (from `writeLockBuffers()` of the main thread). */
export function adoptWriteLocks(buffers: Record<string, SharedArrayBuffer> | undefined): void {
  for (const [file, buffer] of Object.entries(buffers ?? {})) if (!locks.has(file)) locks.set(file, createWriteLock(buffer));
}

export function createWriteLock(shared?: SharedArrayBuffer): WriteLock {
  // [0]: the holder (FREE, MAIN, or 2 + a thread's id); [1]: how many writer threads wait for it.
  const buffer = shared ?? new SharedArrayBuffer(8);
  const cell = new Int32Array(buffer);
  const me = isMainThread ? MAIN : 2 + threadId;
  // Main-thread holders queue here (one connection, but a handle's transaction and a new-case batch may both ask).
  let tail: Promise<void> = Promise.resolve();
  return {
    buffer,
    acquire() {
      const mine = tail.then(async () => {
        const since = Date.now();
        for (;;) {
          // A waiting writer thread goes first: the main thread writes often and would otherwise take the lock again
          // before the woken thread gets a core (a busy host), and the writer thread's batches would queue up. Bounded
          // (DEFER_MS), should a thread have stopped while counted as waiting.
          const waiting = Atomics.load(cell, 1);
          if (waiting > 0 && Date.now() - since < DEFER_MS) { await changeOf(cell, 1, waiting); continue; }
          const held = Atomics.compareExchange(cell, 0, FREE, me);
          if (held === FREE) return;
          await changeOf(cell, 0, held);
        }
      });
      tail = mine.catch(() => {});
      return mine;
    },
    release() {
      Atomics.store(cell, 0, FREE);
      Atomics.notify(cell, 0);
    },
  };
}

/** Resolves when cell[i] may have changed from `value` (a notify, or MAIN_POLL_MS). */
function changeOf(cell: Int32Array, i: number, value: number): Promise<void> {
  return new Promise<void>((resolve) => {
    // A pending waitAsync does not keep the process alive (a CLI command waiting for a writer thread would exit):
    // a timer does, and bounds the wait should a notify be missed.
    const timer = setTimeout(resolve, MAIN_POLL_MS);
    const w = waitAsync(cell, i, value, MAIN_POLL_MS);
    if (!w.async) { clearTimeout(timer); resolve(); } else void w.value.then(() => { clearTimeout(timer); resolve(); });
  });
}

/**
 * The writer threads' side, as source for the worker prelude (sqlite-writer-worker.ts): `locked(fn)` runs `fn`
 * holding the lock of `workerData.lock` (any value but FREE and MAIN marks a writer thread).
 */
export const WORKER_LOCK_SOURCE = `
const LOCK = workerData.lock ? new Int32Array(workerData.lock) : null;
const WORKER_WAIT_MS = 5000;
const ME = 2 + require('node:worker_threads').threadId;
function locked(fn) {
  if (!LOCK) return fn();
  const t0 = Date.now();
  let mine = Atomics.compareExchange(LOCK, 0, ${FREE}, ME) === ${FREE};
  if (!mine) {
    Atomics.add(LOCK, 1, 1); // the main thread lets a waiting writer thread go first
    try {
      for (;;) {
        const held = Atomics.compareExchange(LOCK, 0, ${FREE}, ME);
        if (held === ${FREE}) { mine = true; break; }
        if (Date.now() - t0 > WORKER_WAIT_MS) break; // advisory: SQLite's busy timeout decides from here
        Atomics.wait(LOCK, 0, held, 50);
      }
    } finally { Atomics.sub(LOCK, 1, 1); Atomics.notify(LOCK, 1); }
  }
  try { return fn(); }
  finally { if (mine) { Atomics.store(LOCK, 0, ${FREE}); Atomics.notify(LOCK, 0); } }
}
`;

/** A writer thread that stopped while holding the lock (a crash mid-batch) must not keep the main thread waiting. */
export function releaseIfHeldBy(buffer: SharedArrayBuffer, threadId: number): void {
  const cell = new Int32Array(buffer);
  if (Atomics.compareExchange(cell, 0, 2 + threadId, FREE) === 2 + threadId) Atomics.notify(cell, 0);
}

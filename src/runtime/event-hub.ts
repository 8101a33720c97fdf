/**
 * Fans committed outbox rows out to live subscribers (SSE). The outbox is the source of truth: the hub tails it
 * (immediately after a local commit, and every `pollMs` for rows written by other processes on PostgreSQL),
 * so a subscriber sees every committed change exactly once, whichever process wrote it.
 *
 * On PostgreSQL, ids come from a sequence and transactions commit in any order: row 11 may become visible after
 * row 12 was read. Skipped ids are kept as gaps and looked for again on each read for `gapTtlMs` (an id whose
 * transaction rolled back never appears; it is dropped after that time). SQLite has one writer, so no gaps.
 *
 * While nobody listens, the hub does not read events, but it keeps its position at the end of the outbox (one
 * cheap read per poll), and a new listener (`subscribeFromNow`) starts at the end: it never receives what was
 * committed before it connected (that is what Last-Event-ID replay is for).
 */
import type { Store } from '../storage/store.ts';
import type { OutboxRow } from '../storage/repositories/outbox.repository.ts';

export type Subscriber = (row: OutboxRow) => void;

export class EventHub {
  private subs = new Set<Subscriber>();
  private lastId = -1;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** Skipped ids → when first seen missing. */
  private gaps = new Map<number, number>();

  constructor(private store: Store, private pollMs = 1000, private gapTtlMs = 10_000) {}

  async start(): Promise<void> {
    this.lastId = await this.store.outbox.lastId();
    this.timer = setInterval(() => this.poll(), this.pollMs);
    this.timer.unref();
  }

  private poll(): void {
    if (this.subs.size > 0) this.notify();
    else if (!this.running && this.lastId >= 0) {
      this.running = this.skipToEnd().catch(() => { /* transient: next poll */ }).finally(() => { this.running = undefined; });
    }
  }

  /** Nobody listens: move to the end of the outbox without reading the events. */
  private async skipToEnd(): Promise<void> {
    this.lastId = Math.max(this.lastId, await this.store.outbox.lastId());
    this.gaps.clear();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  get position(): number {
    return this.lastId;
  }

  subscribe(fn: Subscriber): () => void {
    this.subs.add(fn);
    return () => this.subs.delete(fn);
  }

  /**
   * Subscribes from the current end of the outbox: everything committed before this call is either already
   * delivered to the other listeners or skipped, never handed to `fn`.
   */
  async subscribeFromNow(fn: Subscriber): Promise<() => void> {
    while (this.running) await this.running;
    if (this.subs.size === 0) await this.skipToEnd();
    else await this.flush();
    return this.subscribe(fn);
  }

  /** Called after a local commit; coalesces bursts into one read. */
  notify(): void {
    if (this.subs.size === 0 || this.lastId < 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.notify();
      }
    });
  }

  /** Waits until pending reads are done (tests). */
  async flush(): Promise<void> {
    this.notify();
    while (this.running) await this.running;
  }

  private publish(row: OutboxRow): void {
    for (const fn of this.subs) {
      try { fn(row); } catch { /* a broken subscriber must not stop the others */ }
    }
  }

  private async drain(): Promise<void> {
    const now = Date.now();
    if (this.gaps.size > 0) {
      for (const [id, since] of this.gaps) if (now - since > this.gapTtlMs) this.gaps.delete(id);
      if (this.gaps.size > 0) {
        for (const row of await this.store.outbox.readIds([...this.gaps.keys()])) {
          this.gaps.delete(row.id);
          this.publish(row);
        }
      }
    }
    for (;;) {
      const rows = await this.store.outbox.readAfter(this.lastId, 500);
      for (const row of rows) {
        for (let missing = this.lastId + 1; missing < row.id && this.gaps.size < 10_000; missing++) this.gaps.set(missing, now);
        this.lastId = row.id;
        this.publish(row);
      }
      if (rows.length < 500) return;
    }
  }
}

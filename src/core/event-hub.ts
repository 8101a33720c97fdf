/**
 * Fans committed outbox rows out to live subscribers (SSE). The outbox is the source of truth: the hub tails it
 * (immediately after a local commit, and every `pollMs` for rows written by other processes on PostgreSQL),
 * so a subscriber sees every committed change exactly once, whichever process wrote it.
 *
 * On PostgreSQL, ids come from a sequence and transactions commit in any order: row 11 may become visible after
 * row 12 was read. Skipped ids are kept as gaps and looked for again on each read for `gapTtlMs` (an id whose
 * transaction rolled back never appears; it is dropped after that time). SQLite has one writer, so no gaps.
 */
import type { Db } from '../storage/db.ts';
import { lastOutboxId, readOutboxAfter, readOutboxIds, type OutboxRow } from '../storage/repositories/outbox.repository.ts';

export type Subscriber = (row: OutboxRow) => void;

export class EventHub {
  private subs = new Set<Subscriber>();
  private lastId = -1;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** Skipped ids → when first seen missing. */
  private gaps = new Map<number, number>();

  constructor(private db: Db, private pollMs = 1000, private gapTtlMs = 10_000) {}

  async start(): Promise<void> {
    this.lastId = await lastOutboxId(this.db);
    this.timer = setInterval(() => this.notify(), this.pollMs);
    this.timer.unref();
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
        for (const row of await readOutboxIds(this.db, [...this.gaps.keys()])) {
          this.gaps.delete(row.id);
          this.publish(row);
        }
      }
    }
    for (;;) {
      const rows = await readOutboxAfter(this.db, this.lastId, 500);
      for (const row of rows) {
        for (let missing = this.lastId + 1; missing < row.id && this.gaps.size < 10_000; missing++) this.gaps.set(missing, now);
        this.lastId = row.id;
        this.publish(row);
      }
      if (rows.length < 500) return;
    }
  }
}

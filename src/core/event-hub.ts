/**
 * Fans committed outbox rows out to live subscribers (SSE). The outbox is the source of truth: the hub tails it
 * (immediately after a local commit, and every `pollMs` for rows written by other processes on PostgreSQL),
 * so a subscriber sees every committed change exactly once and in commit-id order, whichever process wrote it.
 */
import type { Db } from '../storage/db.ts';
import { lastOutboxId, readOutboxAfter, type OutboxRow } from '../storage/repositories/outbox.repository.ts';

export type Subscriber = (row: OutboxRow) => void;

export class EventHub {
  private subs = new Set<Subscriber>();
  private lastId = -1;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private db: Db, private pollMs = 1000) {}

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

  private async drain(): Promise<void> {
    for (;;) {
      const rows = await readOutboxAfter(this.db, this.lastId, 500);
      for (const row of rows) {
        this.lastId = row.id;
        for (const fn of this.subs) {
          try { fn(row); } catch { /* a broken subscriber must not stop the others */ }
        }
      }
      if (rows.length < 500) return;
    }
  }
}

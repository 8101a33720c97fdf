/**
 * A sliding-window failure counter (login attempts). In-process: with several API nodes each node counts its
 * own, which still bounds guessing to nodes × limit per window.
 */
export class FailureLimiter {
  private hits = new Map<string, number[]>();
  constructor(private max: number, private windowMs: number) {}

  /** Milliseconds until the key may try again, or 0. */
  blockedFor(key: string, now: number): number {
    const list = this.prune(key, now);
    return list.length >= this.max ? list[0] + this.windowMs - now : 0;
  }

  fail(key: string, now: number): void {
    const list = this.prune(key, now);
    list.push(now);
    this.hits.set(key, list);
    if (this.hits.size > 100_000) this.hits.clear(); // bounded memory under a spray of usernames
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private prune(key: string, now: number): number[] {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length === 0) this.hits.delete(key);
    else this.hits.set(key, list);
    return list;
  }
}

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

/**
 * Failures with growing waits (sign-in by address and username): the first `free` failures cost nothing, then
 * each further failure makes the key wait twice as long as the one before (`baseMs`, 2×, 4× …, at most `maxMs`),
 * counted from that failure. A key with no failure for `forgetMs` starts again; a success resets it.
 */
export class BackoffLimiter {
  private state = new Map<string, { failures: number; last: number }>();
  constructor(private opts: { free: number; baseMs: number; maxMs: number; forgetMs: number }) {}

  /** Milliseconds until the key may try again, or 0. */
  blockedFor(key: string, now: number): number {
    const s = this.current(key, now);
    if (!s || s.failures < this.opts.free) return 0;
    const wait = Math.min(this.opts.maxMs, this.opts.baseMs * 2 ** (s.failures - this.opts.free));
    return Math.max(0, s.last + wait - now);
  }

  fail(key: string, now: number): void {
    const s = this.current(key, now) ?? { failures: 0, last: now };
    this.state.set(key, { failures: s.failures + 1, last: now });
    if (this.state.size > 100_000) this.state.clear(); // bounded memory under a spray of usernames
  }

  reset(key: string): void {
    this.state.delete(key);
  }

  private current(key: string, now: number) {
    const s = this.state.get(key);
    if (s && now - s.last > this.opts.forgetMs) {
      this.state.delete(key);
      return undefined;
    }
    return s;
  }
}

/**
 * The client a limit counts: an IPv4 address as it is, an IPv6 address by its /64 (one subscriber usually holds a
 * whole /64, so counting single addresses would let it rotate through 2^64 of them); IPv4-mapped IPv6 as IPv4.
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('%')[0].split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

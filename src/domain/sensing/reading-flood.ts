/**
 * Flood control per device (issue 11 "bad input"): a token bucket of readings. A device may send `ratePerSecond`
 * readings a second on average and a burst of `burst` (a device catching up after a network outage sends its memory
 * at once). Beyond that its readings are refused and counted; other devices are not affected. Pure: time is an argument.
 */
export interface Bucket { tokens: number; at: number }

export interface FloodLimits { ratePerSecond: number; burst: number }

export const FLOOD_LIMITS: FloodLimits = { ratePerSecond: 10, burst: 600 };

/** Takes `n` tokens if there are; answers whether the readings may pass. Mutates the bucket. */
export function take(b: Bucket, n: number, now: number, l: FloodLimits = FLOOD_LIMITS): boolean {
  const refill = ((now - b.at) / 1000) * l.ratePerSecond;
  b.tokens = Math.min(l.burst, b.tokens + (refill > 0 ? refill : 0));
  b.at = now;
  if (b.tokens < n) return false;
  b.tokens -= n;
  return true;
}

export const newBucket = (now: number, l: FloodLimits = FLOOD_LIMITS): Bucket => ({ tokens: l.burst, at: now });

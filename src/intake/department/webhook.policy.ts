/**
 * Pure webhook rules (no I/O, no clock): signatures, URL checks, which events a subscription receives, and the
 * retry schedule. Receivers verify deliveries with `verifyWebhookSignature` (see README.md here).
 */
import crypto from 'node:crypto';

/** The case topics a subscription gets by default: the ones the outbox writes for case changes. */
export const CASE_TOPICS = ['case.created', 'case.transitioned', 'case.deadline_warning', 'case.deadline_overdue'] as const;

/**
 * The command-and-coordination topics of issue 9 (joint action, summons, levels, emergencies): a department system
 * subscribes to them by name (a subscription made without topics keeps getting CASE_TOPICS only, as before). They
 * carry the same unitIds as the console's notifications, so a unit filter works alike.
 */
export const COORDINATION_TOPICS = [
  'assist.assigned', 'assist.signed', 'assist.returned', 'assist.completed', 'assist.waived',
  'summons.issued', 'summons.reported', 'summons.closed', 'summons.rated',
  'case.escalated', 'case.assigned_down', 'case.transfer_accepted', 'case.transfer_refused',
  'emergency.raised', 'emergency.escalated', 'emergency.acknowledged', 'emergency.unanswered',
] as const;

/** Every topic a subscription may name. */
export const WEBHOOK_TOPICS = [...CASE_TOPICS, ...COORDINATION_TOPICS] as const;

/** After this many failed attempts a delivery is 'dead' (kept in the log, never retried). */
export const MAX_ATTEMPTS = 8;
const BASE_BACKOFF_MS = 10_000;
const MAX_BACKOFF_MS = 3_600_000;

/**
 * `sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`. The timestamp is signed with the body so a captured
 * delivery cannot be replayed later under a fresh timestamp (the Stripe / Standard Webhooks scheme).
 */
export function signWebhook(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Checks `X-CityOps-Signature` in constant time; with `nowSeconds`, also refuses timestamps further than
 * `toleranceSeconds` (default 300) from now, against replays.
 */
export function verifyWebhookSignature(
  secret: string, timestamp: number | string, body: string, signature: string,
  opts: { nowSeconds?: number; toleranceSeconds?: number } = {},
): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts)) return false;
  if (opts.nowSeconds !== undefined && Math.abs(opts.nowSeconds - ts) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** An http(s) URL or the reason it is refused (the caller names the field). */
export function webhookUrlProblem(url: string): { key: string; params?: Record<string, string>; message: string } | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { key: 'webhook.url_invalid', message: 'is not a valid URL' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { key: 'webhook.url_scheme', params: { scheme: `${u.protocol}//` }, message: `must be http:// or https://, not ${u.protocol}//` };
  if (u.username || u.password) return { key: 'webhook.url_credentials', message: 'must not carry credentials (the signature authenticates deliveries)' };
  return null;
}

/** Does an outbox event go to a subscription: its topic is subscribed, and (with a unit filter) it concerns one of those units. */
export function matchesSubscription(event: { topic: string; unitIds: string[] }, sub: { topics: readonly string[]; unitIds: readonly string[] | null }): boolean {
  if (!sub.topics.includes(event.topic)) return false;
  if (!sub.unitIds || sub.unitIds.length === 0) return true;
  return event.unitIds.some((u) => sub.unitIds!.includes(u));
}

/**
 * Delay before attempt `attempts + 1`: 10 s × 2^(attempts−1), capped at 1 h, with "equal jitter" (half fixed,
 * half random) so receivers that failed together do not get retried in lockstep. `random` ∈ [0, 1).
 */
export function backoffMs(attempts: number, random: number): number {
  const exp = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp / 2 + (exp / 2) * random);
}

/** The outbox may leave id gaps on PostgreSQL (a transaction still in flight, or rolled back): see advanceCursor. */
export const GAP_TTL_MS = 30_000;

/**
 * How far a subscription's cursor may advance over the rows just read (ascending ids). On PostgreSQL a missing
 * id may be a transaction that commits later; the cursor stops before such a gap until the row after it is older
 * than GAP_TTL_MS (then the gap is taken as a rollback). Rows past a held gap are still fanned out: the unique
 * (subscription, outbox) key makes reading them again harmless.
 */
export function advanceCursor(cursor: number, rows: { id: number; at: number }[], now: number): number {
  let safe = cursor;
  for (const r of rows) {
    if (r.id !== safe + 1 && now - r.at < GAP_TTL_MS) break;
    safe = r.id;
  }
  return safe;
}

import { DomainError } from '../domain/errors.ts';
import { hashPassword, verifyPassword } from '../security/passwords.ts';
import { randomToken, sha256 } from '../security/tokens.ts';
import { FailureLimiter } from '../security/rate-limiter.ts';
import type { AppContext } from '../runtime/context.ts';

// 5 failed attempts per username (and 20 per client address) in 15 minutes, then 429 until the window moves.
// One pair of counters per running platform (context).
const limiters = new WeakMap<AppContext, { byUser: FailureLimiter; byIp: FailureLimiter }>();
function limitersOf(ctx: AppContext) {
  let l = limiters.get(ctx);
  if (!l) limiters.set(ctx, (l = { byUser: new FailureLimiter(5, 15 * 60_000), byIp: new FailureLimiter(20, 15 * 60_000) }));
  return l;
}
// A hash to verify against when the user does not exist, so response time does not reveal usernames.
let dummyHash: Promise<string> | undefined;

export async function createSession(ctx: AppContext, input: { username: string; password: string; ip: string }) {
  const now = ctx.clock.now();
  const { byUser, byIp } = limitersOf(ctx);
  const wait = Math.max(byUser.blockedFor(input.username, now), byIp.blockedFor(input.ip, now));
  if (wait > 0) {
    throw new DomainError('RATE_LIMITED', `Too many failed sign-in attempts; try again in ${Math.ceil(wait / 1000)} s`, {
      details: { retryAfterSeconds: Math.ceil(wait / 1000) },
    });
  }
  const user = await ctx.store.auth.findUserByUsername(input.username);
  dummyHash ??= hashPassword(randomToken());
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash), input.password);
  if (!user || !ok || !user.active) {
    byUser.fail(input.username, now);
    byIp.fail(input.ip, now);
    throw new DomainError('UNAUTHENTICATED', 'Wrong username or password', { field: 'password' });
  }
  byUser.reset(input.username);
  const token = randomToken();
  const csrfToken = randomToken(24);
  const session = {
    id: sha256(token), userId: user.id, csrfToken, createdAt: now, expiresAt: now + ctx.config.sessionTtlMs, lastSeenAt: now,
  };
  await ctx.store.auth.insertSession(session);
  await ctx.store.auth.deleteExpiredSessions(now);
  return { token, csrfToken, user, expiresAt: session.expiresAt };
}

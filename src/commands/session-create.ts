import { DomainError } from '../domain/errors.ts';
import { hashPassword, verifyPassword } from '../security/passwords.ts';
import { randomToken, sha256 } from '../security/tokens.ts';
import { BackoffLimiter, FailureLimiter, clientKey } from '../security/rate-limiter.ts';
import type { AppContext } from '../runtime/context.ts';

/**
 * Sign-in throttling counts failures per (client address, username) pair, never per username alone: a hard lock on
 * the name would let anyone lock anyone out. A pair gets 5 free failures, then waits 1 s, 2 s, 4 s … (at most 15
 * min) after each further one; a success resets it, 15 quiet minutes forget it. An address (IPv6: its /64) that
 * fails `loginAddressFailures` times in 15 minutes, over any names, waits until the window moves. One set of
 * counters per running platform (context).
 */
const limiters = new WeakMap<AppContext, { byPair: BackoffLimiter; byAddress: FailureLimiter }>();
function limitersOf(ctx: AppContext) {
  let l = limiters.get(ctx);
  if (!l) {
    limiters.set(ctx, (l = {
      byPair: new BackoffLimiter({ free: 5, baseMs: 1000, maxMs: 15 * 60_000, forgetMs: 15 * 60_000 }),
      byAddress: new FailureLimiter(ctx.config.loginAddressFailures, 15 * 60_000),
    }));
  }
  return l;
}
// A hash to verify against when the user does not exist, so response time does not reveal usernames.
let dummyHash: Promise<string> | undefined;

export async function createSession(ctx: AppContext, input: { username: string; password: string; ip: string }) {
  const now = ctx.clock.now();
  const { byPair, byAddress } = limitersOf(ctx);
  const address = clientKey(input.ip);
  const pair = `${address}\n${input.username.toLowerCase()}`;
  const wait = Math.max(byPair.blockedFor(pair, now), byAddress.blockedFor(address, now));
  if (wait > 0) {
    throw new DomainError('RATE_LIMITED', `Too many failed sign-in attempts; try again in ${Math.ceil(wait / 1000)} s`, {
      details: { retryAfterSeconds: Math.ceil(wait / 1000) }, key: 'auth.too_many_attempts', params: { seconds: Math.ceil(wait / 1000) },
    });
  }
  const user = await ctx.store.auth.findUserByUsername(input.username);
  dummyHash ??= hashPassword(randomToken());
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash), input.password);
  if (!user || !ok || !user.active) {
    byPair.fail(pair, now);
    byAddress.fail(address, now);
    throw new DomainError('UNAUTHENTICATED', 'Wrong username or password', { field: 'password', key: 'auth.wrong_credentials' });
  }
  byPair.reset(pair);
  const token = randomToken();
  const csrfToken = randomToken(24);
  const session = {
    id: sha256(token), userId: user.id, csrfToken, createdAt: now, expiresAt: now + ctx.config.sessionTtlMs, lastSeenAt: now,
  };
  await ctx.store.auth.insertSession(session);
  await ctx.store.auth.deleteExpiredSessions(now);
  return { token, csrfToken, user, expiresAt: session.expiresAt };
}

/** revokeApiKey: the key stops authenticating at once, on every node (security/api-keys.ts). Revoking twice changes nothing. */
import { notFound } from '../domain/errors.ts';
import type { AppContext } from '../runtime/context.ts';
import type { ApiKeyRecord } from '../storage/repositories/auth.repository.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';
import { forgetApiKeys } from '../security/api-keys.ts';

export async function revokeApiKey(ctx: AppContext, id: string, actorId: string | null): Promise<ApiKeyRecord> {
  const now = ctx.clock.now();
  const key = await ctx.store.transaction(async (tx) => {
    const k = (await tx.auth.listApiKeys()).find((x) => x.id === id);
    if (!k) throw notFound('API key', id);
    if (k.revokedAt !== null) return k;
    await tx.auth.revokeApiKey(id, now);
    await tx.outbox.append(configEvent('apikey.revoked', { id, by: actorId }, now));
    return { ...k, revokedAt: now };
  });
  // After the commit: a request from now on reads the revoked row (and no lookup under way re-caches the old one).
  forgetApiKeys(ctx.store);
  return key;
}

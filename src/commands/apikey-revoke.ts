/** revokeApiKey: the key stops authenticating at once (on this node at once; other nodes' key caches expire within 10 s). Revoking twice changes nothing. */
import { notFound } from '../domain/errors.ts';
import type { AppContext } from '../core/context.ts';
import { listApiKeys, revokeApiKey as markRevoked, type ApiKeyRecord } from '../storage/repositories/auth.repository.ts';
import { appendOutbox } from '../storage/repositories/outbox.repository.ts';

export async function revokeApiKey(ctx: AppContext, id: string, actorId: string | null): Promise<ApiKeyRecord> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const key = (await listApiKeys(trx)).find((k) => k.id === id);
    if (!key) throw notFound('API key', id);
    if (key.revokedAt !== null) return key;
    await markRevoked(trx, id, now);
    await appendOutbox(trx, { topic: 'apikey.revoked', caseId: null, unitIds: [], regionIds: [], payload: { id, by: actorId }, at: now });
    return { ...key, revokedAt: now };
  });
}

/**
 * Resolving an API key on every machine request. A revocation takes effect at once, on every node:
 * - PostgreSQL (possibly several nodes): every request reads the key's row (one primary-key lookup by hash); there
 *   is no cache that another node's revocation could miss.
 * - SQLite (one process by design, see decisions.md): known keys are cached in the process. The revoking command
 *   calls `forgetApiKeys` after its transaction commits, and a lookup that was already under way when the key was
 *   revoked cannot put the old row back (a generation counter), so the next request after the revocation's answer
 *   is refused.
 */
import type { Store } from '../storage/store.ts';
import type { ApiKeyRecord } from '../storage/repositories/auth.repository.ts';

const TTL_MS = 60_000;
interface Cache { generation: number; keys: Map<string, { rec: ApiKeyRecord; until: number }> }
const caches = new WeakMap<Store, Cache>();

function cacheOf(store: Store): Cache {
  let c = caches.get(store);
  if (!c) caches.set(store, (c = { generation: 0, keys: new Map() }));
  return c;
}

export async function resolveApiKey(store: Store, keyHash: string, now: number): Promise<ApiKeyRecord | undefined> {
  if (store.dialect !== 'sqlite') return store.auth.findApiKeyByHash(keyHash);
  const c = cacheOf(store);
  const hit = c.keys.get(keyHash);
  if (hit && hit.until > now) return hit.rec;
  const generation = c.generation;
  const rec = await store.auth.findApiKeyByHash(keyHash);
  if (rec && rec.revokedAt === null && generation === c.generation) {
    if (c.keys.size > 10_000) c.keys.clear();
    c.keys.set(keyHash, { rec, until: now + TTL_MS });
  } else c.keys.delete(keyHash);
  return rec;
}

/** After a key is revoked (or changed): no cached key survives, and no lookup already under way may cache one. */
export function forgetApiKeys(store: Store): void {
  const c = cacheOf(store);
  c.generation++;
  c.keys.clear();
}

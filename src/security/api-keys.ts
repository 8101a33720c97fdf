/**
 * Resolving an API key on every machine request. A revocation takes effect at once, on every node, and a key is
 * not read from the database on every request (that query cost PostgreSQL case creation a third of its rate):
 * - Known keys are cached in the process for up to a minute.
 * - The revoking command calls `forgetApiKeys` after its transaction commits, and a lookup that was already under
 *   way when the key was revoked cannot put the old row back (a generation counter).
 * - Other nodes (PostgreSQL): the revocation notifies every node in its transaction (pg_notify, delivered at
 *   commit); each node forgets its cache when told. The cache is used only while the node's LISTEN connection is up
 *   (`store.watchApiKeys`); while it is down every request reads the key's row, and when it comes back the cache
 *   starts empty. So another node refuses a revoked key as soon as the notification arrives (milliseconds), where it
 *   used to keep accepting it for up to 10 s.
 * - SQLite is one process by design (decisions.md): the command's own forget is enough.
 */
import type { Store } from '../storage/store.ts';
import type { ApiKeyRecord } from '../storage/repositories/auth.repository.ts';

const TTL_MS = 60_000;
interface Cache { generation: number; keys: Map<string, { rec: ApiKeyRecord; until: number }>; watch: { live(): boolean } }
const caches = new WeakMap<Store, Cache>();

function cacheOf(store: Store): Cache {
  let c = caches.get(store);
  if (!c) {
    const cache: Cache = { generation: 0, keys: new Map(), watch: { live: () => false } };
    caches.set(store, (c = cache));
    cache.watch = store.watchApiKeys(() => forgetApiKeys(store));
  }
  return c;
}

export async function resolveApiKey(store: Store, keyHash: string, now: number): Promise<ApiKeyRecord | undefined> {
  const c = cacheOf(store);
  if (!c.watch.live()) return store.auth.findApiKeyByHash(keyHash);
  const hit = c.keys.get(keyHash);
  if (hit && hit.until > now) return hit.rec;
  const generation = c.generation;
  const rec = await store.auth.findApiKeyByHash(keyHash);
  if (rec && rec.revokedAt === null && generation === c.generation && c.watch.live()) {
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

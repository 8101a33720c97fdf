/**
 * A micro-cache for GET requests.{format}: many clients poll the same list (usually the default window), and
 * rendering 1,000 requests costs more than everything else in a request. A rendered body is reused only while
 *   - no change was committed since (every change to a case writes an outbox row in its own transaction, so the
 *     newest outbox id moves — whichever process wrote it), and
 *   - the clock is still in the same second (the default window slides with time; and on PostgreSQL an older
 *     outbox id may become visible after a newer one, so staleness is bounded by that second).
 */
import type { Store } from '../../storage/store.ts';

interface Entry { outboxId: number; body: Buffer[] }
const MAX_ENTRIES = 32;
const caches = new WeakMap<object, Map<string, Entry>>();
/** Renders in progress: identical requests arriving at once (same list, same second, same newest change) share one. */
const inflights = new WeakMap<object, Map<string, Promise<Buffer[]>>>();

export async function cachedRender(store: Store, key: string, nowMs: number, render: () => Promise<Buffer[]>): Promise<Buffer[]> {
  let m = caches.get(store);
  if (!m) caches.set(store, (m = new Map()));
  const fullKey = `${Math.floor(nowMs / 1000)}|${key}`;
  const outboxId = await store.outbox.lastId();
  const hit = m.get(fullKey);
  if (hit && hit.outboxId === outboxId) return hit.body;
  let inflight = inflights.get(store);
  if (!inflight) inflights.set(store, (inflight = new Map()));
  const flightKey = `${outboxId}|${fullKey}`;
  const pending = inflight.get(flightKey);
  if (pending) return pending;
  const p = render().then((body) => {
    if (m.size >= MAX_ENTRIES) m.clear();
    m.set(fullKey, { outboxId, body });
    return body;
  }).finally(() => inflight!.delete(flightKey));
  inflight.set(flightKey, p);
  return p;
}

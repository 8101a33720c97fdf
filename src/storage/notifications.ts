/**
 * PostgreSQL LISTEN on a connection of its own, for caches that must hear of a change made by another node at once
 * (API keys). `live` is true only while the LISTEN is established: a cache may be trusted only then. On a lost
 * connection the listener reports not-live, reconnects with backoff (0.5 s doubling to 10 s) and reports live
 * again, and the owner forgets what it cached meanwhile.
 */
import pg from 'pg';

export interface Listener { readonly live: boolean; close(): Promise<void> }

export function listenFor(url: string, channel: string, on: { notify(): void; live(isLive: boolean): void }): Listener {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
  let client: pg.Client | undefined;
  let live = false;
  let closed = false;
  let delay = 500;
  let retry: NodeJS.Timeout | undefined;

  const setLive = (v: boolean) => {
    if (live === v) return;
    live = v;
    on.live(v);
  };
  const drop = (c: pg.Client) => {
    if (client !== c) return;
    client = undefined;
    setLive(false);
    c.end().catch(() => { /* already gone */ });
    if (closed || retry) return;
    retry = setTimeout(() => { retry = undefined; void connect(); }, delay);
    retry.unref();
    delay = Math.min(delay * 2, 10_000);
  };
  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on('notification', (m) => { if (m.channel === channel) on.notify(); });
    c.on('error', () => drop(c));
    c.on('end', () => drop(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      if (client !== c) return;
      delay = 500;
      setLive(true);
    } catch {
      drop(c);
    }
  };
  void connect();
  return {
    get live() { return live; },
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = undefined;
      live = false;
      if (c) await c.end().catch(() => { /* already gone */ });
    },
  };
}

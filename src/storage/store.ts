/**
 * The store: the only way the rest of the platform reaches the database (architecture.md §3 rule 15).
 *
 *   const store = await openStore({ dataDir })            // embedded SQLite, or { databaseUrl } for PostgreSQL
 *   await store.cases.findCase(id)                        // a repository function, outside a transaction
 *   await store.transaction(async (tx) => {               // one transaction per command
 *     const cur = await tx.cases.findCase(id, { forUpdate: true });
 *     await tx.history.append({ … });
 *   });
 *   await store.newCases.persist(plan)                    // new cases: group-committed by the store's own writer
 *
 * Nothing outside src/storage imports Kysely, pg or better-sqlite3 (a lint rule checks it).
 */
import type { Dialect, DbHandle } from './db.ts';
import { openDatabase } from './db.ts';
import { migrate } from './migrate.ts';
import { repositoriesFor, type Repositories } from './repositories/index.ts';
import { newCaseWriterFor, type NewCaseWriter } from './new-case/index.ts';
import { API_KEY_CHANNEL } from './repositories/auth.repository.ts';
import type { Listener } from './notifications.ts';

export type { Repositories } from './repositories/index.ts';
export type { Dialect } from './db.ts';

export interface Store extends Repositories {
  /** 'sqlite' or 'postgres': for messages and for choosing defaults (never for choosing SQL: repositories do that). */
  readonly dialect: Dialect;
  /** Where the data lives, safe to log (no password). */
  readonly describe: string;
  /** Another thread can open the same data (PostgreSQL, SQLite on a file; not SQLite in memory): the MQTT ingest worker. */
  readonly sharable: boolean;
  /** Writes new cases (case, history, outbox, duplicate link, idempotency record), group-committed. */
  readonly newCases: NewCaseWriter;
  /** Runs `fn` in one transaction with repositories bound to it; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /**
   * Tells `onChange` when any node changes an API key, so a cache of keys can be trusted: `live()` is true while
   * such changes are sure to be heard (always on SQLite, one process; on PostgreSQL while its LISTEN connection is
   * up). `onChange` is also called whenever the listener goes down or comes back.
   */
  watchApiKeys(onChange: () => void): { live(): boolean };
  /** Applies pending migrations; returns their names. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** PostgreSQL URL; unset → embedded SQLite under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  sqliteFile?: string;
  poolSize?: number;
}

export function openStore(opts: StoreOptions): Store {
  return storeOver(openDatabase(opts));
}

/** A store over an open handle (tests and the bench open handles of their own). */
export function storeOver(h: DbHandle): Store {
  const repos = repositoriesFor({ db: h.db, dialect: h.dialect, sqlite: h.sqlite, positionWriter: () => h.positionWriter, get read() { return h.readDb; } });
  const store = Object.create(repos) as Store & { dialect: Dialect; describe: string; newCases: NewCaseWriter };
  const keyWatchers = new Set<() => void>();
  let keyListener: Listener | undefined;
  Object.assign(store, {
    dialect: h.dialect,
    describe: h.describe,
    sharable: h.dialect === 'postgres' || !h.sqlite?.memory,
    newCases: newCaseWriterFor(h),
    transaction: <T>(fn: (tx: Repositories) => Promise<T>) =>
      h.db.transaction().execute((trx) => fn(repositoriesFor({ db: trx, dialect: h.dialect, sqlite: h.sqlite, positionWriter: () => h.positionWriter }))),
    watchApiKeys: (onChange: () => void) => {
      keyWatchers.add(onChange);
      const tell = () => { for (const f of keyWatchers) f(); };
      if (h.listen && !keyListener) keyListener = h.listen(API_KEY_CHANNEL, { notify: tell, live: tell });
      return { live: () => (h.listen ? keyListener?.live ?? false : true) };
    },
    migrate: () => migrate(h),
    close: async () => {
      await keyListener?.close();
      await h.close();
    },
  });
  return store;
}

/**
 * The connection: Kysely over better-sqlite3 (embedded default) or pg (PostgreSQL).
 * Everything is stored portably: times as epoch milliseconds (bigint), booleans as 0/1, JSON as text.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { startPositionWriter, type PositionWriter } from './sqlite-position-writer.ts';
import { startCheckpointer } from './sqlite-checkpointer.ts';
import { writeLockFor, type WriteLock } from './sqlite-write-lock.ts';
import { listenFor, type Listener } from './notifications.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
export type DbOrTrx = Db | Trx;

/**
 * What every repository function receives first: the connection (or the open transaction) and its dialect. The
 * store binds it once per database handle and once per transaction (repositories/index.ts), so no caller outside
 * src/storage ever holds a query builder or passes a dialect.
 */
export interface Conn {
  db: DbOrTrx;
  dialect: Dialect;
  /** SQLite's raw connection (prepared statements on the hot paths, bulk seeding); undefined on PostgreSQL. */
  sqlite?: SQLite.Database;
  /** SQLite on a file: the worker thread that writes field positions (sqlite-position-writer.ts), started on first use. */
  positionWriter?: () => PositionWriter | undefined;
  /**
   * SQLite on a file, outside a transaction: a second, read-only connection for hot reads that must not queue behind
   * a transaction of the main connection (one connection; a transaction holds it while it awaits the write lock).
   * It sees what is committed (WAL), as any other reader would. Undefined inside a transaction, on PostgreSQL (a pool)
   * and in memory: use `c.read ?? c.db`.
   */
  read?: Db;
}

export interface DbHandle {
  db: Db;
  dialect: Dialect;
  /** For SQLite, the raw connection (used by bulk seeding); undefined on PostgreSQL. */
  sqlite?: SQLite.Database;
  /** SQLite on a file: the worker thread that writes field positions (sqlite-position-writer.ts). */
  positionWriter?: PositionWriter;
  /** SQLite on a file: the read-only connection for hot reads (Conn.read), opened on first use. */
  readDb?: Db;
  /** A description safe to log (no password). */
  describe: string;
  /** PostgreSQL: LISTEN on a connection of its own (notifications.ts); undefined on SQLite (one process). */
  listen?: (channel: string, on: { notify(): void; live(isLive: boolean): void }) => Listener;
  close(): Promise<void>;
}

// bigint (int8) and numeric come back from pg as strings by default; our values fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export function openDatabase(opts: { databaseUrl?: string; dataDir: string; sqliteFile?: string; poolSize?: number }): DbHandle {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    // An idle connection dropped by the server (restart, failover) must not crash the process: the pool
    // discards it and the next query opens a new one.
    pool.on('error', (err) => process.emitWarning(`PostgreSQL idle connection error: ${err.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const u = new URL(opts.databaseUrl);
    return {
      db,
      dialect: 'postgres',
      describe: `postgresql://${u.hostname}:${u.port || 5432}${u.pathname}`,
      listen: (channel, on) => listenFor(opts.databaseUrl!, channel, on),
      close: () => db.destroy(),
    };
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const file = opts.sqliteFile ?? path.join(opts.dataDir, 'cityops.sqlite');
  const sqlite = new SQLite(file);
  // WAL + NORMAL: durable across process crashes (not across power loss of the last few ms), and fast.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -16384'); // 16 MiB; the OS page cache holds the rest outside our RSS
  // Checkpoints run on a worker thread (sqlite-checkpointer.ts); the writer itself never stops to checkpoint.
  sqlite.pragma('wal_autocheckpoint = 0');
  const checkpointer = startCheckpointer(file);
  // The worker's connection opens lazily with the first batch; a database in memory has no second connection.
  let positionWriter: PositionWriter | undefined;
  const onDisk = file !== ':memory:' && !file.startsWith('file::memory:');
  const cached = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: cached }, writeLockFor(file), cached) });
  let readDb: Db | undefined;
  let closed = false;
  return {
    db, dialect: 'sqlite', sqlite, describe: file,
    get positionWriter() {
      if (onDisk && !positionWriter) positionWriter = startPositionWriter(file);
      return positionWriter;
    },
    get readDb() {
      if (onDisk && !readDb && !closed) readDb = openReader(file);
      return readDb;
    },
    close: async () => {
      closed = true;
      await readDb?.destroy();
      await positionWriter?.stop();
      await checkpointer.stop();
      await db.destroy();
    },
  };
}

/** The read-only second connection (Conn.read): its own statement cache, no write lock (it never writes). */
function openReader(file: string): Db {
  const reader = new SQLite(file, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  reader.pragma('cache_size = -16384');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(reader) }) });
}

/**
 * Transactions on SQLite begin IMMEDIATE (take the write lock first). Worker threads write the same file on
 * connections of their own (readings, field positions, checkpoints); a deferred transaction that reads and then writes
 * fails at once with SQLITE_BUSY when one of them committed in between (its snapshot is stale — the busy timeout does
 * not help there), while an immediate one waits for the lock. The main connection is one connection, so nothing
 * is lost by taking the lock at BEGIN.
 *
 * Every write of the main connection — a transaction, or a single writing statement outside one — first awaits the
 * file's write lock (sqlite-write-lock.ts), which the writer threads hold while they commit: the wait for a worker's
 * commit happens off the event loop instead of in SQLite's busy handler, which sleeps the thread.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  #inTransaction = false;
  constructor(cfg: ConstructorParameters<typeof SqliteDialect>[0], private readonly lock: WriteLock | undefined, private readonly sqlite: SQLite.Database) {
    super(cfg);
  }
  override async acquireConnection(): Promise<DatabaseConnection> {
    const conn = await super.acquireConnection();
    const lock = this.lock;
    if (!lock) return conn;
    return {
      executeQuery: async (q) => {
        // Outside a transaction a writing statement commits on its own: hold the lock for it. `readonly` comes from
        // SQLite's prepare (cached): INSERT … RETURNING is a reader but not read-only.
        if (this.#inTransaction || this.sqlite.prepare(q.sql).readonly) return conn.executeQuery(q);
        await lock.acquire();
        try { return await conn.executeQuery(q); } finally { lock.release(); }
      },
      streamQuery: (q, chunk) => conn.streamQuery(q, chunk),
    };
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await this.lock?.acquire();
    this.#inTransaction = true; // BEGIN IMMEDIATE is not read-only: the statement check below must let it through
    try {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    } catch (err) {
      this.#inTransaction = false;
      this.lock?.release();
      throw err;
    }
  }
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#end(connection, 'commit');
  }
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#end(connection, 'rollback');
  }
  async #end(connection: DatabaseConnection, how: 'commit' | 'rollback'): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw(how));
    } catch (err) {
      // a failed COMMIT leaves the transaction open (SQLITE_BUSY): keep the lock until the rollback that follows
      if (how === 'commit' && !this.sqlite.inTransaction) { this.#inTransaction = false; this.lock?.release(); }
      throw err;
    }
    this.#inTransaction = false;
    this.lock?.release();
  }
}
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly cfg: ConstructorParameters<typeof SqliteDialect>[0], private readonly lock: WriteLock | undefined, private readonly raw: SQLite.Database) {
    super(cfg);
  }
  override createDriver() { return new ImmediateSqliteDriver(this.cfg, this.lock, this.raw); }
}

/**
 * Kysely's SQLite driver prepares every statement anew; compiling SQL is a large part of a small query's cost.
 * Our queries are parameterised, so their text repeats: cache the prepared statements by text (bounded).
 */
function withStatementCache(sqlite: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') {
        return (source: string) => {
          let st = cache.get(source);
          if (!st) {
            st = prepare(source);
            if (cache.size >= 2000) cache.clear();
            cache.set(source, st);
          }
          return st;
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

export { toJson, fromJson, isUniqueViolation } from './codec.ts';

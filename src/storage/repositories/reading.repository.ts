/**
 * Readings (issue 11 parts 2–3; migration 029): the group-committed insert, the rollups, retention, and the range
 * reads behind the device chart and `sensingHooks(ctx).recorded`. docs/issue-11/ingestion.md has the numbers.
 *
 * - Insert: one statement per batch on PostgreSQL (unnest of three arrays); on SQLite on a file a worker thread with
 *   its own connection (sqlite-reading-writer.ts), so the event loop never runs the inserts. A (device, instant)
 *   already stored is skipped: a broker redelivering after a crash does not duplicate.
 * - Rollups: the rollup job folds readings by id range (arrival order) into minute and hour buckets with an
 *   additive upsert; the id range and the cursor move in one transaction, so a range is folded exactly once.
 */
import { isMainThread } from 'node:worker_threads';
import { sql } from 'kysely';
import type SQLite from 'better-sqlite3';
import type { Conn, Db } from '../db.ts';
import { READING_INSERT_SQL, startReadingWriter, type ReadingWriter } from '../sqlite-reading-writer.ts';
import type { Reading } from '../../domain/sensing/types.ts';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const ROLLUP_CURSOR = 'reading_rollups';

const writers = new WeakMap<SQLite.Database, ReadingWriter>();
const inserts = new WeakMap<SQLite.Database, SQLite.Statement>();

/** Stores a batch (parallel arrays); resolves once it is committed. Outside any transaction. */
export async function insertBatch(c: Conn, d: string[], a: number[], v: string[]): Promise<void> {
  if (d.length === 0) return;
  const s = c.sqlite;
  if (!s) {
    await sql`INSERT INTO readings (device_id, at, vals) SELECT * FROM unnest(${d}::text[], ${a}::bigint[], ${v}::text[])
      ON CONFLICT (device_id, at) DO NOTHING`.execute(c.db);
    return;
  }
  if (!s.memory && isMainThread) {
    let w = writers.get(s);
    if (!w) writers.set(s, (w = startReadingWriter(s.name)));
    await w.write(d, a, v);
    return;
  }
  if (!s.memory) {
    // On a worker thread (the MQTT ingest worker) the event loop is the worker's own: write here, on its connection, in
    // one transaction that holds the file's write lock (BEGIN IMMEDIATE), instead of a second hop to a writer thread.
    await (c.db as Db).transaction().execute(async () => { insertAll(s, d, a, v); });
    return;
  }
  // In memory (tests): there is no second connection; run it synchronously while holding Kysely's connection.
  await (c.db as Db).connection().execute(async () => { s.transaction(() => insertAll(s, d, a, v))(); });
}

function insertAll(s: SQLite.Database, d: string[], a: number[], v: string[]): void {
  let st = inserts.get(s);
  if (!st) inserts.set(s, (st = s.prepare(READING_INSERT_SQL)));
  for (let i = 0; i < d.length; i++) st.run(d[i], a[i], v[i]);
}

/** Stops the SQLite writer thread of this connection, if one runs. */
export async function stopWriter(c: Conn): Promise<void> {
  const w = c.sqlite ? writers.get(c.sqlite) : undefined;
  if (w && c.sqlite) { writers.delete(c.sqlite); await w.stop(); }
}

const toReading = (deviceId: string) => (r: { at: number | string; vals: string }): Reading => ({ deviceId, at: Number(r.at), values: JSON.parse(r.vals) as Record<string, number> });

/** Raw readings of one device in [from, to), oldest first. */
export async function range({ db }: Conn, deviceId: string, from: number, to: number, limit: number): Promise<Reading[]> {
  const rows = await db.selectFrom('readings').select(['at', 'vals']).where('device_id', '=', deviceId).where('at', '>=', from).where('at', '<', to)
    .orderBy('at').limit(limit).execute();
  return rows.map(toReading(deviceId));
}

/** The newest readings of one device, newest first. */
export async function latest({ db }: Conn, deviceId: string, limit: number): Promise<Reading[]> {
  const rows = await db.selectFrom('readings').select(['at', 'vals']).where('device_id', '=', deviceId).orderBy('at', 'desc').limit(limit).execute();
  return rows.map(toReading(deviceId));
}

export interface RollupRow { bucket: number; key: string; n: number; sum: number; min: number; max: number }

export async function rollups({ db }: Conn, deviceId: string, res: number, from: number, to: number, limit: number): Promise<RollupRow[]> {
  const rows = await db.selectFrom('reading_rollups').select(['bucket', 'mkey', 'n', 'sum', 'min', 'max'])
    .where('device_id', '=', deviceId).where('res', '=', res).where('bucket', '>=', from).where('bucket', '<', to)
    .orderBy('bucket').limit(limit).execute();
  return rows.map((r) => ({ bucket: Number(r.bucket), key: r.mkey, n: Number(r.n), sum: Number(r.sum), min: Number(r.min), max: Number(r.max) }));
}

export async function maxId({ db }: Conn): Promise<number> {
  const r = await db.selectFrom('readings').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
  return Number(r?.m ?? 0);
}

/** Readings of one device stored with an instant at or after `since`. */
export async function countSince({ db }: Conn, deviceId: string, since: number): Promise<number> {
  const r = await db.selectFrom('readings').select((eb) => eb.fn.countAll<number>().as('n')).where('device_id', '=', deviceId).where('at', '>=', since).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function count({ db }: Conn, deviceId?: string): Promise<number> {
  let q = db.selectFrom('readings').select((eb) => eb.fn.countAll<number>().as('n'));
  if (deviceId) q = q.where('device_id', '=', deviceId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/**
 * Folds readings with id in (after, upTo] into the minute and hour rollups (additive: a bucket already there grows).
 * Call inside the transaction that moves the cursor.
 */
export async function foldRollups({ db, dialect }: Conn, after: number, upTo: number): Promise<void> {
  for (const res of [MINUTE, HOUR]) {
    if (dialect === 'postgres') {
      await sql`INSERT INTO reading_rollups (device_id, res, bucket, mkey, n, sum, min, max)
        SELECT r.device_id, ${res}::int, (r.at / ${res}) * ${res}, j.key, COUNT(*), SUM(j.value::double precision), MIN(j.value::double precision), MAX(j.value::double precision)
        FROM readings r CROSS JOIN LATERAL jsonb_each_text(r.vals::jsonb) j
        WHERE r.id > ${after} AND r.id <= ${upTo}
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (device_id, res, bucket, mkey) DO UPDATE SET n = reading_rollups.n + excluded.n, sum = reading_rollups.sum + excluded.sum,
          min = LEAST(reading_rollups.min, excluded.min), max = GREATEST(reading_rollups.max, excluded.max)`.execute(db);
    } else {
      await sql`INSERT INTO reading_rollups (device_id, res, bucket, mkey, n, sum, min, max)
        SELECT r.device_id, ${res}, (r.at / ${res}) * ${res}, j.key, COUNT(*), SUM(j.value), MIN(j.value), MAX(j.value)
        FROM readings r, json_each(r.vals) j
        WHERE r.id > ${after} AND r.id <= ${upTo}
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (device_id, res, bucket, mkey) DO UPDATE SET n = reading_rollups.n + excluded.n, sum = reading_rollups.sum + excluded.sum,
          min = MIN(reading_rollups.min, excluded.min), max = MAX(reading_rollups.max, excluded.max)`.execute(db);
    }
  }
}

/**
 * Retention: raw readings that arrived before `rawBefore` (by id: arrival order, no index on `at` needed), rollups
 * with buckets before their limits. Deletes in chunks; answers how many readings went.
 */
export async function prune({ db }: Conn, rawBefore: number, minuteBefore: number, hourBefore: number, chunk = 50_000): Promise<number> {
  const first = await db.selectFrom('readings').select('id').where('at', '>=', rawBefore).orderBy('id').limit(1).executeTakeFirst();
  const boundary = first ? Number(first.id) : (await maxId({ db, dialect: 'sqlite' })) + 1;
  let removed = 0;
  for (;;) {
    const lowest = await db.selectFrom('readings').select((eb) => eb.fn.min('id').as('m')).executeTakeFirst();
    const lo = Number(lowest?.m ?? boundary);
    if (!lowest?.m || lo >= boundary) break;
    const hi = Math.min(boundary, lo + chunk);
    const r = await db.deleteFrom('readings').where('id', '>=', lo).where('id', '<', hi).executeTakeFirst();
    removed += Number(r.numDeletedRows);
  }
  await db.deleteFrom('reading_rollups').where('res', '=', MINUTE).where('bucket', '<', minuteBefore).execute();
  await db.deleteFrom('reading_rollups').where('res', '=', HOUR).where('bucket', '<', hourBefore).execute();
  return removed;
}

/**
 * Field resources' storage (migration 019): on-duty sessions, the latest position per resource, tracks, and the
 * questions other parts ask ("is this person on duty now?", "who is on duty in these regions?").
 */
import type SQLite from 'better-sqlite3';
import type { Conn, Db } from '../db.ts';
import type { FieldDutyTable, FieldLatestTable, FieldTrackTable } from '../field.schema.ts';
import { insertChunked } from './bulk.ts';
import { POSITION_LATEST_COLS, POSITION_LATEST_SQL, POSITION_TRACK_COLS, POSITION_TRACK_SQL, type PositionValue } from '../sqlite-position-writer.ts';

export type DutyRow = Omit<FieldDutyTable, 'id'> & { id: number };
export type LatestRow = FieldLatestTable;
export type TrackInsert = Omit<FieldTrackTable, 'id'>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toDuty(r: Record<string, unknown>): DutyRow {
  return {
    id: Number(r.id), user_id: String(r.user_id), kind: String(r.kind), unit_id: (r.unit_id as string) ?? null,
    region_id: (r.region_id as string) ?? null, started_at: Number(r.started_at), ended_at: num(r.ended_at),
  };
}

function toLatest(r: LatestRow): LatestRow {
  return {
    ...r, on_duty: Number(r.on_duty), duty_since: num(r.duty_since), lon: num(r.lon), lat: num(r.lat), at: num(r.at),
    updated_at: Number(r.updated_at),
  };
}

/** The person's open on-duty session, if any (locked inside a transaction on PostgreSQL). */
export async function openDuty({ db, dialect }: Conn, userId: string, opts: { forUpdate?: boolean } = {}): Promise<DutyRow | undefined> {
  let q = db.selectFrom('field_duty').selectAll().where('user_id', '=', userId).where('ended_at', 'is', null);
  if (opts.forUpdate && dialect === 'postgres') q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toDuty(r) : undefined;
}

export async function insertDuty({ db }: Conn, row: Omit<DutyRow, 'id'>): Promise<number> {
  const r = await db.insertInto('field_duty').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function endDuty({ db }: Conn, id: number, at: number): Promise<void> {
  await db.updateTable('field_duty').set({ ended_at: at }).where('id', '=', id).execute();
}

export async function dutySessions({ db }: Conn, f: { userId?: string; from: number; to: number }): Promise<DutyRow[]> {
  let q = db.selectFrom('field_duty').selectAll().where('started_at', '<', f.to)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', f.from)]));
  if (f.userId) q = q.where('user_id', '=', f.userId);
  return (await q.orderBy('started_at').limit(5000).execute()).map(toDuty);
}

/** Marks a resource on or off duty (creating its row without a position when it has none yet). */
export async function setOnDuty({ db }: Conn, row: Pick<LatestRow, 'resource_id' | 'kind' | 'user_id' | 'unit_id' | 'label' | 'on_duty' | 'duty_since' | 'updated_at'>): Promise<void> {
  await db.insertInto('field_latest').values({ ...row, lon: null, lat: null, at: null, grid_id: null, community_id: null, street_id: null, district_id: null })
    .onConflict((oc) => oc.column('resource_id').doUpdateSet({
      kind: row.kind, unit_id: row.unit_id, label: row.label, on_duty: row.on_duty, duty_since: row.duty_since, updated_at: row.updated_at,
    }))
    .execute();
}

/**
 * Keeps accepted positions: every fix joins the track; the latest row moves only forward in time (a late fix from a
 * vehicle's buffer does not move it back). One statement per chunk, so 10,000 fixes a second are a few statements.
 */
export async function writePositions({ db }: Conn, track: TrackInsert[], latest: LatestRow[]): Promise<void> {
  if (track.length > 0) await insertChunked(db, 'field_track', track, 500);
  for (let i = 0; i < latest.length; i += 400) {
    await db.insertInto('field_latest').values(latest.slice(i, i + 400))
      .onConflict((oc) => oc.column('resource_id').doUpdateSet((eb) => ({
        lon: eb.ref('excluded.lon'), lat: eb.ref('excluded.lat'), at: eb.ref('excluded.at'), grid_id: eb.ref('excluded.grid_id'),
        community_id: eb.ref('excluded.community_id'), street_id: eb.ref('excluded.street_id'), district_id: eb.ref('excluded.district_id'),
        updated_at: eb.ref('excluded.updated_at'),
      })).where((eb) => eb.or([eb('field_latest.at', 'is', null), eb('field_latest.at', '<=', eb.ref('excluded.at'))])))
      .execute();
  }
}

const statements = new WeakMap<SQLite.Database, { track: SQLite.Statement; latest: SQLite.Statement }>();

const trackValues = (t: TrackInsert): PositionValue[] => POSITION_TRACK_COLS.map((k) => t[k]);
const latestValues = (l: LatestRow): PositionValue[] => POSITION_LATEST_COLS.map((k) => l[k]);

/**
 * One batch of fixes in one transaction, outside any other. On SQLite on a file the batch goes to the position
 * writer's worker thread (src/storage/sqlite-position-writer.ts), so the request thread never holds the event loop
 * for it; on SQLite in memory with prepared statements run synchronously while holding Kysely's connection (nothing
 * interleaves); on PostgreSQL through `writePositions` in a transaction (inside a caller's transaction: in it).
 */
export async function writePositionBatch(c: Conn, track: TrackInsert[], latest: LatestRow[]): Promise<void> {
  const sqlite = c.sqlite;
  if (c.db.isTransaction) return writePositions(c, track, latest); // already inside the caller's transaction
  if (!sqlite) {
    await (c.db as Db).transaction().execute((trx) => writePositions({ db: trx, dialect: c.dialect }, track, latest));
    return;
  }
  const offThread = c.positionWriter?.();
  if (offThread) {
    await offThread.write(track.map(trackValues), latest.map(latestValues));
    return;
  }
  await (c.db as Db).connection().execute(async () => {
    let st = statements.get(sqlite);
    if (!st) {
      st = { track: sqlite.prepare(POSITION_TRACK_SQL), latest: sqlite.prepare(POSITION_LATEST_SQL) };
      statements.set(sqlite, st);
    }
    const { track: ins, latest: up } = st;
    sqlite.transaction(() => {
      for (const t of track) ins.run(trackValues(t));
      for (const l of latest) up.run(latestValues(l));
    })();
  });
}

/** Rows changed at or after `since` (every node's in-memory index catches up with this). */
export async function latestChangedSince({ db }: Conn, since: number): Promise<LatestRow[]> {
  const rows = await db.selectFrom('field_latest').selectAll().where('updated_at', '>=', since).execute();
  return rows.map(toLatest);
}

export async function findLatest({ db }: Conn, resourceIds: string[]): Promise<LatestRow[]> {
  if (resourceIds.length === 0) return [];
  const rows = await db.selectFrom('field_latest').selectAll().where('resource_id', 'in', resourceIds).execute();
  return rows.map(toLatest);
}

export async function trackOf({ db }: Conn, resourceId: string, from: number, to: number, limit: number): Promise<{ at: number; lon: number; lat: number; gridId: string | null }[]> {
  const rows = await db.selectFrom('field_track').select(['at', 'lon', 'lat', 'grid_id']).where('resource_id', '=', resourceId)
    .where('at', '>=', from).where('at', '<', to).orderBy('at').limit(limit).execute();
  return rows.map((r) => ({ at: Number(r.at), lon: Number(r.lon), lat: Number(r.lat), gridId: r.grid_id }));
}

/** Track points between two instants summed per resource and grid (for coverage). */
export async function gridVisits({ db }: Conn, from: number, to: number): Promise<{ resourceId: string; gridId: string; firstAt: number; lastAt: number; points: number }[]> {
  const rows = await db.selectFrom('field_track')
    .select((eb) => ['resource_id', 'grid_id', eb.fn.min('at').as('first_at'), eb.fn.max('at').as('last_at'), eb.fn.countAll().as('n')])
    .where('at', '>=', from).where('at', '<', to).where('grid_id', 'is not', null)
    .groupBy(['resource_id', 'grid_id']).execute();
  return rows.map((r) => ({ resourceId: r.resource_id, gridId: r.grid_id!, firstAt: Number(r.first_at), lastAt: Number(r.last_at), points: Number(r.n) }));
}

/** Drops track points older than `before` (retention); returns how many. */
export async function pruneTracks({ db }: Conn, before: number): Promise<number> {
  const r = await db.deleteFrom('field_track').where('at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}

/** Open cases each person holds (assigned to them), for "current load". */
export async function openLoad(c: Conn, userIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (userIds.length === 0) return out;
  // the dispatcher's nearest-people answer must not wait for a transaction on the main connection
  const rows = await (c.read ?? c.db).selectFrom('cases').select((eb) => ['assigned_user_id', eb.fn.countAll().as('n')])
    .where('assigned_user_id', 'in', userIds).where('state', 'not in', ['ARCHIVED', 'CANCELLED'])
    .groupBy('assigned_user_id').execute();
  for (const r of rows) if (r.assigned_user_id) out.set(r.assigned_user_id, Number(r.n));
  return out;
}

/**
 * Is the person on duty at `at`: a roster entry covers the instant, or they went on duty in the field (上岗) and had
 * not gone off by then. For other parts (an emergency's acknowledgement, a shift handover).
 */
/** The people rostered (值班表) at `at` for any of these centres' regions or units: who stands duty there now. */
export async function rosteredAt({ db }: Conn, regionIds: string[], unitIds: string[], at: number): Promise<string[]> {
  if (regionIds.length === 0 && unitIds.length === 0) return [];
  const rows = await db.selectFrom('rosters').select('user_id').distinct().where('start_at', '<=', at).where('end_at', '>', at)
    .where((eb) => eb.or([
      ...(regionIds.length ? [eb('region_id', 'in', regionIds)] : []),
      ...(unitIds.length ? [eb('unit_id', 'in', unitIds)] : []),
    ])).execute();
  return rows.map((r) => r.user_id);
}

export async function isOnDuty({ db }: Conn, userId: string, at: number): Promise<boolean> {
  const rostered = await db.selectFrom('rosters').select('id').where('user_id', '=', userId)
    .where('start_at', '<=', at).where('end_at', '>', at).limit(1).executeTakeFirst();
  if (rostered) return true;
  const field = await db.selectFrom('field_duty').select('id').where('user_id', '=', userId).where('started_at', '<=', at)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', at)])).limit(1).executeTakeFirst();
  return !!field;
}

/**
 * Who is on duty at `at` in any of `regionIds` (pass a case's region path, root first, to get everyone from the city
 * centre down to its community): roster entries for those centres, and field sessions started there. Also the
 * roster entries of `unitIds` when given. Distinct user ids, with the roles they are on duty in.
 */
export async function onDutyIn({ db }: Conn, regionIds: string[], at: number, unitIds: string[] = []): Promise<{ userId: string; dutyRoles: string[] }[]> {
  const roles = new Map<string, Set<string>>();
  const add = (u: string, r: string) => { let s = roles.get(u); if (!s) roles.set(u, (s = new Set())); s.add(r); };
  if (regionIds.length > 0 || unitIds.length > 0) {
    const rows = await db.selectFrom('rosters').select(['user_id', 'duty_role']).where('start_at', '<=', at).where('end_at', '>', at)
      .where((eb) => eb.or([
        ...(regionIds.length ? [eb('region_id', 'in', regionIds)] : []),
        ...(unitIds.length ? [eb('unit_id', 'in', unitIds)] : []),
      ])).execute();
    for (const r of rows) add(r.user_id, r.duty_role);
  }
  if (regionIds.length > 0) {
    const rows = await db.selectFrom('field_duty').select(['user_id', 'kind']).where('region_id', 'in', regionIds).where('started_at', '<=', at)
      .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', at)])).execute();
    for (const r of rows) add(r.user_id, r.kind);
  }
  return [...roles].map(([userId, s]) => ({ userId, dutyRoles: [...s].sort() }));
}

/** The city's extent: the bounding box of every grid (null before grids are imported). */
export async function cityBounds({ db }: Conn): Promise<{ minLon: number; minLat: number; maxLon: number; maxLat: number } | null> {
  const r = await db.selectFrom('grids').select((eb) => [
    eb.fn.min('min_lon').as('a'), eb.fn.min('min_lat').as('b'), eb.fn.max('max_lon').as('c'), eb.fn.max('max_lat').as('d'),
  ]).executeTakeFirst();
  if (!r || r.a === null || r.a === undefined) return null;
  return { minLon: Number(r.a), minLat: Number(r.b), maxLon: Number(r.c), maxLat: Number(r.d) };
}

/** Names, roles and scope of users (for labels and the role filter). */
export async function usersByIds({ db }: Conn, ids: string[]): Promise<{ id: string; displayName: string; roles: string[]; unitIds: string[]; regionIds: string[]; active: boolean }[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('users').select(['id', 'display_name', 'roles', 'unit_ids', 'region_ids', 'active']).where('id', 'in', ids).execute();
  return rows.map((r) => ({
    id: r.id, displayName: r.display_name, roles: JSON.parse(r.roles), unitIds: JSON.parse(r.unit_ids), regionIds: JSON.parse(r.region_ids), active: Number(r.active) === 1,
  }));
}

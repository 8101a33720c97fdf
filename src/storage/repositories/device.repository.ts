/**
 * The device registry (issue 11 part 1): device types and devices, read by ingestion (is this a known device? which
 * measurements and ranges?), by the rules (which type, place, owner unit) and by the console. Writes for the registry
 * (create, import, credentials, state) belong here too.
 */
import type { Selectable } from 'kysely';
import { sql, type Insertable } from 'kysely';
import type { DeviceHistoryTable } from '../sensing-readings.schema.ts';
import type { CaseVisibility } from '../../domain/policy/visibility.ts';
import { insertChunked } from './bulk.ts';
import type { Conn } from '../db.ts';
import { fromJson, toJson } from '../codec.ts';
import type { DeviceTable, DeviceTypeTable } from '../sensing.schema.ts';
import type { Device, DeviceState, DeviceType, Measurement, AttachmentKind } from '../../domain/sensing/types.ts';

export type DeviceRow = Selectable<DeviceTable>;
export type DeviceTypeRow = Selectable<DeviceTypeTable>;

export const toDeviceType = (r: DeviceTypeRow): DeviceType => ({
  id: r.id, zh: r.name_zh, en: r.name_en, measurements: fromJson<Measurement[]>(r.measurements, []), scenario: r.scenario,
  heartbeatSeconds: Number(r.heartbeat_seconds),
});

export const toDevice = (r: DeviceRow): Device => ({
  id: r.id, typeId: r.type_id, name: r.name, vendor: r.vendor, model: r.model,
  lon: r.lon === null ? null : Number(r.lon), lat: r.lat === null ? null : Number(r.lat),
  gridId: r.grid_id, communityId: r.community_id, streetId: r.street_id, districtId: r.district_id,
  attachmentKind: r.attachment_kind as AttachmentKind | null, attachmentId: r.attachment_id, scenario: r.scenario,
  ownerUnitId: r.owner_unit_id, state: r.state as DeviceState, lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at),
  hasCredential: r.secret_hash !== null, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
});

export async function listTypes({ db }: Conn): Promise<DeviceType[]> {
  const rows = await db.selectFrom('device_types').selectAll().orderBy('id').execute();
  return rows.map(toDeviceType);
}

export async function findType({ db }: Conn, id: string): Promise<DeviceType | undefined> {
  const r = await db.selectFrom('device_types').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toDeviceType(r) : undefined;
}

/** Creates or replaces a device type (types are reference data: few, edited by admins). */
export async function saveType({ db }: Conn, t: DeviceType, now: number): Promise<void> {
  const row = {
    id: t.id, name_zh: t.zh, name_en: t.en, measurements: toJson(t.measurements), scenario: t.scenario,
    heartbeat_seconds: t.heartbeatSeconds, created_at: now, updated_at: now,
  };
  await db.insertInto('device_types').values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({
      name_zh: row.name_zh, name_en: row.name_en, measurements: row.measurements, scenario: row.scenario,
      heartbeat_seconds: row.heartbeat_seconds, updated_at: now,
    }))
    .execute();
}

export async function findDevice({ db }: Conn, id: string): Promise<Device | undefined> {
  const r = await db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toDevice(r) : undefined;
}

export async function findDevices({ db }: Conn, ids: readonly string[]): Promise<Device[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('devices').selectAll().where('id', 'in', [...ids]).execute();
  return rows.map(toDevice);
}

/** The stored credential hash of a device (ingestion checks it; never presented). */
export async function secretHashOf({ db }: Conn, id: string): Promise<string | null | undefined> {
  const r = await db.selectFrom('devices').select('secret_hash').where('id', '=', id).executeTakeFirst();
  return r ? r.secret_hash : undefined;
}

// ── Writes and lists of the registry (issue 11 part 1, S1; docs/issue-11/ingestion.md) ──────────────────────────────


export type DeviceInsert = Insertable<DeviceTable>;

export async function insertDevice({ db }: Conn, row: DeviceInsert): Promise<void> {
  await db.insertInto('devices').values(row).execute();
}

/** Inserts new devices and replaces the registry fields of existing ones (bulk import, demo); never touches
 *  state, last seen or the credential of a device already there. Answers the ids that were new. */
export async function upsertDevices({ db }: Conn, rows: DeviceInsert[]): Promise<string[]> {
  const created: string[] = [];
  for (let i = 0; i < rows.length; i += 300) {
    const chunk = rows.slice(i, i + 300);
    const had = new Set((await db.selectFrom('devices').select('id').where('id', 'in', chunk.map((r) => r.id)).execute()).map((r) => r.id));
    const fresh = chunk.filter((r) => !had.has(r.id));
    if (fresh.length) await insertChunked(db, 'devices', fresh, 300);
    created.push(...fresh.map((r) => r.id));
    for (const r of chunk.filter((x) => had.has(x.id))) {
      await db.updateTable('devices').set({
        type_id: r.type_id, name: r.name, vendor: r.vendor, model: r.model, lon: r.lon, lat: r.lat, grid_id: r.grid_id,
        community_id: r.community_id, street_id: r.street_id, district_id: r.district_id, attachment_kind: r.attachment_kind,
        attachment_id: r.attachment_id, scenario: r.scenario, owner_unit_id: r.owner_unit_id, updated_at: r.updated_at,
        version: sql<number>`version + 1`,
      }).where('id', '=', r.id).execute();
    }
  }
  return created;
}

/** Updates registry fields when the stored version is `version`; false when someone else changed it first. */
export async function updateDevice({ db }: Conn, id: string, version: number, set: Partial<Omit<DeviceInsert, 'id' | 'version'>>): Promise<boolean> {
  const r = await db.updateTable('devices').set({ ...set, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setSecretHash({ db }: Conn, id: string, hash: string, now: number): Promise<void> {
  await db.updateTable('devices').set({ secret_hash: hash, updated_at: now, version: sql<number>`version + 1` }).where('id', '=', id).execute();
}

export async function versionOf({ db }: Conn, id: string): Promise<number | undefined> {
  const r = await db.selectFrom('devices').select('version').where('id', '=', id).executeTakeFirst();
  return r ? Number(r.version) : undefined;
}

export interface DeviceFilter {
  visibility: CaseVisibility;
  typeId?: string;
  state?: string[];
  scenario?: string;
  regionId?: string;
  ownerUnitId?: string;
  q?: string;
  limit: number;
  offset: number;
}

/** THE visibility policy for devices: a device is visible where a case at its place, held by its owner unit, would be. */
function filtered(db: Conn['db'], f: Omit<DeviceFilter, 'limit' | 'offset'>) {
  let q = db.selectFrom('devices');
  const v = f.visibility;
  if (!v.all) {
    const { regionIds: r, unitIds: u } = v;
    if (!r.length && !u.length && !v.unlocated) q = q.where(sql<boolean>`1 = 0`);
    else {
      q = q.where((eb) => eb.or([
        ...(r.length ? [eb('district_id', 'in', r), eb('street_id', 'in', r), eb('community_id', 'in', r)] : []),
        ...(v.unlocated ? [eb.and([eb('community_id', 'is', null), eb('street_id', 'is', null), eb('district_id', 'is', null)])] : []),
        ...(u.length ? [eb('owner_unit_id', 'in', u)] : []),
      ]));
    }
  }
  if (f.typeId) q = q.where('type_id', '=', f.typeId);
  if (f.state?.length) q = q.where('state', 'in', f.state);
  if (f.scenario) q = q.where('scenario', '=', f.scenario);
  if (f.ownerUnitId) q = q.where('owner_unit_id', '=', f.ownerUnitId);
  if (f.regionId) { const rid = f.regionId; q = q.where((eb) => eb.or([eb('district_id', '=', rid), eb('street_id', '=', rid), eb('community_id', '=', rid)])); }
  if (f.q) { const like = `%${f.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`; q = q.where((eb) => eb.or([eb('id', 'like', like), eb('name', 'like', like)])); }
  return q;
}

export async function listDevices({ db }: Conn, f: DeviceFilter): Promise<{ items: Device[]; total: number; byState: Record<string, number> }> {
  const rows = await filtered(db, f).selectAll().orderBy('id').limit(f.limit).offset(f.offset).execute();
  // Counts per state ignore the state filter (the list's state tabs show every state's count); total is of the filter.
  const counts = await filtered(db, { ...f, state: undefined }).select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
  const byState: Record<string, number> = {};
  let total = 0;
  for (const c of counts) { byState[c.state] = Number(c.n); if (!f.state?.length || f.state.includes(c.state)) total += Number(c.n); }
  return { items: rows.map(toDevice), total, byState };
}

/** What ingestion needs to know of devices, for its cache. */
export interface IngestDevice { id: string; typeId: string; state: string; secretHash: string | null; lastSeenAt: number | null }

export async function ingestInfo({ db }: Conn, ids: readonly string[]): Promise<IngestDevice[]> {
  if (!ids.length) return [];
  const out: IngestDevice[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('devices').select(['id', 'type_id', 'state', 'secret_hash', 'last_seen_at']).where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) out.push({ id: r.id, typeId: r.type_id, state: r.state, secretHash: r.secret_hash, lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at) });
  }
  return out;
}

/** A page of every device as ingestion knows it, in id order after `afterId` (the ingest cache's warm-up at start). */
export async function ingestInfoPage({ db }: Conn, afterId: string, limit: number): Promise<IngestDevice[]> {
  const rows = await db.selectFrom('devices').select(['id', 'type_id', 'state', 'secret_hash', 'last_seen_at']).where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, typeId: r.type_id, state: r.state, secretHash: r.secret_hash, lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at) }));
}

/** Last seen instants (only ever moved forward). */
export async function touchLastSeen({ db, dialect }: Conn, seen: readonly [string, number][]): Promise<void> {
  if (!seen.length) return;
  for (let i = 0; i < seen.length; i += 5000) {
    const chunk = seen.slice(i, i + 5000);
    if (dialect === 'postgres') {
      await sql`UPDATE devices d SET last_seen_at = s.at FROM unnest(${chunk.map((x) => x[0])}::text[], ${chunk.map((x) => x[1])}::bigint[]) AS s(id, at)
        WHERE d.id = s.id AND (d.last_seen_at IS NULL OR d.last_seen_at < s.at)`.execute(db);
    } else {
      // One statement per chunk (a row per device would hold the connection, and SQLite's one write lock, for long).
      await sql`UPDATE devices SET last_seen_at = s.at
        FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS at FROM json_each(${JSON.stringify(chunk)})) AS s
        WHERE devices.id = s.id AND (devices.last_seen_at IS NULL OR devices.last_seen_at < s.at)`.execute(db);
    }
  }
}

/**
 * Moves devices to `to` when they are in one of `from` (a conditional update: two nodes never both change the same
 * device); answers the devices that changed, with their place and owner (for the event's audience).
 */
export async function changeStates({ db, dialect }: Conn, ids: readonly string[], from: readonly string[], to: string, now: number): Promise<Device[]> {
  if (!ids.length) return [];
  const out: Device[] = [];
  // SQLite without statistics picks the (state, last_seen_at) index for `state IN …` and then checks every device in
  // that state against the ids (100,000 offline devices coming back: 4 s of a worker's CPU per 100,000). `+state`
  // keeps the term off the index, so the primary key finds the ids.
  const state = dialect === 'sqlite' ? sql<string>`+state` : sql<string>`state`;
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await db.updateTable('devices').set({ state: to, updated_at: now }).where('id', 'in', chunk).where(state, 'in', [...from])
      .returningAll().execute();
    out.push(...rows.map(toDevice));
  }
  return out;
}

/** Online devices silent for longer than their type's heartbeat × `factor` (never seen counts as silent since creation). */
export async function silentDevices({ db }: Conn, now: number, factor: number, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('devices').innerJoin('device_types', 'device_types.id', 'devices.type_id').select('devices.id')
    .where('devices.state', '=', 'online')
    .where(sql<boolean>`COALESCE(devices.last_seen_at, devices.created_at) < CAST(${now} AS bigint) - device_types.heartbeat_seconds * CAST(${1000 * factor} AS bigint)`)
    .limit(limit).execute();
  return rows.map((r) => r.id);
}

export async function appendHistory({ db }: Conn, rows: Omit<DeviceHistoryTable, 'id'>[]): Promise<void> {
  if (rows.length) await insertChunked(db, 'device_history', rows, 400);
}

export interface DeviceHistoryEntry { at: number; kind: string; state: string | null; detail: string | null; actorId: string | null }

export async function historyOf({ db }: Conn, id: string, limit: number): Promise<DeviceHistoryEntry[]> {
  const rows = await db.selectFrom('device_history').selectAll().where('device_id', '=', id).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ at: Number(r.at), kind: r.kind, state: r.state, detail: r.detail, actorId: r.actor_id }));
}

export interface IngestStatsDelta { deviceId: string; accepted: number; rejected: number; byReason: Record<string, number>; last?: { reason: string; field: string; message: string; at: number } }

/** Adds counts to each device's ingestion statistics (read-modify-write; one flusher per node, rows per device). */
export async function addIngestStats({ db }: Conn, deltas: readonly IngestStatsDelta[], now: number): Promise<void> {
  for (let i = 0; i < deltas.length; i += 500) {
    const chunk = deltas.slice(i, i + 500);
    const had = new Map((await db.selectFrom('device_ingest_stats').select(['device_id', 'by_reason']).where('device_id', 'in', chunk.map((d) => d.deviceId)).execute())
      .map((r) => [r.device_id, fromJson<Record<string, number>>(r.by_reason, {})]));
    for (const d of chunk) {
      const merged = { ...(had.get(d.deviceId) ?? {}) };
      for (const [k, n] of Object.entries(d.byReason)) merged[k] = (merged[k] ?? 0) + n;
      const last = d.last ? { last_reason: d.last.reason, last_field: d.last.field, last_message: d.last.message.slice(0, 300), last_rejected_at: d.last.at } : {};
      if (had.has(d.deviceId)) {
        await db.updateTable('device_ingest_stats').set({
          accepted: sql<number>`accepted + ${d.accepted}`, rejected: sql<number>`rejected + ${d.rejected}`, by_reason: toJson(merged), updated_at: now, ...last,
        }).where('device_id', '=', d.deviceId).execute();
      } else {
        await db.insertInto('device_ingest_stats').values({
          device_id: d.deviceId, accepted: d.accepted, rejected: d.rejected, by_reason: toJson(merged), updated_at: now,
          last_reason: null, last_field: null, last_message: null, last_rejected_at: null, ...last,
        }).onConflict((oc) => oc.column('device_id').doUpdateSet({
          accepted: sql<number>`device_ingest_stats.accepted + ${d.accepted}`, rejected: sql<number>`device_ingest_stats.rejected + ${d.rejected}`, updated_at: now, ...last,
        })).execute();
      }
    }
  }
}

export interface IngestStats { accepted: number; rejected: number; byReason: Record<string, number>; last: { reason: string; field: string | null; message: string | null; at: number } | null }

export async function ingestStatsOf({ db }: Conn, id: string): Promise<IngestStats> {
  const r = await db.selectFrom('device_ingest_stats').selectAll().where('device_id', '=', id).executeTakeFirst();
  if (!r) return { accepted: 0, rejected: 0, byReason: {}, last: null };
  return {
    accepted: Number(r.accepted), rejected: Number(r.rejected), byReason: fromJson<Record<string, number>>(r.by_reason, {}),
    last: r.last_reason ? { reason: r.last_reason, field: r.last_field, message: r.last_message, at: Number(r.last_rejected_at) } : null,
  };
}

export async function countDevices({ db }: Conn): Promise<number> {
  return Number((await db.selectFrom('devices').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

export async function deviceIds({ db }: Conn, prefix: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('devices').select('id').where('id', 'like', `${prefix}%`).orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

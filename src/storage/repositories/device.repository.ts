/**
 * The device registry (issue 11 part 1): device types and devices, read by ingestion (is this a known device? which
 * measurements and ranges?), by the rules (which type, place, owner unit) and by the console. Writes for the registry
 * (create, import, credentials, state) belong here too.
 */
import type { Selectable } from 'kysely';
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

/**
 * The device registry's commands (issue 11 part 1): save a device type, create / edit a device, rotate its credential.
 * Each is one transaction writing the device's own history row and an outbox event (`device_type.saved`,
 * `device.created`, `device.updated`, `device.credential_rotated`; payload.actorId). A device's place (grid,
 * community, street, district) is located from its position with the reference data (`ctx.ref.locate`); its owner
 * unit must be a registered unit. The credential is returned once and only its hash is stored.
 */
import type { AppContext } from '../runtime/context.ts';
import type { AttachmentKind, Device, DeviceState, DeviceType, Measurement } from '../domain/sensing/types.ts';
import { DomainError, notFound, invalidAs } from '../domain/errors.ts';
import { checkAttachment, checkDeviceId, checkDeviceType, checkPosition, checkState } from '../domain/sensing/device-input.ts';
import { hashDeviceSecret, newDeviceSecret } from '../security/device-secrets.ts';
import { sensingIngester } from '../runtime/sensing-ingest.ts';
import { isUniqueViolation } from '../storage/codec.ts';
import type { DeviceInsert } from '../storage/repositories/device.repository.ts';
import { changeDeviceStates } from './device-state.ts';

export interface DeviceInput {
  id: string;
  typeId: string;
  name: string;
  vendor?: string | null;
  model?: string | null;
  lon?: number | null;
  lat?: number | null;
  attachmentKind?: AttachmentKind | null;
  attachmentId?: string | null;
  scenario?: string | null;
  ownerUnitId?: string | null;
}

const audience = (d: { districtId: string | null; streetId: string | null; communityId: string | null; ownerUnitId: string | null }) => ({
  unitIds: d.ownerUnitId ? [d.ownerUnitId] : [], regionIds: [d.districtId, d.streetId, d.communityId].filter((x): x is string => !!x),
});

export interface DeviceTypeInput { id: string; zh: string; en: string; measurements: Measurement[]; scenario?: string | null; heartbeatSeconds: number }

export async function saveDeviceType(ctx: AppContext, t: DeviceTypeInput, actorId: string): Promise<DeviceType> {
  const type = checkDeviceType({ ...t, scenario: t.scenario ?? null });
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.devices.saveType(type, now);
    await tx.outbox.append({ topic: 'device_type.saved', caseId: null, unitIds: [], regionIds: [], payload: { actorId, typeId: type.id }, at: now });
  });
  sensingIngester(ctx).forgetTypes();
  return type;
}

/**
 * Checks a device's fields and turns them into its row (place located from the position). Shared with the bulk import,
 * which reports the same messages per row.
 */
export function deviceRow(ctx: AppContext, input: DeviceInput, types: ReadonlySet<string>, now: number): DeviceInsert {
  const id = checkDeviceId(input.id);
  if (!types.has(input.typeId)) throw invalidAs('typeId', { key: 'device-save.unknown_device_type', params: { typeId: String(input.typeId) } }, `unknown device type "${input.typeId}"`);
  const name = (input.name ?? '').trim();
  if (!name || name.length > 120) throw invalidAs('name', { key: 'device-save.1_120_characters' }, 'must be 1–120 characters');
  const pos = checkPosition(input.lon, input.lat);
  const att = checkAttachment(input.attachmentKind, input.attachmentId);
  const ref = ctx.ref.current();
  if (input.ownerUnitId && !ref.units.has(input.ownerUnitId)) throw invalidAs('ownerUnitId', { key: 'device-save.unknown_unit', params: { ownerUnitId: String(input.ownerUnitId) } }, `unknown unit "${input.ownerUnitId}"`);
  let place = { gridId: null as string | null, communityId: null as string | null, streetId: null as string | null, districtId: null as string | null };
  if (pos.lon !== null && pos.lat !== null) {
    const at = ctx.ref.locate(pos.lon, pos.lat);
    if (!at) throw new DomainError('OUT_OF_GRID', `lon: the point ${pos.lon}, ${pos.lat} lies outside every grid`, { field: 'lon' });
    place = { gridId: at.gridId, communityId: at.communityId, streetId: at.streetId, districtId: at.districtId };
  } else if (att.kind === 'place' && att.id) {
    // Attached to a grid or a region without a position: take the place from the attachment.
    const grid = ref.grids.get(att.id);
    if (grid) place = { ...place, gridId: grid.id, communityId: grid.communityId };
    else if (ref.regions.has(att.id)) place = { ...place, communityId: att.id };
  }
  if (place.communityId && !place.streetId) {
    const community = ref.regions.get(place.communityId);
    const street = community?.parentId ? ref.regions.get(community.parentId) : undefined;
    place.streetId = street?.id ?? null;
    place.districtId = street?.parentId ?? null;
  }
  const clip = (v: string | null | undefined, field: string) => {
    const s = (v ?? '').trim();
    if (s.length > 80) throw invalidAs(field, { key: 'device-save.at_most_80_characters' }, 'at most 80 characters');
    return s || null;
  };
  return {
    id, type_id: input.typeId, name, vendor: clip(input.vendor, 'vendor'), model: clip(input.model, 'model'), lon: pos.lon, lat: pos.lat,
    grid_id: place.gridId, community_id: place.communityId, street_id: place.streetId, district_id: place.districtId,
    attachment_kind: att.kind, attachment_id: att.id, scenario: clip(input.scenario, 'scenario'), owner_unit_id: input.ownerUnitId || null,
    state: 'offline', last_seen_at: null, secret_hash: null, created_at: now, updated_at: now, version: 1,
  };
}

export async function typeIds(ctx: AppContext): Promise<Set<string>> {
  return new Set((await ctx.store.devices.listTypes()).map((t) => t.id));
}

/** Registers a device with a fresh credential; answers it with the secret (shown this once). */
export async function createDevice(ctx: AppContext, input: DeviceInput, actorId: string): Promise<{ device: Device; secret: string }> {
  const now = ctx.clock.now();
  const row = deviceRow(ctx, input, await typeIds(ctx), now);
  const secret = newDeviceSecret();
  row.secret_hash = hashDeviceSecret(secret);
  try {
    await ctx.store.transaction(async (tx) => {
      await tx.devices.insertDevice(row);
      await tx.devices.appendHistory([{ device_id: row.id, at: now, kind: 'created', state: row.state, detail: null, actor_id: actorId }]);
      await tx.outbox.append({ topic: 'device.created', caseId: null, ...audience(toPlace(row)), payload: { actorId, deviceId: row.id }, at: now });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('CONFLICT', `id: device ${row.id} already exists`, { field: 'id' });
    throw err;
  }
  sensingIngester(ctx).forget(row.id);
  return { device: (await ctx.store.devices.findDevice(row.id))!, secret };
}

const toPlace = (r: DeviceInsert) => ({ districtId: r.district_id ?? null, streetId: r.street_id ?? null, communityId: r.community_id ?? null, ownerUnitId: r.owner_unit_id ?? null });

/** Edits a device's registry fields (what is not given stays); an operator may set the state (maintenance, fault, back). */
export async function updateDevice(ctx: AppContext, id: string, patch: Partial<Omit<DeviceInput, 'id'>> & { state?: DeviceState; version?: number }, actorId: string): Promise<Device> {
  const cur = await ctx.store.devices.findDevice(id);
  if (!cur) throw notFound('device', id);
  const version = await ctx.store.devices.versionOf(id);
  if (patch.version !== undefined && patch.version !== version) throw new DomainError('CONFLICT', `version: the device was changed meanwhile (now ${version})`, { field: 'version' });
  const now = ctx.clock.now();
  const merged: DeviceInput = {
    id, typeId: patch.typeId ?? cur.typeId, name: patch.name ?? cur.name, vendor: patch.vendor !== undefined ? patch.vendor : cur.vendor,
    model: patch.model !== undefined ? patch.model : cur.model, lon: patch.lon !== undefined ? patch.lon : cur.lon, lat: patch.lat !== undefined ? patch.lat : cur.lat,
    attachmentKind: patch.attachmentKind !== undefined ? patch.attachmentKind : cur.attachmentKind,
    attachmentId: patch.attachmentId !== undefined ? patch.attachmentId : cur.attachmentId,
    scenario: patch.scenario !== undefined ? patch.scenario : cur.scenario, ownerUnitId: patch.ownerUnitId !== undefined ? patch.ownerUnitId : cur.ownerUnitId,
  };
  const state = patch.state !== undefined ? checkState(patch.state) : undefined;
  const row = deviceRow(ctx, merged, await typeIds(ctx), now);
  const changedFields = Object.keys(patch).filter((k) => k !== 'version' && k !== 'state');
  if (changedFields.length) {
    await ctx.store.transaction(async (tx) => {
      const ok = await tx.devices.updateDevice(id, version!, {
        type_id: row.type_id, name: row.name, vendor: row.vendor, model: row.model, lon: row.lon, lat: row.lat, grid_id: row.grid_id,
        community_id: row.community_id, street_id: row.street_id, district_id: row.district_id, attachment_kind: row.attachment_kind,
        attachment_id: row.attachment_id, scenario: row.scenario, owner_unit_id: row.owner_unit_id, updated_at: now,
      });
      if (!ok) throw new DomainError('CONFLICT', 'version: the device was changed meanwhile; reload it', { field: 'version' });
      await tx.devices.appendHistory([{ device_id: id, at: now, kind: 'updated', state: null, detail: JSON.stringify({ fields: changedFields }), actor_id: actorId }]);
      await tx.outbox.append({ topic: 'device.updated', caseId: null, ...audience(toPlace(row)), payload: { actorId, deviceId: id, fields: changedFields }, at: now });
    });
  }
  if (state && state !== cur.state) await changeDeviceStates(ctx, [{ deviceId: id, to: state, at: now, detail: 'operator' }], 'operator', actorId);
  sensingIngester(ctx).forget(id);
  return (await ctx.store.devices.findDevice(id))!;
}

/** A new secret for the device; the old one stops working at once on this node (other nodes within the cache TTL). */
export async function rotateDeviceCredential(ctx: AppContext, id: string, actorId: string): Promise<{ device: Device; secret: string }> {
  const cur = await ctx.store.devices.findDevice(id);
  if (!cur) throw notFound('device', id);
  const secret = newDeviceSecret();
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.devices.setSecretHash(id, hashDeviceSecret(secret), now);
    await tx.devices.appendHistory([{ device_id: id, at: now, kind: 'credential', state: null, detail: null, actor_id: actorId }]);
    await tx.outbox.append({ topic: 'device.credential_rotated', caseId: null, ...audience(cur), payload: { actorId, deviceId: id }, at: now });
  });
  sensingIngester(ctx).forget(id);
  return { device: (await ctx.store.devices.findDevice(id))!, secret };
}

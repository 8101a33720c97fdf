/** Device presenter (issue 11): whitelists fields, names places and units from the reference data; never the credential. */
import type { Device, DeviceType } from '../../../domain/sensing/types.ts';
import type { ReferenceData } from '../../../runtime/reference-cache.ts';
import { regionRef } from '../reference/reference.presenter.ts';
import type { IngestStats } from '../../../storage/repositories/device.repository.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function presentDevice(ref: ReferenceData, d: Device, types: ReadonlyMap<string, DeviceType>) {
  const grid = d.gridId ? ref.grids.get(d.gridId) : undefined;
  const type = types.get(d.typeId);
  return {
    id: d.id, typeId: d.typeId, type: type ? { id: type.id, name: type.zh } : null, name: d.name, vendor: d.vendor, model: d.model, lon: d.lon, lat: d.lat,
    grid: d.gridId ? { id: d.gridId, name: grid?.name ?? d.gridId } : null,
    community: regionRef(ref, d.communityId), street: regionRef(ref, d.streetId), district: regionRef(ref, d.districtId),
    attachmentKind: d.attachmentKind, attachmentId: d.attachmentId, scenario: d.scenario,
    ownerUnit: d.ownerUnitId ? { id: d.ownerUnitId, name: ref.units.get(d.ownerUnitId)?.name ?? d.ownerUnitId } : null,
    state: d.state, lastSeenAt: iso(d.lastSeenAt), hasCredential: d.hasCredential, createdAt: iso(d.createdAt)!, updatedAt: iso(d.updatedAt)!,
  };
}

export const presentStats = (s: IngestStats) => ({ ...s, last: s.last ? { ...s.last, at: new Date(s.last.at).toISOString() } : null });

/**
 * Simulated devices (issue 11 part 8): device types of three scenarios (waterlogging, old buildings' tilt, fire smoke)
 * and N devices `sim-000001…` spread over the city's grids, registered fast and idempotently (only the missing ones
 * are inserted, in bulk). Their secrets are derived from SIM_SECRET (HMAC of the device id) so `cityops simulate
 * sensors` can connect them to the embedded broker without a list of secrets; a real deployment never uses these.
 */
import crypto from 'node:crypto';
import type { AppContext } from '../runtime/context.ts';
import type { DeviceType } from '../domain/sensing/types.ts';
import { hashDeviceSecret } from '../security/device-secrets.ts';
import type { DeviceInsert } from '../storage/repositories/device.repository.ts';

export const SIM_PREFIX = 'sim-';
export const SIM_TYPES: DeviceType[] = [
  { id: 'water_level', zh: '积水监测', en: 'Water level', scenario: 'waterlogging', heartbeatSeconds: 300,
    measurements: [{ key: 'waterLevel', zh: '水位', en: 'Water level', unit: 'cm', min: 0, max: 300 }, { key: 'battery', zh: '电量', en: 'Battery', unit: '%', min: 0, max: 100 }] },
  { id: 'building_tilt', zh: '房屋倾斜监测', en: 'Building tilt', scenario: 'old_building', heartbeatSeconds: 600,
    measurements: [{ key: 'tilt', zh: '倾角', en: 'Tilt', unit: '°', min: 0, max: 45 }, { key: 'crack', zh: '裂缝宽度', en: 'Crack width', unit: 'mm', min: 0, max: 50 }] },
  { id: 'smoke_detector', zh: '烟感', en: 'Smoke detector', scenario: 'fire', heartbeatSeconds: 300,
    measurements: [{ key: 'smoke', zh: '烟雾浓度', en: 'Smoke', unit: 'ppm', min: 0, max: 10000 }, { key: 'temperature', zh: '温度', en: 'Temperature', unit: '°C', min: -40, max: 150 }] },
];

export const simDeviceId = (i: number): string => `${SIM_PREFIX}${String(i).padStart(6, '0')}`;
export const simTypeOf = (i: number): DeviceType => SIM_TYPES[i % SIM_TYPES.length];
export const simSecret = (deviceId: string, seed: string): string => crypto.createHmac('sha256', seed).update(deviceId).digest('base64url').slice(0, 32);

/** Registers devices sim-000000 … sim-(n-1) that are missing; answers how many were new. */
export async function registerSimulatedDevices(ctx: AppContext, n: number, seed: string, opts: { credentials?: boolean } = {}): Promise<number> {
  const now = ctx.clock.now();
  for (const t of SIM_TYPES) if (!(await ctx.store.devices.findType(t.id))) await ctx.store.devices.saveType(t, now);
  const have = new Set(await ctx.store.devices.deviceIds(SIM_PREFIX, n + 1));
  if (have.size >= n) return 0;
  const grids = [...ctx.ref.current().grids.values()];
  const regions = ctx.ref.current().regions;
  const rows: DeviceInsert[] = [];
  for (let i = 0; i < n; i++) {
    const id = simDeviceId(i);
    if (have.has(id)) continue;
    const type = simTypeOf(i);
    const g = grids.length ? grids[(i * 7919) % grids.length] : undefined;
    const community = g ? regions.get(g.communityId) : undefined;
    const street = community?.parentId ? regions.get(community.parentId) : undefined;
    rows.push({
      id, type_id: type.id, name: `${type.zh} ${id}`, vendor: 'CityOps 模拟', model: 'SIM-1', lon: null, lat: null,
      grid_id: g?.id ?? null, community_id: g?.communityId ?? null, street_id: street?.id ?? null, district_id: street?.parentId ?? null,
      attachment_kind: g ? 'place' : 'scenario', attachment_id: g?.id ?? type.scenario, scenario: type.scenario, owner_unit_id: null,
      state: 'offline', last_seen_at: null, secret_hash: opts.credentials === false ? null : hashDeviceSecret(simSecret(id, seed), 'sim'),
      created_at: now, updated_at: now, version: 1,
    });
  }
  for (let i = 0; i < rows.length; i += 5000) await ctx.store.transaction((tx) => tx.devices.upsertDevices(rows.slice(i, i + 5000)));
  return rows.length;
}

/**
 * Simulated devices (issue 11 part 8): the device types of the scenario packs (part 6: crowd, old buildings,
 * shop signs, elevators, fire, manhole covers, waterlogging, lone elderly residents' water meters)
 * and N devices `sim-000001…` spread over the city's grids, registered fast and idempotently (only the missing ones
 * are inserted, in bulk). Their secrets are derived from SIM_SECRET (HMAC of the device id) so `cityops simulate
 * sensors` can connect them to the embedded broker without a list of secrets; a real deployment never uses these.
 */
import crypto from 'node:crypto';
import type { AppContext } from '../runtime/context.ts';
import type { DeviceType } from '../domain/sensing/types.ts';
import { hashDeviceSecret } from '../security/device-secrets.ts';
import type { DeviceInsert } from '../storage/repositories/device.repository.ts';
import { ALL_PACK_TYPES, SCENARIO_PACKS } from '../domain/sensing/scenario-packs.ts';

export const SIM_PREFIX = 'sim-';
/**
 * The device types of the eight scenario packs (src/domain/sensing/scenario-packs.ts), repeated by each pack's demo
 * weight: device i gets SIM_CYCLE[i % length], so the demo city's devices spread over the scenarios.
 */
export const SIM_TYPES: readonly DeviceType[] = ALL_PACK_TYPES;
const SIM_CYCLE: readonly DeviceType[] = SCENARIO_PACKS.flatMap((p) => Array.from({ length: p.demoWeight }, (_, k) => p.types[k % p.types.length]));
/** Names of the demo's crowd-counted areas (a counter's name is its area's). */
const CROWD_AREAS = ['人民广场', '南京路步行街', '外滩观景平台', '火车站南广场', '体育中心', '滨江公园', '地铁换乘站', '会展中心', '古镇景区', '商业中心'];

export const simDeviceId = (i: number): string => `${SIM_PREFIX}${String(i).padStart(6, '0')}`;
export const simTypeOf = (i: number): DeviceType => SIM_CYCLE[i % SIM_CYCLE.length];
/** The capacity of crowd counter i's area (people): 2,000 – 20,000. */
export const simCapacity = (i: number): number => 2000 + ((i * 7919) % 10) * 2000;
const simName = (type: DeviceType, i: number, id: string): string =>
  (type.id === 'crowd_counter' ? `${CROWD_AREAS[Math.floor(i / SIM_CYCLE.length) % CROWD_AREAS.length]}客流 ${id}` : `${type.zh} ${id}`);
export const simSecret = (deviceId: string, seed: string): string => crypto.createHmac('sha256', seed).update(deviceId).digest('base64url').slice(0, 32);

/** Registers devices sim-000000 … sim-(n-1) that are missing; answers how many were new. */
export async function registerSimulatedDevices(ctx: AppContext, n: number, seed: string, opts: { credentials?: boolean } = {}): Promise<number> {
  const now = ctx.clock.now();
  for (const t of SIM_TYPES) if (!(await ctx.store.devices.findType(t.id))) await ctx.store.devices.saveType(t, now);
  // A jitter of up to ~50 m around the grid's representative point: devices have a position, so their alarms' cases locate.
  const jitter = (i: number, k: number) => (((i * (k ? 7919 : 104729)) % 2001) / 1000 - 1) * 0.0005;
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
      id, type_id: type.id, name: simName(type, i, id), vendor: 'CityOps 模拟', model: 'SIM-1',
      lon: g?.point ? g.point[0] + jitter(i, 0) : null, lat: g?.point ? g.point[1] + jitter(i, 1) : null,
      grid_id: g?.id ?? null, community_id: g?.communityId ?? null, street_id: street?.id ?? null, district_id: street?.parentId ?? null,
      attachment_kind: g ? 'place' : 'scenario', attachment_id: g?.id ?? type.scenario, scenario: type.scenario, owner_unit_id: null,
      state: 'offline', last_seen_at: null, secret_hash: opts.credentials === false ? null : hashDeviceSecret(simSecret(id, seed), 'sim'),
      created_at: now, updated_at: now, version: 1,
    });
  }
  for (let i = 0; i < rows.length; i += 5000) await ctx.store.transaction((tx) => tx.devices.upsertDevices(rows.slice(i, i + 5000)));
  return rows.length;
}

/**
 * Sensing fixtures (issue 11): device types and devices — through the registry's commands (ingestion tests) or as plain
 * rows (the control plane's tests).
 */
import type { TestEnv } from './test-context.ts';
import type { AppContext } from '../../src/runtime/context.ts';
import { createDevice, saveDeviceType } from '../../src/commands/device-save.ts';
import type { DeviceType } from '../../src/domain/sensing/types.ts';

export const WATER_LEVEL_TYPE = {
  id: 'water_level', zh: '积水监测仪', en: 'Water level gauge', scenario: 'waterlogging', heartbeatSeconds: 300,
  measurements: [{ key: 'waterLevel', zh: '水位', en: 'Water level', unit: 'cm', min: 0, max: 500 }],
};

export async function seedSensingDevice(env: TestEnv, d: {
  id: string; typeId: string; point: { lon: number; lat: number }; vendor?: string; attachment?: string; scenario?: string;
}): Promise<void> {
  if (d.typeId === 'water_level' && !(await env.ctx.store.devices.findType('water_level'))) await env.ctx.store.devices.saveType(WATER_LEVEL_TYPE, env.clock.now());
  const loc = env.ctx.ref.locate(d.point.lon, d.point.lat);
  const [kind, attId] = d.attachment ? d.attachment.split(':') : [null, null];
  await env.db.insertInto('devices').values({
    id: d.id, type_id: d.typeId, name: `设备 ${d.id}`, vendor: d.vendor ?? null, model: null, lon: d.point.lon, lat: d.point.lat,
    grid_id: loc?.gridId ?? null, community_id: loc?.communityId ?? null, street_id: loc?.streetId ?? null, district_id: loc?.districtId ?? null,
    attachment_kind: kind, attachment_id: attId, scenario: d.scenario ?? 'waterlogging', owner_unit_id: null, state: 'online', last_seen_at: null,
    secret_hash: null, created_at: env.clock.now(), updated_at: env.clock.now(), version: 1,
  }).execute();
}

export const WATER: DeviceType = {
  id: 'water_level', zh: '积水监测', en: 'Water level', scenario: 'waterlogging', heartbeatSeconds: 60,
  measurements: [
    { key: 'waterLevel', zh: '水位', en: 'Water level', unit: 'cm', min: 0, max: 300 },
    { key: 'battery', zh: '电量', en: 'Battery', unit: '%', min: 0, max: 100 },
    { key: 'flooded', zh: '浸水', en: 'Flooded', unit: '', kind: 'boolean' },
  ],
};

export async function waterDevices(ctx: AppContext, ids: string[]): Promise<Record<string, string>> {
  await saveDeviceType(ctx, WATER, 'test');
  const secrets: Record<string, string> = {};
  for (const id of ids) secrets[id] = (await createDevice(ctx, { id, typeId: WATER.id, name: `积水点 ${id}` }, 'test')).secret;
  return secrets;
}

/**
 * Sensing fixtures for the control plane's tests (issue 11): device types through the registry's repository and
 * devices as plain rows (the registry API is the data plane's, not on this branch).
 */
import type { TestEnv } from './test-context.ts';

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

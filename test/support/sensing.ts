/** Sensing fixtures (issue 11): a water-level type and devices, for the ingestion tests. */
import type { AppContext } from '../../src/runtime/context.ts';
import { createDevice, saveDeviceType } from '../../src/commands/device-save.ts';
import type { DeviceType } from '../../src/domain/sensing/types.ts';

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

/**
 * City sensing (issue 11): device types, devices and readings in the platform's terms. Pure types shared by the
 * ingestion (MQTT, HTTP, NGSI-LD), the rules that turn readings into alarms, and the console. Decisions in
 * docs/issue-11/.
 */

/** One quantity a device type measures, with its unit and the range a real reading can take. */
export interface Measurement {
  /** Key in the telemetry payload, e.g. `waterLevel`, `tilt`, `smoke`. Letters, digits, `_`; at most 40. */
  key: string;
  zh: string;
  en: string;
  /** Unit as written on screen (`cm`, `°`, `ppm`, `人`); '' for counts and booleans. */
  unit: string;
  /** Readings outside [min, max] are refused (counted per device), not stored. */
  min?: number;
  max?: number;
  /** 'number' (default) or 'boolean' (stored as 0/1). */
  kind?: 'number' | 'boolean';
}

export type DeviceState = 'online' | 'offline' | 'fault' | 'maintenance';
export const DEVICE_STATES: readonly { state: DeviceState; zh: string; en: string }[] = [
  { state: 'online', zh: '在线', en: 'Online' },
  { state: 'offline', zh: '离线', en: 'Offline' },
  { state: 'fault', zh: '故障', en: 'Fault' },
  { state: 'maintenance', zh: '维护中', en: 'Maintenance' },
];

/** What a device is attached to: a registered part (部件), a place (grid, building, compound) or a scenario. */
export type AttachmentKind = 'part' | 'place' | 'scenario';

export interface DeviceType {
  id: string;
  zh: string;
  en: string;
  measurements: Measurement[];
  /** The scenario pack it belongs to (e.g. `waterlogging`, `crowd`, `old_building`), if any. */
  scenario: string | null;
  /** Seconds between expected messages: a device silent for longer is offline (heartbeat rules use it). */
  heartbeatSeconds: number;
}

export interface Device {
  id: string;
  typeId: string;
  name: string;
  vendor: string | null;
  model: string | null;
  lon: number | null;
  lat: number | null;
  gridId: string | null;
  communityId: string | null;
  streetId: string | null;
  districtId: string | null;
  attachmentKind: AttachmentKind | null;
  attachmentId: string | null;
  scenario: string | null;
  ownerUnitId: string | null;
  state: DeviceState;
  lastSeenAt: number | null;
  /** Whether the device has a credential for the embedded broker / HTTP ingestion (the secret itself is never read back). */
  hasCredential: boolean;
  createdAt: number;
  updatedAt: number;
}

/** One reading: a device's values at one instant (numbers; booleans as 0/1). */
export interface Reading {
  deviceId: string;
  at: number;
  values: Record<string, number>;
}

/** A change of a device's own state (its `status` topic, a heartbeat loss, an operator's maintenance mark). */
export interface DeviceStatusChange {
  deviceId: string;
  at: number;
  state: DeviceState;
  detail?: string;
}

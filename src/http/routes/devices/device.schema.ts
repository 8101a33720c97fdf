/** Schemas of the device registry API (issue 11 part 1): one source for validation, types and OpenAPI. */
import { Type } from 'typebox';
import { DEVICE_ID_PATTERN } from '../../../domain/sensing/device-input.ts';
import { REJECT_REASONS } from '../../../domain/sensing/payload-telemetry.ts';
import { Nullable, Ref } from '../reference/reference.schema.ts';
import { shared } from '../common.schema.ts';

export const STATE_NAMES = ['online', 'offline', 'fault', 'maintenance'] as const;
const State = Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('fault'), Type.Literal('maintenance')], { description: 'online 在线 | offline 离线 | fault 故障 | maintenance 维护中' });
const Attachment = Type.Union([Type.Literal('part'), Type.Literal('place'), Type.Literal('scenario')], { description: 'part 部件 | place 场所 (grid, building, compound) | scenario 场景' });

export const MeasurementSchema = Type.Object({
  key: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,39}$', description: 'Key in the telemetry payload, e.g. waterLevel' }),
  zh: Type.String({ minLength: 1, maxLength: 40, description: 'Chinese name' }),
  en: Type.String({ minLength: 1, maxLength: 60, description: 'English name' }),
  unit: Type.String({ maxLength: 12, description: 'Unit as shown (cm, °, ppm); empty for counts and booleans' }),
  min: Type.Optional(Type.Number({ description: 'Readings below are refused' })),
  max: Type.Optional(Type.Number({ description: 'Readings above are refused' })),
  kind: Type.Optional(Type.Union([Type.Literal('number'), Type.Literal('boolean')], { description: 'number (default) or boolean (stored as 0/1)' })),
}, { additionalProperties: false });

export const DeviceTypeDto = shared('DeviceType', Type.Object({
  id: Type.String({ description: 'Type id, e.g. water_level' }),
  zh: Type.String({ description: 'Chinese name' }),
  en: Type.String({ description: 'English name' }),
  measurements: Type.Array(MeasurementSchema, { description: 'What the type measures' }),
  scenario: Nullable(Type.String({ description: 'Scenario pack, e.g. waterlogging' })),
  heartbeatSeconds: Type.Integer({ description: 'Expected interval between messages; silent for twice this = offline' }),
}));

export const DeviceTypeBody = Type.Object({
  zh: Type.String({ minLength: 1, maxLength: 40, description: 'Chinese name' }),
  en: Type.String({ minLength: 1, maxLength: 60, description: 'English name' }),
  measurements: Type.Array(MeasurementSchema, { minItems: 1, maxItems: 40, description: 'What the type measures' }),
  scenario: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'Scenario pack' }))),
  heartbeatSeconds: Type.Integer({ minimum: 10, maximum: 604800, description: 'Expected interval between messages (s)' }),
}, { additionalProperties: false });

export const TypeIdParam = Type.Object({ id: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'Device type id' }) });
export const DeviceIdParam = Type.Object({ id: Type.String({ pattern: DEVICE_ID_PATTERN, description: 'Device id' }) });

const IngestStatsDto = Type.Object({
  accepted: Type.Integer({ description: 'Readings stored in the last 24 hours' }),
  rejected: Type.Integer({ description: 'Readings and messages refused' }),
  byReason: Type.Record(Type.String(), Type.Integer(), { description: `Refusals by reason: ${REJECT_REASONS.join(', ')}` }),
  last: Nullable(Type.Object({
    reason: Type.String({ description: 'Reason of the last refusal' }),
    field: Nullable(Type.String({ description: 'The field it named' })),
    message: Nullable(Type.String({ description: 'Its message' })),
    at: Type.String({ format: 'date-time', description: 'When' }),
  })),
});

export const DeviceDto = shared('Device', Type.Object({
  id: Type.String({ description: 'Device id (also its MQTT username and topic segment)' }),
  typeId: Type.String({ description: 'Device type' }),
  type: Nullable(Ref),
  name: Type.String({ description: 'Name' }),
  vendor: Nullable(Type.String({ description: 'Vendor' })),
  model: Nullable(Type.String({ description: 'Model' })),
  lon: Nullable(Type.Number({ description: 'Longitude' })),
  lat: Nullable(Type.Number({ description: 'Latitude' })),
  grid: Nullable(Ref),
  community: Nullable(Ref),
  street: Nullable(Ref),
  district: Nullable(Ref),
  attachmentKind: Nullable(Attachment),
  attachmentId: Nullable(Type.String({ description: 'The part, place or scenario it is attached to' })),
  scenario: Nullable(Type.String({ description: 'Scenario pack' })),
  ownerUnit: Nullable(Ref),
  state: State,
  lastSeenAt: Nullable(Type.String({ format: 'date-time', description: 'Last message (flushed every few seconds)' })),
  hasCredential: Type.Boolean({ description: 'Has a credential for the embedded broker / HTTP ingestion (never shown again)' }),
  createdAt: Type.String({ format: 'date-time', description: 'Registered' }),
  updatedAt: Type.String({ format: 'date-time', description: 'Last edited' }),
}));

export const DeviceDetailDto = Type.Object({
  device: DeviceDto,
  version: Type.Integer({ description: 'Send back in PATCH to refuse a lost update' }),
  deviceType: Nullable(DeviceTypeDto),
  ingest: IngestStatsDto,
  latest: Nullable(Type.Object({ at: Type.String({ format: 'date-time', description: 'When' }), values: Type.Record(Type.String(), Type.Number(), { description: 'Values' }) })),
  canManage: Type.Boolean({ description: 'Whether the caller may edit it and rotate its credential' }),
});

export const DeviceBody = Type.Object({
  id: Type.String({ pattern: DEVICE_ID_PATTERN, description: 'Device id: letters, digits, _ . - (its MQTT username and topic segment)' }),
  typeId: Type.String({ maxLength: 40, description: 'Device type' }),
  name: Type.String({ minLength: 1, maxLength: 120, description: 'Name' }),
  vendor: Type.Optional(Nullable(Type.String({ maxLength: 80, description: 'Vendor' }))),
  model: Type.Optional(Nullable(Type.String({ maxLength: 80, description: 'Model' }))),
  lon: Type.Optional(Nullable(Type.Number({ description: 'Longitude (WGS84); its grid and regions are located from it' }))),
  lat: Type.Optional(Nullable(Type.Number({ description: 'Latitude' }))),
  attachmentKind: Type.Optional(Nullable(Attachment)),
  attachmentId: Type.Optional(Nullable(Type.String({ maxLength: 80, description: 'The part, place or scenario it is attached to' }))),
  scenario: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'Scenario pack' }))),
  ownerUnitId: Type.Optional(Nullable(Type.String({ maxLength: 64, description: 'Owner unit (maintains it; sees it)' }))),
}, { additionalProperties: false });

export const DevicePatch = Type.Object({
  ...Type.Omit(DeviceBody, ['id']).properties,
  typeId: Type.Optional(Type.String({ maxLength: 40, description: 'Device type' })),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: 'Name' })),
  state: Type.Optional(State),
  version: Type.Optional(Type.Integer({ description: 'The version read; a CONFLICT when it changed meanwhile' })),
}, { additionalProperties: false });

export const CreatedDeviceDto = Type.Object({
  device: DeviceDto,
  secret: Type.String({ description: 'The device credential (MQTT password, HTTP Basic password with the device id as user). Shown ONCE.' }),
});

export const DeviceListQuery = Type.Object({
  typeId: Type.Optional(Type.String({ maxLength: 40, description: 'Device type' })),
  state: Type.Optional(Type.String({ pattern: '^[a-z]+(,[a-z]+)*$', maxLength: 60, description: 'Comma list of states' })),
  scenario: Type.Optional(Type.String({ maxLength: 40, description: 'Scenario pack' })),
  regionId: Type.Optional(Type.String({ maxLength: 64, description: 'District, street or community' })),
  ownerUnitId: Type.Optional(Type.String({ maxLength: 64, description: 'Owner unit' })),
  q: Type.Optional(Type.String({ maxLength: 60, description: 'Part of the id or name' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'Page size (default 50)' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'Skip' })),
});

export const DeviceListDto = Type.Object({
  items: Type.Array(DeviceDto),
  total: Type.Integer({ description: 'Devices matching, in my scope' }),
  byState: Type.Record(Type.String(), Type.Integer(), { description: 'Devices per state matching every filter but the state filter (for the state tabs)' }),
});

export const ReadingsQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Start (default: 24 h before to)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'End (default: now)' })),
  resolution: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('raw'), Type.Literal('minute'), Type.Literal('hour')], { description: 'auto (default): raw up to 6 h, minute rollups up to 7 days, hour rollups beyond' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000, description: 'Most points (default 5000)' })),
});

export const ReadingsDto = Type.Object({
  deviceId: Type.String({ description: 'Device' }),
  resolution: Type.Union([Type.Literal('raw'), Type.Literal('minute'), Type.Literal('hour')], { description: 'What the points are' }),
  from: Type.String({ format: 'date-time', description: 'Start' }),
  to: Type.String({ format: 'date-time', description: 'End' }),
  series: Type.Array(Type.Object({
    key: Type.String({ description: 'Measurement key' }),
    points: Type.Array(Type.Object({
      at: Type.Integer({ description: 'Epoch ms (bucket start for rollups)' }),
      value: Type.Number({ description: 'Value (mean for rollups)' }),
      min: Type.Optional(Type.Number({ description: 'Rollup minimum' })),
      max: Type.Optional(Type.Number({ description: 'Rollup maximum' })),
      n: Type.Optional(Type.Integer({ description: 'Readings in the bucket' })),
    })),
  })),
});

export const HistoryDto = Type.Object({
  items: Type.Array(Type.Object({
    at: Type.String({ format: 'date-time', description: 'When' }),
    kind: Type.String({ description: 'created | updated | credential | state | imported' }),
    state: Nullable(Type.String({ description: 'The new state (kind state)' })),
    source: Nullable(Type.String({ description: 'reading | status | heartbeat | operator (kind state)' })),
    detail: Nullable(Type.String({ description: 'Detail (the device\'s own words, the fields edited)' })),
    actorId: Nullable(Type.String({ description: 'Who (a user, or the ingester / heartbeat job)' })),
  })),
});

export const ImportReportDto = Type.Object({
  rows: Type.Integer({ description: 'Data rows read' }),
  created: Type.Integer({ description: 'New devices' }),
  updated: Type.Integer({ description: 'Devices already registered whose fields were replaced' }),
  rejected: Type.Integer({ description: 'Rows refused (nothing of them stored)' }),
  errors: Type.Array(Type.Object({
    row: Type.Integer({ description: 'Row number in the file (the header is row 1)' }),
    field: Type.String({ description: 'The column at fault' }),
    message: Type.String({ description: 'What is wrong' }),
  }), { description: 'Every refused row with its field (at most 1000 listed)' }),
});

const limitFields = {
  maxFutureMs: ['Readings more than this ahead of the server clock are refused (ms; 0 – 86,400,000)', 0, 86_400_000],
  maxAgeMs: ['Readings older than this are refused (ms; 60,000 – 400 days)', 60_000, 400 * 86_400_000],
  maxBatch: ['Readings per message (1 – 10,000)', 1, 10_000],
  ratePerSecond: ['Flood control: readings per second per device on average', 0.001, 100_000],
  burst: ['Flood control: burst allowed per device', 1, 1_000_000],
  rawDays: ['Retention of raw readings (days)', 1, 3650],
  minuteDays: ['Retention of minute rollups (days)', 1, 3650],
  hourDays: ['Retention of hour rollups (days)', 1, 36500],
  offlineFactor: ['A device silent for heartbeat × this goes offline', 1, 100],
} as const;
type LimitKey = keyof typeof limitFields;
const limitProps = (optional: boolean) => Object.fromEntries(Object.entries(limitFields).map(([k, [description]]) => {
  const n = Type.Number({ description });
  return [k, optional ? Type.Optional(n) : n];
})) as Record<LimitKey, ReturnType<typeof Type.Number>>;

export const SensingLimitsDto = Type.Object(limitProps(false));
/** Ranges are checked by the domain parser (domain/sensing/reading-limits.ts), which names the field. */
export const SensingLimitsBody = Type.Object(limitProps(true), { additionalProperties: false });

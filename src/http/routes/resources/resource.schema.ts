/** Schemas of the field-resources and roster API (issue 9 §4): one source for validation and OpenAPI. */
import { Type } from 'typebox';
import { type RESOURCE_KINDS } from '../../../domain/field/index.ts';
import { ROLE_NAMES } from '../../../domain/policy/permissions.ts';
import { CoordSystemParam, Nullable, StrEnum } from '../reference/reference.schema.ts';

export const ResourceKindParam = Type.Union([Type.Literal('inspector'), Type.Literal('grid_member'), Type.Literal('unit_handler'), Type.Literal('vehicle')],
  { description: 'inspector 监督员 | grid_member 网格员 | unit_handler 处置人员 | vehicle 执法车辆' });
// keep the schema's kinds and the domain's in step
const _kinds: readonly (typeof RESOURCE_KINDS)[number][] = ['inspector', 'grid_member', 'unit_handler', 'vehicle'];
void _kinds;
const Kinds = Type.Optional(Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$', maxLength: 200, description: 'Comma-separated kinds (default: all people, no vehicles, for nearest; everything for the map)' }));

const FixTime = Type.Union([
  Type.Integer({ description: 'Epoch milliseconds' }),
  Type.String({ format: 'date-time', description: 'ISO 8601 with offset' }),
], { description: 'When the device took the fix' });

export const PositionBody = Type.Object({
  lon: Type.Number({ description: 'Longitude (WGS84 unless coordSystem says otherwise)' }),
  lat: Type.Number({ description: 'Latitude' }),
  at: FixTime,
  accuracyM: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100_000, description: 'Reported accuracy, metres' }))),
  coordSystem: Type.Optional(CoordSystemParam),
}, { additionalProperties: false });

export const PositionItem = Type.Object({
  vehicleId: Type.Optional(Type.String({ maxLength: 64, description: 'Vehicle code or plate (API keys of vehicle systems); ignored for a person, whose fixes are always their own' })),
  lon: Type.Number({ description: 'Longitude' }),
  lat: Type.Number({ description: 'Latitude' }),
  at: FixTime,
  accuracyM: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100_000, description: 'Reported accuracy, metres' }))),
}, { additionalProperties: false });

export const PositionBatchBody = Type.Object({
  items: Type.Array(PositionItem, { minItems: 1, maxItems: 5000, description: 'Fixes, any order (checked oldest first per resource)' }),
  coordSystem: Type.Optional(CoordSystemParam),
}, { additionalProperties: false });

export const IngestReportDto = Type.Object({
  accepted: Type.Integer({ description: 'Fixes kept' }),
  rejected: Type.Array(Type.Object({
    index: Type.Integer({ description: 'Position in items' }),
    field: Type.String({ description: 'The offending field, e.g. items[3].lon' }),
    message: Type.String(),
  }), { description: 'Fixes refused, with the field named; the others were kept' }),
});

export const DutyBody = Type.Object({
  onDuty: Type.Boolean({ description: 'true: go on duty (上岗, start sharing the position); false: go off duty (下岗, stop)' }),
}, { additionalProperties: false });

export const DutyDto = Type.Object({
  resourceId: Type.String({ description: 'user:<id>' }),
  kind: ResourceKindParam,
  onDuty: Type.Boolean(),
  since: Nullable(Type.String({ format: 'date-time', description: 'When the open session began' })),
  sessionId: Nullable(Type.Integer()),
  lastFix: Type.Optional(Nullable(Type.Object({ lon: Type.Number(), lat: Type.Number(), at: Type.String({ format: 'date-time' }) }))),
  freshMs: Type.Optional(Type.Integer({ description: 'How often (at most) the phone should send a fix to stay "fresh"' })),
});

const Named = Type.Object({ id: Type.String(), name: Type.String() });

export const ResourceDto = Type.Object({
  resourceId: Type.String({ description: 'user:<id> for people, vehicle:<code> for vehicles' }),
  kind: ResourceKindParam,
  userId: Nullable(Type.String()),
  label: Type.String({ description: 'Name or plate; a person\'s name is masked unless the caller holds personal_data.read, is that person or in their unit' }),
  masked: Type.Boolean(),
  unit: Nullable(Named),
  onDuty: Type.Boolean(),
  dutySince: Nullable(Type.String({ format: 'date-time' })),
  position: Nullable(Type.Object({
    lon: Type.Number(), lat: Type.Number(), at: Type.String({ format: 'date-time', description: 'When the fix was taken' }),
    fresh: Type.Boolean({ description: 'Newer than the freshness limit (settings field_limits.freshMs)' }),
  })),
  grid: Nullable(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() })),
  community: Nullable(Named), street: Nullable(Named), district: Nullable(Named),
});

export const ResourceListQuery = Type.Object({
  kinds: Kinds,
  bbox: Type.Optional(Type.String({ pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$', description: 'minLon,minLat,maxLon,maxLat' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000, default: 5000 })),
}, { additionalProperties: false });

export const ResourceListDto = Type.Object({
  items: Type.Array(ResourceDto), total: Type.Integer(), freshMs: Type.Integer(),
  pollMs: Type.Integer({ description: 'How often a live map should ask again (positions are not on the event stream)' }),
});

export const NearestQuery = Type.Object({
  caseId: Type.Optional(Type.String({ pattern: '^\\d{1,18}$', description: 'Case id or number: its location is the point' })),
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  kinds: Kinds,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
  maxDistanceM: Type.Optional(Type.Integer({ minimum: 1, maximum: 200_000 })),
}, { additionalProperties: false });

export const NearestDto = Type.Object({
  point: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
  freshMs: Type.Integer(),
  kinds: Type.Array(ResourceKindParam, { description: 'The kinds searched (for a case: those who can act in its state)' }),
  items: Type.Array(Type.Object({
    resource: ResourceDto,
    distanceM: Type.Integer({ description: 'Straight-line distance, metres' }),
    ageS: Type.Integer({ description: 'Age of the position, seconds' }),
    openCases: Type.Integer({ description: 'Open cases the person holds (current load)' }),
  }), { description: 'On duty, of a kind that can act, position fresh; nearest first' }),
});

export const TrackQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000, default: 5000 })),
}, { additionalProperties: false });

export const TrackDto = Type.Object({
  resourceId: Type.String(),
  points: Type.Array(Type.Object({ lon: Type.Number(), lat: Type.Number(), at: Type.String({ format: 'date-time' }), gridId: Nullable(Type.String()) })),
});

export const CoverageQuery = Type.Object({
  date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Local day (default today)' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'A shift\'s start (with to, instead of date)' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  regionId: Type.Optional(Type.String({ maxLength: 64, description: 'Only the grids under this region' })),
}, { additionalProperties: false });

const GridRef = Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() });
export const CoverageDto = Type.Object({
  from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }),
  gridCount: Type.Integer(), coveredShare: Type.Number({ minimum: 0, maximum: 1 }),
  byResource: Type.Array(Type.Object({
    resourceId: Type.String(), kind: Nullable(Type.String()), label: Type.String(), masked: Type.Boolean(),
    grids: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), firstAt: Type.String({ format: 'date-time' }), lastAt: Type.String({ format: 'date-time' }), points: Type.Integer() })),
  })),
  unvisited: Type.Array(GridRef, { description: 'Grids nobody visited in the period' }),
});

// ── rosters ──
export const RosterBody = Type.Object({
  userId: Type.String({ minLength: 1, maxLength: 64, description: 'The person on duty' }),
  unitId: Type.Optional(Nullable(Type.String({ maxLength: 64, description: 'The unit the duty is for' }))),
  regionId: Type.Optional(Nullable(Type.String({ maxLength: 64, description: 'The centre (its region) the duty is for' }))),
  dutyRole: StrEnum(ROLE_NAMES, 'The role on duty (值班长 shift_leader, 派遣员 dispatcher, 监督员 inspector …)'),
  startAt: Type.String({ format: 'date-time' }),
  endAt: Type.String({ format: 'date-time', description: 'After startAt; at most 26 h later' }),
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
}, { additionalProperties: false });

export const RosterPatch = Type.Partial(RosterBody, { additionalProperties: false });

export const RosterDto = Type.Object({
  id: Type.Integer(),
  user: Type.Object({ id: Type.String(), name: Type.String(), masked: Type.Boolean() }),
  unit: Nullable(Named), region: Nullable(Named),
  dutyRole: Type.String(), dutyRoleLabel: Type.Object({ zh: Type.String(), en: Type.String() }),
  startAt: Type.String({ format: 'date-time' }), endAt: Type.String({ format: 'date-time' }),
  note: Nullable(Type.String()),
  onDutyNow: Type.Boolean(),
  canEdit: Type.Boolean({ description: 'The caller may change or delete this entry' }),
});

export const RosterListQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Default: start of today (local)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Default: from + 7 days' })),
  userId: Type.Optional(Type.String({ maxLength: 64 })),
  unitId: Type.Optional(Type.String({ maxLength: 64 })),
  regionId: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });

export const OnDutyQuery = Type.Object({
  at: Type.Optional(Type.String({ format: 'date-time', description: 'Default now' })),
  regionId: Type.Optional(Type.String({ maxLength: 64, description: 'A region: its centres up the tree and down to it count' })),
  unitId: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });

export const PeopleQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 50, description: 'Part of a name or username' })),
}, { additionalProperties: false });

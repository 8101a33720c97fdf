/** Schemas of the reference API (regions, grids, location, units, catalogue, parts): one source for validation and OpenAPI. */
import { Type, type TSchema } from 'typebox';
import { COORD_SYSTEMS } from '../../../domain/grid/index.ts';
import type { LimitUnit } from '../../../domain/deadline/index.ts';

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const StrEnum = (values: readonly string[], description: string) => Type.Union(values.map((v) => Type.Literal(v)), { description });
export const Ref = Type.Object({ id: Type.String({ description: 'Identifier' }), name: Type.String({ description: 'Display name' }) });
export const LIMIT_UNITS: readonly LimitUnit[] = ['natural_minutes', 'natural_hours', 'natural_days', 'work_hours', 'work_days'];
export const LEVELS = ['city', 'district', 'street', 'community'] as const;
export const CoordSystemParam = StrEnum(COORD_SYSTEMS, 'Coordinate system of lon/lat: AMap/Tencent report gcj02, Baidu bd09. Default wgs84');

export const Lon = Type.Number({ minimum: -180, maximum: 180, description: 'Longitude in degrees' });
export const Lat = Type.Number({ minimum: -90, maximum: 90, description: 'Latitude in degrees' });
export const RegionId = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
export const Limit = (max: number, def: number) => Type.Integer({ minimum: 1, maximum: max, default: def, description: `Page size (1–${max})` });
export const Offset = Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0, description: 'Items to skip' });

export const RegionDto = Type.Object({
  id: Type.String(), code: Type.String({ description: 'Administrative division code' }), name: Type.String(),
  level: Type.String({ description: 'city | district | street | community' }), parentId: Nullable(Type.String()),
  areaClass: Nullable(Type.String({ description: 'A core / B general / C outskirts' })),
  fallbackUnit: Nullable(Ref),
});

export const FeatureCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'), id: Type.String(),
    geometry: Type.Unknown({ description: 'GeoJSON Polygon or MultiPolygon, WGS84' }),
    properties: Type.Record(Type.String(), Type.Unknown()),
  })),
}, { description: 'GeoJSON (RFC 7946) for maps; coordinates in WGS84' });

export const GridDto = Type.Object({
  id: Type.String(), code: Type.String(), name: Type.String(), kind: Type.String({ description: 'unit | responsibility' }),
  community: Ref, street: Nullable(Ref), areaClass: Nullable(Type.String()),
});

export const LocateQuery = Type.Object({
  lon: Lon, lat: Lat, coordSystem: Type.Optional(CoordSystemParam),
}, { additionalProperties: false });

export const LocationDto = Type.Object({
  outcome: Type.Union([Type.Literal('inside'), Type.Literal('outside')], { description: 'inside a unit grid, or outside every grid' }),
  point: Type.Object({ lon: Type.Number(), lat: Type.Number() }, { description: 'The point in WGS84, after conversion' }),
  grid: Type.Optional(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() })),
  community: Type.Optional(Ref), street: Type.Optional(Nullable(Ref)), district: Type.Optional(Nullable(Ref)),
  areaClass: Type.Optional(Nullable(Type.String())),
});

export const UnitDto = Type.Object({
  id: Type.String(), code: Type.String(), name: Type.String(), kind: Type.String(),
  parentId: Nullable(Type.String()), regionId: Nullable(Type.String()), active: Type.Boolean(),
});

export const MatterDto = Type.Object({
  code: Type.String(), name: Type.String(), classCode: Type.String(), className: Type.String(),
  registrationCondition: Nullable(Type.String({ description: '立案条件' })), closureCondition: Nullable(Type.String({ description: '结案条件' })),
  local: Type.Boolean({ description: "A city's own addition, not from GB/T 47678.5" }),
});

export const TimeLimitDto = Type.Object({ amount: Type.Number(), unit: Type.String({ description: 'natural_minutes | natural_hours | natural_days | work_hours | work_days' }) });

export const MatterLimitDto = Type.Object({
  stage: Type.String(), urgency: Type.String(), areaClass: Nullable(Type.String()), amount: Type.Number(), unit: Type.String(),
  basis: Nullable(Type.String()),
  appliesTo: Type.String({ description: '"matter" (this matter\'s row), "all" (a row for every matter) or "default"' }),
  default: Type.Boolean({ description: 'True when no row is configured and the documented default applies' }),
});

export const PartDto = Type.Object({
  id: Type.String({ description: '17 digits: area 6 + class 2 + subclass 3 + sequence 6' }), partCode: Type.String(),
  partName: Type.String({ description: 'Name of the part class' }), name: Type.String(),
  location: Type.Object({ lon: Type.Number(), lat: Type.Number() }), gridId: Nullable(Type.String()),
  ownerUnit: Nullable(Ref), maintainerUnit: Nullable(Ref), state: Type.String(),
});

/** Schemas of the admin API: bodies refuse unknown fields; every field is described. */
import { Type } from 'typebox';
import { COORD_SYSTEMS } from '../../../domain/grid/index.ts';
import { ROLE_NAMES } from '../../../domain/policy/permissions.ts';
import { LIMIT_STAGES, LIMIT_URGENCIES } from '../../../commands/time-limits-replace.ts';
import { UNIT_KINDS } from '../../../commands/unit-create.ts';
import { LIMIT_UNITS, Nullable, StrEnum } from '../reference/reference.schema.ts';
import { AdmissionEntrySchema, RuleSchema } from '../reference/routing.schema.ts';

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const Ids = (description: string) => Type.Optional(Type.Array(Id('Identifier'), { maxItems: 100, description }));

export const SaveRulesBody = Type.Object({
  rules: Type.Array(RuleSchema, { minItems: 1, maxItems: 50_000, description: 'The whole list: it replaces the current version (an empty list is refused: it would send every case to a fallback unit)' }),
  note: Type.Optional(Type.String({ maxLength: 500, description: 'What changed and why (kept with the version)' })),
}, { additionalProperties: false });

export const AdmissionBody = Type.Object({
  entries: Type.Array(AdmissionEntrySchema, { maxItems: 5000, description: 'The whole admission list: each entry one matter code or one class' }),
}, { additionalProperties: false });

export const GridImportQuery = Type.Object({
  kind: Type.Optional(StrEnum(['unit', 'responsibility'], 'Grid kind: 单元网格 (unit, default) or 责任网格 (responsibility)')),
  dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Check the file and report, without writing' })),
  coordSystem: Type.Optional(StrEnum(COORD_SYSTEMS, 'Coordinate system of the file; converted to WGS84. Default wgs84')),
}, { additionalProperties: false });

export const GridImportBody = Type.Object({
  type: Type.Literal('FeatureCollection', { description: 'GeoJSON FeatureCollection' }),
  features: Type.Array(Type.Object({}, { description: 'Feature: properties.id (or code), communityId, name, areaClass; Polygon or MultiPolygon geometry' }), {
    maxItems: 200_000, description: 'One feature per grid',
  }),
  name: Type.Optional(Type.String({ description: 'Layer name (GIS exports write it; ignored)' })),
  crs: Type.Optional(Type.Unknown({ description: 'Legacy CRS member (ignored; say coordSystem instead)' })),
  bbox: Type.Optional(Type.Array(Type.Number(), { description: 'Bounding box (ignored)' })),
}, { additionalProperties: false });

export const GridImportReportDto = Type.Object({
  features: Type.Integer(), valid: Type.Integer(), imported: Type.Integer(), dryRun: Type.Boolean(),
  problems: Type.Array(Type.Unknown(), { description: 'Empty on success' }),
});

export const CalendarImportBody = Type.Object({
  source: Type.Optional(Type.String({ maxLength: 1000, description: 'Where the arrangement was published' })),
  year: Type.Integer({ minimum: 1900, maximum: 9999, description: 'The year the arrangement covers' }),
  weekend: Type.Array(StrEnum(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'], 'Weekly rest day'), {
    maxItems: 6, description: 'Weekly rest days, e.g. ["Saturday", "Sunday"]',
  }),
  holidays: Type.Array(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 100, description: 'Holiday name, e.g. 国庆节' }),
    daysOff: Type.Array(Type.String({ description: 'YYYY-MM-DD' }), { maxItems: 60, description: 'Days off, including the weekend days inside the period' }),
    makeUpWorkdays: Type.Optional(Type.Array(Type.String({ description: 'YYYY-MM-DD' }), { maxItems: 10, description: 'Weekend days that are working days (调休上班)' })),
  }, { additionalProperties: false }), { maxItems: 100, description: 'Holiday periods of the year' }),
}, { additionalProperties: false });

export const LimitsBody = Type.Object({
  limits: Type.Array(Type.Object({
    stage: StrEnum(LIMIT_STAGES, 'Stage: handle (overall, from dispatch), dispatch, sign, verify, check, dispute (the centre\'s ruling on a returned case)'),
    urgency: StrEnum(LIMIT_URGENCIES, 'Urgency (一般/紧急/非常紧急)'),
    areaClass: Type.Optional(Nullable(Type.String({ pattern: '^[A-Za-z0-9]{1,8}$', description: 'Area class (A core / B general / C outskirts)' }))),
    amount: Type.Number({ exclusiveMinimum: 0, maximum: 10000, description: 'Amount of time' }),
    unit: StrEnum(LIMIT_UNITS, 'Unit: work time follows the work calendar'),
    basis: Type.Optional(Nullable(Type.String({ maxLength: 500, description: 'The regulation or standard the limit comes from' }))),
  }, { additionalProperties: false }), { maxItems: 500, description: 'Every limit row of the matter; omitted stages use the documented defaults' }),
}, { additionalProperties: false });

export const MatterBody = Type.Object({
  code: Type.String({ pattern: '^\\d{5}$', description: '5-digit code; the first two digits are the class' }),
  name: Type.String({ minLength: 1, maxLength: 100, description: 'Matter name, e.g. 共享单车乱停放' }),
  classCode: Type.String({ pattern: '^\\d{2}$', description: '2-digit class (大类)' }),
  className: Type.String({ minLength: 1, maxLength: 100, description: 'Class name; must match the existing class of that code' }),
  registrationCondition: Type.Optional(Type.String({ maxLength: 2000, description: '立案条件: when a report may be registered' })),
  closureCondition: Type.Optional(Type.String({ maxLength: 2000, description: '结案条件: what closure requires' })),
}, { additionalProperties: false });

export const UnitBody = Type.Object({
  id: Id('Unit id, e.g. U-WATER'),
  code: Type.String({ minLength: 1, maxLength: 64, description: 'Short code, unique' }),
  name: Type.String({ minLength: 1, maxLength: 200, description: 'Full name' }),
  kind: StrEnum(UNIT_KINDS, 'Kind of unit'),
  parentId: Type.Optional(Nullable(Id('Parent unit (for sub-units and second-level dispatch)'))),
  regionId: Type.Optional(Nullable(Id('The region the unit serves'))),
}, { additionalProperties: false });

export const UserDto = Type.Object({
  id: Type.String(), username: Type.String(), displayName: Type.String(), roles: Type.Array(Type.String()),
  unitIds: Type.Array(Type.String()), regionIds: Type.Array(Type.String()), active: Type.Boolean(), createdAt: Type.String(),
}, { description: 'A user account; the password hash is never returned' });

export const UserBody = Type.Object({
  username: Type.String({ minLength: 3, maxLength: 64, description: 'Login name: letters, digits, "_", "." or "-"' }),
  password: Type.String({ minLength: 8, maxLength: 256, description: 'Initial password (at least 8 characters)' }),
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Name shown in the console' })),
  roles: Type.Array(StrEnum(ROLE_NAMES, 'Role'), { minItems: 1, maxItems: 9, description: 'Roles' }),
  unitIds: Ids('Units the user works for (required for unit handlers and leaders)'),
  regionIds: Ids('Regions the user covers (a region covers everything below it)'),
}, { additionalProperties: false });

export const ApiKeyDto = Type.Object({
  id: Type.String(), name: Type.String(), prefix: Type.String({ description: 'Visible part of the key, to recognise it' }),
  roles: Type.Array(Type.String()), unitIds: Type.Array(Type.String()), regionIds: Type.Array(Type.String()),
  createdBy: Nullable(Type.String()), createdAt: Type.String(), revokedAt: Nullable(Type.String()), active: Type.Boolean(),
});

export const ApiKeyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100, description: 'What the key is for, e.g. 水务局工单系统' }),
  roles: Type.Optional(Type.Array(StrEnum(ROLE_NAMES, 'Role'), { maxItems: 9, description: 'Roles of the key; default operator' })),
  unitIds: Ids('Units the key acts for'),
  regionIds: Ids('Regions the key covers; default the whole city'),
}, { additionalProperties: false });

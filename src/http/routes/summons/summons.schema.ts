/** Request and response schemas of the summons routes (吹哨报到): validation, handler types and OpenAPI from one source. */
import { Type, type TSchema } from 'typebox';
import { MEETING_MODES, SUMMONS_KINDS, SUMMONS_OUTCOMES } from '../../../domain/summons/types.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const StrEnum = (values: readonly string[], description: string) => Type.Union(values.map((v) => Type.Literal(v)), { description });
const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const Position = Type.Object({
  lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude (WGS84, as the browser\'s geolocation gives it)' }),
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude (WGS84)' }),
  accuracy: Type.Optional(Type.Number({ minimum: 0, maximum: 100000, description: 'The position\'s accuracy in metres, as the phone reports it (kept out of the check)' })),
}, { additionalProperties: false });

export const SummonsParam = Type.Object({ id: Type.String({ pattern: '^\\d{1,15}$', description: 'Summons id' }) });

export const IssueSummonsBody = Type.Object({
  kind: StrEnum(SUMMONS_KINDS, 'Kind of whistle: routine 日常哨, tackling 攻坚哨, emergency 应急哨 (each has the city\'s report limit)'),
  unitIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20, description: 'The departments that must report (报到): within the street\'s reach, no repeats' }),
  reason: Type.String({ minLength: 1, maxLength: 2000, description: 'Why the street cannot solve it alone' }),
  mode: StrEnum(MEETING_MODES, 'How the meeting is held: on_site (现场) or online (线上)'),
  place: Type.Optional(Type.Object({
    address: Type.Optional(Type.String({ maxLength: 500, description: 'Where to meet' })),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180, description: 'Longitude of the meeting place' })),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: 'Latitude of the meeting place' })),
  }, { additionalProperties: false, description: 'The meeting place; defaults to the case\'s location and address' })),
}, { additionalProperties: false });

export const ReportBody = Type.Object({
  unitId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The department reporting; default: the caller\'s summoned unit still to report' })),
  mode: StrEnum(MEETING_MODES, 'on_site: check in with the phone\'s position (within the city\'s radius of the meeting place); online'),
  position: Type.Optional(Position),
  note: Type.Optional(Type.String({ maxLength: 1000, description: 'Who came, what they bring' })),
}, { additionalProperties: false });

export const CloseBody = Type.Object({
  outcome: StrEnum(SUMMONS_OUTCOMES, 'resolved (解决), dispatched (转派遣: handed to the centre\'s dispatch), escalated (上报)'),
  note: Type.String({ minLength: 1, maxLength: 2000, description: 'What came of the summons' }),
}, { additionalProperties: false });

export const RateBody = Type.Object({
  unitId: Type.String({ minLength: 1, maxLength: 64, description: 'The department rated' }),
  rating: Type.Integer({ minimum: 1, maximum: 5, description: '1 (poor) to 5 (excellent)' }),
  comment: Type.Optional(Type.String({ maxLength: 500, description: 'The street\'s comment' })),
}, { additionalProperties: false });

export const SummonsListQuery = Type.Object({
  state: Type.Optional(StrEnum(['open', 'closed'], 'Only open or only closed summonses')),
  waiting: Type.Optional(Type.Boolean({ description: 'Only summonses in which one of the caller\'s units is still to report ("waiting for my unit")' })),
  unitId: Type.Optional(Type.String({ maxLength: 64, description: 'Only summonses naming this department' })),
  streetId: Type.Optional(Type.String({ maxLength: 64, description: 'Only summonses of this street' })),
  beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'Page on: summonses with a smaller id' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'Page size; default 50' })),
}, { additionalProperties: false });

export const SummaryQuery = Type.Object({
  from: Type.String({ format: 'date-time', description: 'Start of the period (summonses issued at or after)' }),
  to: Type.String({ format: 'date-time', description: 'End of the period (issued before)' }),
  unitId: Type.Optional(Type.String({ maxLength: 64, description: 'Only this department' })),
}, { additionalProperties: false });

const Department = Type.Object({
  unit: Ref,
  state: Type.String({ description: 'summoned (to report), reported, absent (never reported before the summons closed)' }),
  dueAt: Type.String({ description: 'Report deadline' }),
  overdue: Type.Boolean({ description: 'Past its deadline without a report' }),
  reportedAt: Nullable(Type.String()),
  reportedBy: Nullable(Ref),
  reportMode: Nullable(Type.String({ description: 'on_site or online' })),
  distanceMeters: Nullable(Type.Integer({ description: 'On-site check-in: distance from the meeting place' })),
  late: Type.Boolean({ description: 'Reported after the deadline' }),
  note: Nullable(Type.String()),
  rating: Nullable(Type.Integer()),
  ratingComment: Nullable(Type.String()),
  ratedAt: Nullable(Type.String()),
});

const SummonsHistory = Type.Object({
  id: Type.Integer(),
  action: Type.String({ description: 'issued, reported, overdue, absent, closed, rated' }),
  unitId: Nullable(Type.String()),
  actor: Nullable(Ref),
  actorName: Nullable(Type.String()),
  at: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export const SummonsDto = Type.Object({
  id: Type.Integer(),
  caseId: Type.Integer(),
  caseNo: Type.String(),
  caseVisible: Type.Boolean({ description: 'Whether the caller may open the case itself (a summoned department often may not: the summons shows what it needs)' }),
  kind: Type.String({ description: 'routine | tackling | emergency' }),
  state: Type.String({ description: 'open | closed' }),
  reason: Type.String(),
  mode: Type.String({ description: 'on_site | online' }),
  place: Type.Object({ address: Nullable(Type.String()), lon: Nullable(Type.Number()), lat: Nullable(Type.Number()) }),
  street: Ref,
  issuerUnit: Nullable(Ref),
  issuedBy: Nullable(Ref),
  issuedAt: Type.String(),
  reportLimitMinutes: Type.Integer(),
  dueAt: Type.String(),
  outcome: Nullable(Type.String({ description: 'resolved | dispatched | escalated' })),
  outcomeNote: Nullable(Type.String()),
  closedBy: Nullable(Ref),
  closedAt: Nullable(Type.String()),
  departments: Type.Array(Department),
  allowedActions: Type.Array(Type.String(), { description: 'What the caller may do next: report, close, rate' }),
  reportableUnitIds: Type.Array(Type.String(), { description: 'The caller\'s departments that may report now' }),
  ratableUnitIds: Type.Array(Type.String(), { description: 'Departments the caller may rate now' }),
  checkInRadiusMeters: Type.Integer({ description: 'The city\'s on-site check-in radius in force' }),
  history: Type.Optional(Type.Array(SummonsHistory)),
});

export const SummonsListDto = Type.Object({ items: Type.Array(Type.Unsafe({ $ref: 'Summons#' })), nextBeforeId: Nullable(Type.Integer()) });

export const SummaryDto = Type.Object({
  from: Type.String(), to: Type.String(),
  items: Type.Array(Type.Object({
    unit: Ref,
    received: Type.Integer({ description: 'Summonses received' }),
    reportedOnTime: Type.Integer(),
    reportedLate: Type.Integer(),
    absent: Type.Integer(),
    waiting: Type.Integer({ description: 'Still to report on open summonses' }),
    rated: Type.Integer(),
    averageRating: Nullable(Type.Number()),
  })),
});

export const SettingsDto = Type.Object({
  reportLimitMinutes: Type.Object({ routine: Type.Integer(), tackling: Type.Integer(), emergency: Type.Integer() }),
  checkInRadiusMeters: Type.Number(),
  problems: Type.Optional(Type.Array(Type.Object({ setting: Type.String(), message: Type.String(), usingDefault: Type.Unknown() }))),
});

export const SettingsBody = Type.Object({
  reportLimitMinutes: Type.Object({
    routine: Type.Integer({ minimum: 1, maximum: 10080, description: '日常哨: minutes to report' }),
    tackling: Type.Integer({ minimum: 1, maximum: 10080, description: '攻坚哨: minutes to report' }),
    emergency: Type.Integer({ minimum: 1, maximum: 10080, description: '应急哨: minutes to report' }),
  }, { additionalProperties: false }),
  checkInRadiusMeters: Type.Number({ minimum: 10, maximum: 20000, description: 'How far from the meeting place an on-site check-in may be' }),
}, { additionalProperties: false });

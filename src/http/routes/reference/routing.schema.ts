/** Schemas of the responsibility list (事项责任清单, domain.md §6): rules, versions, reports, explanations. */
import { Type } from 'typebox';
import { URGENCIES } from '../../../commands/case-create.ts';
import { CoordSystemParam, Lat, Lon, LocationDto, Nullable, Ref, StrEnum, TimeLimitDto } from './reference.schema.ts';

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });

/** One rule; the same shape is read (GET /rules) and written (POST /rules), so a list can be edited and sent back. */
export const RuleSchema = Type.Object({
  id: Id('Rule id, unique in the list'),
  matterCode: Type.Optional(Type.String({ pattern: '^\\d{5}$', description: '5-digit matter code — exactly one of matterCode / matterClass' })),
  matterClass: Type.Optional(Type.String({ pattern: '^\\d{2}$', description: '2-digit matter class (covers every matter of the class)' })),
  regionId: Id('Applies in this region and every region below it'),
  partOwnerUnitId: Type.Optional(Id('Only for cases whose part (asset) is owned by this unit')),
  unitId: Id('The handling unit (处置单位)'),
  assistingUnitIds: Type.Optional(Type.Array(Id('Assisting unit'), { maxItems: 20, default: [], description: 'Assisting units (联勤联动); default none' })),
  note: Type.Optional(Type.String({ maxLength: 500, description: 'Basis or remark (e.g. the clause of the published list)' })),
}, { additionalProperties: false });

export const ListReportDto = Type.Object({
  ok: Type.Boolean({ description: 'No errors (warnings do not block saving)' }),
  errors: Type.Array(Type.Unknown(), { description: 'TIE, BAD_RULE, UNKNOWN_REGION/UNIT/MATTER, NO_FALLBACK' }),
  warnings: Type.Array(Type.Unknown(), { description: 'GAP: matter × region pairs only a fallback unit would reach' }),
  stats: Type.Unknown({ description: 'Counts and coverage' }),
});

export const VersionSummaryDto = Type.Object({
  version: Type.Integer(), createdAt: Type.String(), createdBy: Nullable(Type.String()), note: Nullable(Type.String()),
  ruleCount: Type.Integer(), current: Type.Boolean({ description: 'The version new cases are routed by' }),
  summary: Type.Object({
    ok: Type.Boolean(), errors: Type.Integer(), warnings: Type.Integer(),
    coverage: Nullable(Type.Number({ description: 'Share of matter × leaf-region pairs a rule covers' })),
  }),
});

export const ExplainQuery = Type.Object({
  matterCode: Type.String({ pattern: '^\\d{5}$', description: 'Matter code, e.g. 06010' }),
  lon: Type.Optional(Lon), lat: Type.Optional(Lat), coordSystem: Type.Optional(CoordSystemParam),
  partId: Type.Optional(Type.String({ pattern: '^\\d{17}$', description: 'Part concerned; its position is used when lon/lat are absent' })),
  urgency: Type.Optional(StrEnum(URGENCIES, 'Urgency for the time limits shown; default normal')),
}, { additionalProperties: false });

/** A text the console renders in the user's language (web/src/app/messages.ts; docs/issue-8/language.md). */
export const MessageRefDto = Type.Object({
  key: Type.String({ description: 'Catalogue key: routing.rule | routing.part_owner | routing.part_maintainer | routing.fallback' }),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), { description: 'Its parameters, with names (unit, region, matter), not ids' }),
}, { description: 'Why, as a message key and parameters: the console renders it in zh-CN or en with the units\' names' });

export const ExplainDto = Type.Object({
  decision: Type.Object({
    outcome: Type.String({ description: 'rule | part_owner | fallback' }), unit: Ref, assistingUnits: Type.Array(Ref),
    ruleId: Nullable(Type.String()), ruleVersion: Type.Integer(), fallbackRegion: Nullable(Ref),
  }),
  candidates: Type.Array(Type.Object({
    ruleId: Type.String(), unit: Ref, specificity: Type.String(), matched: Type.Boolean(), reason: Type.String(),
  }), { description: 'Every rule of the matter on the region path, the winner first' }),
  summary: Type.String({ description: 'Why, in one sentence (Chinese / English, with unit ids; for logs and API clients)' }),
  explanation: MessageRefDto,
  location: LocationDto,
  part: Nullable(Type.Object({ id: Type.String(), ownerUnit: Nullable(Ref), maintainerUnit: Nullable(Ref) })),
  limits: Type.Object({ handle: TimeLimitDto, dispatch: TimeLimitDto }, { description: 'Limits a case would get here' }),
  gridMemberAdmitted: Type.Boolean({ description: 'On the grid-member admission list (网格事项准入清单)' }),
});

export const AdmissionEntrySchema = Type.Object({
  matterCode: Type.Optional(Type.String({ pattern: '^\\d{5}$', description: 'One matter — exactly one of matterCode / matterClass' })),
  matterClass: Type.Optional(Type.String({ pattern: '^\\d{2}$', description: 'A whole 2-digit class' })),
}, { additionalProperties: false });

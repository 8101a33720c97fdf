/** Schemas of the citizen portal's public API (no sign-in) and of the intake form's duplicates preview. */
import { Type, type TSchema } from 'typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Label = Type.Object({ zh: Type.String(), en: Type.String() });

export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export const RATING_ZH: Readonly<Record<(typeof RATINGS)[number], string>> = { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意' };

export const CaseNoParam = Type.Object({
  caseNo: Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9A-Za-z-]+$', description: 'Case number as given at report time, e.g. 20261125000001' }),
});

export const PublicMattersDto = Type.Object({
  items: Type.Array(Type.Object({
    code: Type.String({ description: 'Matter code to send as matterCode' }), name: Type.String(), className: Type.String(),
    classCode: Type.String({ description: '2-digit class (group the list by it)' }),
    featured: Type.Boolean({ description: 'One of the problems citizens report most (listed first)' }),
  }), { description: 'The matters a citizen can report (city data, settings row portal_matters): featured first, then by code' }),
});

export const PublicCaseDto = Type.Object({
  caseNo: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  stage: Type.String({ description: 'received | accepted | handling | checking | resolved | not_accepted' }),
  stageLabel: Label,
  matter: Type.Object({ code: Type.String(), name: Type.String() }),
  street: Nullable(Type.String({ description: 'Street or town (街道/镇) the problem lies in' })),
  district: Nullable(Type.String()),
  createdAt: Type.String(), updatedAt: Type.String(), closedAt: Nullable(Type.String()),
  mergedWithOthers: Type.Boolean({ description: 'Reported by others too: handled together with the first report (its progress is shown)' }),
  steps: Type.Array(Type.Object({ stage: Type.String(), label: Label, at: Type.String() }), { description: 'Public progress, oldest first' }),
  rating: Nullable(Type.Object({ value: Type.String(), at: Type.String() })),
  ratable: Type.Boolean({ description: 'Reported on the portal, closed and not rated yet: the reporter may rate it with the tracking code' }),
  result: Nullable(Type.Object({
    text: Type.String({ description: 'The unit\'s written result (phones, ID numbers and plates masked)' }),
    at: Type.String({ description: 'When it was handled' }),
    photos: Type.Array(Type.Object({ id: Type.String(), url: Type.String({ description: 'GET it (public): the after-photo' }) }), { description: 'Photos of the result (after-photos)' }),
  }, { description: 'Once resolved: the handling the check passed (null before, and for a case not accepted)' })),
}, { description: 'What anyone may see of a case: no reporter data, no description, no internal notes' });

export const PublicReportDto = Type.Object({
  ...PublicCaseDto.properties,
  trackingCode: Type.String({ description: 'Private code (shown once): needed to rate the result. Keep it secret' }),
  duplicate: Type.Boolean({ description: 'The same problem was already reported nearby: handled together' }),
});

export const RatingBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 40, description: 'The tracking code given at report time' }),
  rating: Type.Union(RATINGS.map((r) => Type.Literal(r)), { description: 'satisfied 满意 / basically_satisfied 基本满意 / unsatisfied 不满意' }),
  comment: Type.Optional(Type.String({ maxLength: 500, description: 'Optional comment' })),
}, { additionalProperties: false });

export const OutlineQuery = Type.Object({
  level: Type.Optional(Type.Union([Type.Literal('district'), Type.Literal('street')], { description: 'district or street (default street)' })),
}, { additionalProperties: false });

export const OutlineDto = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'), id: Type.String(), geometry: Type.Unknown({ description: 'GeoJSON polygon, WGS84' }),
    properties: Type.Object({ id: Type.String(), name: Type.String(), level: Type.String() }),
  })),
}, { description: 'Outlines of the districts or streets (public map layer; names only)' });

export const DuplicatesPreviewQuery = Type.Object({
  matterCode: Type.String({ pattern: '^\\d{5}$', description: 'Matter code of the report being taken' }),
  lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude (WGS84)' }),
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude (WGS84)' }),
}, { additionalProperties: false });

export const DuplicatesPreviewDto = Type.Object({
  policy: Type.Object({
    enabled: Type.Boolean(), radiusMeters: Type.Number(), windowHours: Type.Number(), match: Type.String({ description: 'matter | class' }),
  }, { description: 'The duplicate policy intake applies' }),
  items: Type.Array(Type.Object({
    id: Type.Integer(), caseNo: Type.String(), state: Type.String(), stateLabel: Label,
    matter: Type.Object({ code: Type.String(), name: Type.String() }),
    distanceMeters: Type.Number(), createdAt: Type.String(), address: Nullable(Type.String()),
  }), { description: 'Open cases within the radius and the window, nearest first, that the caller may see' }),
  master: Nullable(Type.Object({ id: Type.Integer(), caseNo: Type.String(), distanceMeters: Type.Number() }, {
    description: 'The case a report saved now would be linked to as a duplicate (the oldest candidate), when the policy is on',
  })),
  hidden: Type.Integer({ description: 'Candidates outside the caller\'s scope (not listed)' }),
});

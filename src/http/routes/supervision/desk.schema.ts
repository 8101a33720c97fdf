/** Schemas of the assessment desks' records (callbacks, exclusions, appeals, supervision notices): one source for validation, types and OpenAPI. */
import { Type, type TSchema } from 'typebox';
import { ErrorResponse, shared } from '../common.schema.ts';

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const StrEnum = <T extends string>(values: readonly T[], description: string) => Type.Unsafe<T>(Type.Union(values.map((v) => Type.Literal(v)), { description }));
export const DESK_ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };

const Person = Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) }, { description: 'Who (staff member), as recorded then' }));
const Unit = Nullable(Type.Object({ id: Type.String(), name: Type.String() }));
const Iso = (d: string) => Type.String({ description: d });
const IsoOrNull = (d: string) => Nullable(Type.String({ description: d }));
const Actions = (d: string) => Type.Array(Type.String(), { description: `What the caller may do with it now: ${d}` });

export const DeskHistoryDto = Type.Object({
  action: Type.String(), actor: Person, at: Iso('When'), details: Type.Record(Type.String(), Type.Unknown()),
});

export const CallbackTaskDto = shared('CallbackTask', Type.Object({
  id: Type.Integer(), caseId: Type.Integer(), caseNo: Type.String(),
  round: Type.Integer({ description: '1 for the first callback; 2 after an unsatisfied answer reopened the case and it came back' }),
  state: StrEnum(['waiting', 'claimed', 'done', 'unreachable', 'rated'], 'waiting 待回访 / claimed 回访中 / done 已回访 / unreachable 无法联系归档 / rated 市民已评价'),
  result: Nullable(Type.String({ description: 'satisfied / basically_satisfied / unsatisfied / unreachable (the last attempt)' })),
  attempts: Type.Integer({ description: 'Calls made (unreachable ones included)' }), maxAttempts: Type.Integer(),
  claimedBy: Person, claimedAt: IsoOrNull('When claimed'), nextAttemptAt: IsoOrNull('After an unreachable attempt: not before'),
  dueAt: Iso('The callback deadline'), overdue: Type.Boolean(), finishedAt: IsoOrNull('When finished'), finishedBy: Person,
  note: Nullable(Type.String()), actions: Actions('claim, release, record'),
  history: Type.Optional(Type.Array(DeskHistoryDto)),
}));

export const ExclusionDto = shared('Exclusion', Type.Object({
  id: Type.Integer(), caseId: Type.Integer(), caseNo: Type.String(), unit: Unit,
  state: StrEnum(['requested', 'approved', 'rejected', 'revoked'], 'requested 待审核 / approved 已认定 (out of the scores) / rejected 已驳回 / revoked 已撤销'),
  reason: Type.String(), requestedBy: Person, requestedAt: Iso('When requested'),
  decidedBy: Person, decidedAt: IsoOrNull('When reviewed'), decisionNote: Nullable(Type.String()),
  revokedBy: Person, revokedAt: IsoOrNull('When revoked'), revokeReason: Nullable(Type.String()),
  actions: Actions('review, revoke'), history: Type.Optional(Type.Array(DeskHistoryDto)),
}));

export const AppealDto = shared('Appeal', Type.Object({
  id: Type.Integer(), caseId: Type.Integer(), caseNo: Type.String(), unit: Unit, period: Type.String({ description: 'The month the case counts in (YYYY-MM)' }),
  state: StrEnum(['open', 'accepted', 'rejected'], 'open 待裁决 / accepted 申诉成立 / rejected 申诉驳回'),
  reason: Type.String(), evidence: Type.Array(Type.String(), { description: 'Attachment ids (GET /api/v1/attachments/{id})' }),
  filedBy: Person, filedAt: Iso('When filed'), deadlineAt: Iso('The last instant to appeal a case of this month'),
  decidedBy: Person, decidedAt: IsoOrNull('When decided'), decisionReason: Nullable(Type.String()),
  actions: Actions('decide'), history: Type.Optional(Type.Array(DeskHistoryDto)),
}));

export const NoticeDto = shared('SupervisionNotice', Type.Object({
  id: Type.String(), caseId: Type.Integer(), caseNo: Type.String(), unit: Unit,
  level: StrEnum(['urge', 'supervise', 'leader'], '催办 / 督办 / 领导督办'), levelLabel: Type.String(),
  tier: StrEnum(['unit', 'district', 'city'], 'Who supervises: unit → district → city'), tierLabel: Type.String(),
  state: StrEnum(['open', 'answered'], 'open 待答复 / answered 已答复'), note: Type.String(),
  issuedBy: Person, issuedAt: Iso('When issued'), dueAt: Iso('The unit answers before this'), overdue: Type.Boolean(),
  answer: Nullable(Type.String()), answeredBy: Person, answeredAt: IsoOrNull('When answered'),
  raiseCount: Type.Integer({ description: 'Times raised a tier automatically' }), raisedAt: IsoOrNull('Last raise'),
  actions: Actions('answer'), history: Type.Optional(Type.Array(DeskHistoryDto)),
}));

export const DeskSettingsBody = Type.Object({
  callback: Type.Object({
    maxAttempts: Type.Integer({ minimum: 1, maximum: 10, description: 'Unreachable attempts before the case is archived as unreachable' }),
    retryMinutes: Type.Integer({ minimum: 0, maximum: 10080, description: 'Minutes between attempts' }),
    limitHours: Type.Integer({ minimum: 1, maximum: 720, description: 'Hours after the check to call back' }),
  }, { additionalProperties: false }),
  appeal: Type.Object({ workDaysAfterMonth: Type.Integer({ minimum: 1, maximum: 60, description: 'Work days after the month ends to appeal its cases' }) }, { additionalProperties: false }),
  supervision: Type.Object({
    replyHours: Type.Object({ urge: Type.Integer({ minimum: 1 }), supervise: Type.Integer({ minimum: 1 }), leader: Type.Integer({ minimum: 1 }) }, { additionalProperties: false, description: 'Hours the unit has to answer, per level' }),
    importantUrgencies: Type.Array(StrEnum(['normal', 'urgent', 'very_urgent'], 'Urgency'), { description: 'Urgencies that make an open case a supervision candidate' }),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

export const DeskSettingsDto = Type.Object({
  callback: Type.Object({ maxAttempts: Type.Integer(), retryMinutes: Type.Integer(), limitHours: Type.Integer() }),
  appeal: Type.Object({ workDaysAfterMonth: Type.Integer() }),
  supervision: Type.Object({ replyHours: Type.Object({ urge: Type.Integer(), supervise: Type.Integer(), leader: Type.Integer() }), importantUrgencies: Type.Array(Type.String()) }),
  problems: Type.Optional(Type.Array(Type.Object({ setting: Type.String(), message: Type.String(), usingDefault: Type.Unknown() }))),
});

export const ListPage = { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'Page size (default 50)' })) };

import { Type, type TSchema } from 'typebox';
import { CHANNELS, URGENCIES } from '../../../domain/case/channels.ts';
import type { Action } from '../../../domain/case/index.ts';
import { AssistsInput } from '../joint/assist.schema.ts';
import { LEVEL_ACTION_BODIES } from '../levels/level-actions.schema.ts';
import { LEVEL_CASE_FIELDS } from '../levels/level.presenter.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const StrEnum = (values: readonly string[], description: string) => Type.Union(values.map((v) => Type.Literal(v)), { description });

export const LimitSchema = Type.Object({
  amount: Type.Number({ exclusiveMinimum: 0, maximum: 10000, description: 'Amount of time' }),
  unit: StrEnum(['natural_minutes', 'natural_hours', 'natural_days', 'work_hours', 'work_days'], 'Unit: work time follows the work calendar'),
}, { additionalProperties: false });

export const CreateCaseBody = Type.Object({
  channel: StrEnum(CHANNELS, 'Intake channel. "patrol" by an inspector or grid member and "superior" are trusted: registered directly'),
  matterCode: Type.String({ pattern: '^\\d{5}$', description: 'GB/T 47678.5 matter code, e.g. 06010 (暴露垃圾); 01001–05xxx are part-derived matters' }),
  urgency: Type.Optional(StrEnum(URGENCIES, 'Urgency (一般/紧急/非常紧急); default normal')),
  emergencyConfirmed: Type.Optional(Type.Boolean({ description: 'Hotline: the seat confirms that a description whose words mean a threat to life '
    + '(GET /hotline/emergency-words) is not an emergency; without it such a report below very_urgent is refused (409, field urgency)' })),
  description: Type.String({ minLength: 1, maxLength: 4000, description: 'What is wrong, in the reporter\'s words' }),
  location: Type.Optional(Type.Object({
    lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude' }),
    lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude' }),
    coordSystem: Type.Optional(StrEnum(['wgs84', 'cgcs2000', 'gcj02', 'bd09'], 'Coordinate system of lon/lat; Chinese map apps report gcj02 (AMap, Tencent) or bd09 (Baidu). Default wgs84')),
  }, { additionalProperties: false, description: 'Where the problem is; without it, `address` is geocoded by the local gazetteer, or the part\'s position is used' })),
  address: Type.Optional(Type.String({ maxLength: 500, description: 'Address text as reported; located through the gazetteer when no location is sent (ambiguous → 400 with candidates)' })),
  partId: Type.Optional(Type.String({ pattern: '^\\d{17}$', description: '17-digit id of the part (asset) concerned' })),
  reporter: Type.Optional(Type.Object({
    name: Type.Optional(Type.String({ maxLength: 100, description: 'Reporter name (personal data: masked in lists)' })),
    phone: Type.Optional(Type.String({ maxLength: 30, description: 'Reporter phone (personal data: masked in lists)' })),
  }, { additionalProperties: false })),
  needsCallback: Type.Optional(Type.Boolean({ description: 'Call the reporter back after the check (回访); default by channel' })),
  externalId: Type.Optional(Type.String({ maxLength: 100, description: 'The sending system\'s own id' })),
  attachmentIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10, description: 'Photos uploaded first via POST /api/v1/attachments' })),
}, { additionalProperties: false });

export const CaseDto = Type.Object({
  id: Type.Integer(),
  caseNo: Type.String({ description: 'Case number: local date + sequence, unique' }),
  state: Type.String(),
  stateLabel: Type.Object({ zh: Type.String(), en: Type.String() }),
  channel: Type.String(),
  matter: Type.Object({ code: Type.String(), name: Type.String(), classCode: Type.String() }),
  urgency: Type.String(),
  description: Type.String(),
  address: Nullable(Type.String()),
  location: Nullable(Type.Object({ lon: Type.Number(), lat: Type.Number() })),
  grid: Nullable(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() })),
  community: Nullable(Ref),
  street: Nullable(Ref),
  district: Nullable(Ref),
  areaClass: Nullable(Type.String()),
  partId: Nullable(Type.String()),
  reporter: Type.Object({ name: Nullable(Type.String()), phone: Nullable(Type.String()), masked: Type.Boolean() }),
  needsCallback: Type.Boolean(),
  routing: Type.Object({
    unit: Nullable(Ref), outcome: Nullable(Type.String({ description: 'rule | part_owner | fallback' })),
    ruleId: Nullable(Type.String()), ruleVersion: Nullable(Type.Integer()),
    assistingUnits: Type.Array(Ref, { description: 'Assisting units the rule proposes (the dispatcher decides)' }),
  }, { description: 'Who the responsibility list sends this case to, and by which rule and version' }),
  assignedUnit: Nullable(Ref),
  assignedGridMember: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) }, {
    description: 'The grid member the case was given to as its handler (网格员处置, admitted matters only) instead of a unit',
  })),
  verifier: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) }, {
    description: 'The inspector or grid member named to verify the case on site (派发核实 with verifierId) while it is VERIFYING; only they may verify it',
  })),
  assistingUnits: Type.Array(Ref, { description: 'Assisting units the case was dispatched with (联勤联动)' }),
  subUnit: Nullable(Ref),
  admittedForGridMembers: Type.Boolean({ description: 'The matter is on the grid-member admission list (网格事项准入清单): grid members may verify it, self-fix it and be given it' }),
  disputeOwner: Nullable(Type.Object({ region: Ref }, {
    description: 'While DISPUTED: who rules the dispute — the dispatchers and shift leaders covering this region (the case\'s street, else its district)',
  })),
  pendingRequest: Nullable(Type.Record(Type.String(), Type.Unknown())),
  counters: Type.Object({
    returns: Type.Integer(), postponements: Type.Integer(), rework: Type.Integer(), reopen: Type.Integer(),
    unsatisfied: Type.Integer(), supervisions: Type.Integer(),
  }),
  deadlines: Type.Object({
    stage: Nullable(Type.String({ description: 'The running stage clock: dispatch, sign, verify, check, dispute (the centre\'s ruling on a returned case)' })),
    stageWarnAt: Nullable(Type.String()), stageDueAt: Nullable(Type.String()),
    handleLimit: Nullable(Type.Object({ amount: Type.Number(), unit: Nullable(Type.String()) })),
    handleStartedAt: Nullable(Type.String()), handleWarnAt: Nullable(Type.String()), handleDueAt: Nullable(Type.String()),
    handlePausedAt: Nullable(Type.String({ description: 'The handling clock is paused since then (returned, waiting for the ruling); the ruling resumes it with the time left when the case goes back to the same holder' })),
    extensions: Type.Array(Type.Object({
      amount: Type.Number(), unit: Type.String(), approvedAt: Type.String(),
      unitId: Nullable(Type.String()), gridMemberId: Nullable(Type.String()),
    }), { description: 'Approved postponements (延期), for the holder that asked; they stay with the case through rework and reopen' }),
    feedbackDueAt: Nullable(Type.String({ description: '12345 feedback deadline (接诉即办: 2 h / 24 h / 7 d / 15 d by default, the city\'s data) for a case filed from a hotline call' })),
    feedbackLevel: Nullable(Type.String({ description: 'The feedback clock: normal | warning (80 % used) | overdue; it stops when the caller is answered (callback, archived or cancelled) and keeps the level reached. Null without a feedback deadline' })),
    suspendedAt: Nullable(Type.String()),
    dueAt: Nullable(Type.String({ description: 'The nearest running deadline (stage or handling clock), what a queue counts down to and sorts by (sort=due); null when no clock runs (hung, or none started)' })),
    alertLevel: Type.String({ description: 'normal | warning (yellow) | overdue (red)' }),
    everOverdue: Type.Boolean(),
  }),
  closureType: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  externalId: Nullable(Type.String()),
  attributes: Type.Array(Type.Object({
    code: Type.String({ description: 'The question\'s code (Open311 attribute[code])' }),
    description: Type.String({ description: 'The question as the reporter was asked it' }),
    datatype: Type.String({ description: 'string, number, datetime, text, singlevaluelist or multivaluelist' }),
    values: Type.Array(Type.String(), { description: 'The answer as sent: one value, several for a multivaluelist' }),
    labels: Type.Array(Type.String(), { description: 'What the values mean: the option names of a list, else the values' }),
  }), { description: 'Answers to the matter\'s extra questions (GeoReport v2 service attributes), as filed with the report' }),
  masterCaseId: Nullable(Type.Integer({ description: 'The master case this report is a duplicate of (linked automatically or merged by hand)' })),
  duplicateOf: Nullable(Type.Object({ id: Type.Integer(), caseNo: Type.String(), state: Type.String() }, { description: 'The master case and its progress (on create and on the one-case read; null in lists)' })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer({ description: 'Send back as "version" on an action to refuse it if the case changed meanwhile' }),
  allowedActions: Type.Array(Type.String(), { description: 'What the caller may do next' }),
  ...LEVEL_CASE_FIELDS,
});

export const HistoryDto = Type.Object({
  id: Type.Integer(), action: Type.String(), fromState: Nullable(Type.String()), toState: Type.String(),
  actor: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })), at: Type.String(),
  reason: Nullable(Type.String()), details: Type.Record(Type.String(), Type.Unknown()), attachmentIds: Type.Array(Type.String()),
});

const text = (description: string, max = 2000) => Type.String({ minLength: 1, maxLength: max, description });
const optText = (description: string) => Type.Optional(Type.String({ maxLength: 2000, description }));
const version = Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Expected case version (optimistic concurrency)' }));
const unitIds = Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10, description: 'Assisting units (联勤联动)' }));
const gridMember = Type.Optional(Type.String({
  minLength: 1, maxLength: 64,
  description: 'Give the case to this grid member instead of a unit (网格员处置): only matters on the admission list, only a grid member covering the case\'s place; no assisting units',
}));

/** The grid members a case may be given to (GET /cases/{id}/grid-members). */
export const GridMembersDto = Type.Object({
  admitted: Type.Boolean({ description: 'The matter is on the admission list; when false, no grid member may be given the case (items is empty)' }),
  items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), regions: Type.Array(Ref) }), { description: 'Active grid members covering the case\'s place' }),
});

/** Who may be named to verify a case (GET /cases/{id}/verifiers, issue 8). */
export const VerifiersDto = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.String(), name: Type.String(),
    roles: Type.Array(Type.String(), { description: 'inspector and/or grid_member' }),
    regions: Type.Array(Ref),
  }), { description: 'Active inspectors and grid members covering the case\'s place (grid members only for matters on the admission list), by name' }),
});

/** One body schema per action; the domain re-checks required text (non-blank) and names the field. */
/** Optional on-site photos (attachment ids uploaded first) for verification and check. */
const sitePhotos = Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10, description: 'Attachment ids of on-site photos' }));

export const ACTION_BODIES = {
  accept: Type.Object({ note: optText('Note'), version }, { additionalProperties: false }),
  reject: Type.Object({
    reason: text('Why it is not accepted'), rejectKind: StrEnum(['duplicate', 'out_of_scope', 'invalid'], 'Kind of rejection'),
    referral: Type.Optional(Type.String({ maxLength: 100, description: 'Where it was referred (110/119/120/petition…); required for out_of_scope' })),
    duplicateOfCaseId: Type.Optional(Type.String({ maxLength: 64, description: 'The master case, for duplicates' })), version,
  }, { additionalProperties: false }),
  request_verify: Type.Object({
    note: optText('Note to the inspector'),
    verifierId: Type.Optional(Type.String({
      minLength: 1, maxLength: 64,
      description: 'The inspector or grid member who must verify (active, covering the case\'s place); only they may then verify. Omit to let anyone in scope verify.',
    })),
    version,
  }, { additionalProperties: false }),
  verify: Type.Object({ outcome: StrEnum(['confirmed', 'false'], 'Verification result'), note: optText('Required when false'), photos: sitePhotos, version }, { additionalProperties: false }),
  register: Type.Object({ note: optText('Note'), version }, { additionalProperties: false }),
  dispatch: Type.Object({
    unitId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Handling unit (usually the routed unit); or send gridMemberId' })),
    gridMemberId: gridMember, assistingUnitIds: unitIds, assists: Type.Optional(AssistsInput), note: optText('Note'), version,
  }, { additionalProperties: false }),
  reassign: Type.Object({
    unitId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The unit that must handle it now; or send gridMemberId' })),
    gridMemberId: gridMember, assistingUnitIds: unitIds, assists: Type.Optional(AssistsInput), reason: text('Why it is reassigned (recorded in the history)'), version,
  }, { additionalProperties: false }),
  recall: Type.Object({ reason: text('Why it is taken back (recorded in the history)'), version }, { additionalProperties: false }),
  sign: Type.Object({ note: optText('Note'), version }, { additionalProperties: false }),
  second_dispatch: Type.Object({ subUnitId: Type.String({ minLength: 1, maxLength: 64, description: 'Sub-unit of the assigned unit' }), note: optText('Note'), version }, { additionalProperties: false }),
  return: Type.Object({ reason: text('Why the unit returns it'), basis: text('The basis (regulation, responsibility list item)'), version }, { additionalProperties: false }),
  rule_dispute: Type.Object({
    unitId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The unit that must handle it; or send gridMemberId' })),
    gridMemberId: gridMember, ruling: text('The ruling and its basis'), assistingUnitIds: unitIds, assists: Type.Optional(AssistsInput), version,
  }, { additionalProperties: false }),
  request_postpone: Type.Object({ extra: LimitSchema, reason: text('Why more time is needed'), version }, { additionalProperties: false }),
  approve_postpone: Type.Object({ note: optText('Note'), version }, { additionalProperties: false }),
  deny_postpone: Type.Object({ reason: text('Why not'), version }, { additionalProperties: false }),
  request_hang: Type.Object({ reason: text('Why it cannot be solved in time'), version }, { additionalProperties: false }),
  approve_hang: Type.Object({ note: optText('Note'), version }, { additionalProperties: false }),
  deny_hang: Type.Object({ reason: text('Why not'), version }, { additionalProperties: false }),
  resume: Type.Object({ note: optText('Note'), version }, { additionalProperties: false }),
  dispose: Type.Object({ result: text('What was done'), photos: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10, description: 'Attachment ids of the result photos' }), version }, { additionalProperties: false }),
  send_check: Type.Object({ note: optText('Note to the inspector'), version }, { additionalProperties: false }),
  check_pass: Type.Object({ note: optText('Note'), photos: sitePhotos, version }, { additionalProperties: false }),
  check_fail: Type.Object({ reason: text('What is still wrong (rework)'), photos: sitePhotos, version }, { additionalProperties: false }),
  callback: Type.Object({
    satisfied: Type.Boolean({ description: 'Is the reporter satisfied' }), note: optText('Required when not satisfied'),
    result: Type.Optional(StrEnum(['satisfied', 'basically_satisfied', 'unsatisfied'], '满意 / 基本满意 / 不满意 (must agree with `satisfied`); default from `satisfied`')), version,
  }, { additionalProperties: false }),
  close: Type.Object({ closureType: StrEnum(['normal', 'overdue', 'erroneous', 'special'], 'Closure type'), reason: text('Why closed this way'), version }, { additionalProperties: false }),
  reopen: Type.Object({ reason: text('Why reopened'), version }, { additionalProperties: false }),
  supervise: Type.Object({ note: text('The supervision notice'), level: StrEnum(['urge', 'supervise', 'leader'], '催办 / 督办 / 领导督办'), version }, { additionalProperties: false }),
  self_fix: Type.Object({ result: text('What was fixed on the spot'), photos: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 10, description: 'Attachment ids of the evidence photos' }), version }, { additionalProperties: false }),
  merge_into: Type.Object({
    masterCaseId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The case to keep (open, same matter class, not itself a duplicate)' }),
    reason: Type.Optional(Type.String({ maxLength: 2000, description: 'Why they are the same problem' })), version,
  }, { additionalProperties: false }),
  split: Type.Object({ reason: text('Why it is a different problem'), version }, { additionalProperties: false }),
  ...LEVEL_ACTION_BODIES,
} satisfies Record<Action, TSchema>;

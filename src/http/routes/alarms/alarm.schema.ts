/** Schemas of /api/v1/alarms (issue 11 parts 4–5). */
import { Type } from 'typebox';

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number> | ReturnType<typeof Type.Integer>>(t: T, d: string) => Type.Union([t, Type.Null()], { description: d });

export const AlarmDto = Type.Object({
  id: Type.String(),
  source: Type.String({ enum: ['iot', 'video'], description: 'A rule on device readings, or camera analytics' }),
  deviceId: Type.String({ description: 'The device, or the camera' }),
  deviceTypeId: Nullable(Type.String(), 'Device type (camera for video)'),
  vendor: Nullable(Type.String(), 'Device vendor'),
  aiModel: Nullable(Type.String(), 'AI model name@version (video)'),
  ruleId: Nullable(Type.String(), 'The rule that raised it'),
  ruleVersion: Nullable(Type.Integer(), 'The rule version that raised it'),
  title: Type.String({ description: 'Rule name or detection type, for people' }),
  detectionType: Nullable(Type.String(), 'Detection type (video)'),
  confidence: Nullable(Type.Number(), 'Confidence 0–1 (video)'),
  matterCode: Type.String(), matterName: Type.String(), urgency: Type.String(),
  state: Type.String({ enum: ['raised', 'cleared'] }),
  review: Type.String({ description: 'pending (review queue), below_threshold, submitting, case, linked, rejected, unfiled' }),
  falseAlarm: Type.Boolean(),
  caseId: Nullable(Type.Integer(), 'The case it opened or joined'),
  lon: Nullable(Type.Number(), 'Longitude (WGS-84)'), lat: Nullable(Type.Number(), 'Latitude (WGS-84)'),
  gridId: Nullable(Type.String(), 'Grid'), streetId: Nullable(Type.String(), 'Street'), scenario: Nullable(Type.String(), 'Scenario'),
  values: Type.Record(Type.String(), Type.Number(), { description: 'The readings (or confidence) when it fired' }),
  snapshotUrl: Nullable(Type.String(), 'Where the console shows the snapshot from (ours, or the city video platform)'),
  raisedAt: Type.String({ format: 'date-time' }), lastRaisedAt: Type.String({ format: 'date-time' }),
  clearedAt: Nullable(Type.String({ format: 'date-time' }), 'When readings were normal again'),
  repeatCount: Type.Integer({ description: 'Re-opened within the suppression window this many times' }),
  canReview: Type.Boolean({ description: 'The caller may accept or reject it now' }),
  canMarkFalse: Type.Boolean({ description: 'The caller may mark it false now' }),
});

export const AlarmList = Type.Object({
  items: Type.Array(AlarmDto),
  next: Nullable(Type.String(), 'Pass as `before` for the next page; null at the end'),
});

export const AlarmQuery = Type.Object({
  source: Type.Optional(Type.String({ enum: ['iot', 'video'] })),
  state: Type.Optional(Type.String({ enum: ['raised', 'cleared'] })),
  review: Type.Optional(Type.String({ enum: ['pending', 'below_threshold', 'submitting', 'case', 'linked', 'rejected', 'unfiled'], description: '`pending` is the review queue' })),
  falseAlarm: Type.Optional(Type.Boolean()),
  deviceId: Type.Optional(Type.String({ maxLength: 100 })),
  caseId: Type.Optional(Type.Integer({ minimum: 1 })),
  before: Type.Optional(Type.String({ maxLength: 80, description: 'Keyset cursor from `next`' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'Default 50' })),
});

export const AlarmDetail = Type.Object({
  alarm: AlarmDto,
  history: Type.Array(Type.Object({
    action: Type.String(), actorName: Type.Union([Type.String(), Type.Null()]), at: Type.String({ format: 'date-time' }),
    details: Type.Record(Type.String(), Type.Unknown()),
  })),
});

export const ReviewBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500, description: 'Note for the history' })) });
export const ReasonBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500, description: 'Why the alarm is false' }) });
export const AcceptResult = Type.Object({
  alarm: AlarmDto, caseId: Type.Union([Type.Integer(), Type.Null()]), how: Type.String({ enum: ['linked', 'case', 'unfiled'] }),
});

export const AccuracyQuery = Type.Object({
  by: Type.Optional(Type.String({ enum: ['device_type', 'vendor', 'ai_model'], description: 'Group (default device_type)' })),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, description: 'Alarms raised in the last N days (default 30)' })),
});
export const AccuracyDto = Type.Object({
  by: Type.String(), days: Type.Integer(),
  items: Type.Array(Type.Object({
    key: Type.Union([Type.String(), Type.Null()], { description: 'Device type, vendor or model; null = unknown' }),
    source: Type.String(), total: Type.Integer({ description: 'Judged alarms (not waiting for review, not below threshold)' }),
    falseAlarms: Type.Integer(), accuracy: Type.Union([Type.Number(), Type.Null()], { description: '1 − false / total' }),
  })),
});

/** Schemas of /api/v1/notifications, /api/v1/alerts and /api/v1/handovers (issue 9 parts 5–7). */
import { Type } from 'typebox';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../../domain/notify/rules.ts';
import { OUTBOUND_CHANNELS, type OutboundChannelName } from '../../../domain/notify/preferences.ts';

const Kind = Type.Unsafe<NotificationKind>({ type: 'string', enum: [...NOTIFICATION_KINDS], description: 'Notification kind' });
const Time = (d: string) => Type.String({ format: 'date-time', description: d });
const NullableTime = (d: string) => Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: d });

export const NotificationDto = Type.Object({
  id: Type.Integer({ description: 'Notification id' }),
  kind: Kind,
  label: Type.Object({ zh: Type.String(), en: Type.String() }, { description: 'The kind, for people' }),
  topic: Type.String({ description: 'The outbox topic it came from' }),
  caseId: Type.Union([Type.Integer(), Type.Null()], { description: 'The case (click-through), if any' }),
  caseNo: Type.Union([Type.String(), Type.Null()], { description: 'The case number, if any' }),
  details: Type.Record(Type.String(), Type.Unknown(), { description: 'A few facts of the event (action, level, tier …)' }),
  createdAt: Time('When the event happened'),
  readAt: NullableTime('When the user read it; null while unread'),
});

export const NotificationList = Type.Object({
  items: Type.Array(NotificationDto),
  unread: Type.Integer({ description: 'Unread notifications of the caller' }),
  nextBeforeId: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as beforeId for the next page; null at the end' }),
});

export const NotificationQuery = Type.Object({
  unread: Type.Optional(Type.Boolean({ description: 'Only unread ones' })),
  beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'Keyset: notifications older than this id' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Page size (default 20)' })),
}, { additionalProperties: false });

export const MarkReadBody = Type.Object({
  ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 500, description: 'Notifications to mark read' })),
  all: Type.Optional(Type.Boolean({ description: 'Mark every unread notification of the caller read' })),
}, { additionalProperties: false });

export const MarkReadResult = Type.Object({ marked: Type.Integer({ description: 'How many changed' }), unread: Type.Integer({ description: 'Unread left' }) });

export const PreferenceDto = Type.Object({
  channel: Type.Unsafe<OutboundChannelName>({ type: 'string', enum: [...OUTBOUND_CHANNELS], description: 'Where chosen kinds also go: none, log (demo), sms, work_message (政务微信)' }),
  kinds: Type.Array(Kind, { maxItems: NOTIFICATION_KINDS.length, description: 'Kinds that also go out of the console' }),
  address: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { description: 'Phone number or work-message account' })),
}, { additionalProperties: false });

export const DeliveryDto = Type.Object({
  id: Type.Integer(), notificationId: Type.Integer(), channel: Type.String(), status: Type.String({ description: 'pending | sending | sent | failed' }),
  attempts: Type.Integer(), lastError: Type.Union([Type.String(), Type.Null()]), createdAt: Time('Queued at'), sentAt: NullableTime('Sent at'),
});

const Tier = Type.Object({
  level: Type.String({ description: 'street | district | city' }),
  regionIds: Type.Array(Type.String()),
  regionNames: Type.Array(Type.String()),
});

export const AlertDto = Type.Object({
  id: Type.Integer({ description: 'Alert id' }),
  caseId: Type.Integer(),
  caseNo: Type.String(),
  state: Type.String({ description: 'ringing | acknowledged | closed' }),
  tier: Type.Integer({ description: 'Index into tiers: the level it rings at now (the lower ones ring too)' }),
  tierLevel: Type.Union([Type.String(), Type.Null()], { description: 'street | district | city' }),
  tiers: Type.Array(Tier),
  raisedAt: Time('When it first rang'),
  ackDueAt: NullableTime('When it escalates if nobody acknowledges; null when nothing is left to escalate'),
  acknowledgedAt: NullableTime('When it was acknowledged'),
  acknowledgedByName: Type.Union([Type.String(), Type.Null()]),
  ringsForMe: Type.Boolean({ description: 'It rings on the caller\'s console now' }),
  canAcknowledge: Type.Boolean({ description: 'The caller may acknowledge it' }),
  caseSummary: Type.Union([Type.Object({
    description: Type.String(), address: Type.Union([Type.String(), Type.Null()]), urgency: Type.String(), state: Type.String(),
  }), Type.Null()], { description: 'The case, when the caller may see it' }),
});

export const AlertList = Type.Object({ items: Type.Array(AlertDto) });
export const AlertQuery = Type.Object({
  state: Type.Optional(Type.Union([Type.Literal('ringing'), Type.Literal('acknowledged'), Type.Literal('closed')], { description: 'Filter by state' })),
  mine: Type.Optional(Type.Boolean({ description: 'Only the alerts ringing on the caller\'s console' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'At most this many (default 50)' })),
}, { additionalProperties: false });
export const AckBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500, description: 'What is being done (optional)' })) }, { additionalProperties: false });

export const AlertSettingsDto = Type.Object({
  urgencies: Type.Array(Type.Union([Type.Literal('normal'), Type.Literal('urgent'), Type.Literal('very_urgent')]), { description: 'Urgencies that ring' }),
  ackMinutes: Type.Object({
    street: Type.Number({ exclusiveMinimum: 0, maximum: 1440, description: 'Minutes at the street before it goes to the district' }),
    district: Type.Number({ exclusiveMinimum: 0, maximum: 1440, description: 'Minutes at the district before it goes to the city' }),
    city: Type.Number({ exclusiveMinimum: 0, maximum: 1440, description: 'Minutes at the city before it is recorded as unanswered' }),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

const CaseBriefDto = Type.Object({
  id: Type.Integer(), caseNo: Type.String(), state: Type.String(), urgency: Type.String(), alertLevel: Type.String(),
  dueAt: NullableTime('The running deadline'),
});

export const HandoverDto = Type.Object({
  id: Type.Integer(),
  regionId: Type.Union([Type.String(), Type.Null()]),
  regionName: Type.Union([Type.String(), Type.Null()]),
  shiftLabel: Type.String(),
  closedBy: Type.String(), closedByName: Type.String(), closedAt: Time('When the shift was closed'),
  notes: Type.String(),
  nextLeaderId: Type.Union([Type.String(), Type.Null()]),
  acknowledgedByName: Type.Union([Type.String(), Type.Null()]), acknowledgedAt: NullableTime('When the next shift acknowledged it'),
  ackNote: Type.Union([Type.String(), Type.Null()]),
  canAcknowledge: Type.Boolean({ description: 'The caller may acknowledge it' }),
  summary: Type.Object({
    generatedAt: Time('When the summary was made'),
    open: Type.Integer(), openCapped: Type.Boolean(), overdue: Type.Integer(), warning: Type.Integer(),
    urgent: Type.Array(CaseBriefDto), nextDue: Type.Array(CaseBriefDto),
    ringing: Type.Array(Type.Object({ alertId: Type.Integer(), caseId: Type.Integer(), caseNo: Type.String(), tierLevel: Type.Union([Type.String(), Type.Null()]), raisedAt: Time('Rang at') })),
  }),
});

export const HandoverList = Type.Object({ items: Type.Array(HandoverDto), nextBeforeId: Type.Union([Type.Integer(), Type.Null()]) });
export const HandoverQuery = Type.Object({
  pending: Type.Optional(Type.Boolean({ description: 'Only those not yet acknowledged' })),
  beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
}, { additionalProperties: false });
export const HandoverBody = Type.Object({
  shiftLabel: Type.String({ minLength: 1, maxLength: 100, description: 'The shift, e.g. 12月6日 白班' }),
  notes: Type.String({ maxLength: 4000, description: 'What the next shift must know' }),
  regionId: Type.Optional(Type.String({ maxLength: 64, description: 'The region of the shift; default the leader\'s first region' })),
  nextLeaderId: Type.Optional(Type.String({ maxLength: 64, description: 'The next shift\'s leader (only they may acknowledge)' })),
}, { additionalProperties: false });
export const HandoverAckBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000, description: 'Optional remark' })) }, { additionalProperties: false });

const Level = Type.Unsafe<'I' | 'II' | 'III' | 'IV'>({ type: 'string', enum: ['I', 'II', 'III', 'IV'], description: 'Response level: I 特别重大, II 重大, III 较大, IV 一般' });

export const IncidentSummaryDto = Type.Object({
  id: Type.Integer(), title: Type.String(), level: Type.String(), regionId: Type.Union([Type.String(), Type.Null()]),
  regionName: Type.Union([Type.String(), Type.Null()]), state: Type.String({ description: 'open | closed' }),
  commanderName: Type.String(), openedAt: Time('Opened at'), closedAt: NullableTime('Closed at'), reportCount: Type.Integer({ description: 'Situation reports so far' }),
});
export const IncidentDto = Type.Object({
  ...IncidentSummaryDto.properties,
  canCommand: Type.Boolean({ description: 'The caller may add cases, reports and resources, and close it' }),
  cases: Type.Array(Type.Object({
    id: Type.Integer(), caseNo: Type.String(), state: Type.String(), urgency: Type.String(), description: Type.String(),
  }), { description: 'The linked cases the caller may see' }),
  timeline: Type.Array(Type.Object({
    id: Type.Integer(), kind: Type.String({ description: 'opened | case_added | report | resource | closed' }), text: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()), actorName: Type.Union([Type.String(), Type.Null()]), at: Time('When'),
  })),
});
export const IncidentList = Type.Object({ items: Type.Array(IncidentSummaryDto) });
export const IncidentQuery = Type.Object({
  state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')], { description: 'Filter by state' })),
}, { additionalProperties: false });
export const IncidentBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 100, description: 'What happened, e.g. 滨湖路燃气管道泄漏' }),
  level: Level,
  regionId: Type.Optional(Type.String({ maxLength: 64, description: 'The region it concerns; default the commander\'s first region' })),
}, { additionalProperties: false });
export const IncidentCaseBody = Type.Object({ caseId: Type.Integer({ minimum: 1, description: 'A case to group under the incident' }) }, { additionalProperties: false });
export const IncidentReportBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000, description: 'The situation report (首报 / 续报)' }) }, { additionalProperties: false });
export const IncidentResourceBody = Type.Object({
  kind: Type.Unsafe<string>({ type: 'string', enum: ['team', 'person', 'vehicle', 'equipment', 'material', 'other'], description: 'What kind of resource' }),
  name: Type.String({ minLength: 1, maxLength: 100, description: 'e.g. 区燃气抢修队' }),
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'How many (default 1)' })),
  note: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
export const IncidentCloseBody = Type.Object({ summary: Type.Optional(Type.String({ maxLength: 4000, description: 'How it ended' })) }, { additionalProperties: false });

/** Schemas of the levels-of-platform routes (GET /levels/stats, /levels/policy, /cases/{id}/transfers …). */
import { Type } from 'typebox';

const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const Nullable = <T extends ReturnType<typeof Type.Object>>(t: T) => Type.Union([t, Type.Null()]);
const Level = Type.Union([Type.Literal('city'), Type.Literal('district'), Type.Literal('street')], { description: 'city (市) | district (区) | street (街镇)' });
const Label = Type.Object({ zh: Type.String(), en: Type.String() });
const PlatformRef = Type.Object({ id: Type.String(), name: Type.String(), level: Type.String(), levelLabel: Label });

export const StatsQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Transfers requested at or after this instant (ISO 8601)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Transfers requested before this instant (ISO 8601)' })),
}, { additionalProperties: false });

const n = (description: string) => Type.Integer({ minimum: 0, description });

export const StatsDto = Type.Object({
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(Type.Object({
    platform: PlatformRef,
    escalationsSent: n('上报 sent to the superior platform'),
    escalationsSentRefused: n('… of which the superior refused'),
    escalationsReceived: n('上报 received from lower platforms'),
    escalationsAccepted: n('… accepted'),
    escalationsRefused: n('… refused (退回) by this platform'),
    assignmentsSent: n('下派 sent to lower platforms'),
    assignmentsSentRefused: n('… of which the lower platform refused'),
    assignmentsReceived: n('下派 received from the superior'),
    assignmentsAccepted: n('… accepted'),
    assignmentsRefused: n('… refused (拒收) by this platform'),
    pending: n('Transfers waiting for this platform (of those requested in the period)'),
    refusals: n('Everything this platform refused: escalations and assignments'),
    refusalRate: Type.Union([Type.Number(), Type.Null()], { description: 'refusals / transfers this platform decided; null when none' }),
  }), { description: 'One row per platform the caller covers that sent or received a transfer in the period; most refusals first' }),
});

export const TransfersDto = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.Integer(), kind: Type.String({ description: 'escalate | assign_down' }), from: Ref, to: Ref, reason: Type.String(),
    requestedBy: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), name: Type.Union([Type.String(), Type.Null()]) }),
    requestedAt: Type.String(),
    status: Type.String({ description: 'pending | accepted | refused | withdrawn (the case was closed or cancelled while it waited)' }),
    decidedBy: Type.Union([Type.Object({ id: Type.Union([Type.String(), Type.Null()]), name: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
    decidedAt: Type.Union([Type.String(), Type.Null()]),
    decisionReason: Type.Union([Type.String(), Type.Null()], { description: 'The refusal reason (or the acceptance note)' }),
  })),
});

export const TransferTargetsDto = Type.Object({
  platform: Nullable(PlatformRef),
  escalateTo: Nullable(PlatformRef),
  assignDownTo: Type.Array(PlatformRef, { description: 'Lower platforms whose area contains the case (下派 targets)' }),
});

const LevelRule = Type.Object({
  matterCode: Type.Optional(Type.String({ pattern: '^\\d{5}$', description: 'A matter code' })),
  matterClass: Type.Optional(Type.String({ pattern: '^\\d{2}$', description: 'Or a matter class' })),
  urgency: Type.Optional(Type.Union([Type.Literal('normal'), Type.Literal('urgent'), Type.Literal('very_urgent')])),
  level: Level,
}, { additionalProperties: false });

export const LevelPolicyBody = Type.Object({
  platformLevels: Type.Array(Level, { minItems: 1, maxItems: 3, description: 'The levels that run a centre (city always)' }),
  defaultLevel: Level,
  rules: Type.Array(LevelRule, { maxItems: 500, description: 'Matters / urgencies handled at another level; the most specific wins (code > class, with urgency > without)' }),
  followUnitLevel: Type.Boolean({ description: 'A case routed to a unit of a higher level starts at that level\'s platform' }),
}, { additionalProperties: false });

export const LevelPolicyDto = Type.Object({
  ...LevelPolicyBody.properties,
  problems: Type.Optional(Type.Array(Type.Object({ setting: Type.String(), message: Type.String() }), {
    description: 'For those who may change it (rule.manage): a stored policy that could not be used (the defaults apply)',
  })),
});

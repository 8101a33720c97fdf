/** Schemas of /api/v1/sensing/rules and /api/v1/sensing/alarm-policy (issue 11 part 3). The domain parser checks the details and names the field. */
import { Type } from 'typebox';

const Num = (d: string) => Type.Optional(Type.Number({ description: d }));
const partFields = {
  measurement: Type.Optional(Type.String({ maxLength: 40, description: 'Measurement key of the device type (threshold, rate)' })),
  op: Type.Optional(Type.String({ enum: ['>', '>=', '<', '<='], description: 'Comparison (threshold)' })),
  value: Num('The line (threshold)'),
  forSeconds: Num('How long it must hold before the alarm (threshold: default 0; unchanged: required, ≥ 60)'),
  hysteresis: Num('Margin past the line before it clears (threshold; default 0)'),
  direction: Type.Optional(Type.String({ enum: ['rise', 'fall'], description: 'Rise or fall (rate)' })),
  perMinute: Num('Change per minute that fires (rate)'),
  windowSeconds: Num('Window the change is measured over (rate; default 300)'),
  tolerance: Num('Largest move that still counts as no change (unchanged; default 0)'),
};
export const ConditionPartDto = Type.Object({ kind: Type.String({ enum: ['threshold', 'rate', 'unchanged'], description: 'Kind of part' }), ...partFields });
export const ConditionDto = Type.Object({
  kind: Type.String({ enum: ['threshold', 'rate', 'unchanged', 'heartbeat', 'all'], description: 'threshold (with duration), rate of change, no change for a while (unchanged), heartbeat loss, or all (a combination)' }),
  ...partFields,
  conditions: Type.Optional(Type.Array(ConditionPartDto, { maxItems: 4, description: 'Parts of a combination (all)' })),
});

const definitionFields = {
  name: Type.String({ maxLength: 100, description: 'Name people see' }),
  scope: Type.Object({
    kind: Type.String({ enum: ['type', 'scenario', 'device'], description: 'What the rule watches' }),
    id: Type.String({ maxLength: 100, description: 'Device type id, scenario code or device id' }),
  }),
  condition: ConditionDto,
  matterCode: Type.String({ description: 'Matter code of the case an alarm opens' }),
  urgency: Type.Optional(Type.String({ enum: ['normal', 'urgent', 'very_urgent'], description: 'Urgency of that case (default normal)' })),
  suppressMinutes: Type.Optional(Type.Number({ description: 'A firing within this many minutes after the alarm cleared re-opens it (default 30)' })),
  enabled: Type.Optional(Type.Boolean({ description: 'Whether the engine runs it (default false: test it first)' })),
  note: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()], { description: 'Why this version' })),
};
export const RuleBody = Type.Object({ id: Type.Optional(Type.String({ maxLength: 60, description: 'Id (lower-case, digits, _ and -); generated when absent' })), ...definitionFields });
export const RuleUpdateBody = Type.Object({ version: Type.Integer({ minimum: 1, description: 'The version being edited (409 if another was saved since)' }), ...definitionFields });

export const RuleDto = Type.Object({
  id: Type.String(), version: Type.Integer(), ...definitionFields,
  urgency: Type.String(), suppressMinutes: Type.Number(), enabled: Type.Boolean(),
  description: Type.String({ description: 'The condition in words' }),
  updatedAt: Type.String({ format: 'date-time' }), updatedBy: Type.Union([Type.String(), Type.Null()]),
});
export const RuleList = Type.Object({ items: Type.Array(RuleDto) });
export const RuleVersionDto = Type.Object({
  version: Type.Integer(), definition: Type.Record(Type.String(), Type.Unknown(), { description: 'The definition of that version' }),
  createdAt: Type.String({ format: 'date-time' }), createdBy: Type.Union([Type.String(), Type.Null()]), note: Type.Union([Type.String(), Type.Null()]),
});
export const RuleDetail = Type.Object({ rule: RuleDto, versions: Type.Array(RuleVersionDto) });

export const ReadingDto = Type.Object({
  deviceId: Type.String({ maxLength: 100 }), at: Type.Integer({ description: 'Epoch milliseconds' }),
  values: Type.Record(Type.String(), Type.Number(), { description: 'Measurement → value' }),
});
export const RuleTestBody = Type.Object({
  rule: Type.Object(definitionFields, { description: 'The definition to test (saved or not)' }),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Start (default: a week before `to`)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'End (default: now)' })),
  deviceIds: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50, description: 'Devices whose recorded readings to use (default: the rule\'s scope, at most 50)' })),
  readings: Type.Optional(Type.Array(ReadingDto, { maxItems: 20000, description: 'Readings to test against instead of recorded ones' })),
});
export const RuleTestResult = Type.Object({
  events: Type.Array(Type.Object({
    deviceId: Type.String(), kind: Type.String({ enum: ['raise', 'reopen', 'clear'] }), at: Type.String({ format: 'date-time' }),
    values: Type.Record(Type.String(), Type.Number()),
  })),
  alarms: Type.Integer({ description: 'Alarms that would have opened' }),
  reopened: Type.Integer({ description: 'Firings that would have re-opened a recent alarm (suppression)' }),
  readings: Type.Integer(), devices: Type.Integer(), truncated: Type.Boolean(),
  from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }),
});

export const AlarmPolicyDto = Type.Object({
  autoDispatch: Type.Array(Type.Object({
    source: Type.Optional(Type.String({ enum: ['iot', 'video', 'any'], description: 'Which alarms (default any)' })),
    matterCode: Type.String({ description: 'Matter code' }),
    regionIds: Type.Optional(Type.Array(Type.String(), { description: 'Regions where it applies; empty = the whole city' })),
  }), { description: 'Alarms dispatched without review' }),
  placeWindowMinutes: Type.Optional(Type.Integer({ description: 'Alarms at one place within this window become one case' })),
  videoTypes: Type.Optional(Type.Array(Type.Object({
    type: Type.String(), zh: Type.Optional(Type.String()), en: Type.Optional(Type.String()), matterCode: Type.String(),
    minConfidence: Type.Number({ description: 'Below it: recorded, not queued' }),
  }), { description: 'Camera analytics detection types' })),
});

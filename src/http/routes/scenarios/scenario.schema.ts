/** Schemas of the scenario routes (issue 11 parts 6–7; docs/issue-11/scenarios.md). */
import { Type } from 'typebox';
import { ErrorResponse } from '../common.schema.ts';

export const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number> | ReturnType<typeof Type.Integer>>(t: T, d: string) => Type.Union([t, Type.Null()], { description: d });

export const ScenarioDto = Type.Object({
  id: Type.String(), zh: Type.String(), en: Type.String(),
  installed: Type.Boolean({ description: 'Every device type and rule of the pack exists' }),
  types: Type.Array(Type.Object({
    id: Type.String(), zh: Type.String(), en: Type.String(),
    measurements: Type.Array(Type.Object({ key: Type.String(), zh: Type.String(), en: Type.String(), unit: Type.String() })),
  })),
  rules: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), matterCode: Type.String(), urgency: Type.String(), installed: Type.Boolean() })),
  devices: Type.Record(Type.String(), Type.Integer(), { description: 'Devices by state (online, offline, fault, maintenance)' }),
  openAlarms: Type.Integer(),
  keyReadings: Type.Array(Type.Object({
    alarmId: Type.String(), deviceId: Type.String(), rule: Type.String(), urgency: Type.String(),
    values: Type.Record(Type.String(), Type.Number()), raisedAt: Type.String({ format: 'date-time' }), caseId: Nullable(Type.Integer(), 'Case of the alarm'),
  }), { description: 'Values of the newest raised alarms (at most 5)' }),
});
export const ScenarioList = Type.Object({ items: Type.Array(ScenarioDto) });
export const InstallResult = Type.Object({
  pack: Type.String(), matters: Type.Array(Type.String(), { description: 'Local matters added' }),
  types: Type.Array(Type.String(), { description: 'Device types added' }), rules: Type.Array(Type.String(), { description: 'Rules added (enabled)' }),
});

export const ShopSignDto = Type.Object({
  id: Type.String(), name: Type.String(), ownerName: Type.String(), ownerPhone: Nullable(Type.String(), 'Masked without personal_data.read'),
  address: Type.String(), lon: Type.Number(), lat: Type.Number(), gridId: Nullable(Type.String(), 'Grid'), streetId: Nullable(Type.String(), 'Street'),
  areaM2: Nullable(Type.Number(), 'Size'), inspectEveryDays: Type.Integer(),
  lastInspectedAt: Nullable(Type.String({ format: 'date-time' }), 'Last inspection task raised'),
  nextDueAt: Type.String({ format: 'date-time' }), version: Type.Integer(),
});
export const ShopSignBody = Type.Object({
  name: Type.String({ maxLength: 100 }), ownerName: Type.String({ maxLength: 100 }),
  ownerPhone: Type.Optional(Type.Union([Type.String({ maxLength: 30 }), Type.Null()])), address: Type.String({ maxLength: 200 }),
  lon: Type.Number(), lat: Type.Number(), areaM2: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  inspectEveryDays: Type.Optional(Type.Integer({ description: 'Days between periodic inspections (default 90)' })),
  version: Type.Optional(Type.Integer({ description: 'The version being replaced; omit to register a new sign' })),
});
export const ShopSignList = Type.Object({ items: Type.Array(ShopSignDto), next: Nullable(Type.String(), 'Pass as afterId for the next page') });
export const InspectionDto = Type.Object({
  key: Type.String(), signId: Type.String(), kind: Type.String({ enum: ['periodic', 'wind'] }),
  windWarningId: Nullable(Type.Integer(), 'Wind warning that raised it'), caseId: Nullable(Type.Integer(), 'The inspection case'),
  outcome: Type.String({ enum: ['case', 'unfiled', 'existing'] }), createdAt: Type.Optional(Type.String({ format: 'date-time' })),
  state: Type.Optional(Nullable(Type.String({ enum: ['open', 'closed', 'cancelled'] }), 'Follows the case: open, closed with it, cancelled with it (null: no case filed)')),
  closedAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }), 'When its case closed')),
});
export const WindWarningBody = Type.Object({
  level: Type.String({ enum: ['blue', 'yellow', 'orange', 'red'], description: '大风预警 level' }),
  regionId: Type.String({ maxLength: 64, description: 'District, street or community (the city = every sign)' }),
  note: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
});
export const WindWarningDto = Type.Object({
  id: Type.Integer(), level: Type.String(), regionId: Type.String(), note: Nullable(Type.String(), 'Note'), signs: Type.Integer(),
  createdBy: Nullable(Type.String(), 'Operator'), createdAt: Type.String({ format: 'date-time' }),
});
export const WindWarningResult = Type.Object({ warning: WindWarningDto, inspections: Type.Array(InspectionDto) });

const LinesDto = Type.Object({ warn: Type.Number(), alert: Type.Number() });
export const VitalSettingsDto = Type.Object({
  openAlarms: LinesDto, waterloggingPoints: LinesDto,
  onlineRate: Type.Object({ warn: Type.Number(), alert: Type.Number() }, { description: 'Fractions 0–1; lower is worse' }),
  intakeRatio: LinesDto,
  crowdTiers: Type.Object({ yellow: Type.Number(), orange: Type.Number(), red: Type.Number() }, { description: '% of an area\'s capacity (黄/橙/红)' }),
});

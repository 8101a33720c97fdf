/** Request and response schemas of decision support (issue 10 part 5): validation, handler types and OpenAPI from one source. */
import { Type, type TSchema } from 'typebox';
import { BUCKETS, PERIODS } from '../../../domain/hotspot/period.ts';
import { PROACTIVE_ACTIONS, PROACTIVE_STATES, TOPIC_ACTIONS, TOPIC_STATES } from '../../../domain/recurrence/lifecycle.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** A string of a fixed set, typed as that set (validated by its JSON-schema enum). */
const StrEnum = <const T extends readonly string[]>(values: T, description: string) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });
const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const Day = (d: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: d });
const Month = (d: string) => Type.String({ pattern: '^\\d{4}-\\d{2}$', description: d });

const Filters = {
  matter: Type.Optional(Type.String({ minLength: 1, maxLength: 16, description: 'Only this matter (code)' })),
  matterClass: Type.Optional(Type.String({ minLength: 1, maxLength: 16, description: 'Only the matters of this class (class code)' })),
  regionId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Only this district, street or community (within the caller\'s scope)' })),
};
const PeriodQ = {
  period: Type.Optional(StrEnum(PERIODS, 'day, week (Monday–Sunday), month, quarter around `date`, or custom (from, to). Default: the 90 days up to today')),
  date: Type.Optional(Day('A day inside the period (city calendar); default today')),
  from: Type.Optional(Day('First day of a custom period')),
  to: Type.Optional(Day('Last day of a custom period (at most 400 days after from)')),
};

export const HotspotQuery = Type.Object({
  ...PeriodQ, ...Filters,
  layer: Type.Optional(StrEnum(['grid', 'h3'], 'grid: counts per unit grid (join by id with /grids.geojson); h3: hexagons with their outline. Default grid')),
  resolution: Type.Optional(Type.Integer({ minimum: 7, maximum: 9, description: 'H3 resolution (7 city, 8 district, 9 streets); default from zoom, else 8' })),
  zoom: Type.Optional(Type.Number({ minimum: 0, maximum: 24, description: 'The map\'s zoom: picks the H3 resolution when none is given' })),
}, { additionalProperties: false });

const HexGeometry = Type.Object({
  type: Type.Literal('Polygon'),
  coordinates: Type.Array(Type.Array(Type.Array(Type.Number()))),
}, { description: 'GeoJSON polygon (WGS84) of the hexagon; null for the grid layer' });

export const HotspotDto = Type.Object({
  type: Type.Literal('FeatureCollection'),
  from: Type.String(), to: Type.String(),
  layer: StrEnum(['grid', 'h3'], 'The layer'),
  resolution: Nullable(Type.Integer()),
  source: StrEnum(['rollup', 'cases'], 'rollup: the daily rollups (city and region scope); cases: the cases the caller\'s units hold'),
  total: Type.Integer({ description: 'Reports counted' }),
  max: Type.Integer({ description: 'The largest count of one cell (for the colour scale)' }),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    id: Type.String(),
    properties: Type.Object({ id: Type.String(), count: Type.Integer(), name: Type.Optional(Type.String()) }),
    geometry: Nullable(HexGeometry),
  })),
});

export const HotspotTableQuery = Type.Object({
  ...PeriodQ, ...Filters,
  bucket: Type.Optional(StrEnum(BUCKETS, 'Rows per day, week, month or quarter; default month')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'Rows (largest counts first); default 50' })),
}, { additionalProperties: false });

export const HotspotTableDto = Type.Object({
  from: Type.String(), to: Type.String(), bucket: Type.String(),
  rows: Type.Array(Type.Object({ period: Type.String(), grid: Ref, street: Nullable(Ref), matter: Type.Object({ code: Type.String(), name: Type.String() }), count: Type.Integer() })),
});

export const TrendQuery = Type.Object({
  ...Filters,
  month: Type.Optional(Month('The month compared (YYYY-MM); default this month')),
  months: Type.Optional(Type.Integer({ minimum: 13, maximum: 36, description: 'Months shown up to `month`; default 25 (this month, the same month last year and the one before)' })),
}, { additionalProperties: false });

const Compared = Type.Object({ month: Type.String(), count: Type.Integer(), change: Nullable(Type.Number({ description: '(this − that) / that; null when that is 0' })) });
export const TrendDto = Type.Object({
  months: Type.Array(Type.Object({ month: Type.String(), count: Type.Integer() })),
  current: Type.Object({ month: Type.String(), count: Type.Integer() }),
  previousMonth: Compared,
  sameMonthLastYear: Compared,
  source: StrEnum(['rollup', 'cases'], 'As for hotspots'),
});

export const RecurringQuery = Type.Object({
  ...Filters,
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 800, description: 'Only problems with a report in the past N days; default 365' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'Most recent first; default 100' })),
}, { additionalProperties: false });

const PatternDto = Type.Object({
  kind: StrEnum(['weekend', 'weekday', 'monthly', 'yearly'], 'The rhythm'), value: Type.Integer(), matches: Type.Integer(), total: Type.Integer(),
  nextDate: Type.String(), explain: Type.String(),
});
export const ProblemDto = Type.Object({
  id: Type.Integer(),
  matter: Type.Object({ code: Type.String(), name: Type.String() }),
  place: Type.Object({ lon: Nullable(Type.Number()), lat: Nullable(Type.Number()), address: Nullable(Type.String()), partId: Nullable(Type.String()), grid: Nullable(Ref), street: Nullable(Ref) }),
  caseCount: Type.Integer(), firstAt: Type.String(), lastAt: Type.String(),
  title: Type.String(),
});
export const ProblemListDto = Type.Object({ items: Type.Array(ProblemDto), settings: Type.Object({ radiusMeters: Type.Integer(), minCount: Type.Integer(), windowDays: Type.Integer() }) });
export const ProblemDetailDto = Type.Object({
  problem: ProblemDto,
  pattern: Nullable(PatternDto),
  cases: Type.Array(Type.Object({
    id: Type.Integer(), caseNo: Type.String(), state: Type.String(), lon: Nullable(Type.Number()), lat: Nullable(Type.Number()), createdAt: Type.String(), address: Nullable(Type.String()),
  })),
  hiddenCases: Type.Integer({ description: 'Linked reports outside the caller\'s scope (counted, not shown)' }),
});

export const IdParam = Type.Object({ id: Type.String({ pattern: '^\\d{1,15}$', description: 'Record id' }) });

const HistoryDto = Type.Array(Type.Object({
  action: Type.String(), fromState: Nullable(Type.String()), toState: Type.String(), actorName: Nullable(Type.String()), at: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
}));

export const TopicListQuery = Type.Object({
  month: Type.Optional(Month('Only this month\'s topics (YYYY-MM)')),
  state: Type.Optional(StrEnum(TOPIC_STATES, 'Only topics in this state')),
}, { additionalProperties: false });
export const TopicDto = Type.Object({
  id: Type.Integer(), month: Type.String(), title: Type.String(), matter: Type.Object({ code: Type.String(), name: Type.String() }),
  monthCount: Type.Integer({ description: 'Reports of the problem in the month' }), rank: Type.Integer(), state: StrEnum(TOPIC_STATES, 'Lifecycle state'),
  unit: Nullable(Ref), note: Nullable(Type.String()), problemId: Type.Integer(), street: Nullable(Ref), version: Type.Integer(),
  allowedActions: Type.Array(StrEnum(TOPIC_ACTIONS, 'An action the caller may take now')),
  history: Type.Optional(HistoryDto),
});
export const TopicListDto = Type.Object({ items: Type.Array(TopicDto) });
export const ProposeBody = Type.Object({ month: Type.Optional(Month('The month (YYYY-MM); default this month')) }, { additionalProperties: false });
export const ProposeDto = Type.Object({ month: Type.String(), proposed: Type.Integer(), candidates: Type.Integer() });
export const TopicActParam = Type.Object({ id: IdParam.properties.id, action: StrEnum(TOPIC_ACTIONS, 'adopt (采纳), assign (交办, with unitId), resolve (办结), dismiss (不予采纳, with note)') });
export const TopicActBody = Type.Object({
  version: Type.Integer({ minimum: 1, description: 'The topic\'s version as read (optimistic concurrency)' }),
  unitId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'assign: the unit that takes the topic on' })),
  note: Type.Optional(Type.String({ maxLength: 2000, description: 'A note; required to dismiss' })),
}, { additionalProperties: false });

export const ProactiveListQuery = Type.Object({ state: Type.Optional(StrEnum(PROACTIVE_STATES, 'Only tasks in this state')) }, { additionalProperties: false });
export const ProactiveDto = Type.Object({
  id: Type.Integer(), problemId: Type.Integer(), title: Type.String(), matter: Type.Object({ code: Type.String(), name: Type.String() }),
  pattern: Type.Object({ kind: Type.String(), value: Type.Integer(), matches: Type.Integer(), total: Type.Integer() }),
  dueDate: Type.String({ description: 'The day the problem is expected back (city calendar)' }), explain: Type.String(),
  state: StrEnum(PROACTIVE_STATES, 'Lifecycle state'), caseId: Nullable(Type.Integer()), note: Nullable(Type.String()), street: Nullable(Ref), version: Type.Integer(),
  allowedActions: Type.Array(StrEnum(PROACTIVE_ACTIONS, 'An action the caller may take now')),
  history: Type.Optional(HistoryDto),
});
export const ProactiveListDto = Type.Object({ items: Type.Array(ProactiveDto) });
export const SuggestDto = Type.Object({ examined: Type.Integer(), proposed: Type.Integer() });
export const ProactiveActParam = Type.Object({ id: IdParam.properties.id, action: StrEnum(PROACTIVE_ACTIONS, 'adopt (采纳: creates a case, channel proactive), resolve (办结), dismiss (不予采纳, with note)') });
export const ProactiveActBody = Type.Object({
  version: Type.Integer({ minimum: 1, description: 'The task\'s version as read (optimistic concurrency)' }),
  note: Type.Optional(Type.String({ maxLength: 2000, description: 'A note; required to dismiss' })),
}, { additionalProperties: false });

export const SettingsDto = Type.Object({
  radiusMeters: Type.Integer({ description: 'Same place: within this distance (5–150 m), or the same part' }),
  minCount: Type.Integer({ description: 'N: reports (the newest included) that make a recurring problem' }),
  windowDays: Type.Integer({ description: 'M: within this many days' }),
  topicCandidates: Type.Integer({ description: '每月一题: candidates proposed per month' }),
  proactiveHorizonDays: Type.Integer({ description: '未诉先办: propose when the next expected day is at most this far' }),
  problems: Type.Optional(Type.Array(Type.Object({ setting: Type.String(), message: Type.String() }))),
});
export const SettingsBody = Type.Object({
  radiusMeters: Type.Integer({ minimum: 5, maximum: 150 }), minCount: Type.Integer({ minimum: 2, maximum: 1000 }), windowDays: Type.Integer({ minimum: 1, maximum: 366 }),
  topicCandidates: Type.Integer({ minimum: 1, maximum: 50 }), proactiveHorizonDays: Type.Integer({ minimum: 1, maximum: 60 }),
}, { additionalProperties: false });
export const RunDto = Type.Object({ cases: Type.Integer(), problemsCreated: Type.Integer(), problemsGrown: Type.Integer() });

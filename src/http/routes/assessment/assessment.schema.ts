/** Schemas of the assessment API (issue 10 part A). Values are checked in the domain (errors name the field). */
import { Type } from 'typebox';
import { shared } from '../common.schema.ts';

const Text = Type.Object({ zh: Type.String(), en: Type.String() });
const Num = Type.Union([Type.Number(), Type.Null()]);

const PeriodQuery = {
  period: Type.Optional(Type.String({ description: 'day | week | month (default) | quarter | custom. A case counts in the local day it was reported' })),
  value: Type.Optional(Type.String({ description: 'day: YYYY-MM-DD; week: YYYY-Www (ISO); month: YYYY-MM; quarter: YYYY-Qn' })),
  from: Type.Optional(Type.String({ description: 'custom: first day YYYY-MM-DD' })),
  to: Type.Optional(Type.String({ description: 'custom: last day YYYY-MM-DD (at most 366 days)' })),
};
const DIM = 'city | district | street | community | grid | unit | person | matter_class | channel | urgency';

export const IndicatorQuery = Type.Object({
  dim: Type.Optional(Type.String({ description: `The slice: ${DIM} (default unit)` })),
  within: Type.Optional(Type.String({ description: 'Only rows under this region or unit (e.g. the communities of a street, the grids of a community or street)' })),
  ...PeriodQuery,
}, { additionalProperties: false });

export const TrendQuery = Type.Object({
  dim: Type.Optional(Type.String({ description: DIM })),
  key: Type.String({ description: 'The row (unit id, region id, grid id, user id, …)' }),
  end: Type.Optional(Type.String({ description: 'Last month YYYY-MM (default: the current month)' })),
  months: Type.Optional(Type.String({ description: 'How many months, 1–36 (default 6)' })),
}, { additionalProperties: false });

export const DrillQuery = Type.Object({
  dim: Type.Optional(Type.String({ description: DIM })),
  key: Type.String({ description: 'The row' }),
  indicator: Type.String({ description: 'A counter (e.g. handled_on_time) or a rate (drills into its numerator)' }),
  ...PeriodQuery,
  after: Type.Optional(Type.String({ description: 'The `next` of the previous page' })),
  limit: Type.Optional(Type.String({ description: '1–200 (default 50)' })),
}, { additionalProperties: false });

export const LiveQuery = Type.Object({ unitId: Type.Optional(Type.String({ description: 'The unit (default: the caller\'s first unit)' })) }, { additionalProperties: false });

const Term = Type.Object({
  indicator: Type.String({ description: 'A rate indicator id (see /assessment/definitions)' }),
  weight: Type.Number({ description: 'Points; all weights add up to 100' }),
  use: Type.Optional(Type.String({ description: 'rate (weight × rate) or one_minus_rate (weight × (1 − rate)); default by the indicator' })),
});
export const FormulaBody = Type.Object({
  effectiveFrom: Type.String({ description: 'YYYY-MM: the month it takes effect from (the current month or later)' }),
  terms: Type.Array(Term, { description: 'Weighted terms' }),
  note: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
export const PreviewBody = Type.Object({
  terms: Type.Array(Term),
  dim: Type.Optional(Type.String({ description: DIM })),
  end: Type.Optional(Type.String({ description: 'Last month YYYY-MM (default: current)' })),
  months: Type.Optional(Type.Integer({ description: 'How many months back, 1–36 (default 3)' })),
}, { additionalProperties: false });

export const Definition = shared('AssessmentDefinition', Type.Object({
  id: Type.String(), kind: Type.String({ description: 'rate | count | duration' }), name: Text, formula: Text,
  numerator: Type.Optional(Type.String()), denominator: Type.Optional(Type.String()),
  numeratorText: Type.Optional(Text), denominatorText: Type.Optional(Text),
  higherIsBetter: Type.Optional(Type.Boolean()), counter: Type.Optional(Type.String()),
  stage: Type.Optional(Type.String()), stat: Type.Optional(Type.String()),
}));
const Definitions = Type.Array(Definition, { description: 'Every indicator\'s definition (formula, numerator, denominator; zh + en)' });

export const FormulaDto = shared('AssessmentFormula', Type.Object({
  id: Type.Integer({ description: '0 = the built-in default (Chengdu Jinniu)' }), effectiveFrom: Type.String(),
  terms: Type.Array(Type.Object({ indicator: Type.String(), weight: Type.Number(), use: Type.String() })),
  note: Type.Union([Type.String(), Type.Null()]), createdAt: Type.Union([Type.String(), Type.Null()]), createdBy: Type.Union([Type.String(), Type.Null()]),
  text: Text,
}));

const Score = Type.Object({
  value: Type.Number({ description: '0–100 by the formula in force' }), noData: Type.Boolean({ description: 'No rate had a denominator' }),
  terms: Type.Array(Type.Object({ indicator: Type.String(), weight: Type.Number(), use: Type.String(), rate: Num, points: Type.Number() })),
});
const Row = Type.Object({
  dim: Type.String(), key: Type.String(), name: Type.String(),
  counters: Type.Record(Type.String(), Type.Number(), { description: 'Counter sums over the period' }),
  indicators: Type.Record(Type.String(), Num, { description: 'Indicator id → value (rates 0–1; counts; minutes). null: no denominator' }),
  score: Score,
});
const PeriodDto = Type.Object({ kind: Type.String(), label: Type.String(), from: Type.String(), to: Type.String(), scoreMonth: Type.String() });

const TableRow = Type.Object({
  ...Row.properties,
  rank: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: 'Only when the city shows rankings: 1 = best score (ties share a rank); null without data' })),
  previousScore: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'Month periods: the row\'s score in its own previous month (by that month\'s formula); null without data' })),
});
export const TableDto = Type.Object({
  dim: Type.String(), period: PeriodDto, formula: FormulaDto,
  ranking: Type.Boolean({ description: 'Whether the city shows rankings (assessment_settings.showRanking). Off: rows by name, compared with their own previous month' }),
  previousMonth: Type.Union([Type.String(), Type.Null()], { description: 'The month previousScore refers to (month periods)' }),
  rows: Type.Array(TableRow), definitions: Definitions,
});
export const AssessmentSettingsDto = Type.Object({
  showRanking: Type.Boolean({ description: 'Rank units against each other in the console and the report (default false: the national rule prefers comparing a unit with its own past months)' }),
  problems: Type.Optional(Type.Array(Type.Object({ setting: Type.String(), message: Type.String(), usingDefault: Type.Unknown() }))),
});
export const AssessmentSettingsBody = Type.Object({ showRanking: Type.Boolean() }, { additionalProperties: false });
export const DefinitionsDto = Type.Object({ definitions: Definitions, dimensions: Type.Array(Type.String()) });
export const TrendDto = Type.Object({
  dim: Type.String(), key: Type.String(), name: Type.String(),
  months: Type.Array(Type.Object({ month: Type.String(), formulaId: Type.Integer(), counters: Type.Record(Type.String(), Type.Number()), indicators: Type.Record(Type.String(), Num), score: Score })),
});
export const FormulasDto = Type.Object({ current: FormulaDto, versions: Type.Array(FormulaDto), currentMonth: Type.String() });
export const PreviewDto = Type.Object({
  terms: Type.Array(Type.Object({ indicator: Type.String(), weight: Type.Number(), use: Type.String() })), text: Text, dim: Type.String(),
  months: Type.Array(Type.Object({
    month: Type.String(), formulaId: Type.Integer(),
    rows: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), score: Type.Number(), proposed: Type.Number(), change: Type.Number() })),
  })),
});
export const DrillDto = Type.Object({
  dim: Type.String(), key: Type.String(), indicator: Type.String(), counter: Type.String(), period: PeriodDto,
  cases: Type.Array(Type.Object({
    id: Type.Integer(), caseNo: Type.String(), state: Type.String(), matterCode: Type.String(), day: Type.String(),
    unitId: Type.Union([Type.String(), Type.Null()]), reason: Text,
  })),
  next: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `after` for the next page; null at the end' }),
});
export const LiveDto = Type.Object({
  month: Type.String(), unit: Type.Object({ id: Type.String(), name: Type.String() }), formula: FormulaDto, row: Row, definitions: Definitions,
  hurting: Type.Array(Type.Object({
    id: Type.Integer(), caseNo: Type.String(), state: Type.String(), matterCode: Type.String(), handleDueAt: Type.Union([Type.String(), Type.Null()]),
    reason: Type.String({ description: 'overdue | due_soon | returned | rework' }), why: Text,
  })),
});

export const CoordinationQuery = Type.Object({
  dim: Type.Optional(Type.String({ description: 'unit (default: assisting tasks and summons) | street | district (transfers between levels)' })),
  ...PeriodQuery,
}, { additionalProperties: false });

const CoordinationDef = Type.Object({
  id: Type.String(), kind: Type.String({ description: 'count | rate | average' }), group: Type.String({ description: 'assist | summons | levels' }),
  name: Text, formula: Text, higherIsBetter: Type.Boolean(),
});
export const CoordinationDto = Type.Object({
  dim: Type.String(), period: PeriodDto,
  rows: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), values: Type.Record(Type.String(), Num) })),
  definitions: Type.Array(CoordinationDef),
});

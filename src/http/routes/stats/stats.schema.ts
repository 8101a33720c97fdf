/** Schemas of the console's read APIs: statistics for the big screen and dashboards, and matter suggestion. */
import { Type, type Static } from 'typebox';

const Count = (description: string) => Type.Integer({ minimum: 0, description });
const Label = Type.Object({ zh: Type.String(), en: Type.String() });

/** The statistics take no parameters (the caller's scope decides what they count); anything sent is refused by name. */
export const NoQuery = Type.Object({}, { additionalProperties: false });

/** How fresh an answer is: every statistic is computed at most once per STATS_MAX_AGE for all callers. */
const Freshness = {
  generatedAt: Type.String({ description: 'When the numbers were counted (ISO 8601); they may be up to maxAgeSeconds old' }),
  maxAgeSeconds: Type.Integer({ description: 'Counts are cached this long (per node, shared by every caller); poll no faster' }),
};

const ScopeDto = Type.Object({
  kind: Type.Union([Type.Literal('city'), Type.Literal('regions'), Type.Literal('units'), Type.Literal('regions_and_units')], {
    description: 'What the caller may see (the one visibility policy): city: everything; regions: the caller\'s regions (centre staff below city level); '
      + 'units: cases the caller\'s units hold (assigned, sub-unit or assisting); regions_and_units: both',
  }),
  ids: Type.Array(Type.String(), { description: 'The region ids, then the unit ids, of the scope (empty for city)' }),
});

export const OverviewDto = Type.Object({
  ...Freshness,
  localDate: Type.String({ description: 'The city\'s local date that "today" means (YYYY-MM-DD, in CITY_TIME_ZONE)' }),
  scope: ScopeDto,
  totals: Type.Object({
    open: Count('Open cases (every state but archived and cancelled; closed-pending-callback counts as open)'),
    warning: Count('Open cases past the warning point of a running clock (yellow)'),
    overdue: Count('Open cases past a running deadline (red); hung cases are not overdue'),
    hung: Count('Hung cases (挂账), kept out of the overdue count'),
    todayIntake: Count('Cases reported today'),
    todayClosed: Count('Cases closed (结案) today'),
  }),
  byState: Type.Array(Type.Object({ state: Type.String(), label: Label, count: Count('Open cases in this state') }), {
    description: 'Every open state, in workflow order, zeros included',
  }),
  byStreet: Type.Array(Type.Object({
    id: Type.String(), name: Type.String(), code: Type.String(),
    open: Count('Open cases'), warning: Count('Of which warning'), overdue: Count('Of which overdue'),
  }), { description: 'Streets (街道/镇) by code, with the cases in the caller\'s scope (a community-level caller sees its own street, counting its communities only); every street with a grid in scope is listed, zeros included; a case counts for the street its grid lies in' }),
  topOverdueUnits: Type.Array(Type.Object({
    id: Type.String(), name: Type.String(),
    overdue: Count('Overdue open cases assigned to the unit'), open: Count('Open cases assigned to the unit'),
  }), { description: 'Up to 10 units with overdue open cases, most overdue first (then most open)' }),
  todayIntake: Type.Array(Type.Object({ channel: Type.String(), label: Label, count: Count('Cases reported today through the channel') }), {
    description: 'Every intake channel, zeros included',
  }),
});
export type OverviewView = Static<typeof OverviewDto>;

export const GRID_FIELDS = ['gridId', 'open', 'overdue', 'warning'] as const;

export const GridStatsDto = Type.Object({
  ...Freshness,
  fields: Type.Array(Type.String(), { description: `The meaning of each item's positions: ${GRID_FIELDS.join(', ')}` }),
  items: Type.Array(Type.Tuple([Type.String(), Type.Integer({ minimum: 1 }), Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })]), {
    description: 'Compact rows, one per grid with open cases in scope (grids absent = none open): [gridId, open, overdue, warning], by grid id',
  }),
});
export type GridStatsView = Static<typeof GridStatsDto>;

export const SuggestQuery = Type.Object({
  text: Type.String({ minLength: 1, maxLength: 2000, description: 'What the reporter said or wrote, e.g. 小区门口井盖坏了' }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 5, description: 'How many suggestions at most' })),
}, { additionalProperties: false });

export const SuggestBody = Type.Object({
  text: Type.String({ minLength: 1, maxLength: 10_000, description: 'What the reporter said or wrote (a long description fits: it is not in the URL)' }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 5, description: 'How many suggestions at most' })),
}, { additionalProperties: false });

export const EmergencyDto = Type.Object({
  level: Type.Union([Type.Literal('life'), Type.Literal('urgent'), Type.Null()], {
    description: 'life: a threat to life now (非常紧急; saving it as less needs emergencyConfirmed); urgent: a danger that cannot wait; null: none found',
  }),
  referrals: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() }), { description: 'Where to refer the caller, first first' }),
  words: Type.Array(Type.String(), { description: 'The words that were found (why)' }),
}, { description: 'Emergency words in the text (the city\'s list: GET /hotline/emergency-words)' });

export const SuggestDto = Type.Object({
  text: Type.String(),
  emergency: EmergencyDto,
  items: Type.Array(Type.Object({
    code: Type.String({ description: 'Matter code (事项), to send as matterCode' }),
    name: Type.String(), classCode: Type.String(), className: Type.String(),
    score: Type.Number({ minimum: 0, maximum: 1, description: '0..1, best first; compare within one answer, not across texts' }),
    matched: Type.Array(Type.String(), { description: 'Words of the matter found whole in the text (why it is suggested)' }),
  }), { description: 'Best first; empty when nothing in the text matches' }),
});

/** Shared bits of the assessment pages: types from the generated API schema, formatting of indicator values. */
import type { ResponseOf } from '../../app/api.ts';
import { cityOffsetMs } from '../../app/i18n.ts';
import type { PeriodKind } from '../../../../src/domain/assessment/period.ts';

export type Table = ResponseOf<'/api/v1/assessment/indicators', 'get'>;
export type Row = Table['rows'][number];
export type Definition = Table['definitions'][number];
export type Drill = ResponseOf<'/api/v1/assessment/cases', 'get'>;
export type Live = ResponseOf<'/api/v1/assessment/live', 'get'>;

/** The indicators shown as table columns, in order (the rest are in the row's detail). */
export const TABLE_COLUMNS = [
  'to_handle', 'disposal_rate', 'on_time_disposal_rate', 'closure_rate', 'on_time_closure_rate', 'rework_rate', 'postpone_rate',
  'overdue_pending_rate', 'buck_passing', 'dispatch_accuracy', 'satisfaction_rate', 'response_rate', 'resolution_rate', 'avg_handle', 'p90_handle',
] as const;

export const PERSON_COLUMNS = ['reported', 'valid', 'valid_report_rate', 'verified', 'verify_on_time_rate', 'checked', 'check_on_time_rate', 'to_handle', 'disposal_rate', 'on_time_disposal_rate'] as const;

export const DIMS = ['unit', 'street', 'community', 'grid', 'person'] as const;
export type Dim = (typeof DIMS)[number];
export const DIM_LABEL: Record<Dim, { zh: string; en: string }> = {
  unit: { zh: '处置单位', en: 'Units' }, street: { zh: '街道', en: 'Streets' }, community: { zh: '社区', en: 'Communities' },
  grid: { zh: '网格', en: 'Grids' }, person: { zh: '监督员 / 网格员', en: 'Inspectors / grid members' },
};

export function formatValue(def: Definition | undefined, v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (!def) return String(v);
  if (def.kind === 'rate') return `${(v * 100).toFixed(1)}%`;
  if (def.kind === 'duration') return v >= 1440 ? `${(v / 1440).toFixed(1)}d` : v >= 60 ? `${(v / 60).toFixed(1)}h` : `${v}m`;
  return String(v);
}

/** The city's current month (YYYY-MM). */
export function cityMonthNow(): string {
  const now = Date.now();
  return new Date(now + cityOffsetMs(now)).toISOString().slice(0, 7);
}

/** Whether a column's number can be clicked to the cases behind it (rates → numerator; durations do not drill). */
export const drillable = (def: Definition | undefined): boolean => !!def && def.kind !== 'duration';

/** The city's current day (YYYY-MM-DD). */
export function cityDayNow(): string {
  const now = Date.now();
  return new Date(now + cityOffsetMs(now)).toISOString().slice(0, 10);
}

/** The ISO week (YYYY-Www) of a day YYYY-MM-DD — the value `<input type="week">` and the API's week periods use. */
export function isoWeekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7; // Monday 0
  d.setUTCDate(d.getUTCDate() - dow + 3); // the week's Thursday decides its year
  const y = d.getUTCFullYear();
  const week = 1 + Math.round((d.getTime() - Date.UTC(y, 0, 4) + ((new Date(Date.UTC(y, 0, 4)).getUTCDay() + 6) % 7) * 86_400_000 - 3 * 86_400_000) / (7 * 86_400_000));
  return `${y}-W${String(week).padStart(2, '0')}`;
}

export { PERIOD_KINDS, MAX_CUSTOM_DAYS, type PeriodKind } from '../../../../src/domain/assessment/period.ts';
export const PERIOD_LABEL: Record<PeriodKind, { zh: string; en: string; report: string }> = {
  day: { zh: '日', en: 'Day', report: '日报' }, week: { zh: '周', en: 'Week', report: '周报' }, month: { zh: '月', en: 'Month', report: '月报' },
  quarter: { zh: '季度', en: 'Quarter', report: '季报' }, custom: { zh: '自定义', en: 'Custom', report: '报告' },
};

/** The quarter (YYYY-Qn) of a day YYYY-MM-DD. */
export const quarterOf = (day: string): string => `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;

/** The `n` quarters up to and including the one of `day`, newest first (the quarter picker's choices). */
export function recentQuarters(day: string, n = 12): string[] {
  let y = Number(day.slice(0, 4));
  let q = Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(`${y}-Q${q}`);
    if (--q === 0) { q = 4; y--; }
  }
  return out;
}

export const quarterLabel = (v: string): { zh: string; en: string } => {
  const [y, q] = v.split('-Q');
  return { zh: `${y}年第${q}季度`, en: `Q${q} ${y}` };
};

/** A chosen period as the API's query: {period, value} or, for a custom range, {period, from, to}. */
export type PeriodQuery = { period: Exclude<PeriodKind, 'custom'>; value: string } | { period: 'custom'; from: string; to: string };

/** Days from `from` to `to`, both included (YYYY-MM-DD). */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/** `day` moved by `n` days (YYYY-MM-DD). */
export const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The month (YYYY-MM) a period ends in — the month its score's formula and its own-trend end at. */
export function periodEndMonth(p: PeriodQuery): string {
  if (p.period === 'custom') return p.to.slice(0, 7);
  if (p.period === 'quarter') { const [y, q] = p.value.split('-Q'); return `${y}-${String(Number(q) * 3).padStart(2, '0')}`; }
  if (p.period === 'week') {
    const [y, w] = p.value.split('-W').map(Number);
    const jan4 = Date.UTC(y, 0, 4);
    const sunday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000 + ((w - 1) * 7 + 6) * 86_400_000;
    return new Date(sunday).toISOString().slice(0, 7);
  }
  return p.value.slice(0, 7);
}

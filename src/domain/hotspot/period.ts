/**
 * Days and periods of the decision-support analyses (issue 10 part 5), pure. Everything is counted by the city's
 * local calendar day: a "day" is an integer, days since 1970-01-01 in the city's fixed UTC offset (time-zone.ts), so
 * weeks, months and quarters are plain arithmetic on stored integers and SQL can bucket them on both stores.
 */
import { invalidAs } from '../errors.ts';

const DAY_MS = 86_400_000;

/** The city day (days since 1970-01-01, local) of an instant. */
export const cityDay = (ms: number, utcOffsetMinutes: number): number => Math.floor((ms + utcOffsetMinutes * 60_000) / DAY_MS);

/** The instant a city day starts. */
export const dayStartMs = (day: number, utcOffsetMinutes: number): number => day * DAY_MS - utcOffsetMinutes * 60_000;

/** 'YYYY-MM-DD' of a city day. */
export function dayIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** yyyymm (e.g. 202611) of a city day. */
export function monthOfDay(day: number): number {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const weekdayOfDay = (day: number): number => (((day + 4) % 7) + 7) % 7;

/** The Monday that starts the ISO week of a day. */
export const weekStart = (day: number): number => day - ((weekdayOfDay(day) + 6) % 7);

/** The first city day of a month yyyymm. */
export const monthStartDay = (month: number): number => Date.UTC(Math.floor(month / 100), (month % 100) - 1, 1) / DAY_MS;

/** yyyymm shifted by n months. */
export function addMonths(month: number, n: number): number {
  const i = Math.floor(month / 100) * 12 + (month % 100) - 1 + n;
  return Math.floor(i / 12) * 100 + (i % 12) + 1;
}

export const monthIso = (month: number): string => `${Math.floor(month / 100)}-${String(month % 100).padStart(2, '0')}`;

/** 'YYYY-MM' → yyyymm; the error names the field. */
export function parseMonth(s: string, field = 'month'): number {
  const m = /^(\d{4})-(\d{2})$/.exec(s);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw invalidAs(field, { key: 'hotspot.not_month_yyyy_mm', params: { s: String(s) } }, `"${s}" is not a month (YYYY-MM)`);
  return Number(m[1]) * 100 + Number(m[2]);
}

/** 'YYYY-MM-DD' → city day; the error names the field. */
export function parseDay(s: string, field: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(t) || dayIso(t / DAY_MS) !== s) throw invalidAs(field, { key: 'hotspot.not_date_yyyy_mm_dd', params: { s: String(s) } }, `"${s}" is not a date (YYYY-MM-DD)`);
  return t / DAY_MS;
}

export const PERIODS = ['day', 'week', 'month', 'quarter', 'custom'] as const;
export type Period = (typeof PERIODS)[number];
/** How rows are bucketed over time in a table: one of the periods except custom. */
export const BUCKETS = ['day', 'week', 'month', 'quarter'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The longest range one request may span (about 13 months: this month and the same month last year). */
export const MAX_RANGE_DAYS = 400;

export interface DayRange { fromDay: number; toDay: number }

/**
 * The days [fromDay, toDay] (inclusive) a request asks for: a period around `date` (default today), or `custom`
 * with from and to; without any of them, the 90 days up to today (the map's default).
 */
export function resolvePeriod(q: { period?: string; date?: string; from?: string; to?: string }, today: number): DayRange {
  const period = q.period ?? (q.from || q.to ? 'custom' : undefined);
  if (period === undefined) return { fromDay: today - 89, toDay: today };
  if (!(PERIODS as readonly string[]).includes(period)) throw invalidAs('period', { key: 'hotspot.not_period_periods_are', params: { period: String(period), allowed: PERIODS.join(', ') } }, `"${period}" is not a period; periods are ${PERIODS.join(', ')}`);
  if (period === 'custom') {
    if (!q.from) throw invalidAs('from', { key: 'hotspot.required_for_custom_period_yyyy' }, 'is required for a custom period (YYYY-MM-DD)');
    if (!q.to) throw invalidAs('to', { key: 'hotspot.required_for_custom_period_yyyy' }, 'is required for a custom period (YYYY-MM-DD)');
    const fromDay = parseDay(q.from, 'from');
    const toDay = parseDay(q.to, 'to');
    if (toDay < fromDay) throw invalidAs('to', { key: 'hotspot.not_before_from' }, 'must not be before from');
    if (toDay - fromDay + 1 > MAX_RANGE_DAYS) throw invalidAs('to', { key: 'hotspot.range_spans_at_most_days', params: { max_range_days: String(MAX_RANGE_DAYS) } }, `a range spans at most ${MAX_RANGE_DAYS} days`);
    return { fromDay, toDay };
  }
  const d = q.date ? parseDay(q.date, 'date') : today;
  switch (period as Exclude<Period, 'custom'>) {
    case 'day': return { fromDay: d, toDay: d };
    case 'week': { const s = weekStart(d); return { fromDay: s, toDay: s + 6 }; }
    case 'month': { const m = monthOfDay(d); return { fromDay: monthStartDay(m), toDay: monthStartDay(addMonths(m, 1)) - 1 }; }
    case 'quarter': {
      const m = monthOfDay(d);
      const q0 = Math.floor(m / 100) * 100 + Math.floor(((m % 100) - 1) / 3) * 3 + 1;
      return { fromDay: monthStartDay(q0), toDay: monthStartDay(addMonths(q0, 3)) - 1 };
    }
  }
}

/** The label of a bucket key as the table stores it (see hotspot.repository: day, week's Monday, yyyymm, yyyyq). */
export function bucketLabel(bucket: Bucket, key: number): string {
  switch (bucket) {
    case 'day': return dayIso(key);
    case 'week': return `${dayIso(key)}/W`;
    case 'month': return monthIso(key);
    case 'quarter': return `${Math.floor(key / 10)}-Q${key % 10}`;
  }
}

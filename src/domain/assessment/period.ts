/**
 * Periods: a day, an ISO week, a month, a quarter or a custom range of days. A case counts in the local day it was
 * reported (its case number's date), so every period is a range of days [fromDay, toDay] (YYYYMMDD, inclusive).
 * A period is scored by the formula in force in the month it ends in (`scoreMonth`).
 */
import { invalidAs } from '../errors.ts';

export const PERIOD_KINDS = ['day', 'week', 'month', 'quarter', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface Period { kind: PeriodKind; fromDay: number; toDay: number; label: string; scoreMonth: string }

/** The longest custom range in days (the console's date pickers use the same bound). */
export const MAX_CUSTOM_DAYS = 366;
const ymd = (d: Date): number => d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
const dateOf = (day: number): Date => new Date(Date.UTC(Math.floor(day / 10000), Math.floor(day / 100) % 100 - 1, day % 100));
export const dayText = (day: number): string => `${Math.floor(day / 10000)}-${String(Math.floor(day / 100) % 100).padStart(2, '0')}-${String(day % 100).padStart(2, '0')}`;
const monthOf = (day: number): string => dayText(day).slice(0, 7);

/** A period's instants [from, to): its local days in the city's time zone, the last one included. */
export const periodInstants = (p: Pick<Period, 'fromDay' | 'toDay'>, utcOffsetMinutes: number): { from: number; to: number } => {
  const at = (day: number) => dateOf(day).getTime() - utcOffsetMinutes * 60_000;
  return { from: at(p.fromDay), to: at(p.toDay) + 86_400_000 };
};

function parseDay(field: string, raw: unknown): number {
  const m = typeof raw === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw) : null;
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    throw invalidAs(field, { key: 'assessment.date_as_yyyy_mm_dd', params: { raw: String(raw) } }, `须为 YYYY-MM-DD 格式的日期 / must be a date as YYYY-MM-DD, got "${String(raw)}"`);
  }
  return ymd(d);
}

/** Parses the period of a request; errors name the field (period, value, from, to). */
export function parsePeriod(q: { period?: unknown; value?: unknown; from?: unknown; to?: unknown }): Period {
  const kind = q.period ?? 'month';
  if (typeof kind !== 'string' || !(PERIOD_KINDS as readonly string[]).includes(kind)) {
    throw invalidAs('period', { key: 'assessment.unknown_period_use_one', params: { kind: String(kind), allowed: PERIOD_KINDS.join(', ') } }, `未知周期 "${String(kind)}"，可用：${PERIOD_KINDS.join(', ')} / unknown period; use one of ${PERIOD_KINDS.join(', ')}`);
  }
  const v = q.value;
  const mk = (fromDay: number, toDay: number, label: string): Period => ({ kind: kind as PeriodKind, fromDay, toDay, label, scoreMonth: monthOf(toDay) });
  switch (kind as PeriodKind) {
    case 'day': {
      const d = parseDay('value', v);
      return mk(d, d, dayText(d));
    }
    case 'week': {
      const m = typeof v === 'string' ? /^(\d{4})-W(\d{2})$/.exec(v) : null;
      const w = m ? Number(m[2]) : 0;
      if (!m || w < 1 || w > 53) throw invalidAs('value', { key: 'assessment.yyyy_www_iso_week_yyyy', params: { v: String(v) } }, `周须为 YYYY-Www（ISO 周）/ a week must be YYYY-Www (ISO week), got "${String(v)}"`);
      // ISO week 1 holds the year's first Thursday.
      const jan4 = new Date(Date.UTC(Number(m[1]), 0, 4));
      const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000 + (w - 1) * 7 * 86_400_000);
      const sunday = new Date(monday.getTime() + 6 * 86_400_000);
      return mk(ymd(monday), ymd(sunday), v as string);
    }
    case 'month': {
      const m = typeof v === 'string' ? /^(\d{4})-(0[1-9]|1[0-2])$/.exec(v) : null;
      if (!m) throw invalidAs('value', { key: 'assessment.month_yyyy_mm_got', params: { v: String(v) } }, `月份须为 YYYY-MM / a month must be YYYY-MM, got "${String(v)}"`);
      const first = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
      const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0));
      return mk(ymd(first), ymd(last), v as string);
    }
    case 'quarter': {
      const m = typeof v === 'string' ? /^(\d{4})-Q([1-4])$/.exec(v) : null;
      if (!m) throw invalidAs('value', { key: 'assessment.quarter_yyyy_qn_got', params: { v: String(v) } }, `季度须为 YYYY-Qn / a quarter must be YYYY-Qn, got "${String(v)}"`);
      const q0 = (Number(m[2]) - 1) * 3;
      return mk(ymd(new Date(Date.UTC(Number(m[1]), q0, 1))), ymd(new Date(Date.UTC(Number(m[1]), q0 + 3, 0))), v as string);
    }
    case 'custom': {
      const from = parseDay('from', q.from);
      const to = parseDay('to', q.to);
      if (to < from) throw invalidAs('to', { key: 'assessment.before_from' }, '结束日期早于开始日期 / to is before from');
      const days = (dateOf(to).getTime() - dateOf(from).getTime()) / 86_400_000 + 1;
      if (days > MAX_CUSTOM_DAYS) throw invalidAs('to', { key: 'assessment.custom_range_at_most_days', params: { max_custom_days: String(MAX_CUSTOM_DAYS) } }, `自定义区间最长 ${MAX_CUSTOM_DAYS} 天 / a custom range is at most ${MAX_CUSTOM_DAYS} days`);
      return mk(from, to, `${dayText(from)}~${dayText(to)}`);
    }
  }
}

/** The months before and including `month`, oldest first. */
export function monthsEndingAt(month: string, n: number): string[] {
  const [y, m] = month.split('-').map(Number);
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (n - 1 - i), 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

export const monthPeriod = (month: string): Period => parsePeriod({ period: 'month', value: month });

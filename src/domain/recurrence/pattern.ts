/**
 * 未诉先办 (act before anyone calls), pure: does a recurring problem come back on a calendar rhythm, and when next?
 * Simple and explainable on purpose — a leader must be able to check the reason against the list of reports:
 * - `weekend`: at least 70 % of the reports fell on a Saturday or Sunday (2 days in 7 would give 29 %);
 * - `weekday`: at least 50 % fell on one weekday (1 in 7 would give 14 %);
 * - `monthly`: reports in at least 3 different months, on days of the month within ±3 days of each other;
 * - `yearly`: the same calendar month in at least 2 different years holds half the reports or more (a rainy season,
 *   a festival, leaves falling).
 * Each needs at least 4 reports (yearly: 3). "Every heavy rain" needs a weather feed, which the platform does not
 * have yet: the seasonal rule catches a drain that floods every rainy season.
 */
import { addMonths, cityDay, monthOfDay, monthStartDay, weekdayOfDay } from '../hotspot/period.ts';

export type PatternKind = 'weekend' | 'weekday' | 'monthly' | 'yearly';

export interface Pattern {
  kind: PatternKind;
  /** The weekday (0 = Sunday), day of month, or month (1–12) the rhythm is about. */
  value: number;
  /** Reports that fit the rhythm, of `total`. */
  matches: number;
  total: number;
  /** The next city day the problem is expected (today or later). */
  nextDay: number;
  explain: { zh: string; en: string };
}

const WEEKDAY_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const WEEKDAY_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The rhythm of a problem's reports (their times), or null when none is clear. `today` is a city day. */
export function detectPattern(times: readonly number[], utcOffsetMinutes: number, today: number): Pattern | null {
  const days = times.map((t) => cityDay(t, utcOffsetMinutes)).filter((d) => d <= today).sort((a, b) => a - b);
  const recent = days.filter((d) => d > today - 366);
  const n = recent.length;
  if (n >= 4) {
    const wd = recent.map(weekdayOfDay);
    const weekend = wd.filter((w) => w === 0 || w === 6).length;
    if (weekend / n >= 0.7) {
      const next = nextWhere(today, (d) => weekdayOfDay(d) === 6 || weekdayOfDay(d) === 0);
      return { kind: 'weekend', value: 6, matches: weekend, total: n, nextDay: next,
        explain: { zh: `近一年 ${n} 次中 ${weekend} 次发生在周末`, en: `${weekend} of ${n} reports in the past year fell on a weekend` } };
    }
    const counts = new Array<number>(7).fill(0);
    for (const w of wd) counts[w]++;
    const top = counts.indexOf(Math.max(...counts));
    if (counts[top] / n >= 0.5) {
      return { kind: 'weekday', value: top, matches: counts[top], total: n, nextDay: nextWhere(today, (d) => weekdayOfDay(d) === top),
        explain: { zh: `近一年 ${n} 次中 ${counts[top]} 次发生在${WEEKDAY_ZH[top]}`, en: `${counts[top]} of ${n} reports in the past year fell on a ${WEEKDAY_EN[top]}` } };
    }
    const monthly = monthlyRhythm(recent);
    if (monthly) {
      const { dom, matches, months } = monthly;
      return { kind: 'monthly', value: dom, matches, total: n, nextDay: nextDayOfMonth(today, dom),
        explain: { zh: `${months} 个月里每月 ${dom} 日前后反复出现（${n} 次中 ${matches} 次）`, en: `came back around day ${dom} of the month in ${months} months (${matches} of ${n} reports)` } };
    }
  }
  if (days.length >= 3) {
    const byMonth = new Map<number, Set<number>>();
    const perMonth = new Array<number>(13).fill(0);
    for (const d of days) {
      const m = monthOfDay(d);
      perMonth[m % 100]++;
      byMonth.set(m % 100, (byMonth.get(m % 100) ?? new Set()).add(Math.floor(m / 100)));
    }
    const top = perMonth.indexOf(Math.max(...perMonth));
    const years = byMonth.get(top)?.size ?? 0;
    if (years >= 2 && perMonth[top] / days.length >= 0.5) {
      const cur = monthOfDay(today);
      let m = Math.floor(cur / 100) * 100 + top;
      if (monthStartDay(addMonths(m, 1)) - 1 < today) m = addMonths(m, 12);
      const next = Math.max(today, monthStartDay(m));
      return { kind: 'yearly', value: top, matches: perMonth[top], total: days.length, nextDay: next,
        explain: { zh: `${years} 年的 ${top} 月都反复出现（${days.length} 次中 ${perMonth[top]} 次）`, en: `came back in month ${top} of ${years} years (${perMonth[top]} of ${days.length} reports)` } };
    }
  }
  return null;
}

function nextWhere(from: number, ok: (d: number) => boolean): number {
  for (let d = from; d < from + 8; d++) if (ok(d)) return d;
  return from;
}

/** Reports in ≥ 3 months on days of the month within ±3 of the middle one, covering ≥ 60 % of the months with reports. */
function monthlyRhythm(days: number[]): { dom: number; matches: number; months: number } | null {
  const doms = days.map((d) => new Date(d * 86_400_000).getUTCDate());
  let best: { dom: number; matches: number; months: number } | null = null;
  const allMonths = new Set(days.map(monthOfDay)).size;
  for (let dom = 1; dom <= 31; dom++) {
    const hits = days.filter((_, i) => Math.abs(doms[i] - dom) <= 3);
    const months = new Set(hits.map(monthOfDay)).size;
    if (months >= 3 && months / allMonths >= 0.6 && (!best || hits.length > best.matches)) best = { dom, matches: hits.length, months };
  }
  return best;
}

function nextDayOfMonth(today: number, dom: number): number {
  const m = monthOfDay(today);
  for (const mm of [m, addMonths(m, 1)]) {
    const start = monthStartDay(mm);
    const len = monthStartDay(addMonths(mm, 1)) - start;
    const d = start + Math.min(dom, len) - 1;
    if (d >= today) return d;
  }
  return today;
}

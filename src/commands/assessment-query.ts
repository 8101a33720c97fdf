/**
 * The assessment's reads (issue 10 parts 1, 2, 4): indicator tables, trends, what-if previews, drill-downs and a
 * unit's live month — composed from counter sums (never the case table) and the pure domain. Every answer is cut to
 * the caller's scope by the ONE visibility policy (caseVisibility): administrators and city-wide centre staff see
 * every row; centre staff of a region see that region, the regions and grids below it; everyone sees the rows of the
 * units they work for; people see their own person row. City-wide slices (city, matter class, channel, urgency) are
 * for city-wide callers only.
 */
import type { AppContext } from '../runtime/context.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { caseVisibility } from '../domain/policy/visibility.ts';
import { DomainError, invalidAs } from '../domain/errors.ts';
import {
  COUNTER_COLUMNS, COUNTS, FLAGS, INDICATORS, counterOfIndicator, dayText, formulaFor, formulaText, indicatorValues, isDimension,
  monthPeriod, monthsEndingAt, parsePeriod, parseTerms, reasonFor, score, sumsOf, type Dimension, type FormulaTerm, type FormulaVersion, type Period,
} from '../domain/assessment/index.ts';
import { isDrillCounter, type HurtingCase } from '../storage/repositories/assessment.repository.ts';
import { cityMonth } from './assessment-formula-adopt.ts';

const REGION_DIMS: ReadonlySet<Dimension> = new Set(['district', 'street', 'community']);
const CITY_ONLY: ReadonlySet<Dimension> = new Set(['city', 'matter_class', 'channel', 'urgency']);

/** Which rows of the assessment the actor may see (the one visibility policy, applied to slices). */
export function rowScope(ctx: AppContext, actor: Actor): (dim: Dimension, key: string) => boolean {
  const ref = ctx.ref.current();
  const v = caseVisibility(actor, (id) => ref.regions.get(id)?.parentId === null);
  if (v.all) return () => true;
  const regions = new Set(v.regionIds);
  const units = new Set(v.unitIds);
  const underRegion = (id: string | null | undefined): boolean => {
    for (let r = id ? ref.regions.get(id) : undefined, i = 0; r && i < 10; r = r.parentId ? ref.regions.get(r.parentId) : undefined, i++) if (regions.has(r.id)) return true;
    return false;
  };
  const underUnit = (id: string): boolean => {
    for (let u = ref.units.get(id), i = 0; u && i < 10; u = u.parentId ? ref.units.get(u.parentId) : undefined, i++) if (units.has(u.id)) return true;
    return units.has(id);
  };
  return (dim, key) => {
    if (CITY_ONLY.has(dim)) return false;
    if (REGION_DIMS.has(dim)) return underRegion(key);
    if (dim === 'grid') return underRegion(ref.grids.get(key)?.communityId);
    if (dim === 'unit') return underUnit(key);
    if (dim === 'person') return key === actor.userId;
    return false;
  };
}

export function parseDim(raw: unknown, field = 'dim'): Dimension {
  if (!isDimension(raw)) throw invalidAs(field, { key: 'assessment-query.unknown_dimension_use_one_city', params: { raw: String(raw) } }, `未知维度 "${String(raw)}" / unknown dimension; use one of city, district, street, community, grid, unit, person, matter_class, channel, urgency`);
  return raw;
}

const COUNTED = [...FLAGS, ...COUNTS] as string[];

export interface IndicatorRow {
  dim: Dimension; key: string; name: string;
  counters: Record<string, number>;
  indicators: Record<string, number | null>;
  score: { value: number; noData: boolean; terms: { indicator: string; weight: number; use: string; rate: number | null; points: number }[] };
}

async function namer(ctx: AppContext, dim: Dimension): Promise<(key: string) => string> {
  const ref = ctx.ref.current();
  switch (dim) {
    case 'unit': return (k) => ref.units.get(k)?.name ?? k;
    case 'district': case 'street': case 'community': return (k) => ref.regions.get(k)?.name ?? k;
    case 'grid': return (k) => ref.grids.get(k)?.name ?? k;
    case 'city': return () => '全市 / city';
    case 'matter_class': {
      const names = new Map<string, string>();
      for (const m of ref.matters.values()) if (!names.has(m.classCode)) names.set(m.classCode, m.className);
      return (k) => (names.has(k) ? `${k} ${names.get(k)}` : k);
    }
    case 'person': {
      const users = new Map((await ctx.store.auth.listUsers()).map((u) => [u.id, u.displayName]));
      return (k) => users.get(k) ?? k;
    }
    default: return (k) => k;
  }
}

const rowOf = (dim: Dimension, key: string, name: string, vector: number[], terms: readonly FormulaTerm[]): IndicatorRow => {
  const s = sumsOf(vector);
  const sc = score(terms, s);
  return {
    dim, key, name, counters: Object.fromEntries(COUNTED.map((c) => [c, s[c] ?? 0])), indicators: indicatorValues(s),
    score: { value: sc.score, noData: sc.noData, terms: sc.terms },
  };
};

type PeriodArgs = { period?: unknown; value?: unknown; from?: unknown; to?: unknown };

export async function indicatorTable(ctx: AppContext, actor: Actor, q: PeriodArgs & { dim?: unknown; within?: unknown }) {
  const dim = parseDim(q.dim ?? 'unit');
  const period = parsePeriod(q);
  const visible = rowScope(ctx, actor);
  if (CITY_ONLY.has(dim) && !visible(dim, '')) throw new DomainError('FORBIDDEN', `dim: 只有全市范围的用户可按 ${dim} 查看 / only city-wide users may slice by ${dim}`, { field: 'dim' });
  const formula = formulaFor(period.scoreMonth, await ctx.store.assessment.listFormulas());
  const sums = await ctx.store.assessment.sumCounters({ dims: [dim], fromDay: period.fromDay, toDay: period.toDay });
  const name = await namer(ctx, dim);
  const within = typeof q.within === 'string' && q.within ? q.within : null;
  const ref = ctx.ref.current();
  const inWithin = (key: string): boolean => {
    if (!within) return true;
    if (dim === 'grid') { const c = ref.grids.get(key)?.communityId; return c === within || ref.regions.get(c ?? '')?.parentId === within; }
    return ref.regions.get(key)?.parentId === within || ref.units.get(key)?.parentId === within;
  };
  const byKey = new Map(sums.map((s) => [s.key, s.vector]));
  // Units and regions with nothing counted are listed too (zeros), so a quiet unit is not invisible.
  const keys = new Set(byKey.keys());
  if (dim === 'unit') for (const u of ref.units.values()) if (u.active) keys.add(u.id);
  if (REGION_DIMS.has(dim)) for (const r of ref.regions.values()) if (r.level === dim) keys.add(r.id);
  const shown = [...keys].filter((k) => visible(dim, k) && inWithin(k));
  const rows = shown
    .map((k) => rowOf(dim, k, name(k), byKey.get(k) ?? new Array<number>(COUNTER_COLUMNS.length).fill(0), formula.terms))
    .sort((a, b) => Number(a.score.noData) - Number(b.score.noData) || b.score.value - a.score.value || a.name.localeCompare(b.name));
  // Ranking is a city setting (off by default: the national rule prefers comparing a unit with its own past months).
  const ranking = ref.assessment.showRanking;
  const ranks = new Map<string, number>();
  rows.forEach((r, i) => { if (!r.score.noData) ranks.set(r.key, i > 0 && !rows[i - 1].score.noData && rows[i - 1].score.value === r.score.value ? ranks.get(rows[i - 1].key)! : i + 1); });
  if (!ranking) rows.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  // Each row beside its own previous month (month periods), scored by that month's formula.
  const previous = period.kind === 'month' ? await previousScores(ctx, dim, period.scoreMonth) : null;
  return {
    dim, period: periodDto(period), formula: formulaDto(formula), ranking, previousMonth: previous?.month ?? null,
    rows: rows.map((r) => ({
      ...r, ...(ranking ? { rank: ranks.get(r.key) ?? null } : {}),
      ...(previous ? { previousScore: previous.scores.get(r.key) ?? null } : {}),
    })),
    definitions: INDICATORS,
  };
}

/** The scores of a slice's rows in the month before `month`, each by the formula in force then (null: no data). */
async function previousScores(ctx: AppContext, dim: Dimension, month: string) {
  const prev = monthsEndingAt(month, 2)[0];
  const p = monthPeriod(prev);
  const f = formulaFor(prev, await ctx.store.assessment.listFormulas());
  const sums = await ctx.store.assessment.sumCounters({ dims: [dim], fromDay: p.fromDay, toDay: p.toDay });
  const scores = new Map<string, number | null>();
  for (const s of sums) { const sc = score(f.terms, sumsOf(s.vector)); scores.set(s.key, sc.noData ? null : sc.score); }
  return { month: prev, scores };
}

export const periodDto = (p: Period) => ({ kind: p.kind, label: p.label, from: dayText(p.fromDay), to: dayText(p.toDay), scoreMonth: p.scoreMonth });
export const formulaDto = (f: FormulaVersion) => ({
  id: f.id, effectiveFrom: f.effectiveFrom, terms: f.terms, note: f.note, createdAt: f.createdAt ? new Date(f.createdAt).toISOString() : null,
  createdBy: f.createdBy, text: formulaText(f.terms),
});

function monthsParam(ctx: AppContext, endRaw: unknown, nRaw: unknown): string[] {
  const end = endRaw === undefined ? cityMonth(ctx.clock.now(), ctx.config.utcOffsetMinutes) : monthPeriod(String(endRaw)) && String(endRaw);
  const n = nRaw === undefined ? 6 : Number(nRaw);
  if (!Number.isInteger(n) || n < 1 || n > 36) throw invalidAs('months', { key: 'assessment-query.months_1_36' }, '月数须为 1 到 36 / months must be 1–36');
  return monthsEndingAt(end, n);
}

/** A slice's own past months (the national rule prefers comparing a unit with itself): values and scores per month. */
export async function trend(ctx: AppContext, actor: Actor, q: { dim?: unknown; key?: unknown; end?: unknown; months?: unknown }) {
  const dim = parseDim(q.dim ?? 'unit');
  const key = typeof q.key === 'string' ? q.key : '';
  if (!rowScope(ctx, actor)(dim, key)) throw new DomainError('NOT_FOUND', `key: ${dim} ${key} not found`, { field: 'key' });
  const months = monthsParam(ctx, q.end, q.months);
  const first = monthPeriod(months[0]);
  const last = monthPeriod(months[months.length - 1]);
  const rows = await ctx.store.assessment.monthlyCounters({ dim, keys: [key], fromDay: first.fromDay, toDay: last.toDay });
  const byMonth = new Map(rows.map((r) => [r.month, r.vector]));
  const versions = await ctx.store.assessment.listFormulas();
  const name = (await namer(ctx, dim))(key);
  return {
    dim, key, name,
    months: months.map((m) => {
      const f = formulaFor(m, versions);
      const row = rowOf(dim, key, name, byMonth.get(Number(m.replace('-', ''))) ?? new Array<number>(COUNTER_COLUMNS.length).fill(0), f.terms);
      return { month: m, formulaId: f.id, counters: row.counters, indicators: row.indicators, score: row.score };
    }),
  };
}

/** What if: past months scored with a proposed formula, beside the score they had (nothing is saved). */
export async function previewFormula(ctx: AppContext, actor: Actor, body: { terms?: unknown; dim?: unknown; end?: unknown; months?: unknown }) {
  const terms = parseTerms(body.terms);
  const dim = parseDim(body.dim ?? 'unit');
  const months = monthsParam(ctx, body.end, body.months ?? 3);
  const visible = rowScope(ctx, actor);
  const versions = await ctx.store.assessment.listFormulas();
  const name = await namer(ctx, dim);
  const out = [];
  for (const m of months) {
    const p = monthPeriod(m);
    const current = formulaFor(m, versions);
    const sums = await ctx.store.assessment.sumCounters({ dims: [dim], fromDay: p.fromDay, toDay: p.toDay });
    out.push({
      month: m, formulaId: current.id,
      rows: sums.filter((s) => visible(dim, s.key)).map((s) => {
        const ss = sumsOf(s.vector);
        const was = score(current.terms, ss).score;
        const would = score(terms, ss).score;
        return { key: s.key, name: name(s.key), score: was, proposed: would, change: Math.round((would - was) * 100) / 100 };
      }).sort((a, b) => b.proposed - a.proposed),
    });
  }
  return { terms, text: formulaText(terms), dim, months: out };
}

/** The cases behind one number, with why each counted; keyset pages ("day:caseId" cursor). */
export async function drillDown(ctx: AppContext, actor: Actor, q: PeriodArgs & { dim?: unknown; key?: unknown; indicator?: unknown; after?: unknown; limit?: unknown }) {
  const dim = parseDim(q.dim ?? 'unit');
  const key = typeof q.key === 'string' ? q.key : '';
  const indicator = typeof q.indicator === 'string' ? q.indicator : '';
  const counter = isDrillCounter(indicator) ? indicator : counterOfIndicator(indicator);
  if (!counter || !isDrillCounter(counter)) throw invalidAs('indicator', { key: 'assessment-query.not_countable_indicator_rate_drills', params: { indicator: String(indicator) } }, `无法下钻的指标 "${indicator}" / not a countable indicator (a rate drills into its numerator; durations do not drill down)`);
  const period = parsePeriod(q);
  if (!rowScope(ctx, actor)(dim, key)) throw new DomainError('NOT_FOUND', `key: ${dim} ${key} not found`, { field: 'key' });
  const limit = q.limit === undefined ? 50 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw invalidAs('limit', { key: 'assessment-query.limit_1_200' }, 'limit 须为 1–200 / limit must be 1–200');
  let after: { day: number; caseId: number } | undefined;
  if (typeof q.after === 'string' && q.after) {
    const m = /^(\d{8}):(\d+)$/.exec(q.after);
    if (!m) throw invalidAs('after', { key: 'assessment-query.after_next_value_previous_page' }, 'after 须为上一页返回的 next / after must be the next value of the previous page');
    after = { day: Number(m[1]), caseId: Number(m[2]) };
  }
  const rows = await ctx.store.assessment.drillDown({ dim, key, counter, fromDay: period.fromDay, toDay: period.toDay, after, limit });
  const off = ctx.config.utcOffsetMinutes;
  const last = rows[rows.length - 1];
  return {
    dim, key, indicator, counter, period: periodDto(period),
    cases: rows.map((r) => ({
      id: r.facts.caseId, caseNo: r.caseNo, state: r.state, matterCode: r.matterCode, day: dayText(r.facts.day), unitId: r.facts.unitId ?? r.facts.appealUnitId,
      reason: reasonFor(counter, r.facts.explain, off),
    })),
    next: rows.length === limit && last ? `${last.facts.day}:${last.facts.caseId}` : null,
  };
}

const HURT_TEXT: Record<HurtingCase['reason'], { zh: string; en: string }> = {
  overdue: { zh: '已超期，计入超期待处置', en: 'overdue: counts as overdue pending' },
  due_soon: { zh: '24 小时内到期', en: 'due within 24 hours' },
  returned: { zh: '已退回待裁定：裁定回本单位计推诿', en: 'returned, awaiting ruling: ruled back counts as buck-passing' },
  rework: { zh: '返工中', en: 'in rework' },
};

/** A unit's live month: its numbers so far, the score by this month's formula, and the open cases that will hurt next. */
export async function liveMonth(ctx: AppContext, actor: Actor, q: { unitId?: unknown }) {
  const unitId = typeof q.unitId === 'string' && q.unitId ? q.unitId : actor.unitIds[0];
  if (!unitId) throw invalidAs('unitId', { key: 'assessment-query.unitid_required_for_callers_without' }, '请指定单位 / unitId is required for callers without a unit');
  if (!ctx.ref.current().units.has(unitId) || !rowScope(ctx, actor)('unit', unitId)) throw new DomainError('NOT_FOUND', `unitId: unit ${unitId} not found`, { field: 'unitId' });
  const now = ctx.clock.now();
  const month = cityMonth(now, ctx.config.utcOffsetMinutes);
  const p = monthPeriod(month);
  const formula = formulaFor(month, await ctx.store.assessment.listFormulas());
  const [sums] = await ctx.store.assessment.sumCounters({ dims: ['unit'], fromDay: p.fromDay, toDay: p.toDay, keys: [unitId] });
  const name = ctx.ref.current().units.get(unitId)!.name;
  const row = rowOf('unit', unitId, name, sums?.vector ?? new Array<number>(COUNTER_COLUMNS.length).fill(0), formula.terms);
  const hurting = await ctx.store.assessment.hurtingCases(unitId, now, 24 * 3_600_000, 200);
  return {
    month, unit: { id: unitId, name }, formula: formulaDto(formula), row, definitions: INDICATORS,
    hurting: hurting.map((h) => ({ ...h, handleDueAt: h.handleDueAt === null ? null : new Date(h.handleDueAt).toISOString(), why: HURT_TEXT[h.reason] })),
  };
}

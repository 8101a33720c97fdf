/**
 * The weighted score (domain.md §7), configurable per city and VERSIONED: each version has the month it takes effect
 * from, and a month is always scored by the version in force that month (the latest version whose effectiveFrom is
 * not after it). Adopting a version never rewrites past months: a version may only take effect from the current
 * month or later (checked by the command with the city's current month).
 */
import { invalidAs } from '../errors.ts';
import { RATE_BY_ID, rateValue, type Sums } from './indicators.ts';

export interface FormulaTerm {
  indicator: string;
  weight: number;
  /** 'rate': weight × rate; 'one_minus_rate': weight × (1 − rate) (for rates where lower is better). */
  use: 'rate' | 'one_minus_rate';
}

export interface FormulaVersion {
  id: number;
  effectiveFrom: string; // YYYY-MM
  terms: FormulaTerm[];
  note: string | null;
  createdAt: number;
  createdBy: string | null;
}

/** Chengdu Jinniu's formula: 处置率×30 + 按期处置率×20 + (1−返工率)×20 + (1−超期待处置率)×20 + (1−延期率)×10. */
export const DEFAULT_FORMULA: FormulaVersion = {
  id: 0, effectiveFrom: '2000-01', note: '默认：成都金牛 / default: Chengdu Jinniu', createdAt: 0, createdBy: null,
  terms: [
    { indicator: 'disposal_rate', weight: 30, use: 'rate' },
    { indicator: 'on_time_disposal_rate', weight: 20, use: 'rate' },
    { indicator: 'rework_rate', weight: 20, use: 'one_minus_rate' },
    { indicator: 'overdue_pending_rate', weight: 20, use: 'one_minus_rate' },
    { indicator: 'postpone_rate', weight: 10, use: 'one_minus_rate' },
  ],
};

export const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Checks a proposed formula; errors name the field (terms[i].indicator, terms[i].weight, terms). */
export function parseTerms(raw: unknown): FormulaTerm[] {
  if (!Array.isArray(raw) || raw.length === 0) throw invalidAs('terms', { key: 'assessment.at_least_one_term_required' }, '至少需要一项指标 / at least one term is required');
  if (raw.length > 20) throw invalidAs('terms', { key: 'assessment.at_most_20_terms' }, '最多 20 项 / at most 20 terms');
  const seen = new Set<string>();
  const terms = raw.map((t, i): FormulaTerm => {
    const o = (t ?? {}) as Record<string, unknown>;
    const def = typeof o.indicator === 'string' ? RATE_BY_ID.get(o.indicator) : undefined;
    if (!def) {
      throw invalidAs(`terms[${i}].indicator`, { key: 'assessment.unknown_indicator_known_rates', params: { indicator: String(o.indicator), allowed: [...RATE_BY_ID.keys()].join(', ') } }, `未知指标 "${String(o.indicator)}"，可用：${[...RATE_BY_ID.keys()].join(', ')} / unknown indicator; known rates: ${[...RATE_BY_ID.keys()].join(', ')}`);
    }
    if (seen.has(def.id)) throw invalidAs(`terms[${i}].indicator`, { key: 'assessment.indicator_appears_twice', params: { id: String(def.id) } }, `指标 ${def.id} 重复 / indicator ${def.id} appears twice`);
    seen.add(def.id);
    if (typeof o.weight !== 'number' || !Number.isFinite(o.weight) || o.weight <= 0 || o.weight > 100) {
      throw invalidAs(`terms[${i}].weight`, { key: 'assessment.weight_number_in_0_100' }, '权重须为 0 到 100 之间的正数 / weight must be a number in (0, 100]');
    }
    const use = o.use === undefined ? (def.higherIsBetter ? 'rate' : 'one_minus_rate') : o.use;
    if (use !== 'rate' && use !== 'one_minus_rate') throw invalidAs(`terms[${i}].use`, { key: 'assessment.use_rate_or_one_minus' }, 'use 须为 rate 或 one_minus_rate / use must be rate or one_minus_rate');
    return { indicator: def.id, weight: o.weight, use };
  });
  const total = terms.reduce((s, t) => s + t.weight, 0);
  if (Math.abs(total - 100) > 1e-6) throw invalidAs('terms', { key: 'assessment.weights_add_up_100_they', params: { value: String(Math.round(total * 1000) / 1000) } }, `权重合计须为 100，现为 ${Math.round(total * 1000) / 1000} / weights must add up to 100 (they add up to ${Math.round(total * 1000) / 1000})`);
  return terms;
}

export function parseMonth(field: string, raw: unknown): string {
  if (typeof raw !== 'string' || !MONTH_RE.test(raw)) throw invalidAs(field, { key: 'assessment.month_as_yyyy_mm_got', params: { raw: String(raw) } }, `须为 YYYY-MM 格式的月份 / must be a month as YYYY-MM, got "${String(raw)}"`);
  return raw;
}

/** The version in force in `month` (YYYY-MM); the default when none was adopted. Later-created versions win ties. */
export function formulaFor(month: string, versions: readonly FormulaVersion[]): FormulaVersion {
  let best: FormulaVersion | undefined;
  for (const v of versions) {
    if (v.effectiveFrom > month) continue;
    if (!best || v.effectiveFrom > best.effectiveFrom || (v.effectiveFrom === best.effectiveFrom && v.id > best.id)) best = v;
  }
  return best ?? DEFAULT_FORMULA;
}

export interface TermScore { indicator: string; weight: number; use: FormulaTerm['use']; rate: number | null; points: number }

/**
 * The score (0–100) of one slice. A rate without a denominator (e.g. nothing to handle) scores as its best value
 * (a unit with no cases is not punished, and says so: `noData`).
 */
export function score(terms: readonly FormulaTerm[], s: Sums): { score: number; terms: TermScore[]; noData: boolean } {
  let total = 0;
  let noData = true;
  const out = terms.map((t): TermScore => {
    const r = rateValue(RATE_BY_ID.get(t.indicator)!, s);
    if (r !== null) noData = false;
    const v = t.use === 'rate' ? (r ?? 1) : 1 - (r ?? 0);
    const points = t.weight * v;
    total += points;
    return { ...t, rate: r, points: Math.round(points * 100) / 100 };
  });
  return { score: Math.round(total * 100) / 100, terms: out, noData };
}

/** The formula as a line: 处置率×30 + (1−返工率)×20 … */
export const formulaText = (terms: readonly FormulaTerm[]): { zh: string; en: string } => ({
  zh: terms.map((t) => { const n = RATE_BY_ID.get(t.indicator)!.name.zh; return t.use === 'rate' ? `${n}×${t.weight}` : `(1−${n})×${t.weight}`; }).join(' + '),
  en: terms.map((t) => { const n = RATE_BY_ID.get(t.indicator)!.name.en; return t.use === 'rate' ? `${n}×${t.weight}` : `(1−${n})×${t.weight}`; }).join(' + '),
});

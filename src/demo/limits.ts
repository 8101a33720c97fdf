/**
 * Overall handling time limits (处置时限) for every matter of the demo list, by urgency (一般/紧急/非常紧急)
 * and, where a source distinguishes it, by area class.
 *
 * Sources, in order:
 *  1. domain.md §5 samples (local rules; they win where matter-defaults.json says otherwise — only 01004);
 *  2. matter-defaults.json `handlingLimit`, parsed here: the FIRST limit in the text is the overall limit
 *     ("制止停工 4 工作时; 立案处罚 7 工作日" → 4 work hours), except that an explicit "done X" wins over an
 *     "arrive Y" stage ("arrive 1 h, done 2 h" → 2 natural hours), and "X (主次干道) / Y" gives X for area
 *     class A (core areas and main roads) and Y for every area;
 *  3. demo defaults: manhole-type parts (…井盖, 雨水箅子, 沟槽盖板) 2 natural hours by analogy with 01001–01005
 *     (an open hole is the same hazard); every other matter 3 work days.
 * Urgent and very urgent limits are derived by `shorten` (3 work days → 1 work day → 4 work hours), so they are
 * never longer than the normal limit.
 */
import type { AreaClass, CatalogJson, DemoTimeLimit, LimitUnit, MatterDefaultsJson, TimeLimitAmount, Urgency } from './types.ts';

const UNIT_WORDS: [RegExp, LimitUnit][] = [
  [/^工作时$/, 'work_hours'],
  [/^工作日$/, 'work_days'],
  [/^(h|小时|自然时)$/, 'natural_hours'],
  [/^(min|分钟)$/, 'natural_minutes'],
  [/^(天|自然日|d)$/, 'natural_days'],
];

const LIMIT_RE = /(\d+(?:\.\d+)?)(?:\s*[–-]\s*\d+(?:\.\d+)?)?\s*(工作时|工作日|自然时|小时|分钟|自然日|min|h|天|d)(?![a-z])/g;

export interface ParsedLimit {
  /** applies to every area class */
  all: TimeLimitAmount;
  /** stricter limit for area class A, when the text names main roads */
  areaA?: TimeLimitAmount;
  /** the text fragment taken */
  taken: string;
}

/** parse a matter-defaults `handlingLimit` text; null if it names no limit */
export function parseHandlingLimit(text: string): ParsedLimit | null {
  const matches = [...text.matchAll(LIMIT_RE)].map((m) => ({
    amount: Number(m[1]),
    unit: UNIT_WORDS.find(([re]) => re.test(m[2]))![1],
    index: m.index ?? 0,
    end: (m.index ?? 0) + m[0].length,
    raw: m[0],
  }));
  if (matches.length === 0) return null;
  const amt = (m: (typeof matches)[number]): TimeLimitAmount => ({ amount: m.amount, unit: m.unit });
  const done = matches.find((m) => /done\s*$|完成\s*$|办结\s*$/.test(text.slice(0, m.index)));
  if (done) return { all: amt(done), taken: text.slice(Math.max(0, done.index - 5), done.end).trim() };
  const first = matches[0];
  if (/^\s*[(（]\s*主次干道\s*[)）]/.test(text.slice(first.end)) && matches[1]) {
    return { all: amt(matches[1]), areaA: amt(first), taken: text.slice(first.index, matches[1].end) };
  }
  return { all: amt(first), taken: first.raw };
}

/** the next shorter limit for a higher urgency (never longer than the input) */
export function shorten(l: TimeLimitAmount): TimeLimitAmount {
  const { amount: a, unit } = l;
  switch (unit) {
    case 'work_days':
      return a >= 3 ? { amount: Math.floor(a / 3), unit } : a === 2 ? { amount: 1, unit } : { amount: Math.max(1, Math.round(a * 4)), unit: 'work_hours' };
    case 'natural_days':
      return a >= 3 ? { amount: Math.floor(a / 3), unit } : { amount: Math.max(1, Math.round(a * 8)), unit: 'natural_hours' };
    case 'work_hours':
    case 'natural_hours':
      return a >= 2 ? { amount: Math.floor(a / 2), unit } : { amount: Math.max(10, Math.round(a * 30)), unit: 'natural_minutes' };
    case 'natural_minutes':
      return { amount: Math.max(10, Math.floor(a / 2)), unit };
  }
}

/** domain.md §5 samples that matter-defaults.json does not already give */
const DOMAIN_SAMPLES: Record<string, { limit: TimeLimitAmount; basis: string }> = {
  '01004': {
    limit: { amount: 2, unit: 'natural_hours' },
    basis: 'domain.md §5: 01001–01005 井盖缺失 make safe 2 h (a city\'s published rule); matter-defaults proposes 4 工作时 for 雨水箅子 blockage, the missing-grate hazard governs',
  },
};

const MANHOLE_RE = /井盖|箅子|盖板/;

export function buildTimeLimits(catalog: CatalogJson, defaults: MatterDefaultsJson): DemoTimeLimit[] {
  const byCode = new Map<string, MatterDefaultsJson['matters'][number]>();
  for (const d of defaults.matters) for (const c of d.codes) byCode.set(c, d);
  const out: DemoTimeLimit[] = [];
  const emit = (kind: 'matter' | 'part', code: string, areaClass: AreaClass | null, normal: TimeLimitAmount, basis: string) => {
    const urgent = shorten(normal);
    const veryUrgent = shorten(urgent);
    const levels: [Urgency, TimeLimitAmount, string][] = [
      ['normal', normal, basis],
      ['urgent', urgent, `derived from normal (${fmt(normal)}) by the demo's urgency rule`],
      ['very_urgent', veryUrgent, `derived from urgent (${fmt(urgent)}) by the demo's urgency rule`],
    ];
    for (const [urgency, limit, b] of levels) out.push({ matterKind: kind, matterCode: code, urgency, areaClass, limit, basis: b });
  };
  const items: { kind: 'matter' | 'part'; code: string; name: string }[] = [
    ...catalog.parts.map((p) => ({ kind: 'part' as const, code: p.code, name: p.name })),
    ...catalog.matters.map((m) => ({ kind: 'matter' as const, code: m.code, name: m.name })),
  ];
  for (const { kind, code, name } of items) {
    const sample = DOMAIN_SAMPLES[code];
    if (sample) {
      emit(kind, code, null, sample.limit, sample.basis);
      continue;
    }
    const d = byCode.get(code);
    const parsed = d ? parseHandlingLimit(d.handlingLimit) : null;
    if (d && parsed) {
      const basis = `matter-defaults.json: "${d.handlingLimit}" → ${parsed.taken} (${d.basis})`;
      if (parsed.areaA) emit(kind, code, 'A', parsed.areaA, `${basis}; area class A = 主次干道`);
      emit(kind, code, null, parsed.all, basis);
    } else if (kind === 'part' && MANHOLE_RE.test(name)) {
      emit(kind, code, null, { amount: 2, unit: 'natural_hours' }, 'demo default: manhole-type part, by analogy with 01001–01005 (2 h)');
    } else {
      emit(kind, code, null, { amount: 3, unit: 'work_days' }, 'demo default: 3 work days (no published rule)');
    }
  }
  return out;
}

export function fmt(l: TimeLimitAmount): string {
  const words: Record<LimitUnit, string> = {
    natural_minutes: '分钟', natural_hours: '小时', natural_days: '天', work_hours: '工作时', work_days: '工作日',
  };
  return `${l.amount} ${words[l.unit]}`;
}

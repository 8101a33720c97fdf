/**
 * The 12345 feedback limits (接诉即办: the time within which the caller must have a substantive answer), as a
 * city's data (settings row `hotline_feedback_limits`), and which limit a call gets. Pure.
 *
 * Defaults are Beijing's (北京市接诉即办工作条例, 2021, and the 12345 centre's rules; domain.md §5): emergencies
 * and threats to life or property 2 hours; water, power, gas, heating and other time-critical needs (及时性诉求)
 * 24 hours; general requests 7 days; complex or difficult ones 15 days — natural time. Beijing files the first two
 * classes together as 紧急诉求 (urgent requests), so the seat's urgency picks the class first: 非常紧急 (very urgent:
 * an emergency, a threat to life or property) → the 2 h class; 紧急 (urgent: a need that cannot wait, the utilities'
 * kind) → the 24 h class. 一般 (normal) leaves it to the matter and the caller's words (a utility outage is 24 h
 * whatever the seat marked), then to the seat's "complex" mark (15 days), else 7 days. A city changes any of it —
 * the four limits, the urgency → class mapping, the utility matter classes and words — through
 * PUT /api/v1/hotline/feedback-limits.
 */
import { invalidAs, type MessageRef } from '../errors.ts';
import { URGENCIES, type Urgency } from '../case/channels.ts';
import { validateLimit, type TimeLimit } from '../deadline/index.ts';

/** Feedback classes of the Beijing 12345 rules. */
export const FEEDBACK_CLASSES = ['threat', 'utility', 'general', 'complex'] as const;
export type FeedbackClass = (typeof FEEDBACK_CLASSES)[number];

export const FEEDBACK_CLASS_LABELS: Readonly<Record<FeedbackClass, { zh: string; en: string }>> = {
  threat: { zh: '突发事件、危及生命财产安全', en: 'Emergency, threat to life or property' },
  utility: { zh: '水电气热等紧急（及时性）诉求', en: 'Water, power, gas, heating and other time-critical needs' },
  general: { zh: '一般诉求', en: 'General request' },
  complex: { zh: '疑难复杂诉求', en: 'Complex or difficult request' },
};

export interface FeedbackPolicy {
  /** The limit of each class. */
  limits: Record<FeedbackClass, TimeLimit>;
  /** The class an urgency puts a call in before anything else is looked at; null: the matter and words decide. */
  urgencyClasses: Record<Urgency, FeedbackClass | null>;
  /** Matter classes (first two digits of a matter code) that are water, power, gas or heat supply. */
  utilityMatterClasses: string[];
  /** Words in the caller's description that mark a utility outage. */
  utilityWords: string[];
}

export const DEFAULT_FEEDBACK_POLICY: Readonly<FeedbackPolicy> = Object.freeze<FeedbackPolicy>({
  limits: {
    threat: { amount: 2, unit: 'natural_hours' },
    utility: { amount: 24, unit: 'natural_hours' },
    general: { amount: 7, unit: 'natural_days' },
    complex: { amount: 15, unit: 'natural_days' },
  },
  urgencyClasses: { very_urgent: 'threat', urgent: 'utility', normal: null },
  // The GB/T 47678.5 matter catalogue (classes 06–10) has no utility class: a city lists its local classes here.
  utilityMatterClasses: [],
  utilityWords: ['停水', '停电', '停气', '停暖', '供暖', '暖气', '燃气', '自来水', '水压', '断水', '断电'],
});

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rejectUnknown(obj: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(obj)) if (!allowed.includes(key)) throw invalidAs(`${prefix}${key}`, { key: 'field.unknown' }, 'unknown field');
}

function stringList(value: unknown, field: string, check: (s: string) => (MessageRef & { message: string }) | null): string[] {
  if (!Array.isArray(value)) throw invalidAs(field, { key: 'hotline.list_strings' }, 'must be a list of strings');
  const out: string[] = [];
  value.forEach((v, i) => {
    if (typeof v !== 'string' || v.trim() === '') throw invalidAs(`${field}[${i}]`, { key: 'field.required' }, 'must be a non-empty string');
    const bad = check(v.trim());
    if (bad) throw invalidAs(`${field}[${i}]`, bad, bad.message);
    if (!out.includes(v.trim())) out.push(v.trim());
  });
  return out;
}

/**
 * A feedback policy from stored or submitted JSON; an omitted part keeps its default. Strict: unknown fields are
 * refused and every error names its field (`limits.threat.amount`, `urgencyClasses.urgent`, …).
 */
export function parseFeedbackPolicy(value: unknown, field = ''): FeedbackPolicy {
  const at = (k: string) => (field ? `${field}.${k}` : k);
  if (!isObject(value)) throw invalidAs(field || 'feedbackLimits', { key: 'hotline.object' }, 'must be an object { limits, urgencyClasses, utilityMatterClasses, utilityWords }');
  rejectUnknown(value, ['limits', 'urgencyClasses', 'utilityMatterClasses', 'utilityWords'], field ? `${field}.` : '');
  const d = DEFAULT_FEEDBACK_POLICY;
  const limits = { ...d.limits };
  if (value.limits !== undefined) {
    if (!isObject(value.limits)) throw invalidAs(at('limits'), { key: 'hotline.object_by_class_threat_utility' }, 'must be an object by class (threat, utility, general, complex)');
    rejectUnknown(value.limits, FEEDBACK_CLASSES, `${at('limits')}.`);
    for (const c of FEEDBACK_CLASSES) {
      const l = value.limits[c];
      if (l === undefined) continue;
      if (!isObject(l)) throw invalidAs(`${at('limits')}.${c}`, { key: 'field.object_2' }, 'must be an object { amount, unit }');
      rejectUnknown(l, ['amount', 'unit'], `${at('limits')}.${c}.`);
      validateLimit(l as unknown as TimeLimit, `${at('limits')}.${c}`);
      limits[c] = { amount: l.amount as number, unit: l.unit as TimeLimit['unit'] };
    }
  }
  const urgencyClasses = { ...d.urgencyClasses };
  if (value.urgencyClasses !== undefined) {
    if (!isObject(value.urgencyClasses)) throw invalidAs(at('urgencyClasses'), { key: 'hotline.object_by_urgency', params: { allowed: URGENCIES.join(', ') } }, `must be an object by urgency (${URGENCIES.join(', ')})`);
    rejectUnknown(value.urgencyClasses, URGENCIES, `${at('urgencyClasses')}.`);
    for (const u of URGENCIES) {
      const c = value.urgencyClasses[u];
      if (c === undefined) continue;
      if (c !== null && !(FEEDBACK_CLASSES as readonly unknown[]).includes(c)) {
        throw invalidAs(`${at('urgencyClasses')}.${u}`, { key: 'hotline.one_or_null_matter_and', params: { allowed: FEEDBACK_CLASSES.join(', ') } }, `must be one of ${FEEDBACK_CLASSES.join(', ')}, or null (the matter and the words decide)`);
      }
      urgencyClasses[u] = c as FeedbackClass | null;
    }
  }
  const utilityMatterClasses = value.utilityMatterClasses === undefined ? [...d.utilityMatterClasses]
    : stringList(value.utilityMatterClasses, at('utilityMatterClasses'), (s) => (/^\d{2}$/.test(s) ? null : { key: 'field.2_digit_matter_class', message: 'must be a 2-digit matter class code' }));
  const utilityWords = value.utilityWords === undefined ? [...d.utilityWords]
    : stringList(value.utilityWords, at('utilityWords'), (s) => ([...s].length <= 20 ? null : { key: 'field.max_chars', params: { max: 20 }, message: 'must be at most 20 characters' }));
  return { limits, urgencyClasses, utilityMatterClasses, utilityWords };
}

export interface FeedbackInput {
  urgency?: Urgency;
  matterCode?: string | null;
  description?: string;
  /** The operator marks a matter as complex (疑难复杂): several departments, policy questions. */
  complex?: boolean;
}

/**
 * Which class a call is in: the urgency's class if the policy maps it; else a utility matter class or a utility word
 * in the caller's words; else complex if the seat marked it; else general.
 */
export function feedbackClassOf(policy: FeedbackPolicy, i: FeedbackInput): FeedbackClass {
  const byUrgency = policy.urgencyClasses[i.urgency ?? 'normal'];
  if (byUrgency) return byUrgency;
  const cls = i.matterCode ? i.matterCode.slice(0, 2) : '';
  if (policy.utilityMatterClasses.includes(cls) || policy.utilityWords.some((w) => i.description?.includes(w))) return 'utility';
  if (i.complex) return 'complex';
  return 'general';
}

export function feedbackLimitOf(policy: FeedbackPolicy, i: FeedbackInput): TimeLimit & { feedbackClass: FeedbackClass } {
  const c = feedbackClassOf(policy, i);
  return { ...policy.limits[c], feedbackClass: c };
}

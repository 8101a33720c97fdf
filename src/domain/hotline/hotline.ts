/**
 * 12345 hotline work orders (issue 3 §1), pure: request kinds, outcomes, referrals, the Beijing feedback time
 * limits (domain.md §5) as data, and the caller's phone check. No clock, no database.
 */
import type { TimeLimit } from '../deadline/index.ts';

export const REQUEST_KINDS = ['consult', 'help', 'complaint', 'report', 'suggestion'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_KIND_ZH: Readonly<Record<RequestKind, string>> = {
  consult: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '建议',
};

export const CALL_OUTCOMES = ['answered', 'refused', 'case', 'linked'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export const CALL_OUTCOME_ZH: Readonly<Record<CallOutcome, string>> = {
  answered: '直接答复', refused: '不予受理（已告知转介）', case: '派单（新建案件）', linked: '重复来电（催办）',
};

/** Where an out-of-scope request is referred (emergencies; matters in litigation, petition, arbitration …). */
export const REFERRALS = ['110', '119', '120', '122', 'petition', 'litigation', 'arbitration', 'other'] as const;
export type Referral = (typeof REFERRALS)[number];
export const REFERRAL_ZH: Readonly<Record<Referral, string>> = {
  110: '公安报警 110', 119: '消防 119', 120: '急救 120', 122: '交通事故 122', petition: '信访渠道', litigation: '诉讼渠道',
  arbitration: '仲裁渠道', other: '其他有权机关',
};

/** Feedback classes of the Beijing 12345 rules (接诉即办): the time to give the caller a substantive answer. */
export const FEEDBACK_CLASSES = ['threat', 'utility', 'general', 'complex'] as const;
export type FeedbackClass = (typeof FEEDBACK_CLASSES)[number];

export const HOTLINE_FEEDBACK_LIMITS: Readonly<Record<FeedbackClass, TimeLimit & { zh: string }>> = {
  threat: { amount: 2, unit: 'natural_hours', zh: '涉及生命财产安全：2 小时' },
  utility: { amount: 24, unit: 'natural_hours', zh: '水电气热：24 小时' },
  general: { amount: 7, unit: 'natural_days', zh: '一般诉求：7 天' },
  complex: { amount: 15, unit: 'natural_days', zh: '疑难复杂：15 天' },
};

/**
 * Matter classes (the first two digits of a matter code) that are water, power, gas or heat supply. The
 * GB/T 47678.5 matter catalogue (classes 06–10) has none, so this is empty by default: a city lists its local
 * classes here; until then the caller's words decide (UTILITY_WORDS).
 */
export const UTILITY_MATTER_CLASSES: ReadonlySet<string> = new Set<string>();
/** Keywords in the caller's words that mark a utility outage even when the matter class does not. */
const UTILITY_WORDS = ['停水', '停电', '停气', '停暖', '供暖', '暖气', '燃气', '自来水', '水压', '断水', '断电'];

export interface FeedbackInput {
  kind: RequestKind;
  urgency?: 'normal' | 'urgent' | 'very_urgent';
  matterCode?: string | null;
  description?: string;
  /** The operator marks a matter as complex (疑难复杂): several departments, policy questions. */
  complex?: boolean;
}

/**
 * Which feedback limit applies: very urgent (threat to life or property) → 2 h; water/power/gas/heat → 24 h;
 * complex → 15 days; otherwise 7 days. Urgent (not very urgent) is treated as general: the Beijing rule keys the
 * 2 h limit on a threat, not on haste.
 */
export function feedbackClassOf(i: FeedbackInput): FeedbackClass {
  if (i.urgency === 'very_urgent') return 'threat';
  const cls = i.matterCode ? i.matterCode.slice(0, 2) : '';
  if (UTILITY_MATTER_CLASSES.has(cls) || UTILITY_WORDS.some((w) => i.description?.includes(w))) return 'utility';
  if (i.complex) return 'complex';
  return 'general';
}

export const feedbackLimitOf = (i: FeedbackInput): TimeLimit & { zh: string; feedbackClass: FeedbackClass } => {
  const c = feedbackClassOf(i);
  return { ...HOTLINE_FEEDBACK_LIMITS[c], feedbackClass: c };
};

/** Mainland mobile (11 digits, 1[3-9]), landline with area code (010-12345678), optionally +86. */
const PHONE_RE = /^(?:\+?86)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
export const normalizePhone = (p: string): string => p.replace(/[\s()]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
export const isValidCallerPhone = (p: string): boolean => PHONE_RE.test(p.replace(/[\s()]/g, ''));

/** How long a repeat call from the same phone about the same matter links to the open case. */
export const REPEAT_WINDOW_MS = 30 * 24 * 3_600_000;

/**
 * 12345 hotline work orders (issue 3 §1), pure: request kinds, outcomes, referrals and the caller's phone check.
 * The feedback limits (接诉即办) are a city's data: feedback-policy.ts. No clock, no database.
 */

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
export const REFERRALS = ['110', '119', '120', '122', 'gas', 'power', 'petition', 'litigation', 'arbitration', 'other'] as const;
export type Referral = (typeof REFERRALS)[number];
export const REFERRAL_ZH: Readonly<Record<Referral, string>> = {
  110: '公安报警 110', 119: '消防 119', 120: '急救 120', 122: '交通事故 122', gas: '燃气抢修热线', power: '电力抢修热线', petition: '信访渠道', litigation: '诉讼渠道',
  arbitration: '仲裁渠道', other: '其他有权机关',
};

/** Mainland mobile (11 digits, 1[3-9]), landline with area code (010-12345678), optionally +86. */
const PHONE_RE = /^(?:\+?86)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
export const normalizePhone = (p: string): string => p.replace(/[\s()]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
export const isValidCallerPhone = (p: string): boolean => PHONE_RE.test(p.replace(/[\s()]/g, ''));

/** How long a repeat call from the same phone about the same matter links to the open case. */
export const REPEAT_WINDOW_MS = 30 * 24 * 3_600_000;

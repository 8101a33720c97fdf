/** Request and response schemas of the 12345 hotline and its knowledge base, and their presenters. */
import { Type, type TSchema } from 'typebox';
import { URGENCIES } from '../../domain/case/channels.ts';
import { CALL_OUTCOMES, CALL_OUTCOME_ZH, REFERRALS, REFERRAL_ZH, REQUEST_KINDS, REQUEST_KIND_ZH, type CallOutcome, type Referral, type RequestKind } from '../../domain/hotline/hotline.ts';
import { FEEDBACK_CLASSES, FEEDBACK_CLASS_LABELS, type FeedbackPolicy } from '../../domain/hotline/feedback-policy.ts';
import type { SettingProblem } from '../../runtime/reference-cache.ts';
import { EMERGENCY_REFERRALS, type EmergencyReferral } from '../../domain/hotline/emergency.ts';
import { CreateCaseBody } from '../../http/routes/cases/case.schema.ts';
import { maskName, maskPhone } from '../../http/routes/cases/case.presenter.ts';
import type { HotlineCallRow, KbArticleRow } from '../../storage/repositories/hotline.repository.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const StrEnum = (values: readonly string[], description: string) => Type.Union(values.map((v) => Type.Literal(v)), { description });
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

export const KbQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Keywords, Chinese or not (character-bigram match over title, keywords and body)' })),
  matterCode: Type.Optional(Type.String({ pattern: '^\\d{5}$', description: 'Only articles of this matter' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'At most this many' })),
}, { additionalProperties: false });

export const KbArticleBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Title, e.g. 垃圾清运时间' }),
  body: Type.String({ minLength: 1, maxLength: 20000, pattern: '\\S', description: 'The answer an operator reads to the caller' }),
  matterCode: Type.Optional(Nullable(Type.String({ pattern: '^\\d{5}$', description: 'The matter it answers (optional)' }))),
  keywords: Type.Optional(Type.String({ maxLength: 1000, description: 'Search keywords, space separated' })),
  active: Type.Optional(Type.Boolean({ description: 'Inactive articles are not searched nor used to answer; default true' })),
}, { additionalProperties: false });

export const KbArticleDto = Type.Object({
  id: Type.Integer(), title: Type.String(), body: Type.String(), matterCode: Nullable(Type.String()), keywords: Type.String(),
  active: Type.Boolean(), createdAt: Type.String(), updatedAt: Type.String(),
  score: Type.Optional(Type.Number({ description: 'Search relevance 0..1 (best first)' })),
});

export const KbIdParam = Type.Object({ id: Type.Integer({ minimum: 1, description: 'Article id' }) });

export const WorkOrderBody = Type.Object({
  caller: Type.Object({
    name: Type.Optional(Type.String({ maxLength: 100, description: 'Caller name (personal data)' })),
    phone: Type.String({ minLength: 1, maxLength: 30, description: 'Caller phone (personal data): mobile or landline with area code' }),
  }, { additionalProperties: false }),
  kind: StrEnum(REQUEST_KINDS, `Request kind: ${REQUEST_KINDS.map((k) => `${k} ${REQUEST_KIND_ZH[k]}`).join(' / ')}`),
  urgency: Type.Optional(StrEnum(URGENCIES, 'Urgency (一般/紧急/非常紧急); by default very_urgent = emergency, threat to life or property (2 h feedback), urgent = time-critical need (24 h); GET /hotline/feedback-limits')),
  description: Type.String({ minLength: 1, maxLength: 4000, description: 'The caller\'s words' }),
  emergencyConfirmed: CreateCaseBody.properties.emergencyConfirmed,
  matterCode: Type.Optional(Type.String({ pattern: '^\\d{5}$', description: 'Matter code; required unless a consultation is answered directly or refused' })),
  location: CreateCaseBody.properties.location,
  address: CreateCaseBody.properties.address,
  complex: Type.Optional(Type.Boolean({ description: 'Complex matter (疑难复杂): the complex feedback limit (15 days by default) unless the urgency or a utility outage gives a shorter one' })),
  caseNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'The caller calls about this case: a 催办 on it' })),
  answer: Type.Optional(Type.Object({ articleId: Type.Integer({ minimum: 1, description: 'Knowledge-base article read to the caller' }) }, { additionalProperties: false, description: 'Consultation answered directly (直接答复)' })),
  refuse: Type.Optional(Type.Object({
    reason: Type.String({ minLength: 1, maxLength: 1000, description: 'Why it is out of scope' }),
    referral: StrEnum(REFERRALS, `Where the caller is referred: ${REFERRALS.map((r) => `${r} ${REFERRAL_ZH[r]}`).join(' / ')}`),
  }, { additionalProperties: false, description: 'Out of scope: refused with a referral (recorded)' })),
}, { additionalProperties: false });

export const CallDto = Type.Object({
  id: Type.Integer(),
  caller: Type.Object({ name: Nullable(Type.String()), phone: Type.String({ description: 'Masked unless personal_data.read' }) }),
  kind: Type.String(), kindZh: Type.String(), urgency: Type.String(), description: Type.String(), matterCode: Nullable(Type.String()),
  outcome: Type.String({ description: `${CALL_OUTCOMES.join(' | ')}: 直接答复 | 不予受理 | 新建案件 | 重复来电催办` }), outcomeZh: Type.String(),
  caseId: Nullable(Type.Integer()), articleId: Nullable(Type.Integer()),
  referral: Nullable(Type.String()), referralZh: Nullable(Type.String()), refusalReason: Nullable(Type.String()),
  feedbackClass: Nullable(Type.String({ description: 'threat | utility | general | complex (limits: GET /hotline/feedback-limits)' })),
  feedbackDueAt: Nullable(Type.String({ description: 'When the caller must have a substantive answer' })),
  feedbackWarnAt: Nullable(Type.String({ description: 'The feedback clock\'s warning (80 % of the limit), for the call that filed a case' })),
  feedbackLevel: Nullable(Type.String({ description: 'The feedback clock of the call that filed a case: normal | warning | overdue (kept by the deadline sweep; stops when the caller is answered)' })),
  createdBy: Nullable(Type.String()), createdAt: Type.String(),
});

export const CallsQuery = Type.Object({
  phone: Type.Optional(Type.String({ maxLength: 30, description: 'Calls from this phone' })),
  mine: Type.Optional(Type.Boolean({ description: 'Only the calls the caller took (a seat\'s own log)' })),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'Calls taken at or after this instant (e.g. the start of today)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Newest first, at most this many' })),
}, { additionalProperties: false });

export function presentKbArticle(a: KbArticleRow, score?: number) {
  return {
    id: Number(a.id), title: a.title, body: a.body, matterCode: a.matter_code, keywords: a.keywords, active: Number(a.active) === 1,
    createdAt: iso(a.created_at)!, updatedAt: iso(a.updated_at)!, ...(score === undefined ? {} : { score }),
  };
}

export function presentCall(c: HotlineCallRow, showPersonal: boolean) {
  const referral = c.referral as Referral | null;
  return {
    id: Number(c.id),
    caller: { name: showPersonal ? c.caller_name : maskName(c.caller_name), phone: showPersonal ? c.caller_phone : maskPhone(c.caller_phone)! },
    kind: c.kind, kindZh: REQUEST_KIND_ZH[c.kind as RequestKind] ?? c.kind, urgency: c.urgency, description: c.description,
    matterCode: c.matter_code, outcome: c.outcome, outcomeZh: CALL_OUTCOME_ZH[c.outcome as CallOutcome],
    caseId: c.case_id === null ? null : Number(c.case_id), articleId: c.article_id === null ? null : Number(c.article_id),
    referral, referralZh: referral ? REFERRAL_ZH[referral] ?? referral : null, refusalReason: c.refusal_reason,
    feedbackClass: c.feedback_class, feedbackDueAt: iso(c.feedback_due_at), feedbackWarnAt: iso(c.feedback_warn_at),
    feedbackLevel: c.feedback_warn_at === null ? null : c.feedback_level ?? 'normal', createdBy: c.created_by, createdAt: iso(c.created_at)!,
  };
}

const LimitDto = Type.Object({
  amount: Type.Number({ exclusiveMinimum: 0, maximum: 10000, description: 'Amount of time' }),
  unit: StrEnum(['natural_minutes', 'natural_hours', 'natural_days', 'work_hours', 'work_days'], 'Unit: natural time by default (接诉即办); work units follow the calendar'),
}, { additionalProperties: false });
const ClassEnum = (description: string) => Nullable(StrEnum(FEEDBACK_CLASSES, description));

export const FeedbackLimitsBody = Type.Object({
  limits: Type.Optional(Type.Object({
    threat: Type.Optional(LimitDto), utility: Type.Optional(LimitDto), general: Type.Optional(LimitDto), complex: Type.Optional(LimitDto),
  }, { additionalProperties: false, description: `Limit of each class: ${FEEDBACK_CLASSES.map((c) => `${c} ${FEEDBACK_CLASS_LABELS[c].zh}`).join(' / ')}` })),
  urgencyClasses: Type.Optional(Type.Object({
    normal: Type.Optional(ClassEnum('一般: the class, or null (the matter and the words decide)')),
    urgent: Type.Optional(ClassEnum('紧急: the class (default utility, 24 h), or null')),
    very_urgent: Type.Optional(ClassEnum('非常紧急: the class (default threat, 2 h), or null')),
  }, { additionalProperties: false, description: 'The class an urgency puts a call in before anything else is looked at' })),
  utilityMatterClasses: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{2}$' }), { maxItems: 100, description: 'Matter classes (2 digits) that are water, power, gas or heat supply' })),
  utilityWords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 200, description: 'Words in the caller\'s description that mark a utility outage' })),
}, { additionalProperties: false, description: 'The 12345 feedback limits; an omitted part takes its Beijing default' });

export const FeedbackLimitsDto = Type.Object({
  limits: Type.Object(Object.fromEntries(FEEDBACK_CLASSES.map((c) => [c, Type.Object({
    amount: Type.Number(), unit: Type.String(), label: Type.Object({ zh: Type.String(), en: Type.String() }),
  })]))),
  urgencyClasses: Type.Object({ normal: Nullable(Type.String()), urgent: Nullable(Type.String()), very_urgent: Nullable(Type.String()) }),
  utilityMatterClasses: Type.Array(Type.String()),
  utilityWords: Type.Array(Type.String()),
  problems: Type.Optional(Type.Array(Type.Object({ setting: Type.String(), message: Type.String(), usingDefault: Type.Unknown() }), {
    description: 'Only for callers with catalog.manage: the stored limits could not be used (the defaults apply)',
  })),
});

export function presentFeedbackPolicy(p: FeedbackPolicy, problems?: SettingProblem[]) {
  return {
    limits: Object.fromEntries(FEEDBACK_CLASSES.map((c) => [c, { amount: p.limits[c].amount, unit: p.limits[c].unit, label: FEEDBACK_CLASS_LABELS[c] }])),
    urgencyClasses: { normal: p.urgencyClasses.normal, urgent: p.urgencyClasses.urgent, very_urgent: p.urgencyClasses.very_urgent },
    utilityMatterClasses: [...p.utilityMatterClasses], utilityWords: [...p.utilityWords],
    ...(problems ? { problems } : {}),
  };
}

const EmergencyRule = Type.Object({
  words: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { minItems: 1, maxItems: 100, description: 'Any of these in the text fires the rule' }),
  level: Type.Union([Type.Literal('life'), Type.Literal('urgent')], { description: 'life: a threat to life now (非常紧急); urgent: a danger that cannot wait' }),
  referrals: Type.Optional(Type.Array(Type.Unsafe<EmergencyReferral>({ type: 'string', enum: [...EMERGENCY_REFERRALS] }), { maxItems: 6, description: 'Where the caller is referred, first first' })),
  unless: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 100, description: 'Any of these cancels the rule (演练, 已扑灭)' })),
}, { additionalProperties: false });

export const EmergencyWordsBody = Type.Object({
  rules: Type.Array(EmergencyRule, { maxItems: 200 }),
}, { additionalProperties: false, description: 'The seat\'s emergency words, as a whole' });

export const EmergencyWordsDto = Type.Object({
  rules: Type.Array(EmergencyRule),
  problems: Type.Optional(Type.Array(Type.Object({ setting: Type.String(), message: Type.String(), usingDefault: Type.Unknown() }), {
    description: 'Only for callers with catalog.manage: the stored list could not be used (the defaults apply)',
  })),
});

// ---- standard replies (话术库) ---------------------------------------------------------------------------

export const StandardReplySchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$', description: 'Stable id within the library' }),
  title: Type.String({ minLength: 1, maxLength: 60, description: 'What the seat looks for (开场白, 垃圾清运答复 …)' }),
  text: Type.String({ minLength: 1, maxLength: 2000, description: 'What the seat says or pastes' }),
  matterCodes: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{5}$' }), { maxItems: 200, description: 'Matters it is for' })),
  matterClasses: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{2}$' }), { maxItems: 50, description: 'Matter classes it is for' })),
  requestKinds: Type.Optional(Type.Array(StrEnum(REQUEST_KINDS, 'Kind of request'), { maxItems: 5, description: 'Kinds of request it is for' })),
}, { additionalProperties: false, description: 'One standard reply; no matter, class and kind = for every call' });

export const StandardRepliesBody = Type.Object({
  replies: Type.Array(StandardReplySchema, { maxItems: 500, description: 'The whole library, in the order seats see it' }),
}, { additionalProperties: false });

export const StandardRepliesQuery = Type.Object({
  matterCode: Type.Optional(Type.String({ pattern: '^\\d{5}$', description: 'Only the replies for this matter (with its class\'s and the general ones), best fit first' })),
  requestKind: Type.Optional(StrEnum(REQUEST_KINDS, 'Only the replies for this kind of request (and the general ones)')),
}, { additionalProperties: false });

export const StandardRepliesDto = Type.Object({
  version: Type.Integer({ description: 'The library\'s version: each save adds one' }),
  replies: Type.Array(Type.Object({
    id: Type.String(), title: Type.String(), text: Type.String(),
    matterCodes: Type.Array(Type.String()), matterClasses: Type.Array(Type.String()), requestKinds: Type.Array(Type.String()),
  })),
  problems: Type.Optional(Type.Array(Type.Object({ setting: Type.String(), message: Type.String(), usingDefault: Type.Unknown() }), {
    description: 'Only for callers with catalog.manage: the stored library could not be used (the defaults apply)',
  })),
});

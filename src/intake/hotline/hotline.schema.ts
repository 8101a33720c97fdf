/** Request and response schemas of the 12345 hotline and its knowledge base, and their presenters. */
import { Type, type TSchema } from 'typebox';
import { URGENCIES } from '../../domain/case/channels.ts';
import { CALL_OUTCOMES, CALL_OUTCOME_ZH, REFERRALS, REFERRAL_ZH, REQUEST_KINDS, REQUEST_KIND_ZH, type CallOutcome, type Referral, type RequestKind } from '../../domain/hotline/hotline.ts';
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
  urgency: Type.Optional(StrEnum(URGENCIES, 'Urgency (一般/紧急/非常紧急); very_urgent = threat to life or property (2 h feedback)')),
  description: Type.String({ minLength: 1, maxLength: 4000, description: 'The caller\'s words' }),
  matterCode: Type.Optional(Type.String({ pattern: '^\\d{5}$', description: 'Matter code; required unless a consultation is answered directly or refused' })),
  location: CreateCaseBody.properties.location,
  address: CreateCaseBody.properties.address,
  complex: Type.Optional(Type.Boolean({ description: 'Complex matter (疑难复杂): 15-day feedback limit' })),
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
  feedbackClass: Nullable(Type.String({ description: 'threat 2 h | utility 24 h | general 7 d | complex 15 d' })),
  feedbackDueAt: Nullable(Type.String({ description: 'When the caller must have a substantive answer (natural time)' })),
  createdBy: Nullable(Type.String()), createdAt: Type.String(),
});

export const CallsQuery = Type.Object({
  phone: Type.Optional(Type.String({ maxLength: 30, description: 'Calls from this phone' })),
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
    feedbackClass: c.feedback_class, feedbackDueAt: iso(c.feedback_due_at), createdBy: c.created_by, createdAt: iso(c.created_at)!,
  };
}

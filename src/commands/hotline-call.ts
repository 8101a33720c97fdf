/**
 * recordHotlineCall: one 12345 call → one outcome, always recorded in hotline_calls:
 *   answered — a consultation answered from the knowledge base (直接答复): closed at once, no case;
 *   refused  — out of scope, refused with the referral recorded (never silently dropped), no case;
 *   linked   — a repeat call about the caller's open case: a 催办 on that case, no new case;
 *   case     — otherwise a new case through the one intake pipeline (createCase, channel 'hotline').
 * The feedback limit (接诉即办; the city's data, Beijing's 2 h / 24 h / 7 d / 15 d by default: feedback-policy.ts) is
 * stored on the call (and on the case it creates). The call that files a case also starts the feedback clock: its
 * warning (80 %) and the sweep's next look are on the call row, so the deadline sweep warns and flags it overdue
 * until the caller is answered (src/domain/alerts/feedback.ts). The call row commits in the same transaction as the
 * case or the 催办, so a call is never half-recorded. With an Idempotency-Key a retried work order returns the first outcome (same call, same case);
 * the same key with different content is a 409.
 */
import crypto from 'node:crypto';
import type { AppContext } from '../runtime/context.ts';
import { DomainError, invalid, notFound } from '../domain/errors.ts';
import type { Actor } from '../domain/policy/scope.ts';
import type { Urgency } from '../domain/case/channels.ts';
import type { CoordSystem } from '../domain/grid/index.ts';
import { addLimit, warningAt } from '../domain/deadline/index.ts';
import { feedbackLimitOf } from '../domain/hotline/feedback-policy.ts';
import {
  REPEAT_WINDOW_MS, isValidCallerPhone, normalizePhone, type CallOutcome, type Referral, type RequestKind,
} from '../domain/hotline/hotline.ts';
import { isOpen, type State } from '../domain/case/index.ts';
import { createCase } from './case-create.ts';
import { transitionCase } from './case-transition.ts';
import { type CaseRow } from '../storage/repositories/case.repository.ts';
import { type HotlineCallRow, type KbArticleRow } from '../storage/repositories/hotline.repository.ts';
import { isUniqueViolation } from '../storage/codec.ts';

export interface HotlineCallInput {
  caller: { name?: string; phone: string };
  kind: RequestKind;
  urgency?: Urgency;
  description: string;
  matterCode?: string;
  location?: { lon: number; lat: number; coordSystem?: CoordSystem };
  address?: string;
  /** The complex class (疑难复杂, 15 days) is the operator's call. */
  complex?: boolean;
  /** The caller names the case they call about (a 催办 on it). */
  caseNo?: string;
  answer?: { articleId: number };
  refuse?: { reason: string; referral: Referral };
}

export interface HotlineCallResult { outcome: CallOutcome; call: HotlineCallRow; case?: CaseRow; article?: KbArticleRow; replayed?: boolean }

export async function recordHotlineCall(
  ctx: AppContext, input: HotlineCallInput, actor: Actor & { name?: string }, opts: { idempotencyKey?: string } = {},
): Promise<HotlineCallResult> {
  const key = opts.idempotencyKey;
  const requestHash = key ? crypto.createHash('sha256').update(JSON.stringify(canonical(input))).digest('hex') : null;
  if (key) {
    const prior = await replay(ctx, actor.userId, key, requestHash!);
    if (prior) return prior;
  }
  try {
    return await record(ctx, input, actor, key ?? null, requestHash);
  } catch (err) {
    // Two first attempts with one key at once: the loser hits the unique key; answer it as the repeat it is.
    if (key && isUniqueViolation(err)) {
      const prior = await replay(ctx, actor.userId, key, requestHash!);
      if (prior) return prior;
    }
    throw err;
  }
}

async function replay(ctx: AppContext, userId: string, key: string, requestHash: string): Promise<HotlineCallResult | null> {
  const call = await ctx.store.hotline.findHotlineCallByKey(userId, key);
  if (!call) return null;
  if (call.request_hash !== requestHash) {
    throw new DomainError('CONFLICT', 'Idempotency-Key was already used with different content', { field: 'Idempotency-Key' });
  }
  const c = call.case_id === null ? undefined : await ctx.store.cases.findCase(Number(call.case_id));
  const article = call.article_id === null ? undefined : await ctx.store.hotline.findKbArticle(Number(call.article_id));
  return { outcome: call.outcome as CallOutcome, call, ...(c ? { case: c } : {}), ...(article ? { article } : {}), replayed: true };
}

async function record(
  ctx: AppContext, input: HotlineCallInput, actor: Actor & { name?: string }, key: string | null, requestHash: string | null,
): Promise<HotlineCallResult> {
  const now = ctx.clock.now();
  const ref = ctx.ref.current();
  if (!isValidCallerPhone(input.caller.phone)) throw invalid('caller.phone', 'is not a valid phone number (mobile 1xxxxxxxxxx or landline 0xx-xxxxxxxx)');
  const phone = normalizePhone(input.caller.phone);
  const description = input.description.trim();
  if (!description) throw invalid('description', 'must not be blank');
  if (input.answer && input.refuse) throw invalid('refuse', 'a call is either answered or refused, not both');
  if (input.answer && input.kind !== 'consult') throw invalid('answer', `only a consultation (consult) is answered directly, not "${input.kind}"`);
  if (input.matterCode !== undefined && !ref.matters.has(input.matterCode)) throw invalid('matterCode', `unknown matter code "${input.matterCode}"`);
  if (input.refuse && !input.refuse.reason.trim()) throw invalid('refuse.reason', 'must not be blank');

  const urgency: Urgency = input.urgency ?? 'normal';
  const limit = feedbackLimitOf(ref.hotlineFeedback, { urgency, matterCode: input.matterCode, description, complex: input.complex });
  const base = {
    caller_name: input.caller.name?.trim() || null, caller_phone: phone, kind: input.kind, urgency, description,
    matter_code: input.matterCode ?? null, created_by: actor.userId, created_at: now,
    referral: null, refusal_reason: null, article_id: null, case_id: null, idempotency_key: key, request_hash: requestHash,
  };
  const timed = { feedback_class: limit.feedbackClass, feedback_due_at: addLimit(ref.calendar, now, limit) };
  // The clock that runs until the caller is answered: only for the call that files the case (a repeat call urges
  // that case; its own deadline is recorded, the case's clock is the first call's).
  const warnAt = warningAt(ref.calendar, now, limit);
  const clock = { feedback_warn_at: warnAt, feedback_level: 'normal', feedback_next_at: warnAt };
  if (input.refuse) {
    // Referred elsewhere: nothing for this centre to answer later, so no feedback clock.
    const call = await ctx.store.hotline.insertHotlineCall({
      ...base, outcome: 'refused', referral: input.refuse.referral, refusal_reason: input.refuse.reason.trim(), feedback_class: null, feedback_due_at: null,
    });
    return { outcome: 'refused', call };
  }

  if (input.answer) {
    const article = await ctx.store.hotline.findKbArticle(input.answer.articleId);
    if (!article || Number(article.active) !== 1) throw invalid('answer.articleId', `no active knowledge-base article ${input.answer.articleId}`);
    // Answered on the call: the feedback is given now.
    const call = await ctx.store.hotline.insertHotlineCall({ ...base, outcome: 'answered', article_id: article.id, feedback_class: limit.feedbackClass, feedback_due_at: now });
    return { outcome: 'answered', call, article };
  }

  // A repeat call: the case the caller names, or their open case about the same matter within 30 days.
  let open: CaseRow | undefined;
  if (input.caseNo !== undefined) {
    open = await ctx.store.cases.findCaseByNo(input.caseNo);
    if (!open) throw notFound('case', input.caseNo);
    if (!isOpen(open.state as State)) throw invalid('caseNo', `case ${input.caseNo} is no longer open (${open.state}): file a new work order`);
  } else if (input.matterCode !== undefined) {
    open = await ctx.store.hotline.findOpenCaseOfCaller(phone, input.matterCode, now - REPEAT_WINDOW_MS);
  }
  if (open) {
    // 催办 on the caller's behalf: operators may urge (level 'urge' only; the transition table says so).
    const urger = { ...actor, name: `${actor.name ?? actor.userId}（12345 来电催办）` };
    let call: HotlineCallRow | undefined;
    const updated = await transitionCase(ctx, Number(open.id), { action: 'supervise', level: 'urge', note: `来电催办：${description}` }, urger, {
      within: async (tx) => {
        call = await tx.hotline.insertHotlineCall({ ...base, matter_code: input.matterCode ?? open.matter_code, outcome: 'linked', case_id: Number(open.id), ...timed });
      },
    });
    return { outcome: 'linked', call: call!, case: updated };
  }

  if (input.matterCode === undefined) {
    throw invalid('matterCode', `is required for a ${input.kind} work order (only a consultation answered from the knowledge base may omit it)`);
  }
  // The call row is written by the case store in the case's own transaction (case_id filled in there).
  const r = await createCase(ctx, {
    channel: 'hotline', matterCode: input.matterCode, urgency, description, location: input.location, address: input.address,
    reporter: { name: base.caller_name ?? undefined, phone }, needsCallback: true, feedbackDueAt: timed.feedback_due_at,
    related: [{ table: 'hotline_calls', values: { ...base, outcome: 'case', ...timed, ...clock } }],
  }, actor);
  const call = await ctx.store.hotline.findHotlineCall(r.relatedIds![0]);
  return { outcome: 'case', call: call!, case: (await ctx.store.cases.findCase(Number(r.row.id))) ?? r.row };
}

/** Key order must not change the request hash. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v;
}

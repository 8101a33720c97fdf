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
 * case or the 催办, so a call is never half-recorded. Idempotency is the intake contract's one mechanism
 * (src/intake/contract.ts): the Idempotency-Key in the hotline's scope for the operator, with a hash of the whole work
 * order, recorded in the same transaction as the call — for a filed case the record names the case (the new-case
 * writer writes it), for the other outcomes the call (`call:<id>`). A retried work order returns the first outcome
 * (same call, same case); the same key with different content is a 409.
 */
import type { AppContext } from '../runtime/context.ts';
import { notFound, invalidAs } from '../domain/errors.ts';
import type { Actor } from '../domain/policy/scope.ts';
import type { Urgency } from '../domain/case/channels.ts';
import type { CoordSystem } from '../domain/grid/index.ts';
import { addLimit, warningAt } from '../domain/deadline/index.ts';
import { feedbackLimitOf } from '../domain/hotline/feedback-policy.ts';
import {
  REPEAT_WINDOW_MS, isValidCallerPhone, normalizePhone, type CallOutcome, type Referral, type RequestKind,
} from '../domain/hotline/hotline.ts';
import { isOpen, type State } from '../domain/case/index.ts';
import type { Repositories } from '../storage/store.ts';
import { createCase } from './case-create.ts';
import { transitionCase } from './case-transition.ts';
import { type CaseRow } from '../storage/repositories/case.repository.ts';
import { type HotlineCallRow, type KbArticleRow } from '../storage/repositories/hotline.repository.ts';
import { isUniqueViolation } from '../storage/codec.ts';
import { idempotencyFor, keyConflict, type Idempotency } from '../intake/contract.ts';

export interface HotlineCallInput {
  caller: { name?: string; phone: string };
  kind: RequestKind;
  urgency?: Urgency;
  /** The seat confirms that words that sound like a threat to life are not an emergency. */
  emergencyConfirmed?: boolean;
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
  const idem = opts.idempotencyKey ? idempotencyFor('hotline', actor, opts.idempotencyKey, input) : undefined;
  if (idem) {
    const prior = await replay(ctx, idem);
    if (prior) return prior;
  }
  try {
    return await record(ctx, input, actor, idem);
  } catch (err) {
    // Two first attempts with one key at once: the loser hits the key's primary key; answer it as the repeat it is.
    if (idem && isUniqueViolation(err)) {
      const prior = await replay(ctx, idem);
      if (prior) return prior;
    }
    throw err;
  }
}

async function replay(ctx: AppContext, idem: Idempotency): Promise<HotlineCallResult | null> {
  const prior = await ctx.store.cases.findIdempotent(idem.scope, idem.key);
  if (!prior) return null;
  if (prior.request_hash !== idem.requestHash) throw keyConflict();
  // The record names the call (`call:<id>`), or the case the call filed (the call is the one that filed it).
  const call = prior.result_id.startsWith('call:')
    ? await ctx.store.hotline.findHotlineCall(Number(prior.result_id.slice(5)))
    : await ctx.store.hotline.findFilingCall(Number(prior.result_id));
  if (!call) return null;
  const c = call.case_id === null ? undefined : await ctx.store.cases.findCase(Number(call.case_id));
  const article = call.article_id === null ? undefined : await ctx.store.hotline.findKbArticle(Number(call.article_id));
  return { outcome: call.outcome as CallOutcome, call, ...(c ? { case: c } : {}), ...(article ? { article } : {}), replayed: true };
}

async function record(
  ctx: AppContext, input: HotlineCallInput, actor: Actor & { name?: string }, idem: Idempotency | undefined,
): Promise<HotlineCallResult> {
  const now = ctx.clock.now();
  const ref = ctx.ref.current();
  if (!isValidCallerPhone(input.caller.phone)) throw invalidAs('caller.phone', { key: 'field.not_valid_phone_number_mobile' }, 'is not a valid phone number (mobile 1xxxxxxxxxx or landline 0xx-xxxxxxxx)');
  const phone = normalizePhone(input.caller.phone);
  const description = input.description.trim();
  if (!description) throw invalidAs('description', { key: 'field.not_blank' }, 'must not be blank');
  if (input.answer && input.refuse) throw invalidAs('refuse', { key: 'hotline-call.call_either_answered_or_refused' }, 'a call is either answered or refused, not both');
  if (input.answer && input.kind !== 'consult') throw invalidAs('answer', { key: 'hotline-call.only_consultation_consult_answered_directly', params: { kind: String(input.kind) } }, `only a consultation (consult) is answered directly, not "${input.kind}"`);
  if (input.matterCode !== undefined && !ref.matters.has(input.matterCode)) throw invalidAs('matterCode', { key: 'sensing.unknown_matter_code_2', params: { matterCode: String(input.matterCode) } }, `unknown matter code "${input.matterCode}"`);
  if (input.refuse && !input.refuse.reason.trim()) throw invalidAs('refuse.reason', { key: 'field.not_blank' }, 'must not be blank');

  const urgency: Urgency = input.urgency ?? 'normal';
  const limit = feedbackLimitOf(ref.hotlineFeedback, { urgency, matterCode: input.matterCode, description, complex: input.complex });
  const base = {
    caller_name: input.caller.name?.trim() || null, caller_phone: phone, kind: input.kind, urgency, description,
    matter_code: input.matterCode ?? null, created_by: actor.userId, created_at: now,
    referral: null, refusal_reason: null, article_id: null, case_id: null, idempotency_key: idem?.key ?? null, request_hash: idem?.requestHash ?? null,
  };
  const timed = { feedback_class: limit.feedbackClass, feedback_due_at: addLimit(ref.calendar, now, limit) };
  // The clock that runs until the caller is answered: only for the call that files the case (a repeat call urges
  // that case; its own deadline is recorded, the case's clock is the first call's).
  const warnAt = warningAt(ref.calendar, now, limit);
  const clock = { feedback_warn_at: warnAt, feedback_level: 'normal', feedback_next_at: warnAt };
  if (input.refuse) {
    // Referred elsewhere: nothing for this centre to answer later, so no feedback clock.
    const call = await ctx.store.transaction(async (tx) => remember(tx, idem, await tx.hotline.insertHotlineCall({
      ...base, outcome: 'refused', referral: input.refuse!.referral, refusal_reason: input.refuse!.reason.trim(), feedback_class: null, feedback_due_at: null,
    })));
    return { outcome: 'refused', call };
  }

  if (input.answer) {
    const article = await ctx.store.hotline.findKbArticle(input.answer.articleId);
    if (!article || Number(article.active) !== 1) throw invalidAs('answer.articleId', { key: 'hotline-call.no_active_knowledge_base_article', params: { articleId: String(input.answer.articleId) } }, `no active knowledge-base article ${input.answer.articleId}`);
    // Answered on the call: the feedback is given now.
    const call = await ctx.store.transaction(async (tx) => remember(tx, idem, await tx.hotline.insertHotlineCall({
      ...base, outcome: 'answered', article_id: article.id, feedback_class: limit.feedbackClass, feedback_due_at: now,
    })));
    return { outcome: 'answered', call, article };
  }

  // A repeat call: the case the caller names, or their open case about the same matter within 30 days.
  let open: CaseRow | undefined;
  if (input.caseNo !== undefined) {
    open = await ctx.store.cases.findCaseByNo(input.caseNo);
    if (!open) throw notFound('case', input.caseNo);
    if (!isOpen(open.state as State)) throw invalidAs('caseNo', { key: 'hotline-call.case_no_longer_open_file', params: { caseNo: String(input.caseNo), state: String(open.state) } }, `case ${input.caseNo} is no longer open (${open.state}): file a new work order`);
  } else if (input.matterCode !== undefined) {
    open = await ctx.store.hotline.findOpenCaseOfCaller(phone, input.matterCode, now - REPEAT_WINDOW_MS);
  }
  if (open) {
    // 催办 on the caller's behalf: operators may urge (level 'urge' only; the transition table says so).
    const urger = { ...actor, name: `${actor.name ?? actor.userId}（12345 来电催办）` };
    let call: HotlineCallRow | undefined;
    const updated = await transitionCase(ctx, Number(open.id), { action: 'supervise', level: 'urge', note: `来电催办：${description}` }, urger, {
      within: async (tx) => {
        call = await remember(tx, idem, await tx.hotline.insertHotlineCall({ ...base, matter_code: input.matterCode ?? open.matter_code, outcome: 'linked', case_id: Number(open.id), ...timed }));
      },
    });
    return { outcome: 'linked', call: call!, case: updated };
  }

  if (input.matterCode === undefined) {
    throw invalidAs('matterCode', { key: 'hotline-call.required_for_work_order_only', params: { kind: String(input.kind) } }, `is required for a ${input.kind} work order (only a consultation answered from the knowledge base may omit it)`);
  }
  // The call row is written by the case store in the case's own transaction (case_id filled in there).
  const r = await createCase(ctx, {
    channel: 'hotline', matterCode: input.matterCode, urgency, description, location: input.location, address: input.address,
    reporter: { name: base.caller_name ?? undefined, phone }, needsCallback: true, feedbackDueAt: timed.feedback_due_at,
    related: [{ table: 'hotline_calls', values: { ...base, outcome: 'case', ...timed, ...clock } }],
    idempotency: idem, emergencyConfirmed: input.emergencyConfirmed,
  }, actor);
  if (!r.created) return (await replay(ctx, idem!))!; // a concurrent first attempt filed it
  const call = await ctx.store.hotline.findHotlineCall(r.relatedIds![0]);
  return { outcome: 'case', call: call!, case: (await ctx.store.cases.findCase(Number(r.row.id))) ?? r.row };
}

/** The key's record for a call that filed no case, in the call's own transaction. */
async function remember(tx: Repositories, idem: Idempotency | undefined, call: HotlineCallRow): Promise<HotlineCallRow> {
  if (idem) await tx.cases.insertIdempotent({ scope: idem.scope, key: idem.key, request_hash: idem.requestHash, result_id: `call:${call.id}`, created_at: call.created_at });
  return call;
}

/**
 * recordHotlineCall: one 12345 call → one outcome, always recorded in hotline_calls:
 *   answered — a consultation answered from the knowledge base (直接答复): closed at once, no case;
 *   refused  — out of scope, refused with the referral recorded (never silently dropped), no case;
 *   linked   — a repeat call about the caller's open case: a 催办 on that case, no new case;
 *   case     — otherwise a new case through the one intake pipeline (createCase, channel 'hotline').
 * The feedback limit (Beijing 接诉即办: 2 h / 24 h / 7 d / 15 d) is computed in natural time and stored on the call.
 */
import type { AppContext } from '../core/context.ts';
import { invalid, notFound } from '../domain/errors.ts';
import type { Actor } from '../domain/policy/scope.ts';
import type { Urgency } from '../domain/case/channels.ts';
import type { CoordSystem } from '../domain/grid/index.ts';
import { addLimit } from '../domain/deadline/index.ts';
import {
  REPEAT_WINDOW_MS, feedbackLimitOf, isValidCallerPhone, normalizePhone, type CallOutcome, type Referral, type RequestKind,
} from '../domain/hotline/hotline.ts';
import { isOpen, type State } from '../domain/case/index.ts';
import { createCase } from './case-create.ts';
import { transitionCase } from './case-transition.ts';
import { findCase, findCaseByNo, type CaseRow } from '../storage/repositories/case.repository.ts';
import {
  findKbArticle, findOpenCaseOfCaller, insertHotlineCall, type HotlineCallRow, type KbArticleRow,
} from '../storage/repositories/hotline.repository.ts';

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

export interface HotlineCallResult { outcome: CallOutcome; call: HotlineCallRow; case?: CaseRow; article?: KbArticleRow }

export async function recordHotlineCall(ctx: AppContext, input: HotlineCallInput, actor: Actor & { name?: string }): Promise<HotlineCallResult> {
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
  const limit = feedbackLimitOf({ kind: input.kind, urgency, matterCode: input.matterCode, description, complex: input.complex });
  const base = {
    caller_name: input.caller.name?.trim() || null, caller_phone: phone, kind: input.kind, urgency, description,
    matter_code: input.matterCode ?? null, created_by: actor.userId, created_at: now,
    referral: null, refusal_reason: null, article_id: null, case_id: null,
  };
  const timed = { feedback_class: limit.feedbackClass, feedback_due_at: addLimit(ref.calendar, now, limit) };

  if (input.refuse) {
    // Referred elsewhere: nothing for this centre to answer later, so no feedback clock.
    const call = await insertHotlineCall(ctx.db, {
      ...base, outcome: 'refused', referral: input.refuse.referral, refusal_reason: input.refuse.reason.trim(), feedback_class: null, feedback_due_at: null,
    });
    return { outcome: 'refused', call };
  }

  if (input.answer) {
    const article = await findKbArticle(ctx.db, input.answer.articleId);
    if (!article || Number(article.active) !== 1) throw invalid('answer.articleId', `no active knowledge-base article ${input.answer.articleId}`);
    // Answered on the call: the feedback is given now.
    const call = await insertHotlineCall(ctx.db, { ...base, outcome: 'answered', article_id: article.id, feedback_class: limit.feedbackClass, feedback_due_at: now });
    return { outcome: 'answered', call, article };
  }

  // A repeat call: the case the caller names, or their open case about the same matter within 30 days.
  let open: CaseRow | undefined;
  if (input.caseNo !== undefined) {
    open = await findCaseByNo(ctx.db, input.caseNo);
    if (!open) throw notFound('case', input.caseNo);
    if (!isOpen(open.state as State)) throw invalid('caseNo', `case ${input.caseNo} is no longer open (${open.state}): file a new work order`);
  } else if (input.matterCode !== undefined) {
    open = await findOpenCaseOfCaller(ctx.db, phone, input.matterCode, now - REPEAT_WINDOW_MS);
  }
  if (open) {
    // 催办 on the caller's behalf: operators may urge (level 'urge' only; the transition table says so).
    const urger = { ...actor, name: `${actor.name ?? actor.userId}（12345 来电催办）` };
    const updated = await transitionCase(ctx, Number(open.id), { action: 'supervise', level: 'urge', note: `来电催办：${description}` }, urger);
    const call = await insertHotlineCall(ctx.db, { ...base, matter_code: input.matterCode ?? open.matter_code, outcome: 'linked', case_id: Number(open.id), ...timed });
    return { outcome: 'linked', call, case: updated };
  }

  if (input.matterCode === undefined) {
    throw invalid('matterCode', `is required for a ${input.kind} work order (only a consultation answered from the knowledge base may omit it)`);
  }
  const r = await createCase(ctx, {
    channel: 'hotline', matterCode: input.matterCode, urgency, description, location: input.location, address: input.address,
    reporter: { name: base.caller_name ?? undefined, phone }, needsCallback: true,
  }, actor);
  const call = await insertHotlineCall(ctx.db, { ...base, outcome: 'case', case_id: Number(r.row.id), ...timed });
  return { outcome: 'case', call, case: (await findCase(ctx.db, Number(r.row.id))) ?? r.row };
}

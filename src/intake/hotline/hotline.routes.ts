/**
 * 12345 hotline (issue 3 §1): the knowledge base operators answer from, and the work-order endpoint that turns
 * one call into one recorded outcome (answered / refused / new case / 催办 on an open case).
 */
import { Type } from 'typebox';
import type { App } from '../../http/app.ts';
import type { AppContext } from '../../runtime/context.ts';
import { notFound, invalidAs } from '../../domain/errors.ts';
import { hasPermission } from '../../domain/policy/permissions.ts';
import { searchKb } from '../../domain/hotline/kb-search.ts';
import { normalizePhone } from '../../domain/hotline/hotline.ts';
import { recordHotlineCall } from '../../commands/hotline-call.ts';
import { replaceHotlineFeedbackLimits } from '../../commands/hotline-feedback-limits-replace.ts';
import { replaceEmergencyWords } from '../../commands/emergency-words-replace.ts';
import { replaceStandardReplies } from '../../commands/standard-replies-replace.ts';
import { repliesFor } from '../../domain/hotline/standard-replies.ts';
import { principalOf } from '../../http/middleware/auth.ts';
import { ErrorResponse, shared } from '../../http/routes/common.schema.ts';
import { CaseDto } from '../../http/routes/cases/case.schema.ts';
import { presentCase } from '../../http/routes/cases/case.presenter.ts';
import {
  CallDto, CallsQuery, EmergencyWordsBody, EmergencyWordsDto, FeedbackLimitsBody, FeedbackLimitsDto, KbArticleBody, KbArticleDto, KbIdParam, KbQuery, WorkOrderBody, presentCall,
  presentFeedbackPolicy, presentKbArticle, StandardRepliesBody, StandardRepliesDto, StandardRepliesQuery,
} from './hotline.schema.ts';

const CaseRef = shared('Case', CaseDto);
const KbRef = shared('KbArticle', KbArticleDto);
const CallRef = shared('HotlineCall', CallDto);
const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };

export async function hotlineRoutes(app: App, ctx: AppContext): Promise<void> {
  const checkMatter = (code: string | null | undefined) => {
    if (code && !ctx.ref.current().matters.has(code)) throw invalidAs('matterCode', { key: 'hotline.unknown_matter_code', params: { code: String(code) } }, `unknown matter code "${code}"`);
  };

  app.get('/api/v1/kb', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['hotline'],
      summary: 'Search the knowledge base (知识库): Chinese keywords by character bigrams, best first with a score',
      querystring: KbQuery,
      response: { 200: Type.Object({ items: Type.Array(KbRef) }), ...ERRORS },
    },
  }, async (req) => {
    const q = req.query;
    const docs = await ctx.store.hotline.listKbArticles({ matterCode: q.matterCode });
    const hits = searchKb(docs, q.q ?? '', q.limit ?? 20);
    return { items: hits.map((h) => presentKbArticle(h.doc, h.score)) };
  });

  app.post('/api/v1/kb', {
    config: { permission: 'catalog.manage' },
    schema: { tags: ['hotline'], summary: 'Add a knowledge-base article', body: KbArticleBody, response: { 201: KbRef, ...ERRORS } },
  }, async (req, reply) => {
    const body = req.body;
    checkMatter(body.matterCode);
    const id = await ctx.store.hotline.insertKbArticle(body, ctx.clock.now());
    return reply.status(201).header('location', `/api/v1/kb/${id}`).send(presentKbArticle((await ctx.store.hotline.findKbArticle(id))!));
  });

  app.put('/api/v1/kb/:id', {
    config: { permission: 'catalog.manage' },
    schema: { tags: ['hotline'], summary: 'Replace a knowledge-base article (active: false retires it)', params: KbIdParam, body: KbArticleBody, response: { 200: KbRef, ...ERRORS } },
  }, async (req) => {
    const body = req.body;
    checkMatter(body.matterCode);
    if (!(await ctx.store.hotline.updateKbArticle(req.params.id, body, ctx.clock.now()))) throw notFound('knowledge-base article', req.params.id);
    return presentKbArticle((await ctx.store.hotline.findKbArticle(req.params.id))!);
  });

  app.post('/api/v1/hotline/work-orders', {
    config: { permission: 'case.create' },
    schema: {
      tags: ['hotline'],
      summary: 'File a 12345 call: answered from the knowledge base, refused with a referral, a new case, or a 催办 on the caller\'s open case',
      description: 'A consultation with `answer.articleId` is closed at once (直接答复, no case). `refuse` records the referral (no case). '
        + 'A call from a phone with an open case of the same matter created in the last 30 days (or naming `caseNo`) is linked to it as a 催办 (urge). '
        + 'Otherwise a case is created (channel hotline, callback needed). `call.feedbackDueAt` is the hotline feedback deadline (the city\'s limits, '
        + 'GET /hotline/feedback-limits; Beijing\'s 2 h / 24 h / 7 d / 15 d by default), also on the case; it warns at 80 % and goes overdue until the caller is answered. '
        + 'Send an `Idempotency-Key` header to retry safely: a repeat answers 200 with the first outcome; the same key with other content is 409.',
      body: WorkOrderBody,
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Client-chosen key; repeats return the first outcome' })) }),
      response: {
        201: Type.Object({ outcome: Type.String(), call: CallRef, case: Type.Optional(CaseRef), article: Type.Optional(KbRef) }),
        200: Type.Object({ outcome: Type.String(), call: CallRef, case: Type.Optional(CaseRef), article: Type.Optional(KbRef) }, { description: 'A retry with the same Idempotency-Key: the first outcome' }),
        ...ERRORS,
      },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const key = req.headers['idempotency-key'];
    const r = await recordHotlineCall(ctx, req.body, p, { idempotencyKey: typeof key === 'string' && key ? key : undefined });
    const show = hasPermission(p.roles, 'personal_data.read');
    return reply.status(r.replayed ? 200 : 201).send({
      outcome: r.outcome, call: presentCall(r.call, show),
      ...(r.case ? { case: presentCase(r.case, ctx.ref, p) } : {}),
      ...(r.article ? { article: presentKbArticle(r.article) } : {}),
    });
  });

  app.get('/api/v1/hotline/calls', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['hotline'],
      summary: 'Recent hotline calls, newest first (caller masked unless personal_data.read); `mine` = a seat\'s own log',
      description: 'With `mine=true` the answer also counts the seat\'s calls since `since` by outcome (answered, refused, case, linked = 催办).',
      querystring: CallsQuery,
      response: { 200: Type.Object({ items: Type.Array(CallRef), counts: Type.Optional(Type.Record(Type.String(), Type.Integer())) }), ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const since = req.query.since === undefined ? undefined : Date.parse(req.query.since);
    if (since !== undefined && !Number.isFinite(since)) throw invalidAs('since', { key: 'hotline.iso_date_time' }, 'must be an ISO date-time');
    const takenBy = req.query.mine ? p.userId : undefined;
    const [rows, counts] = await Promise.all([
      ctx.store.hotline.listHotlineCalls({ phone: req.query.phone ? normalizePhone(req.query.phone) : undefined, takenBy, since, limit: req.query.limit ?? 50 }),
      takenBy ? ctx.store.hotline.countCallsOfSeat(takenBy, since ?? 0) : undefined,
    ]);
    const show = hasPermission(p.roles, 'personal_data.read');
    return { items: rows.map((c) => presentCall(c, show)), ...(counts ? { counts } : {}) };
  });

  const feedbackLimitsView = (withProblems: boolean) => {
    const d = ctx.ref.current();
    return presentFeedbackPolicy(d.hotlineFeedback, withProblems ? d.problems.filter((x) => x.setting === 'hotline_feedback_limits') : undefined);
  };

  app.get('/api/v1/hotline/feedback-limits', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['hotline'],
      summary: 'The 12345 feedback limits (接诉即办) in force: the limit of each class, the urgency → class mapping, the utility classes and words',
      description: 'Callers who may change them (catalog.manage) also get `problems`: a stored value that could not be used (the defaults apply).',
      response: { 200: FeedbackLimitsDto, ...ERRORS },
    },
  }, async (req) => feedbackLimitsView(hasPermission(principalOf(req).roles, 'catalog.manage')));

  app.put('/api/v1/hotline/feedback-limits', {
    config: { permission: 'catalog.manage' },
    schema: {
      tags: ['hotline'],
      summary: 'Replace the 12345 feedback limits (an omitted part takes its Beijing default); new calls use them at once',
      description: 'Validated before anything is written (400 names the field, e.g. `limits.threat.amount`). One transaction: the settings row, '
        + 'the reference version and a `hotline.feedback_limits_replaced` event. Calls already taken keep their deadlines.',
      body: FeedbackLimitsBody,
      response: { 200: FeedbackLimitsDto, ...ERRORS },
    },
  }, async (req) => {
    await replaceHotlineFeedbackLimits(ctx, req.body, principalOf(req).userId);
    return feedbackLimitsView(true);
  });

  const emergencyWordsView = (withProblems: boolean) => {
    const d = ctx.ref.current();
    const problems = d.problems.filter((x) => x.setting === 'emergency_words');
    return { rules: d.emergencyWords.rules, ...(withProblems && problems.length ? { problems } : {}) };
  };

  app.get('/api/v1/hotline/emergency-words', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['hotline'],
      summary: 'The seat\'s emergency words in force: which words mean a threat to life or an urgent danger, and where to refer the caller',
      description: 'Used by the matter suggestion (`emergency`) and by case creation: a report whose words mean a threat to life is '
        + 'saved below 非常紧急 only with `emergencyConfirmed: true`. Callers who may change them (catalog.manage) also get `problems`.',
      response: { 200: EmergencyWordsDto, ...ERRORS },
    },
  }, async (req) => emergencyWordsView(hasPermission(principalOf(req).roles, 'catalog.manage')));

  app.put('/api/v1/hotline/emergency-words', {
    config: { permission: 'catalog.manage' },
    schema: {
      tags: ['hotline'],
      summary: 'Replace the seat\'s emergency words (the whole list); suggestions and case creation use them at once',
      description: 'Validated before anything is written (400 names the field, e.g. `rules.2.level`). One transaction: the settings row, '
        + 'the reference version and a `hotline.emergency_words_replaced` event.',
      body: EmergencyWordsBody,
      response: { 200: EmergencyWordsDto, ...ERRORS },
    },
  }, async (req) => {
    await replaceEmergencyWords(ctx, req.body, principalOf(req).userId);
    return emergencyWordsView(true);
  });

  const repliesView = (withProblems: boolean, filter?: { matterCode?: string; requestKind?: string }) => {
    const d = ctx.ref.current();
    const lib = d.standardReplies;
    const problems = d.problems.filter((x) => x.setting === 'standard_replies');
    const replies = filter && (filter.matterCode || filter.requestKind) ? repliesFor(lib, filter) : lib.replies;
    return { version: lib.version, replies, ...(withProblems && problems.length ? { problems } : {}) };
  };

  app.get('/api/v1/hotline/replies', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['hotline'],
      summary: 'The seats\' standard replies (话术库): all of them, or those for a matter and a kind of request, best fit first',
      description: 'With `matterCode` / `requestKind`: the replies for that matter, then its class, then the kind of request, then the general '
        + 'ones; replies tied to another matter or kind are left out. Callers who may change them (catalog.manage) also get `problems`.',
      querystring: StandardRepliesQuery,
      response: { 200: StandardRepliesDto, ...ERRORS },
    },
  }, async (req) => repliesView(hasPermission(principalOf(req).roles, 'catalog.manage'), req.query));

  app.put('/api/v1/hotline/replies', {
    config: { permission: 'catalog.manage' },
    schema: {
      tags: ['hotline'],
      summary: 'Replace the standard replies as a whole: the next version of the library; seats see it at once',
      description: 'Validated before anything is written (400 names the field, e.g. `replies.2.text`, `replies[1].matterCodes[0]` for an unknown '
        + 'matter). One transaction: the settings row, the reference version and a `hotline.replies_replaced` event.',
      body: StandardRepliesBody,
      response: { 200: StandardRepliesDto, ...ERRORS },
    },
  }, async (req) => {
    await replaceStandardReplies(ctx, req.body, principalOf(req).userId);
    return repliesView(true);
  });
}

/**
 * 每月一题 (monthly governance topics) and 未诉先办 (proactive tasks) over HTTP: lists within the caller's scope,
 * one record with its history, propose / suggest on demand, and the lifecycle actions. Thin handlers: the commands
 * check the lifecycle (domain/recurrence/lifecycle.ts) and write history and events; responses carry allowedActions.
 */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { notFound } from '../../../domain/errors.ts';
import { cityDay, monthOfDay, parseMonth } from '../../../domain/hotspot/period.ts';
import { proposeTopics } from '../../../commands/topic-propose.ts';
import { actOnTopic } from '../../../commands/topic-act.ts';
import { suggestProactive } from '../../../commands/proactive-suggest.ts';
import { actOnProactive } from '../../../commands/proactive-act.ts';
import { principalOf, type Principal } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { visibilityOf } from '../cases/case.load.ts';
import { decideScope, inRecords } from './decide.scope.ts';
import { presentProactive, presentTopic } from './decide.presenter.ts';
import {
  IdParam, ProactiveActBody, ProactiveActParam, ProactiveDto, ProactiveListDto, ProactiveListQuery, ProposeBody, ProposeDto, SuggestDto, TopicActBody, TopicActParam,
  TopicDto, TopicListDto, TopicListQuery,
} from './decide.schema.ts';
import type { ProactiveRow, TopicRow } from '../../../storage/repositories/topic.repository.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };
const TAGS = ['decide'];

export async function decideRecordRoutes(app: App, ctx: AppContext): Promise<void> {
  const scopeOf = (p: Principal) => decideScope(p, ctx.ref.current(), visibilityOf(p, ctx.ref));
  const seesTopic = (p: Principal) => { const s = scopeOf(p).records; return (t: TopicRow) => inRecords(s, [t.district_id, t.street_id, t.community_id], t.unit_id); };
  const seesTask = (p: Principal) => { const s = scopeOf(p).records; return (t: ProactiveRow) => inRecords(s, [t.district_id, t.street_id, t.community_id]); };

  const topicView = async (p: Principal, id: number, withHistory: boolean) => {
    const t = await ctx.store.topics.findTopic(id);
    if (!t || !seesTopic(p)(t)) throw notFound('topic', id);
    return presentTopic(t, ctx.ref.current(), scopeOf(p).actor, withHistory ? await ctx.store.topics.historyOf('topic', id) : undefined);
  };
  const taskView = async (p: Principal, id: number, withHistory: boolean) => {
    const t = await ctx.store.topics.findProactive(id);
    if (!t || !seesTask(p)(t)) throw notFound('proactive task', id);
    const prob = await ctx.store.recurrence.findProblem(Number(t.problem_id));
    return presentProactive(t, ctx.ref.current(), scopeOf(p).actor, prob, withHistory ? await ctx.store.topics.historyOf('proactive', id) : undefined);
  };

  app.get('/api/v1/decide/topics', {
    config: { permission: 'decide.read' },
    schema: {
      tags: TAGS, summary: '每月一题: candidate and adopted monthly governance topics (the month\'s top recurring problems)',
      description: 'Within the caller\'s regions; unit staff see the topics given to their unit. Newest month first, then by rank.',
      querystring: TopicListQuery, response: { 200: TopicListDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const s = scopeOf(p);
    const month = req.query.month ? parseMonth(req.query.month) : undefined;
    const rows = await ctx.store.topics.listTopics({ month, state: req.query.state ? [req.query.state] : undefined, scope: s.records, limit: 200 });
    const ref = ctx.ref.current();
    return { items: rows.map((t) => presentTopic(t, ref, s.actor)) };
  });

  app.post('/api/v1/decide/topics/propose', {
    config: { permission: 'decide.lead' },
    schema: {
      tags: TAGS, summary: 'Propose the month\'s candidates now (the job does it daily): the recurring problems with the most reports in the month',
      description: 'Idempotent: a problem is proposed once per month; candidates still proposed get their count and rank refreshed.',
      body: ProposeBody, response: { 200: ProposeDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const month = req.body?.month ? parseMonth(req.body.month) : monthOfDay(cityDay(ctx.clock.now(), ctx.config.utcOffsetMinutes));
    return proposeTopics(ctx, month, p);
  });

  app.get('/api/v1/decide/topics/:id', {
    config: { permission: 'decide.read' },
    schema: { tags: TAGS, summary: 'One topic with its history', params: IdParam, response: { 200: TopicDto, ...ERRORS } },
  }, async (req) => topicView(principalOf(req), Number(req.params.id), true));

  app.post('/api/v1/decide/topics/:id/:action', {
    config: { permission: 'decide.read' },
    schema: {
      tags: TAGS, summary: 'Act on a topic: adopt, assign (to a unit), resolve, dismiss',
      description: 'A centre leader (decide.lead) adopts, assigns and dismisses; the assigned unit\'s leader or a centre leader resolves. '
        + '409 lists the actions the state allows; 409 on `version` when someone else moved it first.',
      params: TopicActParam, body: TopicActBody, response: { 200: TopicDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const id = Number(req.params.id);
    await actOnTopic(ctx, id, req.params.action, req.body, p, scopeOf(p).actor, seesTopic(p));
    return topicView(p, id, true);
  });

  app.get('/api/v1/decide/proactive', {
    config: { permission: 'decide.read' },
    schema: {
      tags: TAGS, summary: '未诉先办: places where a recurring problem is due back, as proactive tasks (soonest first)',
      querystring: ProactiveListQuery, response: { 200: ProactiveListDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const s = scopeOf(p);
    const rows = await ctx.store.topics.listProactive({ state: req.query.state ? [req.query.state] : undefined, scope: s.records, limit: 200 });
    const problems = new Map((await ctx.store.recurrence.findProblems(rows.map((r) => Number(r.problem_id)))).map((x) => [Number(x.id), x]));
    const ref = ctx.ref.current();
    return { items: rows.map((t) => presentProactive(t, ref, s.actor, problems.get(Number(t.problem_id)))) };
  });

  app.post('/api/v1/decide/proactive/suggest', {
    config: { permission: 'decide.lead' },
    schema: {
      tags: TAGS, summary: 'Look for rhythms now (the job does it daily) and propose the tasks due within the city\'s horizon',
      response: { 200: SuggestDto, ...ERRORS },
    },
  }, async (req) => suggestProactive(ctx, principalOf(req)));

  app.get('/api/v1/decide/proactive/:id', {
    config: { permission: 'decide.read' },
    schema: { tags: TAGS, summary: 'One proactive task with its history', params: IdParam, response: { 200: ProactiveDto, ...ERRORS } },
  }, async (req) => taskView(principalOf(req), Number(req.params.id), true));

  app.post('/api/v1/decide/proactive/:id/:action', {
    config: { permission: 'decide.read' },
    schema: {
      tags: TAGS, summary: 'Act on a proactive task: adopt (creates a case through the intake, channel proactive), resolve, dismiss',
      description: 'A centre leader (decide.lead) acts. Adopting again after a failure finds the same case (idempotent).',
      params: ProactiveActParam, body: ProactiveActBody, response: { 200: ProactiveDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const id = Number(req.params.id);
    await actOnProactive(ctx, id, req.params.action, req.body, p, scopeOf(p).actor, seesTask(p));
    return taskView(p, id, true);
  });
}

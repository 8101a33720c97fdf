/**
 * Supervision (督办) over HTTP: candidates (open cases that are overdue, or important by urgency, in the caller's
 * scope, with the notice in force), issue a notice (the case's `supervise` action + 督办单), the unit's answer, and
 * the list of notices (open, answered, raised). Thin handlers.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { principalOf } from '../../middleware/auth.ts';
import { answerNotice, issueNotice } from '../../../commands/supervision-issue.ts';
import { deskVisibility } from '../../../commands/desk-common.ts';
import { CaseDto, visibilityOf } from '../cases/case.load.ts';
import { presentCase } from '../cases/case.presenter.ts';
import { OPEN_STATES } from '../../../domain/case/transitions.ts';
import { DESK_ERRORS, ListPage, NoticeDto, StrEnum } from './desk.schema.ts';
import { presentNotice } from './desk.presenter.ts';

const TAGS = ['supervision'];
const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, description: 'Notice id' }) });
/** Supervision is about handling: a case waiting for its callback is done with its unit. */
const HANDLING = OPEN_STATES.filter((s) => s !== 'CLOSED_PENDING_CALLBACK');

export async function supervisionRoutes(app: App, ctx: AppContext): Promise<void> {
  const history = (id: string) => ctx.store.deskHistory.ofRecord('supervision', id);

  app.get('/api/v1/supervision/candidates', {
    config: { permission: 'case.read' },
    schema: {
      tags: TAGS, summary: 'Cases to supervise: open cases overdue (kind=overdue, default) or important by urgency (kind=important; city data), nearest deadline first',
      querystring: Type.Object({ kind: Type.Optional(StrEnum(['overdue', 'important'], 'overdue 超期 / important 重要（紧急程度）')), ...ListPage }),
      response: {
        200: Type.Object({ items: Type.Array(Type.Object({ case: CaseDto, notice: Type.Union([NoticeDto, Type.Null()], { description: 'The latest notice on the case' }) })) }),
        ...DESK_ERRORS,
      },
    },
  }, async (req) => {
    const p = principalOf(req);
    const now = ctx.clock.now();
    const kind = req.query.kind ?? 'overdue';
    const rows = await ctx.store.cases.listCases({
      state: HANDLING, visibility: visibilityOf(p, ctx.ref), limit: req.query.limit ?? 50, sort: 'due',
      ...(kind === 'overdue' ? { alertLevel: ['overdue'] } : { urgency: ctx.ref.current().desks.supervision.importantUrgencies }),
    });
    const notices = await Promise.all(rows.map((r) => ctx.store.supervision.noticesOfCase(Number(r.id))));
    return {
      items: rows.map((r, i) => {
        const n = notices[i].at(-1);
        return { case: presentCase(r, ctx.ref, p), notice: n ? presentNotice(n, ctx.ref, p, now) : null };
      }),
    };
  });

  app.post('/api/v1/supervision/notices', {
    config: { permission: 'case.transition' },
    schema: {
      tags: TAGS,
      summary: 'Issue a supervision notice (督办单) on a case: 催办 urge (operators too) / 督办 supervise / 领导督办 leader (leaders only); the unit answers before its deadline',
      description: 'The case\'s `supervise` action (history: level, noticeId, tier) and the notice in one transaction. A case without a unit (400 caseId) '
        + 'or with a notice still waiting for its answer (409 caseId) is refused.',
      body: Type.Object({
        caseId: Type.Integer({ minimum: 1, description: 'The case' }),
        level: StrEnum(['urge', 'supervise', 'leader'], '催办 / 督办 / 领导督办'),
        note: Type.String({ minLength: 1, maxLength: 2000, description: 'What the unit must do' }),
      }, { additionalProperties: false }),
      response: { 201: NoticeDto, ...DESK_ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const n = await issueNotice(ctx, req.body.caseId, req.body, p);
    return reply.status(201).send(presentNotice(n, ctx.ref, p, ctx.clock.now(), await history(n.id)));
  });

  app.post('/api/v1/supervision/notices/:id/answer', {
    config: { permission: 'case.transition' },
    schema: {
      tags: TAGS, summary: 'The supervised unit answers a notice (what it has done and will do)', params: IdParam,
      body: Type.Object({ answer: Type.String({ minLength: 1, maxLength: 2000, description: 'The answer' }) }, { additionalProperties: false }),
      response: { 200: NoticeDto, ...DESK_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const n = await answerNotice(ctx, req.params.id, req.body, p);
    return presentNotice(n, ctx.ref, p, ctx.clock.now(), await history(n.id));
  });

  app.get('/api/v1/supervision/notices', {
    config: { permission: 'case.read' },
    schema: {
      tags: TAGS, summary: 'Supervision notices in the caller\'s scope (centre: by region; units: their own), newest first; raised=true lists those raised a tier',
      querystring: Type.Object({
        state: Type.Optional(Type.Array(StrEnum(['open', 'answered'], 'State'), { description: 'Any of these states' })),
        tier: Type.Optional(Type.Array(StrEnum(['unit', 'district', 'city'], 'Tier'), { description: 'Any of these tiers' })),
        raised: Type.Optional(Type.Boolean({ description: 'Only notices raised a tier automatically' })),
        unitId: Type.Optional(Type.String({ description: 'The supervised unit' })), ...ListPage,
      }),
      response: { 200: Type.Object({ items: Type.Array(NoticeDto) }), ...DESK_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const q = req.query;
    const rows = await ctx.store.supervision.listNotices({ visibility: deskVisibility(p, ctx.ref), state: q.state, tier: q.tier, raised: q.raised, unitId: q.unitId, limit: q.limit ?? 50 });
    const now = ctx.clock.now();
    return { items: rows.map((r) => presentNotice(r, ctx.ref, p, now)) };
  });
}

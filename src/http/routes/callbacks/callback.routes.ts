/**
 * Callbacks (回访) over HTTP: the seats' queue (cases waiting for their callback, with the task in work if any), claim,
 * release, record a result; the desks' settings; and everything the desks hold about one case (its callbacks,
 * exclusions, appeals, supervision notices and their timelines) for the case page. Thin handlers: schema → load →
 * command (which checks the rules) → presenter. Reporters' phones are shown by the case presenter: unmasked only to
 * those with personal_data.read (seats, shift leaders).
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { DomainError } from '../../../domain/errors.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import { principalOf } from '../../middleware/auth.ts';
import { claimCallback, releaseCallback } from '../../../commands/callback-claim.ts';
import { recordCallback } from '../../../commands/callback-record.ts';
import { replaceDeskSettings } from '../../../commands/callback-settings-replace.ts';
import { canSeeCase } from '../../../domain/policy/visibility.ts';
import { caseFactsOf } from '../../../commands/case-transition.ts';
import { maySeatCallbacks } from '../../../domain/callback/rules.ts';
import { CaseDto, visibilityOf } from '../cases/case.load.ts';
import { presentCase } from '../cases/case.presenter.ts';
import { CallbackTaskDto, DESK_ERRORS, DeskSettingsBody, DeskSettingsDto, ListPage, StrEnum } from '../supervision/desk.schema.ts';
import { presentTask } from '../supervision/desk.presenter.ts';
import type { CaseRow } from '../../../storage/repositories/case.repository.ts';

const TAGS = ['callbacks'];
const TaskParam = Type.Object({ taskId: Type.String({ pattern: '^\\d{1,18}$', description: 'Callback task id' }) });

const QueueItem = Type.Object({
  case: CaseDto,
  task: Type.Union([CallbackTaskDto, Type.Null()], { description: 'The callback in work for this case (null: nobody has taken it yet)' }),
  actions: Type.Array(Type.String(), { description: 'claim when the caller may take it now' }),
});

export async function callbackRoutes(app: App, ctx: AppContext): Promise<void> {
  const notFoundTask = (id: number) => new DomainError('NOT_FOUND', `callback ${id} not found`, { details: { what: 'callback', id } });

  app.get('/api/v1/callbacks', {
    config: { permission: 'case.read' },
    schema: {
      tags: TAGS,
      summary: 'The callback queue (回访): cases waiting for their callback that the caller may see, with the callback in work; or the caller\'s own (view=mine)',
      description: 'Hotline, portal and Open311 cases with a contact wait for their callback after the check (CLOSED_PENDING_CALLBACK). '
        + 'A task exists once a seat claims the case; after an unreachable attempt it waits `nextAttemptAt`. Page on with beforeId = nextBeforeId.',
      querystring: Type.Object({
        view: Type.Optional(StrEnum(['queue', 'mine'], 'queue: all waiting (default); mine: the callbacks I hold')),
        beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'Case id to page before (newest first)' })), ...ListPage,
      }),
      response: { 200: Type.Object({ items: Type.Array(QueueItem), nextBeforeId: Type.Union([Type.Integer(), Type.Null()]) }), ...DESK_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const now = ctx.clock.now();
    const limit = req.query.limit ?? 50;
    let rows: CaseRow[];
    if (req.query.view === 'mine') {
      const tasks = await ctx.store.callbacks.claimedBy(p.userId, limit);
      rows = (await ctx.store.cases.findCases(tasks.map((t) => Number(t.case_id)))).filter((c) => canSeeCase(p, caseFactsOf(c, ctx.ref)));
    } else {
      rows = await ctx.store.cases.listCases({ state: ['CLOSED_PENDING_CALLBACK'], visibility: visibilityOf(p, ctx.ref), limit, beforeId: req.query.beforeId, sort: 'newest' });
    }
    const tasks = await ctx.store.callbacks.latestTasksOf(rows.map((r) => Number(r.id)));
    const items = rows.map((c) => {
      const t = tasks.get(Number(c.id));
      const inWork = t && (t.state === 'waiting' || t.state === 'claimed') ? t : undefined;
      return {
        case: presentCase(c, ctx.ref, p), task: inWork ? presentTask(inWork, ctx.ref, p, now) : null,
        actions: inWork ? [] : c.state === 'CLOSED_PENDING_CALLBACK' && maySeatCallbacks(p) ? ['claim'] : [],
      };
    });
    const last = rows.length === limit && req.query.view !== 'mine' ? Number(rows[rows.length - 1].id) : null;
    return { items, nextBeforeId: last };
  });

  app.post('/api/v1/callbacks/claim', {
    config: { permission: 'case.transition' },
    schema: {
      tags: TAGS, summary: 'Claim the callback of a case (one seat at a time; 409 with field taskId when another seat holds it, nextAttemptAt before a retry is due)',
      body: Type.Object({ caseId: Type.Integer({ minimum: 1, description: 'The case waiting for its callback' }) }, { additionalProperties: false }),
      response: { 200: CallbackTaskDto, ...DESK_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    return presentTask(await claimCallback(ctx, req.body.caseId, p), ctx.ref, p, ctx.clock.now());
  });

  app.post('/api/v1/callbacks/:taskId/release', {
    config: { permission: 'case.transition' },
    schema: { tags: TAGS, summary: 'Give a claimed callback back to the queue (the seat who holds it, or a shift leader)', params: TaskParam, response: { 200: CallbackTaskDto, ...DESK_ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    return presentTask(await releaseCallback(ctx, Number(req.params.taskId), p), ctx.ref, p, ctx.clock.now());
  });

  app.post('/api/v1/callbacks/:taskId/result', {
    config: { permission: 'case.transition' },
    schema: {
      tags: TAGS,
      summary: 'Record the call: satisfied / basically satisfied archive the case; unsatisfied reopens it (重办), unsatisfied again escalates to supervision; unreachable retries, the last attempt archives it as unreachable',
      params: TaskParam,
      body: Type.Object({
        result: StrEnum(['satisfied', 'basically_satisfied', 'unsatisfied', 'unreachable'], '满意 / 基本满意 / 不满意 / 无法联系'),
        note: Type.Optional(Type.String({ maxLength: 2000, description: 'What the reporter said; required when unsatisfied' })),
      }, { additionalProperties: false }),
      response: { 200: CallbackTaskDto, ...DESK_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const id = Number(req.params.taskId);
    const t = await ctx.store.callbacks.findTask(id);
    if (!t) throw notFoundTask(id);
    const done = await recordCallback(ctx, id, req.body, p);
    return presentTask(done, ctx.ref, p, ctx.clock.now(), await ctx.store.deskHistory.ofRecord('callback', id));
  });

  app.get('/api/v1/desks/settings', {
    config: { permission: 'case.read' },
    schema: { tags: TAGS, summary: 'The desks\' settings in force: callback attempts and spacing, appeal window, supervision answer limits', response: { 200: DeskSettingsDto, ...DESK_ERRORS } },
  }, async (req) => settingsView(hasPermission(principalOf(req).roles, 'rule.manage')));

  const settingsView = (withProblems: boolean) => {
    const d = ctx.ref.current();
    const problems = d.problems.filter((x) => x.setting === 'desk_settings');
    return { ...d.desks, ...(withProblems && problems.length ? { problems } : {}) };
  };

  app.put('/api/v1/desks/settings', {
    config: { permission: 'rule.manage' },
    schema: {
      tags: TAGS, summary: 'Replace the desks\' settings (validated before anything is written; 400 names the field)',
      body: DeskSettingsBody, response: { 200: DeskSettingsDto, ...DESK_ERRORS },
    },
  }, async (req) => {
    await replaceDeskSettings(ctx, req.body, principalOf(req).userId);
    return settingsView(true);
  });
}

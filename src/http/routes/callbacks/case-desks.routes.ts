/**
 * Everything the desks hold about one case, for the case page: its callbacks, exclusions, appeals and supervision
 * notices, each with its timeline, and what the caller may start on it now (claim_callback, request_exclusion, appeal,
 * supervise) — so the console does not copy the rules.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { principalOf } from '../../middleware/auth.ts';
import { allowedActions } from '../../../domain/case/index.ts';
import { caseViewOf } from '../../../commands/case-transition.ts';
import { caseUnitsOf } from '../../../commands/appeal-file.ts';
import { concernsUnit } from '../../../domain/appeal/rules.ts';
import { maySeatCallbacks } from '../../../domain/callback/rules.ts';
import { isAdmin } from '../../../domain/policy/scope.ts';
import { isCentreStaff } from '../../../domain/policy/visibility.ts';
import { CaseParam, loadVisibleCase } from '../cases/case.load.ts';
import { AppealDto, CallbackTaskDto, DESK_ERRORS, ExclusionDto, NoticeDto } from '../supervision/desk.schema.ts';
import { presentAppeal, presentExclusion, presentNotice, presentTask } from '../supervision/desk.presenter.ts';
import type { DeskHistoryRow } from '../../../storage/repositories/desk-history.repository.ts';

export async function caseDeskRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/cases/:id/desks', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['cases'], summary: 'The case\'s callbacks, exclusions, appeals and supervision notices with their timelines, and what the caller may start on it',
      params: CaseParam,
      response: {
        200: Type.Object({
          callbacks: Type.Array(CallbackTaskDto), exclusions: Type.Array(ExclusionDto), appeals: Type.Array(AppealDto), notices: Type.Array(NoticeDto),
          actions: Type.Array(Type.String(), { description: 'claim_callback, request_exclusion, appeal, supervise' }),
        }),
        ...DESK_ERRORS,
      },
    },
  }, async (req) => {
    const p = principalOf(req);
    const c = await loadVisibleCase(ctx, p, req.params.id);
    const id = Number(c.id);
    const now = ctx.clock.now();
    const [tasks, exclusions, appeals, notices, history] = await Promise.all([
      ctx.store.callbacks.tasksOfCase(id), ctx.store.exclusions.exclusionsOfCase(id), ctx.store.appeals.appealsOfCase(id),
      ctx.store.supervision.noticesOfCase(id), ctx.store.deskHistory.ofCase(id),
    ]);
    const of = (kind: string, rid: string | number): DeskHistoryRow[] => history.filter((h) => h.kind === kind && h.record_id === String(rid));
    const actions: string[] = [];
    const activeTask = tasks.find((t) => t.state === 'waiting' || t.state === 'claimed');
    if (c.state === 'CLOSED_PENDING_CALLBACK' && maySeatCallbacks(p) && !activeTask) actions.push('claim_callback');
    const activeExclusion = exclusions.find((e) => e.state === 'requested' || e.state === 'approved');
    if ((isAdmin(p) || isCentreStaff(p)) && c.state !== 'CANCELLED' && !activeExclusion) actions.push('request_exclusion');
    const units = caseUnitsOf(c);
    const mine = p.unitIds.filter((u) => concernsUnit(units, u));
    if (p.roles.includes('unit_leader') && c.state !== 'CANCELLED' && activeExclusion?.state !== 'approved'
      && mine.some((u) => !appeals.some((a) => a.unit_id === u && a.state === 'open'))) actions.push('appeal');
    if (allowedActions(caseViewOf(c, ctx.ref), p).includes('supervise') && c.assigned_unit_id && !notices.some((n) => n.state === 'open')) actions.push('supervise');
    return {
      callbacks: tasks.map((t) => presentTask(t, ctx.ref, p, now, of('callback', t.id))),
      exclusions: exclusions.map((e) => presentExclusion(e, ctx.ref, p, of('exclusion', e.id))),
      appeals: appeals.map((a) => presentAppeal(a, ctx.ref, p, of('appeal', a.id))),
      notices: notices.map((n) => presentNotice(n, ctx.ref, p, now, of('supervision', n.id))),
      actions,
    };
  });
}

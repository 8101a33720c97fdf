/**
 * 联勤联动 routes: GET /api/v1/cases/{id}/assists (the board), POST …/assists (the centre adds assisting units) and
 * POST …/assists/{taskId}/{sign|return|complete|waive|rule}. Thin: authenticate → validate (schema) → load (visible
 * case, else 404) → command (authorizes per task) → present the board.
 */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { principalOf, type Principal } from '../../middleware/auth.ts';
import { CASE_ERRORS, CaseParam, loadVisibleCase } from '../cases/case.load.ts';
import { addAssists, actOnAssist } from '../../../commands/assist-act.ts';
import { regionPathOf } from '../../../commands/case-transition.ts';
import { assertMayAddAssists, type AssistAction } from '../../../domain/joint/assist.ts';
import type { CaseRow } from '../../../storage/repositories/case.repository.ts';
import {
  AddAssistsBody, AssistBoardDto, CompleteAssistBody, ReturnAssistBody, RuleAssistBody, SignAssistBody, TaskParam, WaiveAssistBody,
} from './assist.schema.ts';
import { presentAssistBoard } from './assist.presenter.ts';
import type { TSchema } from 'typebox';

const ACTIONS: { action: AssistAction; body: TSchema; summary: string }[] = [
  { action: 'sign', body: SignAssistBody, summary: '协办签收 — the assisting unit signs its task' },
  { action: 'return', body: ReturnAssistBody, summary: '协办退回 — the assisting unit returns its task with a reason and basis (the centre rules)' },
  { action: 'complete', body: CompleteAssistBody, summary: '协办完成 — the assisting unit reports its result with photos' },
  { action: 'waive', body: WaiveAssistBody, summary: '免除协办 — the centre waives an open task' },
  { action: 'rule', body: RuleAssistBody, summary: '协办争议裁定 — the centre rules on a returned task: keep, waive or reassign' },
];

export async function assistRoutes(app: App, ctx: AppContext): Promise<void> {
  const board = async (p: Principal, row: CaseRow) => {
    const id = Number(row.id);
    const [tasks, history] = await Promise.all([ctx.store.assists.listOfCase(id), ctx.store.history.listOf(id)]);
    const facts = { state: row.state, leadUnitId: row.assigned_unit_id, regionPath: regionPathOf(row, ctx.ref) };
    let mayAdd = true;
    try { assertMayAddAssists(p, facts); } catch { mayAdd = false; }
    return presentAssistBoard(row, tasks, history, ctx.ref, p, facts, mayAdd, ctx.clock.now());
  };

  app.get('/api/v1/cases/:id/assists', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['joint action'],
      summary: '联勤联动 — the lead and every assisting task: deadline, handler, result, photos, each unit\'s part of the bundled limit',
      params: CaseParam, response: { 200: AssistBoardDto, ...CASE_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    return board(p, await loadVisibleCase(ctx, p, req.params.id));
  });

  app.post('/api/v1/cases/:id/assists', {
    config: { permission: 'case.transition' },
    schema: {
      tags: ['joint action'],
      summary: '增派协办 — the centre adds assisting units (each with its task) to a dispatched or in-progress case',
      params: CaseParam, body: AddAssistsBody, response: { 200: AssistBoardDto, ...CASE_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const row = await loadVisibleCase(ctx, p, req.params.id);
    await addAssists(ctx, Number(row.id), req.body as unknown as Record<string, unknown>, p);
    return board(p, (await ctx.store.cases.findCase(Number(row.id)))!);
  });

  for (const a of ACTIONS) {
    app.post(`/api/v1/cases/:id/assists/:taskId/${a.action}`, {
      config: { permission: 'case.transition' },
      schema: { tags: ['joint action'], summary: a.summary, params: TaskParam, body: a.body, response: { 200: AssistBoardDto, ...CASE_ERRORS } },
    }, async (req) => {
      const p = principalOf(req);
      const { id, taskId } = req.params as { id: string; taskId: string };
      const row = await loadVisibleCase(ctx, p, id);
      await actOnAssist(ctx, Number(row.id), Number(taskId), a.action, (req.body ?? {}) as Record<string, unknown>, p);
      return board(p, (await ctx.store.cases.findCase(Number(row.id)))!);
    });
  }
}

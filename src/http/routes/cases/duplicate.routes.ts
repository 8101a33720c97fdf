/** Duplicates (issue 3 §5): merge a case into a master by hand; list a master's linked reports with their photos. */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../core/context.ts';
import { mergeCase, splitCase } from '../../../commands/case-merge.ts';
import { findCase } from '../../../storage/repositories/case.repository.ts';
import { listDuplicates } from '../../../storage/repositories/duplicate.repository.ts';
import { principalOf } from '../../middleware/auth.ts';
import { CASE_ERRORS, CaseDto, CaseParam, loadVisibleCase } from './case.load.ts';
import { presentCase } from './case.presenter.ts';

export async function duplicateRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post('/api/v1/cases/:id/merge-into', {
    config: { permission: 'case.transition' },
    schema: {
      tags: ['case actions'],
      summary: '合并重复案件 — Merge this case into a master case as its duplicate',
      description: 'Both cases open, not the same, same matter class; roles: operator, shift_leader, dispatcher, admin. The merged case is cancelled and linked (masterCaseId); its reports and photos stay and are listed by GET /cases/{master}/duplicates.',
      params: CaseParam,
      body: Type.Object({
        masterCaseId: Type.Integer({ minimum: 1, description: 'The case to keep' }),
        reason: Type.Optional(Type.String({ maxLength: 2000, description: 'Why' })),
      }, { additionalProperties: false }),
      response: { 200: CaseDto, ...CASE_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const row = await loadVisibleCase(ctx, p, req.params.id);
    const body = req.body as { masterCaseId: number; reason?: string };
    const master = await findCase(ctx.db, body.masterCaseId);
    const next = await mergeCase(ctx, Number(row.id), body.masterCaseId, p, body.reason);
    return presentCase(next, ctx.ref, p, { duplicateOf: master ? { id: Number(master.id), caseNo: master.case_no, state: master.state } : null });
  });

  app.post('/api/v1/cases/:id/split', {
    config: { permission: 'case.transition' },
    schema: {
      tags: ['case actions'],
      summary: '拆分重复案件 — Split a linked duplicate off its master: it becomes its own case again',
      description: 'For a case linked to a master (automatically or by merge). Roles: operator, shift_leader, dispatcher, admin. The case re-enters the pipeline (REGISTERED if it came by a trusted channel, else REPORTED) with a fresh dispatch clock; history on both cases.',
      params: CaseParam,
      body: Type.Object({
        reason: Type.String({ minLength: 1, maxLength: 2000, description: 'Why it is a different problem' }),
      }, { additionalProperties: false }),
      response: { 200: CaseDto, ...CASE_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const row = await loadVisibleCase(ctx, p, req.params.id);
    const next = await splitCase(ctx, Number(row.id), p, (req.body as { reason: string }).reason);
    return presentCase(next, ctx.ref, p, { duplicateOf: null });
  });

  app.get('/api/v1/cases/:id/duplicates', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['cases'],
      summary: 'The reports linked to this master case as duplicates, each with its photo (attachment) ids',
      params: CaseParam,
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ case: CaseDto, attachmentIds: Type.Array(Type.String()) })) }), ...CASE_ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const master = await loadVisibleCase(ctx, p, req.params.id);
    const dups = await listDuplicates(ctx.db, Number(master.id));
    const duplicateOf = { id: Number(master.id), caseNo: master.case_no, state: master.state };
    return { items: dups.map((d) => ({ case: presentCase(d.row, ctx.ref, p, { duplicateOf }), attachmentIds: d.attachmentIds })) };
  });
}

/**
 * Duplicates (issue 3 §5): a master's linked reports with their photos. Merging and splitting by hand are case actions
 * (merge_into, split) of the transition table, served with the other actions by case.routes.ts.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { principalOf } from '../../middleware/auth.ts';
import { CASE_ERRORS, CaseDto, CaseParam, loadVisibleCase } from './case.load.ts';
import { presentCase } from './case.presenter.ts';

export async function duplicateRoutes(app: App, ctx: AppContext): Promise<void> {
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
    const dups = await ctx.store.duplicates.listDuplicates(Number(master.id));
    const duplicateOf = { id: Number(master.id), caseNo: master.case_no, state: master.state };
    return { items: dups.map((d) => ({ case: presentCase(d.row, ctx.ref, p, { duplicateOf }), attachmentIds: d.attachmentIds })) };
  });
}

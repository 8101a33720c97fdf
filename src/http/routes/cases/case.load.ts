/** What every case route shares: the path parameter, the error responses, the Case schema ref, and visible loading. */
import { Type } from 'typebox';
import type { AppContext } from '../../../runtime/context.ts';
import { notFound } from '../../../domain/errors.ts';
import type { CaseRow } from '../../../storage/repositories/case.repository.ts';
import type { Principal } from '../../middleware/auth.ts';
import type { ReferenceCache } from '../../../runtime/reference-cache.ts';
import { canSeeCase, caseVisibility, type CaseVisibility } from '../../../domain/policy/visibility.ts';
import { caseFactsOf } from '../../../commands/case-transition.ts';
import { ErrorResponse, shared } from '../common.schema.ts';
import { CaseDto as CaseSchema } from './case.schema.ts';

export const CaseDto = shared('Case', CaseSchema);
export const CaseParam = Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$', description: 'Case id (numeric) or case number' }) });
export const CASE_ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };

export async function loadVisibleCase(ctx: AppContext, p: Principal, idOrNo: string): Promise<CaseRow> {
  // Ids are short; case numbers are 14+ digits (YYYYMMDD + sequence).
  const row = idOrNo.length >= 14 ? await ctx.store.cases.findCaseByNo(idOrNo) : await ctx.store.cases.findCase(Number(idOrNo));
  // A case the caller may not see is "not found": its existence is not disclosed.
  if (!row || !canSeeCase(p, caseFactsOf(row, ctx.ref))) throw notFound('case', idOrNo);
  return row;
}

/** The visibility policy as a filter for lists and counts (compiled to SQL by the case repository). */
export function visibilityOf(p: Principal, ref: ReferenceCache): CaseVisibility {
  const regions = ref.current().regions;
  return caseVisibility(p, (id) => regions.get(id)?.parentId === null);
}

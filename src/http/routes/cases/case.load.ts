/** What every case route shares: the path parameter, the error responses, the Case schema ref, and visible loading. */
import { Type } from 'typebox';
import type { AppContext } from '../../../core/context.ts';
import { notFound } from '../../../domain/errors.ts';
import { findCase, findCaseByNo, type CaseRow } from '../../../storage/repositories/case.repository.ts';
import type { Principal } from '../../middleware/auth.ts';
import { ErrorResponse, shared } from '../common.schema.ts';
import { CaseDto as CaseSchema } from './case.schema.ts';
import { canSeeCase } from './case.presenter.ts';

export const CaseDto = shared('Case', CaseSchema);
export const CaseParam = Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$', description: 'Case id (numeric) or case number' }) });
export const CASE_ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };

export async function loadVisibleCase(ctx: AppContext, p: Principal, idOrNo: string): Promise<CaseRow> {
  // Ids are short; case numbers are 14+ digits (YYYYMMDD + sequence).
  const row = idOrNo.length >= 14 ? await findCaseByNo(ctx.db, idOrNo) : await findCase(ctx.db, Number(idOrNo));
  // A case the caller may not see is "not found": its existence is not disclosed.
  if (!row || !canSeeCase(p, row, ctx.ref)) throw notFound('case', idOrNo);
  return row;
}

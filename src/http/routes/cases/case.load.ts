/** What every case route shares: the path parameter, the error responses, the Case schema ref, and visible loading. */
import { Type } from 'typebox';
import type { AppContext } from '../../../core/context.ts';
import { notFound } from '../../../domain/errors.ts';
import { findCase, findCaseByNo, type CaseRow } from '../../../storage/repositories/case.repository.ts';
import type { Principal } from '../../middleware/auth.ts';
import type { ReferenceStore } from '../../../core/reference.ts';
import { isAdmin } from '../../../domain/policy/scope.ts';
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

/** What a caller may see, as the case list and the statistics filter by it (in the query, so counts are exact). */
export type CaseScope = { kind: 'city' } | { kind: 'regions'; regionIds: string[] } | { kind: 'units'; unitIds: string[] };

const CENTRE_ROLES = ['operator', 'shift_leader', 'dispatcher', 'inspector', 'grid_member', 'centre_leader'];

/**
 * Centre staff see their regions (everything when they cover the city, i.e. a root region, or are admins); staff
 * who only work for units see the cases assigned or sub-dispatched to their units.
 */
export function caseScopeOf(p: Principal, ref: ReferenceStore): CaseScope {
  const centre = isAdmin(p) || p.roles.some((r) => CENTRE_ROLES.includes(r));
  if (!centre) return { kind: 'units', unitIds: [...p.unitIds] };
  const regions = ref.current().regions;
  const citywide = isAdmin(p) || p.regionIds.some((id) => regions.get(id)?.parentId === null);
  return citywide ? { kind: 'city' } : { kind: 'regions', regionIds: [...p.regionIds] };
}

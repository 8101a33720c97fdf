/**
 * The case list's query as a repository filter, with its checks: ONE place, used by the list (GET /cases) and by
 * every export of a case list (src/http/routes/exports), so an export holds exactly the cases the list shows.
 */
import type { Static } from 'typebox';
import type { AppContext } from '../../../runtime/context.ts';
import { isOpen } from '../../../domain/case/index.ts';
import { DomainError, invalidAs } from '../../../domain/errors.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import type { CaseFilter } from '../../../storage/repositories/case.repository.ts';
import type { Principal } from '../../middleware/auth.ts';
import { visibilityOf } from './case.load.ts';
import type { CaseListQuery } from './case-list.schema.ts';
import { phoneForms, readSearch, type SearchFilter } from './case-search.ts';

/** The filtering part of the list's query (no paging). */
export type CaseListFilterQuery = Omit<Static<typeof CaseListQuery>, 'cursor' | 'beforeId' | 'limit'>;

export async function caseListFilter(ctx: AppContext, p: Principal, q: CaseListFilterQuery & { beforeId?: number }): Promise<{
  filter: Omit<CaseFilter, 'limit'>; search: SearchFilter | undefined; sort: 'newest' | 'due';
}> {
  const sort = q.sort ?? 'newest';
  if (sort === 'due') {
    if (q.beforeId !== undefined) throw invalidAs('beforeId', { key: 'case-list.filter.pages_newest_first_list_only' }, 'pages the newest-first list only; with sort=due send cursor');
    const closed = q.state?.find((s) => !isOpen(s));
    if (closed) throw invalidAs('state', { key: 'case-list.filter.sort_due_lists_open_cases', params: { closed: String(closed) } }, `sort=due lists open cases; ${closed} has no running deadline`);
  }
  if (q.reporterPhone !== undefined && !hasPermission(p.roles, 'personal_data.read')) {
    throw new DomainError('FORBIDDEN', 'reporterPhone: looking cases up by phone needs personal_data.read', { field: 'reporterPhone' });
  }
  const search = q.q === undefined ? undefined : await readSearch(ctx, p.roles, q.q);
  const filter = {
    ...search,
    reporterPhones: q.reporterPhone === undefined ? search?.reporterPhones : phoneForms(q.reporterPhone),
    involvedUnitIds: q.involvedUnitId ? [q.involvedUnitId] : undefined,
    state: q.state, matterCode: q.matterCode, alertLevel: q.alertLevel, urgency: q.urgency, sort,
    assignedUnitIds: q.unitId ? [q.unitId] : undefined,
    assignedUserIds: q.assignedUserId ? [q.assignedUserId] : undefined,
    regionIds: q.regionId ? [q.regionId] : undefined,
    gridIds: q.gridId ? [q.gridId] : undefined,
    platform: q.platform ? { mode: q.platform, regionIds: p.regionIds } : undefined, // levels of platform
    // The visibility policy goes into the query, so a page is full of cases the caller may see and the total
    // counts only those.
    visibility: visibilityOf(p, ctx.ref),
  };
  return { filter, search, sort };
}

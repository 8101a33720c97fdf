/**
 * How the case list's `q` is read (one search box for the dispatch and shift desks): a case number that exists, a
 * phone number for those who may read personal data, otherwise words of the description or address.
 */
import type { AppContext } from '../../../runtime/context.ts';
import type { Role } from '../../../domain/policy/permissions.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import { normalizePhone } from '../../../domain/hotline/hotline.ts';
import { queryTokens } from '../../../domain/search/text-tokens.ts';
import { invalidAs } from '../../../domain/errors.ts';

export type SearchedAs = 'caseNo' | 'phone' | 'text';
export interface SearchFilter { searchedAs: SearchedAs; caseNo?: string; reporterPhones?: string[]; textTokens?: string[] }

/** A phone as the caller typed it and as it is stored (normalised): a reporter's cases are found by either. */
export const phoneForms = (raw: string): string[] => [...new Set([normalizePhone(raw), raw.trim()])];

const CASE_NO = /^[0-9A-Za-z-]{6,32}$/;
const PHONE = /^\+?[\d\s-]{7,25}$/;

export async function readSearch(ctx: AppContext, roles: readonly Role[], raw: string): Promise<SearchFilter> {
  const q = raw.trim();
  if (CASE_NO.test(q) && await ctx.store.cases.findCaseByNo(q)) return { searchedAs: 'caseNo', caseNo: q };
  const digits = q.replace(/[\s-]/g, '');
  if (PHONE.test(q) && /^\+?\d{7,20}$/.test(digits) && hasPermission(roles, 'personal_data.read')) {
    return { searchedAs: 'phone', reporterPhones: phoneForms(q) };
  }
  const tokens = queryTokens(q);
  if (tokens.length === 0) throw invalidAs('q', { key: 'case-search.needs_at_least_two_letters' }, 'needs at least two letters or digits side by side (a case number, a phone number or words)');
  return { searchedAs: 'text', textTokens: tokens };
}

/** The case list (and live queue): its query, its page, and the opaque paging cursor. */
import { Type } from 'typebox';
import { STATE_NAMES } from '../../../domain/case/index.ts';
import { URGENCIES } from '../../../domain/case/channels.ts';
import { invalidAs } from '../../../domain/errors.ts';
import { CaseDto } from './case.load.ts';

/** The first page's `total` counts at most this many matches, so a broad filter over a big store stays cheap. */
export const TOTAL_CAP = 10_000;
/** With a search (`q`) the total counts at most this many: past a thousand hits the seat narrows the words instead. */
export const SEARCH_TOTAL_CAP = 1_000;

const enumOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const CaseListQuery = Type.Object({
  state: Type.Optional(Type.Array(enumOf(STATE_NAMES), { description: 'Filter by state (repeatable: any of them)' })),
  urgency: Type.Optional(Type.Array(enumOf(URGENCIES), { description: 'Filter by urgency (repeatable): normal, urgent, very_urgent' })),
  alertLevel: Type.Optional(Type.Array(enumOf(['normal', 'warning', 'overdue']), {
    description: 'Deadline level (repeatable): warning (yellow) and/or overdue (red)',
  })),
  unitId: Type.Optional(Type.String({ maxLength: 64, description: 'Assigned unit or sub-unit' })),
  regionId: Type.Optional(Type.String({ maxLength: 64, description: 'District, street or community' })),
  gridId: Type.Optional(Type.String({ maxLength: 64, description: 'Unit grid the case lies in (the big screen\'s drill-down)' })),
  assignedUserId: Type.Optional(Type.String({ maxLength: 64, description: 'The grid member a case was given to as its handler (a grid member\'s "to handle" list: their own user id)' })),
  matterCode: Type.Optional(Type.String({ pattern: '^\\d{5}$', description: 'Matter code' })),
  q: Type.Optional(Type.String({
    minLength: 1, maxLength: 100,
    description: 'Search: a case number (exactly), a phone number (7–20 digits; only for those with personal_data.read), or words '
      + 'of the description or address (indexed; every pair of adjacent characters must occur, so at least two letters or digits '
      + 'side by side). The answer says how it was read (`searchedAs`).',
  })),
  involvedUnitId: Type.Optional(Type.String({ maxLength: 64, description: 'A unit involved in the case: routed to, assigned, sub-unit or assisting' })),
  platform: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('incoming'), Type.Literal('outgoing')], {
    description: 'Levels of platform: mine = my platform\'s queue (cases my platform handles, plus escalations and assignments waiting for it); '
      + 'incoming = only those waiting for my platform to accept or refuse; outgoing = those my platform sent that wait. "My platform" = the '
      + 'regions the caller covers themselves (a district coordinator\'s queue is the district\'s, not its streets\')',
  })),
  reporterPhone: Type.Optional(Type.String({ minLength: 3, maxLength: 30, description: 'Cases this phone number reported (a caller\'s history at the seat); needs personal_data.read' })),
  sort: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('due')], {
    description: 'newest (default): id descending. due: open cases by the nearest running deadline, soonest (or most overdue) first',
  })),
  cursor: Type.Optional(Type.String({
    pattern: '^(n\\.\\d{1,18}|d\\.\\d{1,16}\\.\\d{1,18})$', maxLength: 40,
    description: 'Next page: the previous response\'s nextCursor (for the same sort)',
  })),
  beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'Newest-first paging: cases with id below this (same as cursor n.<id>)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Page size' })),
}, { additionalProperties: false });

export const CaseListDto = Type.Object({
  items: Type.Array(CaseDto),
  nextBeforeId: Type.Union([Type.Integer(), Type.Null()], { description: 'Newest-first only: beforeId of the next page; null on the last page' }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'cursor of the next page; null on the last page' }),
  total: Type.Union([Type.Integer(), Type.Null()], {
    description: `Matching cases the caller may see, on the first page only (null when a cursor or beforeId is sent); at most ${TOTAL_CAP} (${SEARCH_TOTAL_CAP} with q)`,
  }),
  totalCapped: Type.Boolean({ description: `More match than the cap (${TOTAL_CAP}, or ${SEARCH_TOTAL_CAP} with q): total shows the cap` }),
  searchedAs: Type.Optional(Type.Union([Type.Literal('caseNo'), Type.Literal('phone'), Type.Literal('text')], {
    description: 'With q: how q was read — a case number that exists, a phone number (personal_data.read), or words',
  })),
});

export type ListCursor = { kind: 'newest'; id: number } | { kind: 'due'; dueAt: number; id: number };

/** n.<id> pages the newest-first list; d.<dueAt>.<id> the queue by deadline. A cursor of the other sort is refused. */
export function parseListCursor(cursor: string | undefined, sort: 'newest' | 'due'): ListCursor | undefined {
  if (cursor === undefined) return undefined;
  const [kind, a, b] = cursor.split('.');
  const c: ListCursor = kind === 'n' ? { kind: 'newest', id: Number(a) } : { kind: 'due', dueAt: Number(a), id: Number(b) };
  if (c.kind !== sort) throw invalidAs('cursor', { key: 'case-list.cursor_sort_but_this_request', params: { kind: String(c.kind), sort: String(sort) } }, `is a cursor of sort=${c.kind}, but this request lists sort=${sort}`);
  if (!Number.isSafeInteger(c.id) || (c.kind === 'due' && !Number.isSafeInteger(c.dueAt))) throw invalidAs('cursor', { key: 'case-list.out_range' }, 'is out of range');
  return c;
}

/**
 * What a citizen's rating on the portal does to the case (DECISION, docs/decisions.md "Citizen portal"): it is the
 * citizen's own answer to the question a callback (回访) asks, so it feeds the same record as the operator's callback.
 *
 *   - The case waits for its callback (CLOSED_PENDING_CALLBACK): the rating IS the callback — the case's `callback`
 *     action, satisfied for 满意 / 基本满意, unsatisfied for 不满意. Unsatisfied reopens the case for its unit (and a
 *     second unsatisfied answer, from either source, escalates it to supervision, as the transition table says).
 *     Satisfied archives it: the operator need not call a citizen who has answered already, and the satisfaction
 *     rate counts both answers, not only the unhappy ones.
 *   - The case was archived without a pending callback (a portal report without a phone) at most
 *     REOPEN_WINDOW_MS ago, after a passed check (closure normal or overdue): 不满意 reopens it (`reopen`).
 *   - Otherwise (not accepted, closed as special or erroneous, archived long ago, a report linked to a master case)
 *     the rating is recorded and shown, and changes nothing.
 *
 * Who acts: the citizen, recorded as `public:portal` "市民本人（门户评价）" — a system actor that exists for this one
 * step, holding only the role the transition table requires for it (operator for a callback, shift leader for a
 * reopen) and only the case's own region, so the table's checks apply unchanged.
 */
import type { ActionInput } from '../../../domain/case/index.ts';
import type { Actor } from '../../../domain/policy/scope.ts';
import type { ReferenceCache } from '../../../runtime/reference-cache.ts';
import type { CaseRow } from '../../../storage/repositories/case.repository.ts';
import { regionPathOf } from '../../../commands/case-transition.ts';
import { RATING_ZH, type RATINGS } from './public.schema.ts';

/** How long after an archive without callback a citizen's 不满意 still reopens the case. */
export const REOPEN_WINDOW_MS = 30 * 24 * 3_600_000;

export const PORTAL_RATER_ID = 'public:portal';
export const PORTAL_RATER_NAME = '市民本人（门户评价）';

type Rating = (typeof RATINGS)[number];

export interface RatingStep { input: ActionInput; actor: Actor & { name: string } }

/** The step the rating makes on the case, or null when it is only recorded. */
export function ratingStep(row: CaseRow, rating: Rating, comment: string | null, now: number, ref: ReferenceCache): RatingStep | null {
  if (row.master_case_id !== null && row.master_case_id !== undefined) return null;
  const said = `市民在门户评价：${RATING_ZH[rating]}${comment ? `（${comment}）` : ''}`;
  const actor = (role: 'operator' | 'shift_leader') => ({
    userId: PORTAL_RATER_ID, name: PORTAL_RATER_NAME, roles: [role], unitIds: [], regionIds: regionPathOf(row, ref),
  });
  if (row.state === 'CLOSED_PENDING_CALLBACK') {
    return { input: { action: 'callback', satisfied: rating !== 'unsatisfied', result: rating, note: said }, actor: actor('operator') };
  }
  const closedAt = row.closed_at === null ? null : Number(row.closed_at);
  if (
    rating === 'unsatisfied' && row.state === 'ARCHIVED' && row.assigned_unit_id !== null
    && (row.closure_type === 'normal' || row.closure_type === 'overdue') && closedAt !== null && now - closedAt <= REOPEN_WINDOW_MS
  ) {
    return { input: { action: 'reopen', reason: said }, actor: actor('shift_leader') };
  }
  return null;
}

/**
 * recordCitizenUpdate: an update a citizen sent about a report through a client (Open311 `servicerequestupdates`,
 * e.g. a FixMyStreet comment, "still there" or "fixed"). What it does to the case (docs/decisions.md, "Updates from
 * Open311 clients"):
 *
 * - It is always recorded on the case's history as a public comment (action `citizen_update`, state unchanged)
 *   with an event to the case's audience, so the dispatcher and the unit see it. Its history row id is the update's
 *   id (what the client gets back, and what the update feed lists it under).
 * - "Fixed" (FIXED/CLOSED on a request that is still open) is information for the dispatcher, never a closure:
 *   closure is judged by an on-site check (domain.md §4: 监督 and 指挥 are separate axes).
 * - "Still there" (REOPEN, or OPEN on a request that reads closed) from the client that filed the report is the
 *   reporter's answer to the outcome: on a case waiting for its callback it is an unsatisfied callback; on an
 *   archived case closed within REOPEN_WINDOW_DAYS that a unit handled, it reopens the case for that unit. Both
 *   go through transitionCase with the table's own actions (callback, reopen), in the same transaction as the
 *   comment. Anything else (a rejected report, a linked duplicate, an old closure, another client's report) is
 *   recorded only; the dispatcher decides.
 * - Idempotent per client and client update id: a retry answers the first update's id and writes nothing.
 */
import { DomainError } from '../domain/errors.ts';
import type { ActionInput } from '../domain/case/index.ts';
import type { Actor } from '../domain/policy/scope.ts';
import type { Role } from '../domain/policy/permissions.ts';
import type { AppContext } from '../runtime/context.ts';
import { isUniqueViolation } from '../storage/codec.ts';
import type { Repositories } from '../storage/store.ts';
import type { CaseRow } from '../storage/repositories/case.repository.ts';
import { caseEvent } from '../storage/repositories/outbox.repository.ts';
import { regionPathOf, transitionCase } from './case-transition.ts';

export const CITIZEN_UPDATE_ACTION = 'citizen_update';
/** An archived case is reopened by its reporter's "still there" only this long after its closure. */
export const REOPEN_WINDOW_DAYS = 30;
const DAY = 86_400_000;

/** What the client's status says about the problem. */
export type CitizenSignal = 'fixed' | 'not_fixed' | null;

/** What the update does to the case beyond being recorded. */
export interface CitizenEffect { role: Role; input: ActionInput }

/**
 * The state change a reporter's "still there" makes, or null. Pure. `filedByClient`: the report was filed through
 * the same client (API key); `linked`: it is a duplicate linked to a master case.
 */
export function citizenEffect(
  row: Pick<CaseRow, 'state' | 'assigned_unit_id' | 'closed_at'>, signal: CitizenSignal, text: string,
  opts: { filedByClient: boolean; linked: boolean; now: number },
): CitizenEffect | null {
  if (signal !== 'not_fixed' || !opts.filedByClient || opts.linked) return null;
  const words = `市民经 Open311 客户端反馈问题仍未解决${text ? `：${text}` : ''} / The reporter says it is not fixed`;
  if (row.state === 'CLOSED_PENDING_CALLBACK') return { role: 'operator', input: { action: 'callback', satisfied: false, note: words } };
  if (row.state === 'ARCHIVED' && row.assigned_unit_id && row.closed_at !== null && opts.now - Number(row.closed_at) <= REOPEN_WINDOW_DAYS * DAY) {
    return { role: 'shift_leader', input: { action: 'reopen', reason: words } };
  }
  return null;
}

export interface CitizenUpdateInput {
  caseId: number;
  /** Scope and key of the client's update id (per client); `requestHash` ties the key to one request. */
  idempotency: { scope: string; key: string; requestHash: string };
  /** Public details of the update (no personal data): status as sent, text, media URLs, the client's own ids. */
  details: { clientUpdateId: string; clientStatus: string; text: string; mediaUrls: string[]; clientUpdatedAt: string | null };
  signal: CitizenSignal;
}

export interface CitizenUpdateResult { updateId: number; replayed: boolean; effect: string | null }

const conflict = () => new DomainError('CONFLICT', 'update_id: already used for another service request', { field: 'update_id' });

export async function recordCitizenUpdate(
  ctx: AppContext, input: CitizenUpdateInput, actor: Actor & { name: string },
): Promise<CitizenUpdateResult> {
  const replay = async (): Promise<CitizenUpdateResult | null> => {
    const prior = await ctx.store.cases.findIdempotent(input.idempotency.scope, input.idempotency.key);
    if (!prior) return null;
    if (prior.request_hash !== input.idempotency.requestHash) throw conflict();
    return { updateId: Number(prior.result_id), replayed: true, effect: null };
  };
  const first = await replay();
  if (first) return first;

  const now = ctx.clock.now();
  const write = async (tx: Repositories, row: CaseRow, effect: string | null, refused: string | null): Promise<number> => {
    await tx.history.append({
      caseId: Number(row.id), action: CITIZEN_UPDATE_ACTION, fromState: row.state, toState: row.state,
      actorId: actor.userId, actorName: actor.name, at: now, reason: null,
      details: { source: 'open311', ...input.details, signal: input.signal, effect, ...(refused ? { effectRefused: refused } : {}) },
    });
    const updateId = await tx.open311Updates.lastHistoryIdOf(Number(row.id), CITIZEN_UPDATE_ACTION);
    await tx.outbox.append(caseEvent('case.citizen_update', row, {
      id: Number(row.id), caseNo: row.case_no, updateId, clientStatus: input.details.clientStatus, signal: input.signal, effect,
    }, now));
    const { scope, key, requestHash } = input.idempotency;
    await tx.cases.insertIdempotent({ scope, key, request_hash: requestHash, result_id: String(updateId), created_at: now });
    return updateId;
  };
  const answered = async (run: () => Promise<CitizenUpdateResult>): Promise<CitizenUpdateResult> => {
    try {
      return await run();
    } catch (err) {
      // The same update sent twice at once: the second loses on the idempotency key and answers the first.
      if (isUniqueViolation(err)) return (await replay()) ?? Promise.reject(err);
      throw err;
    }
  };

  const cur = await ctx.store.cases.findCase(input.caseId);
  if (!cur) throw new DomainError('NOT_FOUND', `case ${input.caseId} not found`);
  const effect = citizenEffect(cur, input.signal, input.details.text, {
    filedByClient: cur.created_by === actor.userId, linked: cur.master_case_id !== null, now,
  });
  let refused: string | null = null;
  if (effect) {
    // The platform applies the rule on the reporter's behalf: an actor with the one role the action needs, scoped to
    // this case's place, named after the client. The history says who asked (the client) and why (the words).
    const onBehalf = { userId: actor.userId, name: `${actor.name}（市民反馈 / citizen via client）`, roles: [effect.role], unitIds: [], regionIds: regionPathOf(cur, ctx.ref) };
    let updateId = 0;
    try {
      return await answered(async () => {
        await transitionCase(ctx, Number(cur.id), effect.input, onBehalf, {
          expectedVersion: cur.version,
          within: async (tx, next) => { updateId = await write(tx, next, effect.input.action, null); },
        });
        return { updateId, replayed: false, effect: effect.input.action };
      });
    } catch (err) {
      if (!(err instanceof DomainError) || err.code === 'NOT_FOUND') throw err;
      // The case moved meanwhile (or the rule no longer applies): a concurrent retry may have won; else record only.
      const again = await replay();
      if (again) return again;
      refused = err.message;
    }
  }
  const result = await answered(async () => {
    const id = await ctx.store.transaction(async (tx) => {
      const row = await tx.cases.findCase(input.caseId, { forUpdate: true });
      if (!row) throw new DomainError('NOT_FOUND', `case ${input.caseId} not found`);
      return write(tx, row, null, refused);
    });
    return { updateId: id, replayed: false, effect: null };
  });
  ctx.events.notify();
  return result;
}

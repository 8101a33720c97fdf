/**
 * Callback (回访) rules: who works the queue, claiming (one seat per callback), the result of an attempt, retries.
 * Pure: the task, the actor, the time and the settings are arguments.
 *
 * - Seats (operators) and administrators work callbacks (a shift leader may release a seat's claim); seats see the reporter's phone through the
 *   case presenter's ordinary personal-data rule (operators and shift leaders hold personal_data.read).
 * - A callback is claimed by one seat at a time; another seat's claim is refused (409, field `taskId`) so that two
 *   seats never call the same person. The seat may release it.
 * - After an unreachable attempt the next one waits `retryMinutes`; the last allowed unreachable attempt
 *   (`maxAttempts`) archives the case as unreachable: it is NOT counted as called back (history `callback_attempt`,
 *   `final: true`). Satisfied / basically satisfied archive it; unsatisfied reopens it (重办), and unsatisfied again
 *   escalates it to supervision (the case transition table's `callback` action decides both).
 */
import { DomainError, invalidAs } from '../errors.ts';
import type { Actor } from '../policy/scope.ts';
import type { DeskSettings } from './settings.ts';

export const CALLBACK_RESULTS = ['satisfied', 'basically_satisfied', 'unsatisfied', 'unreachable'] as const;
export type CallbackResult = (typeof CALLBACK_RESULTS)[number];
export type CallbackTaskState = 'waiting' | 'claimed' | 'done' | 'unreachable' | 'rated';

export interface CallbackTaskView {
  state: CallbackTaskState;
  attempts: number;
  claimedBy: string | null;
  nextAttemptAt: number | null;
}

// The transition table's `callback` is the seats' (operators'; administrators may act on any case).
const SEAT_ROLES = new Set(['operator', 'admin']);
export const maySeatCallbacks = (actor: Pick<Actor, 'roles'>): boolean => actor.roles.some((r) => SEAT_ROLES.has(r));

export function assertSeat(actor: Actor): void {
  if (!maySeatCallbacks(actor)) throw new DomainError('FORBIDDEN', '只有坐席（受理员）可以回访 / only seats (operators) make callbacks', { field: 'taskId' , key: 'callback.only_seats' });
}

/** May the actor claim this task now (null = a new task for the case)? Throws why not. */
export function checkClaim(task: CallbackTaskView | null, actor: Actor, now: number): void {
  assertSeat(actor);
  if (!task) return;
  if (task.state !== 'waiting' && task.state !== 'claimed') throw new DomainError('CONFLICT', 'this callback is finished', { field: 'taskId' , key: 'callback.finished' });
  if (task.state === 'claimed' && task.claimedBy !== actor.userId) {
    throw new DomainError('CONFLICT', '该回访已由其他坐席领取 / another seat has claimed this callback', { field: 'taskId', key: 'callback.claimed_by_other', details: { claimedBy: task.claimedBy } });
  }
  if (task.nextAttemptAt !== null && task.nextAttemptAt > now) {
    throw new DomainError('CONFLICT', `下次回访时间未到 / the next attempt is due at ${new Date(task.nextAttemptAt).toISOString()}`, { field: 'nextAttemptAt', key: 'callback.not_due', params: { at: new Date(task.nextAttemptAt).toISOString() }, details: { nextAttemptAt: task.nextAttemptAt } });
  }
}

/** What recording a result does to the task. */
export type ResultStep =
  | { kind: 'answered'; satisfied: boolean }
  | { kind: 'retry'; attempt: number; nextAttemptAt: number }
  | { kind: 'unreachable'; attempt: number };

export function decideResult(task: CallbackTaskView, actor: Actor, input: { result: unknown; note?: unknown }, now: number, s: DeskSettings): ResultStep {
  assertSeat(actor);
  if (task.state !== 'claimed' || task.claimedBy !== actor.userId) {
    throw new DomainError('CONFLICT', '请先领取该回访 / claim the callback before recording its result', { field: 'taskId' , key: 'callback.claim_first' });
  }
  const result = input.result;
  if (typeof result !== 'string' || !(CALLBACK_RESULTS as readonly string[]).includes(result)) {
    throw invalidAs('result', { key: 'field.one_of', params: { allowed: CALLBACK_RESULTS.join(', ') } }, `must be one of ${CALLBACK_RESULTS.join(', ')}`);
  }
  if (result === 'unsatisfied' && (typeof input.note !== 'string' || input.note.trim() === '')) {
    throw invalidAs('note', { key: 'callback.required_when_reporter_not_satisfied' }, 'required when the reporter is not satisfied (the unit must learn what is still wrong)');
  }
  if (result !== 'unreachable') return { kind: 'answered', satisfied: result !== 'unsatisfied' };
  const attempt = task.attempts + 1;
  if (attempt >= s.callback.maxAttempts) return { kind: 'unreachable', attempt };
  return { kind: 'retry', attempt, nextAttemptAt: now + s.callback.retryMinutes * 60_000 };
}

/** The callback's deadline: `limitHours` after the case was closed (its check passed). */
export const callbackDueAt = (closedAt: number, s: DeskSettings): number => closedAt + s.callback.limitHours * 3_600_000;

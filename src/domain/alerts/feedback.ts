/**
 * The 12345 feedback clock (接诉即办, domain.md §5): from the call that filed a case until the caller has been
 * answered. It warns (yellow) at 80 % of its limit and goes overdue (red) at the deadline, like any other clock, but it
 * is the hotline's clock, not the unit's: it does not change the case's handling level (`alertState`), it has a
 * level of its own (`deadlines.feedbackLevel`). The deadline sweep looks at it when one of its thresholds comes.
 * Pure: the steps of the case's record and `now` are arguments.
 *
 * When the caller counts as answered (DECISION, docs/decisions.md "Hotline"): at the first step of the case's record
 * after the call that tells the caller how it ended —
 *   - a callback (回访) of the case, satisfied or not (an operator's call, or the citizen's own answer on the portal);
 *   - the case archived (closed, with or without a callback), or cancelled (not accepted, found false on site);
 *   - for a report linked to (or merged into) a master case: the master archived or cancelled — its reporters
 *     follow the master's progress.
 * A result waiting for its callback (CLOSED_PENDING_CALLBACK) does not stop it: the caller has not heard it yet.
 * Linking as a duplicate does not stop it either: the caller's problem goes on in the master.
 */
import { deadlineLevel, type DeadlineLevel } from '../deadline/index.ts';

/** A step of a case's record, as far as the feedback clock cares. */
export interface RecordStep {
  caseId: number;
  action: string;
  toState: string;
  at: number;
}

/** Cancellations that only join the report to a master case: the caller still waits for the master's result. */
const DUPLICATE_LINKS: ReadonlySet<string> = new Set(['linked_duplicate', 'merge_into']);

/** Whether a step of the case itself answers its caller. */
export function answersCaller(step: Pick<RecordStep, 'action' | 'toState'>): boolean {
  if (step.action === 'callback') return true;
  if (step.toState === 'ARCHIVED') return true;
  return step.toState === 'CANCELLED' && !DUPLICATE_LINKS.has(step.action);
}

/** Whether a step of the master case ends the problem for its duplicates' reporters. */
function endsMaster(step: Pick<RecordStep, 'action' | 'toState'>): boolean {
  return step.toState === 'ARCHIVED' || (step.toState === 'CANCELLED' && !DUPLICATE_LINKS.has(step.action));
}

/**
 * When the caller was answered, or null: the earliest step at or after `since` (the call) of the case `caseId` that
 * answers its caller, or of its master `masterId` (a linked duplicate) that ends the problem.
 */
export function feedbackAnsweredAt(steps: readonly RecordStep[], caseId: number, masterId: number | null, since: number): number | null {
  let first: number | null = null;
  for (const s of steps) {
    if (s.at < since) continue;
    const counts = s.caseId === caseId ? answersCaller(s) : masterId !== null && s.caseId === masterId && endsMaster(s);
    if (counts && (first === null || s.at < first)) first = s.at;
  }
  return first;
}

export interface FeedbackClock {
  warnAt: number | null;
  dueAt: number | null;
  /** When the caller was answered (`feedbackAnsweredAt`), or null while they wait. */
  answeredAt: number | null;
}

export interface FeedbackAlert {
  /** normal | warning | overdue: reached by now, or by the answer if it came first (the level then stays). */
  level: DeadlineLevel;
  /** When the sweep must look again (the next threshold still ahead while the clock runs), or null. */
  nextAlertAt: number | null;
  /** True once the caller has been answered (or when there is no feedback deadline). */
  stopped: boolean;
}

/**
 * The level of the feedback clock at `now`. An answer stops it: an answer at or before the deadline is in time
 * (it keeps the warning if it came after the warning), one after the deadline leaves it overdue.
 */
export function feedbackAlert(c: FeedbackClock, now: number): FeedbackAlert {
  if (c.dueAt === null) return { level: 'normal', nextAlertAt: null, stopped: true };
  const due = c.dueAt;
  const warn = c.warnAt === null ? due : Math.min(c.warnAt, due);
  if (c.answeredAt !== null && c.answeredAt <= now) {
    const t = c.answeredAt;
    const level: DeadlineLevel = t > due ? 'overdue' : t >= warn && warn < due ? 'warning' : 'normal';
    return { level, nextAlertAt: null, stopped: true };
  }
  const nextAlertAt = now < warn ? warn : now < due ? due : null;
  return { level: deadlineLevel(now, warn, due), nextAlertAt, stopped: false };
}

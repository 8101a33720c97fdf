/**
 * Warning (yellow) and overdue (red) levels of a case from its running clocks (domain.md §5): the handling clock
 * (from dispatch until disposal; suspended while hung, paused while a returned case waits for the centre's ruling)
 * and the current stage clock (dispatch, sign, verify, check, dispute). Pure: the sweep and every transition call it
 * with `now`.
 */
import { deadlineLevel, type DeadlineLevel } from '../deadline/index.ts';

export interface ClockFields {
  state: string;
  handleWarnAt: number | null;
  handleDueAt: number | null;
  stage: string | null;
  stageWarnAt: number | null;
  stageDueAt: number | null;
  suspendedAt: number | null;
}

/**
 * States in which the handling clock runs: the holder has the case and has not yet reported it done. Not DISPUTED:
 * clocks belong to whoever holds the case, and a returned case is the centre's until the ruling (its dispute clock
 * runs; the holder's clock is paused and resumes if the ruling gives the case back).
 */
export const HANDLE_CLOCK_STATES: ReadonlySet<string> = new Set(['DISPATCHED', 'IN_PROGRESS']);

export interface AlertState {
  level: DeadlineLevel;
  handleLevel: DeadlineLevel;
  stageLevel: DeadlineLevel;
  /** When the sweep must look at the case again (the next threshold still ahead), or null. */
  nextAlertAt: number | null;
}

const RANK: Record<DeadlineLevel, number> = { normal: 0, warning: 1, overdue: 2 };
export const maxLevel = (a: DeadlineLevel, b: DeadlineLevel): DeadlineLevel => (RANK[a] >= RANK[b] ? a : b);
export const levelRank = (l: DeadlineLevel): number => RANK[l];

function nextThreshold(now: number, warn: number, due: number): number | null {
  if (now < warn) return warn;
  if (now < due) return due;
  return null;
}

export function alertState(c: ClockFields, now: number): AlertState {
  let handleLevel: DeadlineLevel = 'normal';
  let stageLevel: DeadlineLevel = 'normal';
  let next: number | null = null;
  const consider = (t: number | null) => {
    if (t !== null && (next === null || t < next)) next = t;
  };
  if (c.suspendedAt === null) {
    if (c.handleDueAt !== null && HANDLE_CLOCK_STATES.has(c.state)) {
      const warn = c.handleWarnAt ?? c.handleDueAt;
      handleLevel = deadlineLevel(now, warn, c.handleDueAt);
      consider(nextThreshold(now, warn, c.handleDueAt));
    }
    if (c.stage !== null && c.stageDueAt !== null) {
      const warn = c.stageWarnAt ?? c.stageDueAt;
      stageLevel = deadlineLevel(now, warn, c.stageDueAt);
      consider(nextThreshold(now, warn, c.stageDueAt));
    }
  }
  return { level: maxLevel(handleLevel, stageLevel), handleLevel, stageLevel, nextAlertAt: next };
}

/**
 * The nearest running deadline (what a queue sorts by and counts down to): the stage clock, or the handling clock
 * while it runs, whichever ends first; null when no clock runs (suspended, or none started). The case list's SQL
 * (DUE_AT_SQL in storage/repositories/case.repository.ts) computes the same for its index.
 */
export function runningDueAt(c: ClockFields): number | null {
  if (c.suspendedAt !== null) return null;
  const handle = c.handleDueAt !== null && HANDLE_CLOCK_STATES.has(c.state) ? c.handleDueAt : null;
  const stage = c.stage !== null ? c.stageDueAt : null;
  if (handle === null) return stage;
  return stage === null || handle <= stage ? handle : stage;
}

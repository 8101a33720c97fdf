/**
 * Applies the clock effects of a decision to the case's deadline columns, on the work calendar
 * (domain.md §5): the handling clock starts at dispatch; stage clocks (dispatch, sign, verify, check, dispute) run
 * one at a time; hanging suspends every clock; a return pauses the handling clock and the ruling resumes it;
 * postponement extends the handling deadline, and a fresh handling clock keeps the postponements it is given.
 */
import {
  addLimit, warningAt, resumeDeadline, extendDeadline, type TimeLimit, type LimitUnit, type WorkCalendar,
} from '../domain/deadline/index.ts';
import { alertState } from '../domain/alerts/alerts.ts';
import type { Effect } from '../domain/case/index.ts';
import type { ReferenceCache } from '../runtime/reference-cache.ts';
import type { CaseRow, CaseUpdate } from '../storage/repositories/case.repository.ts';

/** Documented defaults when a matter has no row for a stage (cities set their own in time_limits). */
export const DEFAULT_STAGE_LIMITS: Record<string, Record<string, TimeLimit>> = {
  // register + dispatch: emergency ≤ 10 min, otherwise ≤ 30 min (Taiyuan, domain.md §5)
  dispatch: { normal: { amount: 30, unit: 'natural_minutes' }, urgent: { amount: 10, unit: 'natural_minutes' }, very_urgent: { amount: 10, unit: 'natural_minutes' } },
  // signing has its own short limit so cases do not sit unsigned ("在天上飞")
  sign: { normal: { amount: 1, unit: 'work_hours' }, urgent: { amount: 30, unit: 'natural_minutes' }, very_urgent: { amount: 15, unit: 'natural_minutes' } },
  // inspector verification / check: 30 min default (domain.md §5)
  verify: { normal: { amount: 30, unit: 'natural_minutes' }, urgent: { amount: 30, unit: 'natural_minutes' }, very_urgent: { amount: 20, unit: 'natural_minutes' } },
  check: { normal: { amount: 30, unit: 'natural_minutes' }, urgent: { amount: 30, unit: 'natural_minutes' }, very_urgent: { amount: 20, unit: 'natural_minutes' } },
  // the centre's ruling on a returned case (争议裁定): the dispute has its own deadline (domain.md §4); a local default
  dispute: { normal: { amount: 2, unit: 'work_hours' }, urgent: { amount: 1, unit: 'work_hours' }, very_urgent: { amount: 30, unit: 'natural_minutes' } },
  // handling: proposed default for matters without a published rule
  handle: { normal: { amount: 3, unit: 'work_days' }, urgent: { amount: 1, unit: 'work_days' }, very_urgent: { amount: 4, unit: 'work_hours' } },
};

export function stageLimit(ref: ReferenceCache, matterCode: string, stage: string, urgency: string, areaClass: string | null): TimeLimit {
  return ref.limitFor(matterCode, stage, urgency, areaClass) ?? DEFAULT_STAGE_LIMITS[stage]?.[urgency] ?? DEFAULT_STAGE_LIMITS[stage].normal;
}

type ClockRow = Pick<CaseRow, 'state' | 'matter_code' | 'urgency' | 'area_class' | 'handle_warn_at' | 'handle_due_at' | 'handle_started_at'
  | 'handle_limit_amount' | 'handle_limit_unit' | 'stage' | 'stage_limit_unit' | 'stage_warn_at' | 'stage_due_at' | 'suspended_at' | 'ever_overdue'
  | 'assigned_unit_id' | 'handle_paused_at'>;

/**
 * The one place the case clocks read a work calendar: `unitId` is the holding unit for its own clocks (handling,
 * signing), null for the centre's clocks (dispatch, verification, check, dispute) and for a case held by a grid member.
 */
export function calendarFor(ref: ReferenceCache, unitId: string | null): WorkCalendar {
  // A unit that keeps its own hours counts on its own calendar (the city's holidays, its work periods).
  return unitId ? ref.calendarFor(unitId) : ref.current().calendar;
}

/** Stage clocks the holding unit runs (its calendar); the others are the centre's. */
const UNIT_STAGES: ReadonlySet<string> = new Set(['sign']);

/** Mutates `patch` (and reads the case merged with it) to reflect the clock effects. */
export function applyClockEffects(ref: ReferenceCache, row: ClockRow, patch: CaseUpdate, effects: Effect[], now: number): void {
  const cur = { ...row, ...patch } as ClockRow;
  const set = (p: Partial<ClockRow>) => { Object.assign(patch, p); Object.assign(cur, p); };
  const handleCal = () => calendarFor(ref, cur.assigned_unit_id ?? null);
  const stageCal = (stage: string | null) => calendarFor(ref, stage !== null && UNIT_STAGES.has(stage) ? cur.assigned_unit_id ?? null : null);
  const startStage = (stage: string) => {
    const cal = stageCal(stage);
    const limit = stageLimit(ref, cur.matter_code, stage, cur.urgency, cur.area_class);
    set({ stage, stage_limit_unit: limit.unit, stage_due_at: addLimit(cal, now, limit), stage_warn_at: warningAt(cal, now, limit) });
  };
  for (const e of effects) {
    switch (e.kind) {
      case 'start_clock':
        if (e.clock === 'handle') {
          // The base limit from now, then each approved postponement that stays with the case (rework, reopen).
          const cal = handleCal();
          const limit = stageLimit(ref, cur.matter_code, 'handle', cur.urgency, cur.area_class);
          let due = addLimit(cal, now, limit);
          let warn = warningAt(cal, now, limit);
          for (const extra of e.extensions ?? []) {
            due = extendDeadline(cal, due, extra);
            warn = extendDeadline(cal, warn, extra);
          }
          set({
            handle_started_at: now, handle_limit_amount: limit.amount, handle_limit_unit: limit.unit,
            handle_due_at: due, handle_warn_at: warn, handle_paused_at: null,
          });
        } else startStage(e.clock);
        break;
      case 'pause_clock':
        if (cur.handle_due_at !== null && cur.handle_paused_at === null) set({ handle_paused_at: now });
        break;
      case 'resume_clock': {
        // The time left at the pause, in the limit's own kind of time, counts again from now (pauseClock/resumeClock).
        const p = cur.handle_paused_at;
        if (p === null) break;
        const cal = handleCal();
        const hu = (cur.handle_limit_unit ?? 'natural_hours') as LimitUnit;
        set({
          handle_paused_at: null,
          handle_due_at: cur.handle_due_at === null ? null : resumeDeadline(cal, hu, Number(cur.handle_due_at), Number(p), now),
          handle_warn_at: cur.handle_warn_at === null ? null : resumeDeadline(cal, hu, Number(cur.handle_warn_at), Number(p), now),
        });
        break;
      }
      case 'stop_clock':
        if (e.clock !== 'handle' && cur.stage === e.clock) set({ stage: null, stage_limit_unit: null, stage_due_at: null, stage_warn_at: null });
        break;
      case 'suspend_clocks':
        set({ suspended_at: now });
        break;
      case 'reset_clocks':
        set({
          handle_started_at: null, handle_warn_at: null, handle_due_at: null, suspended_at: null, handle_paused_at: null,
          stage: null, stage_limit_unit: null, stage_due_at: null, stage_warn_at: null,
        });
        break;
      case 'resume_clocks': {
        const s = cur.suspended_at;
        if (s === null) break;
        const hc = handleCal();
        const sc = stageCal(cur.stage);
        const hu = (cur.handle_limit_unit ?? 'natural_hours') as LimitUnit;
        const su = (cur.stage_limit_unit ?? 'natural_hours') as LimitUnit;
        set({
          suspended_at: null,
          handle_due_at: cur.handle_due_at === null ? null : resumeDeadline(hc, hu, cur.handle_due_at, s, now),
          handle_warn_at: cur.handle_warn_at === null ? null : resumeDeadline(hc, hu, cur.handle_warn_at, s, now),
          stage_due_at: cur.stage_due_at === null ? null : resumeDeadline(sc, su, cur.stage_due_at, s, now),
          stage_warn_at: cur.stage_warn_at === null ? null : resumeDeadline(sc, su, cur.stage_warn_at, s, now),
        });
        break;
      }
      case 'extend_deadline':
        if (cur.handle_due_at !== null) {
          const cal = handleCal();
          set({
            handle_due_at: extendDeadline(cal, cur.handle_due_at, e.extra),
            handle_warn_at: cur.handle_warn_at === null ? null : extendDeadline(cal, cur.handle_warn_at, e.extra),
          });
        }
        break;
      default:
        break;
    }
  }
  // The centre's own clock: from registration until dispatch (when no other stage clock runs).
  if (cur.stage === null && cur.state === 'REGISTERED') startStage('dispatch');
  if (cur.state !== 'REGISTERED' && cur.stage === 'dispatch' && !['REPORTED', 'ACCEPTED'].includes(cur.state)) {
    set({ stage: null, stage_limit_unit: null, stage_due_at: null, stage_warn_at: null });
  }
  refreshAlert(cur, patch, now);
}

/** Recomputes alert level and the sweep's next look; sets ever_overdue when the handling clock has run out. */
export function refreshAlert(cur: ClockRow, patch: CaseUpdate, now: number): void {
  const a = alertState({
    state: cur.state, handleWarnAt: cur.handle_warn_at, handleDueAt: cur.handle_due_at, stage: cur.stage,
    stageWarnAt: cur.stage_warn_at, stageDueAt: cur.stage_due_at, suspendedAt: cur.suspended_at,
  }, now);
  patch.alert_level = a.level;
  patch.next_alert_at = a.nextAlertAt;
  if (a.handleLevel === 'overdue' && !cur.ever_overdue) patch.ever_overdue = 1;
}

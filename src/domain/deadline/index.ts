/** Work calendar and deadlines (domain.md §5). Pure: every instant is an argument in epoch ms. */
export type {
  DayCounting,
  DeadlineExplanation,
  DeadlineLevel,
  LimitUnit,
  PausedClock,
  TimeLimit,
  WorkCalendar,
  WorkCalendarData,
  WorkPeriod,
} from './deadline.types.ts';
export {
  addWorkMs,
  compileCalendar,
  defaultDayCounting,
  isDayCounting,
  isWorkDay,
  isWorkTime,
  withDayCounting,
  withWorkPeriods,
  workMsBetween,
} from './work-calendar.ts';
export {
  addLimit,
  countsByDays,
  deadlineLevel,
  describeDeadline,
  extendDeadline,
  isLimitUnit,
  isWorkUnit,
  limitMs,
  pauseClock,
  remainingMs,
  resumeClock,
  resumeDeadline,
  validateLimit,
  warningAt,
  warningBetween,
} from './deadline.ts';
export { parseLimitText } from './limit-text.ts';
export {
  applyCalendarImport,
  buildCalendarData,
  defaultWorkPeriods,
  parseCalendarImport,
} from './calendar-import.ts';
export type { BuildCalendarOptions, CalendarImport } from './calendar-import.ts';
export { applyCalendarDay, dayKindOf, DAY_KINDS, MAX_DAY_REASON } from './calendar-day.ts';
export type { AppliedCalendarDay, CalendarDayChange, DayKind } from './calendar-day.ts';

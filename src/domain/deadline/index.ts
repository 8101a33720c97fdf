/** Work calendar and deadlines (domain.md §5). Pure: every instant is an argument in epoch ms. */
export type {
  DeadlineLevel,
  LimitUnit,
  TimeLimit,
  WorkCalendar,
  WorkCalendarData,
  WorkPeriod,
} from './deadline.types.ts';
export { addWorkMs, compileCalendar, isWorkDay, isWorkTime, workMsBetween } from './work-calendar.ts';
export {
  addLimit,
  deadlineLevel,
  extendDeadline,
  isLimitUnit,
  isWorkUnit,
  limitMs,
  remainingMs,
  resumeDeadline,
  validateLimit,
  warningAt,
} from './deadline.ts';
export { parseLimitText } from './limit-text.ts';
export { buildCalendarData, defaultWorkPeriods, parseCalendarImport } from './calendar-import.ts';
export type { BuildCalendarOptions, CalendarImport } from './calendar-import.ts';

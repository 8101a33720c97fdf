import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.ts';
import { applyCalendarDay, dayKindOf } from './calendar-day.ts';
import type { WorkCalendarData } from './deadline.types.ts';
import { compileCalendar, isWorkDay } from './work-calendar.ts';

const base: WorkCalendarData = {
  utcOffsetMinutes: 480, workPeriods: [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '17:30' }], weekendDays: [0, 6],
  holidays: [{ date: '2026-10-01', name: '国庆节' }], makeUpWorkdays: ['2026-09-27'],
};

function errorOf(fn: () => unknown): DomainError {
  try { fn(); } catch (e) { assert.ok(e instanceof DomainError); return e; }
  assert.fail('expected an error');
}

test('a weekday becomes a holiday with its reason as the name, and is no work day', () => {
  const r = applyCalendarDay(base, { date: '2026-11-04', kind: 'holiday', reason: '防汛停工' });
  assert.equal(r.previous, 'normal');
  assert.deepEqual(r.next.holidays.find((h) => h.date === '2026-11-04'), { date: '2026-11-04', name: '防汛停工' });
  assert.equal(isWorkDay(compileCalendar(r.next), '2026-11-04'), false);
  assert.equal(isWorkDay(compileCalendar(base), '2026-11-04'), true);
});

test('a Saturday becomes a make-up workday; a holiday becomes normal again', () => {
  const sat = applyCalendarDay(base, { date: '2026-10-10', kind: 'workday', reason: '国庆节调休' });
  assert.equal(isWorkDay(compileCalendar(sat.next), '2026-10-10'), true);
  const back = applyCalendarDay(base, { date: '2026-10-01', kind: 'normal', reason: '取消' });
  assert.equal(back.previous, 'holiday');
  assert.equal(dayKindOf(back.next, '2026-10-01'), 'normal');
  // a make-up day turned into a holiday leaves the make-up list
  const swap = applyCalendarDay(base, { date: '2026-09-27', kind: 'holiday', reason: '改为放假' });
  assert.equal(swap.previous, 'workday');
  assert.deepEqual(swap.next.makeUpWorkdays, []);
});

test('refused: no reason, a weekday as make-up day, a bad date, normal to normal — each naming its field', () => {
  assert.equal(errorOf(() => applyCalendarDay(base, { date: '2026-11-04', kind: 'holiday', reason: '  ' })).field, 'reason');
  const wd = errorOf(() => applyCalendarDay(base, { date: '2026-11-04', kind: 'workday', reason: 'x' }));
  assert.equal(wd.field, 'kind');
  assert.equal(wd.key, 'calendar.makeup_not_weekend');
  assert.equal(errorOf(() => applyCalendarDay(base, { date: '2026-02-30', kind: 'holiday', reason: 'x' })).field, 'date');
  assert.equal(errorOf(() => applyCalendarDay(base, { date: '2026-11-04', kind: 'normal', reason: 'x' })).key, 'calendar.unchanged');
  assert.equal(errorOf(() => applyCalendarDay(base, { date: '2026-11-04', kind: 'off', reason: 'x' })).field, 'kind');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DomainError } from '../errors.ts';
import type { WorkCalendarData } from './deadline.types.ts';
import { buildCalendarData, parseCalendarImport } from './calendar-import.ts';
import { addWorkMs, compileCalendar, isWorkDay, isWorkTime, workMsBetween } from './work-calendar.ts';

const HOUR = 3_600_000;
const MIN = 60_000;
const raw = JSON.parse(readFileSync(new URL('../../../resources/calendar-cn-2026.json', import.meta.url), 'utf8'));
const data = buildCalendarData([parseCalendarImport(raw)]);
const cal = compileCalendar(data);

/** Epoch ms of a China local time "YYYY-MM-DD HH:MM". */
const at = (s: string): number => {
  const [d, t = '00:00'] = s.split(' ');
  const [y, mo, da] = d.split('-').map(Number);
  const [h, mi] = t.split(':').map(Number);
  return Date.UTC(y, mo - 1, da, h, mi) - 8 * HOUR;
};
const fmt = (ms: number): string => new Date(ms + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DomainError, `expected DomainError, got ${String(e)}`);
    assert.equal(e.code, 'VALIDATION_FAILED');
    return e.field;
  }
  assert.fail('expected a validation error');
};

test('work days follow the 2026 arrangement', () => {
  assert.equal(isWorkDay(cal, '2026-09-30'), true, 'Wednesday before National Day');
  for (let d = 1; d <= 7; d++) assert.equal(isWorkDay(cal, `2026-10-0${d}`), false, `10-0${d} is off`);
  assert.equal(isWorkDay(cal, '2026-10-08'), true, 'Thursday 10-08 is not in daysOff');
  assert.equal(isWorkDay(cal, '2026-10-09'), true);
  assert.equal(isWorkDay(cal, '2026-10-10'), true, 'Saturday 10-10 is a make-up workday');
  assert.equal(isWorkDay(cal, '2026-10-11'), false, 'plain Sunday');
  assert.equal(isWorkDay(cal, '2026-01-04'), true, 'Sunday make-up after 元旦');
  assert.equal(isWorkDay(cal, '2026-02-16'), false, 'Spring Festival Monday');
  assert.equal(isWorkDay(cal, '2026-06-19'), false, 'Dragon Boat Friday');
  assert.equal(isWorkDay(cal, '2027-10-01'), true, 'a Friday in a year without imported holidays');
  assert.equal(isWorkDay(cal, '2027-10-02'), false, 'a Saturday in 2027');
  assert.equal(fieldOf(() => isWorkDay(cal, '2026-02-30')), 'localDate');
});

test('isWorkTime respects periods and the lunch break', () => {
  assert.equal(isWorkTime(cal, at('2026-09-30 09:00')), true);
  assert.equal(isWorkTime(cal, at('2026-09-30 12:00')), false);
  assert.equal(isWorkTime(cal, at('2026-09-30 13:29')), false);
  assert.equal(isWorkTime(cal, at('2026-09-30 13:30')), true);
  assert.equal(isWorkTime(cal, at('2026-09-30 17:30')), false);
  assert.equal(isWorkTime(cal, at('2026-10-03 10:00')), false);
});

test('workMsBetween jumps over the National Day holiday', () => {
  // Wed 09-30 16:00–17:30 = 1.5 h; 10-01..07 off; Thu 10-08 09:00–10:00 = 1 h.
  assert.equal(workMsBetween(cal, at('2026-09-30 16:00'), at('2026-10-08 10:00')), 2.5 * HOUR);
  assert.equal(workMsBetween(cal, at('2026-10-08 10:00'), at('2026-09-30 16:00')), -2.5 * HOUR);
  assert.equal(workMsBetween(cal, at('2026-10-01 08:00'), at('2026-10-07 23:00')), 0);
  // A whole week Mon 10-12 .. Sun 10-18: five work days of 7 h.
  assert.equal(workMsBetween(cal, at('2026-10-12 00:00'), at('2026-10-19 00:00')), 35 * HOUR);
  // Make-up Saturday 10-10 counts in full.
  assert.equal(workMsBetween(cal, at('2026-10-10 00:00'), at('2026-10-11 00:00')), 7 * HOUR);
});

test('addWorkMs: earliest instant, lunch break, period ends, going back', () => {
  assert.equal(fmt(addWorkMs(cal, at('2026-09-30 10:00'), 2 * HOUR)), '2026-09-30 12:00');
  assert.equal(fmt(addWorkMs(cal, at('2026-09-30 10:00'), 2 * HOUR + MIN)), '2026-09-30 13:31');
  assert.equal(fmt(addWorkMs(cal, at('2026-09-30 09:00'), 7 * HOUR)), '2026-09-30 17:30');
  assert.equal(fmt(addWorkMs(cal, at('2026-09-30 12:30'), 30 * MIN)), '2026-09-30 14:00');
  assert.equal(fmt(addWorkMs(cal, at('2026-10-08 10:00'), -2.5 * HOUR)), '2026-09-30 16:00');
  const sunday = at('2026-10-11 10:00');
  assert.equal(addWorkMs(cal, sunday, 0), sunday);
});

test('far from the imported years the weekly pattern still holds (no walking)', () => {
  const start = at('2040-03-05 09:00'); // a Monday
  assert.equal(fmt(addWorkMs(cal, start, 5 * 7 * HOUR)), '2040-03-09 17:30');
  assert.equal(fmt(addWorkMs(cal, at('2026-01-05 09:00'), 7 * HOUR * 250 * 20)).slice(0, 4), '2045');
  assert.equal(fmt(addWorkMs(cal, at('1999-12-31 17:00'), HOUR)), '2000-01-03 09:30');
});

test('compileCalendar names the bad field', () => {
  const base = (): WorkCalendarData => structuredClone(data);
  const withPeriods = (workPeriods: WorkCalendarData['workPeriods']): WorkCalendarData => ({ ...base(), workPeriods });
  assert.equal(fieldOf(() => compileCalendar(withPeriods([{ start: '09:00', end: '12:00' }, { start: '13:30', end: '13:00' }]))), 'workPeriods[1].end');
  assert.equal(fieldOf(() => compileCalendar(withPeriods([{ start: '09:00', end: '12:00' }, { start: '11:30', end: '13:00' }]))), 'workPeriods[1].start');
  assert.equal(fieldOf(() => compileCalendar(withPeriods([{ start: '9:00', end: '12:00' }]))), 'workPeriods[0].start');
  assert.equal(fieldOf(() => compileCalendar(withPeriods([{ start: '09:00', end: '24:01' }]))), 'workPeriods[0].end');
  assert.equal(fieldOf(() => compileCalendar(withPeriods([]))), 'workPeriods');
  assert.equal(fieldOf(() => compileCalendar({ ...base(), utcOffsetMinutes: 480.5 })), 'utcOffsetMinutes');
  assert.equal(fieldOf(() => compileCalendar({ ...base(), weekendDays: [0, 7] })), 'weekendDays[1]');
  assert.equal(fieldOf(() => compileCalendar({ ...base(), weekendDays: [0, 1, 2, 3, 4, 5, 6] })), 'weekendDays');
  assert.equal(fieldOf(() => compileCalendar({ ...base(), holidays: [{ date: '2026-13-01' }] })), 'holidays[0].date');
  assert.equal(fieldOf(() => compileCalendar({ ...base(), makeUpWorkdays: ['2026-10-10', '2026-10-03'] })), 'makeUpWorkdays[1]');
  assert.equal(fieldOf(() => compileCalendar({ ...base(), makeUpWorkdays: ['2026-10-08'] })), 'makeUpWorkdays[0]');
  // A full-day period is allowed.
  const allDay = compileCalendar(withPeriods([{ start: '00:00', end: '24:00' }]));
  assert.equal(workMsBetween(allDay, at('2026-10-08 00:00'), at('2026-10-09 00:00')), 24 * HOUR);
});

// An independent, slow oracle: walk local days and intersect with the periods.
function naiveWorkMs(d: WorkCalendarData, from: number, to: number): number {
  const off = new Set(d.holidays.map((h) => h.date));
  const make = new Set(d.makeUpWorkdays);
  const periods = d.workPeriods.map((p) => [p.start, p.end].map((s) => (Number(s.slice(0, 2)) * 60 + Number(s.slice(3))) * MIN));
  let sum = 0;
  const offset = d.utcOffsetMinutes * MIN;
  for (let day = Math.floor((from + offset) / 86_400_000); day * 86_400_000 - offset < to; day++) {
    const date = new Date(day * 86_400_000);
    const iso = date.toISOString().slice(0, 10);
    const work = make.has(iso) || (!off.has(iso) && !d.weekendDays.includes(date.getUTCDay()));
    if (!work) continue;
    for (const [s, e] of periods) {
      const a = Math.max(from, day * 86_400_000 - offset + s);
      const b = Math.min(to, day * 86_400_000 - offset + e);
      if (b > a) sum += b - a;
    }
  }
  return sum;
}

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('property: workMsBetween agrees with a day-walking oracle', () => {
  const r = rng(7);
  const lo = at('2025-12-20 00:00');
  const span = 400 * 86_400_000;
  for (let i = 0; i < 300; i++) {
    const a = lo + Math.floor(r() * span);
    const b = a + Math.floor(r() * 40 * 86_400_000);
    assert.equal(workMsBetween(cal, a, b), naiveWorkMs(data, a, b), `${fmt(a)} → ${fmt(b)}`);
  }
});

test('property: addWorkMs is the earliest instant with that much work time', () => {
  const r = rng(42);
  const lo = at('2025-12-20 00:00');
  for (let i = 0; i < 500; i++) {
    const start = lo + Math.floor(r() * 400 * 86_400_000);
    const ms = 1 + Math.floor(r() * 60 * 7 * HOUR);
    const end = addWorkMs(cal, start, ms);
    assert.equal(naiveWorkMs(data, start, end), ms, `${fmt(start)} + ${ms} ms`);
    assert.ok(naiveWorkMs(data, start, end - 1) < ms, 'not the earliest instant');
  }
});

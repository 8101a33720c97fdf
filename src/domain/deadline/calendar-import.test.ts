import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DomainError } from '../errors.ts';
import { applyCalendarImport, buildCalendarData, defaultWorkPeriods, parseCalendarImport } from './calendar-import.ts';
import { compileCalendar, isWorkDay } from './work-calendar.ts';

const raw = JSON.parse(readFileSync(new URL('../../../resources/calendar-cn-2026.json', import.meta.url), 'utf8'));

/** The error of `fn`, which must be a VALIDATION_FAILED DomainError. */
function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DomainError, `expected DomainError, got ${String(e)}`);
    assert.equal(e.code, 'VALIDATION_FAILED');
    return e;
  }
  assert.fail('expected a validation error');
}
const mutated = (change: (j: any) => void): unknown => {
  const j = structuredClone(raw);
  change(j);
  return j;
};

test('the real 2026 file imports completely', () => {
  const imp = parseCalendarImport(raw);
  assert.equal(imp.year, 2026);
  assert.deepEqual(imp.weekendDays, [0, 6]);
  assert.equal(imp.holidays.length, 3 + 9 + 3 + 5 + 3 + 3 + 7);
  assert.deepEqual(imp.holidays[0], { date: '2026-01-01', name: '元旦' });
  assert.deepEqual(imp.holidays.at(-1), { date: '2026-10-07', name: '国庆节' });
  assert.deepEqual(imp.makeUpWorkdays, ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
});

test('import errors name the field', () => {
  const cases: [unknown, string, RegExp][] = [
    [mutated((j) => (j.holidays[2].daysOff[1] = '2026-04-31')), 'holidays[2].daysOff[1]', /not a valid date/],
    [mutated((j) => (j.holidays[2].daysOff[1] = 'April 5')), 'holidays[2].daysOff[1]', /not a valid date/],
    [mutated((j) => (j.holidays[0].daysOff[0] = '2025-12-31')), 'holidays[0].daysOff[0]', /not in year 2026/],
    [mutated((j) => j.holidays[6].makeUpWorkdays.push('2026-10-03')), 'holidays[6].makeUpWorkdays[2]', /already listed at holidays\[6\]\.daysOff\[2\]/],
    [mutated((j) => j.holidays[5].daysOff.push('2026-10-01')), 'holidays[6].daysOff[0]', /already listed at holidays\[5\]\.daysOff\[3\]/],
    [mutated((j) => (j.holidays[3].makeUpWorkdays[0] = '2026-05-11')), 'holidays[3].makeUpWorkdays[0]', /not a weekend day/],
    [mutated((j) => (j.year = '2026')), 'year', /integer/],
    [mutated((j) => (j.weekend[1] = 'sunday')), 'weekend[1]', /must be one of/],
    [mutated((j) => j.weekend.push('Saturday')), 'weekend[2]', /twice/],
    [mutated((j) => (j.weekend = [])), 'weekend', /at least one weekly rest day/],
    [mutated((j) => delete j.holidays[1].name), 'holidays[1].name', /non-empty/],
    [mutated((j) => (j.holidays[4].daysOff = [])), 'holidays[4].daysOff', /at least one/],
    [mutated((j) => (j.holidays[4].days = [])), 'holidays[4].days', /unknown field/],
    [mutated((j) => (j.extra = 1)), 'extra', /unknown field/],
    [mutated((j) => delete j.holidays), 'holidays', /array/],
    [[], 'calendar', /object/],
  ];
  for (const [json, field, message] of cases) {
    const e = errorOf(() => parseCalendarImport(json));
    assert.equal(e.field, field, e.message);
    assert.match(e.message, message);
    assert.ok(e.message.startsWith(`${field}: `), e.message);
  }
});

test('buildCalendarData merges several years and uses the default work periods', () => {
  const y2027 = parseCalendarImport({
    year: 2027,
    weekend: ['Saturday', 'Sunday'],
    holidays: [{ name: '元旦', daysOff: ['2027-01-01', '2027-01-02', '2027-01-03'], makeUpWorkdays: [] }],
  });
  const data = buildCalendarData([y2027, parseCalendarImport(raw)]);
  assert.equal(data.utcOffsetMinutes, 480);
  assert.deepEqual(data.workPeriods, [
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '17:30' },
  ]);
  assert.deepEqual(data.workPeriods, defaultWorkPeriods.map((p) => ({ ...p })));
  assert.equal(data.holidays[0].date, '2026-01-01', 'sorted across years');
  assert.equal(data.holidays.at(-1)?.date, '2027-01-03');
  const cal = compileCalendar(data);
  assert.equal(isWorkDay(cal, '2027-01-01'), false, 'a Friday holiday of 2027');
  assert.equal(isWorkDay(cal, '2026-10-10'), true);

  const custom = buildCalendarData([y2027], {
    workPeriods: [{ start: '08:30', end: '12:00' }],
    extraHolidays: [{ date: '2027-03-08', name: '本地假日' }],
  });
  assert.deepEqual(custom.workPeriods, [{ start: '08:30', end: '12:00' }]);
  assert.equal(isWorkDay(compileCalendar(custom), '2027-03-08'), false);

  const dup = errorOf(() => buildCalendarData([parseCalendarImport(raw), parseCalendarImport(raw)]));
  assert.equal(dup.field, 'imports[1].year');
  const fridays = parseCalendarImport({ year: 2028, weekend: ['Friday'], holidays: [] });
  assert.equal(errorOf(() => buildCalendarData([y2027, fridays])).field, 'imports[1].weekendDays');
  assert.deepEqual(buildCalendarData([y2027, fridays], { weekendDays: [5, 6] }).weekendDays, [5, 6]);
});

test('the reported import {"year":2031,"weekend":[],"holidays":[]} is rejected by the pure parser', () => {
  const e = errorOf(() => parseCalendarImport({ year: 2031, weekend: [], holidays: [] }));
  assert.equal(e.field, 'weekend');
  // A year with no holidays but a weekend is fine.
  assert.deepEqual(parseCalendarImport({ year: 2031, weekend: ['Saturday', 'Sunday'], holidays: [] }).weekendDays, [0, 6]);
});

test('applyCalendarImport validates the merged calendar before anything is written', () => {
  const current = buildCalendarData([parseCalendarImport(raw)], { extraHolidays: [{ date: '2026-12-02', name: '地方假日' }] });
  const frozen = structuredClone(current);
  // A new year is added; the other years stay.
  const y2027 = parseCalendarImport({
    year: 2027,
    weekend: ['Saturday', 'Sunday'],
    holidays: [{ name: '元旦', daysOff: ['2027-01-01'], makeUpWorkdays: ['2027-01-02'] }],
  });
  const next = applyCalendarImport(current, y2027);
  assert.deepEqual(current, frozen, 'the current data is not changed');
  assert.equal(next.holidays.length, current.holidays.length + 1);
  assert.deepEqual(next.makeUpWorkdays.slice(-2), ['2026-10-10', '2027-01-02']);
  assert.equal(isWorkDay(compileCalendar(next), '2027-01-02'), true);
  assert.deepEqual(next.workPeriods, current.workPeriods);
  // Re-importing a year replaces all of that year's days (local additions too), like the stored rows.
  const again = applyCalendarImport(next, parseCalendarImport(raw));
  assert.equal(again.holidays.filter((h) => h.date.startsWith('2026-')).length, 33);
  assert.ok(!again.holidays.some((h) => h.date === '2026-12-02'));
  assert.ok(again.holidays.some((h) => h.date === '2027-01-01'), 'other years kept');
  assert.deepEqual(again.makeUpWorkdays, ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10', '2027-01-02']);
  // A weekend that would turn another year's make-up Saturdays into weekdays: rejected, naming the field.
  const fridays = parseCalendarImport({ year: 2031, weekend: ['Friday', 'Sunday'], holidays: [] });
  const e = errorOf(() => applyCalendarImport(current, fridays));
  assert.equal(e.field, 'weekend');
  assert.match(e.message, /2026-02-14/);
  // The same weekend on a calendar without make-up days elsewhere is fine.
  const bare = buildCalendarData([]);
  assert.deepEqual(applyCalendarImport(bare, fridays).weekendDays, [0, 5]);
  // Anything compileCalendar would reject in the merged data is rejected here (e.g. broken stored periods).
  const broken = { ...current, workPeriods: [{ start: '12:00', end: '09:00' }] };
  assert.equal(errorOf(() => applyCalendarImport(broken, y2027)).field, 'workPeriods[0].end');
});

test('buildCalendarData passes the day-counting setting through', () => {
  assert.equal(buildCalendarData([]).dayCounting, undefined, 'unset = the default');
  assert.equal(compileCalendar(buildCalendarData([])).dayCounting, 'next_day_close_of_business');
  const d = buildCalendarData([parseCalendarImport(raw)], { dayCounting: 'elapsed_work_time' });
  assert.equal(compileCalendar(d).dayCounting, 'elapsed_work_time');
});

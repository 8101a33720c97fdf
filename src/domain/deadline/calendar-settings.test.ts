import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DomainError } from '../errors.ts';
import { buildCalendarData, parseCalendarImport } from './calendar-import.ts';
import { addLimit } from './deadline.ts';
import { applyCalendarSettings, parseUnitWorkTime, unitCalendar } from './calendar-settings.ts';
import { compileCalendar } from './work-calendar.ts';

const HOUR = 3_600_000;
const raw = JSON.parse(readFileSync(new URL('../../../resources/calendar-cn-2026.json', import.meta.url), 'utf8'));
const data = buildCalendarData([parseCalendarImport(raw)]);
const city = compileCalendar(data);
const at = (s: string): number => {
  const [d, t = '00:00'] = s.split(' ');
  const [y, mo, da] = d.split('-').map(Number);
  const [h, mi] = t.split(':').map(Number);
  return Date.UTC(y, mo - 1, da, h, mi) - 8 * HOUR;
};
const fmt = (ms: number): string => new Date(ms + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
const units = new Set(['U-WATER', 'U-REPAIR']);
const apply = (change: Record<string, unknown>) => applyCalendarSettings(data, {}, change, (id) => units.has(id));
const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DomainError, `expected DomainError, got ${String(e)}`);
    return e.field;
  }
  assert.fail('expected a validation error');
};

test('a change is validated whole and says what to write; omitted settings keep their value', () => {
  const r = apply({ workPeriods: [{ start: '08:30', end: '12:00' }, { start: '13:00', end: '17:00' }], dayCounting: 'elapsed_work_time' });
  assert.deepEqual(Object.keys(r.writes).sort(), ['day_counting', 'work_periods']);
  assert.deepEqual(r.settings.workPeriods, [{ start: '08:30', end: '12:00' }, { start: '13:00', end: '17:00' }]);
  assert.equal(r.settings.dayCounting, 'elapsed_work_time');
  assert.deepEqual(r.settings.weekendDays, [0, 6]);
  // the new data compiles, and deadlines follow it: 1 work day from Wed 10:00 under elapsed counting is Thu 10:00
  const cal = compileCalendar(r.data);
  assert.equal(fmt(addLimit(cal, at('2026-11-25 10:00'), { amount: 1, unit: 'work_days' })), '2026-11-26 10:00');
});

test('errors name the field: periods, day counting, weekend, units', () => {
  assert.equal(fieldOf(() => apply({ workPeriods: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '17:00' }] })), 'workPeriods[1].start');
  assert.equal(fieldOf(() => apply({ workPeriods: [] })), 'workPeriods');
  assert.equal(fieldOf(() => apply({ workPeriods: [{ start: '9am', end: '12:00' }] })), 'workPeriods[0].start');
  assert.equal(fieldOf(() => apply({ dayCounting: 'whenever' })), 'dayCounting');
  assert.equal(fieldOf(() => apply({ weekendDays: [] })), 'weekendDays');
  assert.equal(fieldOf(() => apply({ weekendDays: [0, 0] })), 'weekendDays[1]');
  assert.equal(fieldOf(() => apply({ weekendDays: [7] })), 'weekendDays[0]');
  // 2026 has Saturday and Sunday make-up workdays: a weekend of Sunday alone would make the Saturday ones weekdays
  assert.equal(fieldOf(() => apply({ weekendDays: [0] })), 'weekendDays');
  assert.equal(fieldOf(() => apply({ unitWorkPeriods: [{ unitId: 'U-NOPE', workPeriods: [{ start: '08:00', end: '18:00' }] }] })), 'unitWorkPeriods[0].unitId');
  assert.equal(fieldOf(() => apply({ unitWorkPeriods: [{ unitId: 'U-WATER', workPeriods: [{ start: '08:00', end: '18:00' }] }, { unitId: 'U-WATER', workPeriods: [{ start: '08:00', end: '18:00' }] }] })), 'unitWorkPeriods[1].unitId');
  assert.equal(fieldOf(() => apply({ unitWorkPeriods: [{ unitId: 'U-WATER', workPeriods: [{ start: '18:00', end: '08:00' }] }] })), 'unitWorkPeriods[0].workPeriods[0].end');
  assert.equal(fieldOf(() => apply({ unitWorkPeriods: [{ unitId: 'U-WATER', workPeriods: [{ start: '08:00', end: '18:00' }], everyDay: 'yes' }] })), 'unitWorkPeriods[0].everyDay');
  assert.equal(fieldOf(() => apply({ unitWorkPeriods: { 'U-WATER': [] } })), 'unitWorkPeriods');
});

test('a unit keeps its own periods over the city days; everyDay works through weekends and holidays', () => {
  const r = apply({ unitWorkPeriods: [
    { unitId: 'U-WATER', workPeriods: [{ start: '08:00', end: '18:00' }] },
    { unitId: 'U-REPAIR', workPeriods: [{ start: '00:00', end: '24:00' }], everyDay: true },
  ] });
  assert.deepEqual(r.writes.unit_work_periods, {
    'U-WATER': { workPeriods: [{ start: '08:00', end: '18:00' }] },
    'U-REPAIR': { workPeriods: [{ start: '00:00', end: '24:00' }], everyDay: true },
  });
  const water = unitCalendar(city, r.settings.unitWorkPeriods['U-WATER']);
  // Fri 17:00 + 2 work hours: the city (09:00–12:00, 13:30–17:30) ends Mon 10:30; the utility (08:00–18:00) Mon 09:00
  const fri = at('2026-11-27 17:00');
  assert.equal(fmt(addLimit(city, fri, { amount: 2, unit: 'work_hours' })), '2026-11-30 10:30');
  assert.equal(fmt(addLimit(water, fri, { amount: 2, unit: 'work_hours' })), '2026-11-30 09:00');
  // holidays are shared: 2 work hours from the eve of National Day (Wed 30 Sep 17:00) end after the holiday
  assert.equal(fmt(addLimit(water, at('2026-09-30 17:00'), { amount: 2, unit: 'work_hours' })), '2026-10-08 09:00');
  // a 24-hour team on duty every day: 4 work hours from Fri 22:00 end Sat 02:00, also on a holiday
  const repair = unitCalendar(city, r.settings.unitWorkPeriods['U-REPAIR']);
  assert.equal(fmt(addLimit(repair, at('2026-11-27 22:00'), { amount: 4, unit: 'work_hours' })), '2026-11-28 02:00');
  assert.equal(fmt(addLimit(repair, at('2026-10-01 10:00'), { amount: 4, unit: 'work_hours' })), '2026-10-01 14:00');
});

test('a stored unit entry may be a bare list of periods; other shapes name their field', () => {
  assert.deepEqual(parseUnitWorkTime(city, [{ start: '08:00', end: '18:00' }], 'u'), { workPeriods: [{ start: '08:00', end: '18:00' }], everyDay: false });
  assert.equal(fieldOf(() => parseUnitWorkTime(city, { workPeriods: [{ start: '08:00', end: '18:00' }], colour: 1 }, 'u')), 'u.colour');
  assert.equal(fieldOf(() => parseUnitWorkTime(city, 'all day', 'u')), 'u');
});

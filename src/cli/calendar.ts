/**
 * `cityops calendar show | set | unit` — a city's work time from the command line (the same command and validation
 * as PUT /api/v1/calendar/settings):
 *   cityops calendar show
 *   cityops calendar set [--periods 09:00-12:00,13:30-17:30] [--weekend Saturday,Sunday] [--day-counting RULE]
 *   cityops calendar unit UNIT_ID --periods 08:00-18:00 [--every-day]   (a unit that keeps other hours)
 *   cityops calendar unit UNIT_ID --clear                               (back to the city's hours)
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.ts';
import { createContext, closeContext } from '../runtime/bootstrap.ts';
import { updateCalendarSettings } from '../commands/calendar-settings-update.ts';
import type { CalendarSettingsChange } from '../domain/deadline/calendar-settings.ts';
import type { AppContext } from '../runtime/context.ts';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const CALENDAR_USAGE = `usage: cityops calendar show
       cityops calendar set [--periods 09:00-12:00,13:30-17:30] [--weekend Saturday,Sunday]
                            [--day-counting next_day_close_of_business|elapsed_work_time]
       cityops calendar unit UNIT_ID --periods 08:00-18:00 [--every-day] | cityops calendar unit UNIT_ID --clear`;

/** "09:00-12:00,13:30-17:30" → periods (the domain validates the times and their order). */
export function parsePeriodsText(text: string): { start: string; end: string }[] {
  return text.split(/[,，;]/).map((s) => s.trim()).filter(Boolean).map((s) => {
    const [start = '', end = ''] = s.split(/\s*[-–~]\s*/);
    return { start, end };
  });
}

/** "Saturday,Sunday" or "6,0" → weekdays (unknown names are left for the domain to refuse, as -1). */
export function parseWeekendText(text: string): number[] {
  return text.split(/[,，\s]+/).filter(Boolean).map((s) => {
    if (/^\d$/.test(s)) return Number(s);
    return DAY_NAMES.findIndex((d) => d.toLowerCase() === s.toLowerCase() || d.slice(0, 3).toLowerCase() === s.toLowerCase());
  });
}

const periodsText = (ps: readonly { start: string; end: string }[]) => ps.map((p) => `${p.start}–${p.end}`).join(', ');

function show(ctx: AppContext): void {
  const d = ctx.ref.current();
  const s = d.calendarSettings;
  console.log(`work periods:  ${periodsText(s.workPeriods)}`);
  console.log(`weekend:       ${s.weekendDays.map((w) => DAY_NAMES[w]).join(', ')}`);
  console.log(`day counting:  ${s.dayCounting}`);
  const units = Object.entries(s.unitWorkPeriods);
  console.log(units.length ? 'units with their own hours:' : 'units with their own hours: none');
  for (const [id, u] of units) console.log(`  ${id} ${d.units.get(id)?.name ?? ''}: ${periodsText(u.workPeriods)}${u.everyDay ? ' (every day, holidays too)' : ''}`);
  const problems = d.problems.filter((p) => p.setting !== 'hotline_feedback_limits');
  for (const p of problems) console.log(`problem: ${p.message} — using ${JSON.stringify(p.usingDefault)}`);
}

export async function calendarCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, strict: true, allowPositionals: true,
    options: {
      periods: { type: 'string' }, weekend: { type: 'string' }, 'day-counting': { type: 'string' },
      'every-day': { type: 'boolean', default: false }, clear: { type: 'boolean', default: false },
    },
  });
  const [what, unitId] = positionals;
  if (!['show', 'set', 'unit'].includes(what ?? '') || (what === 'unit' && !unitId)) {
    console.error(CALENDAR_USAGE);
    return 2;
  }
  const ctx = await createContext(loadConfig());
  try {
    if (what === 'show') {
      show(ctx);
      return 0;
    }
    let change: CalendarSettingsChange;
    if (what === 'set') {
      change = {
        ...(values.periods !== undefined ? { workPeriods: parsePeriodsText(values.periods) } : {}),
        ...(values.weekend !== undefined ? { weekendDays: parseWeekendText(values.weekend) } : {}),
        ...(values['day-counting'] !== undefined ? { dayCounting: values['day-counting'] } : {}),
      };
      if (Object.keys(change).length === 0) {
        console.error(`error: nothing to set\n${CALENDAR_USAGE}`);
        return 2;
      }
    } else {
      if (values.clear === (values.periods !== undefined)) {
        console.error(`error: give either --periods or --clear\n${CALENDAR_USAGE}`);
        return 2;
      }
      const others = Object.entries(ctx.ref.current().calendarSettings.unitWorkPeriods)
        .filter(([id]) => id !== unitId).map(([id, u]) => ({ unitId: id, ...u }));
      change = {
        unitWorkPeriods: values.clear ? others
          : [...others, { unitId: unitId!, workPeriods: parsePeriodsText(values.periods!), everyDay: values['every-day'] }],
      };
    }
    const r = await updateCalendarSettings(ctx, change, null);
    console.log(`calendar settings changed (${r.changed.join(', ')}); new clocks use them now`);
    show(ctx);
    return 0;
  } finally {
    await closeContext(ctx);
  }
}

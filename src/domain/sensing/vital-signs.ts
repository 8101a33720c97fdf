/**
 * City vital signs (城市体征, issue 11 part 7): a handful of indicators computed from alarms, devices and cases, each
 * with thresholds (normal / warn / alert) and a trend. Pure: the counts come in, the indicators go out.
 */
import { crowdTier, type CrowdTier } from './scenario-packs.ts';
import { DEFAULT_VITAL_SETTINGS, type VitalSettings } from './vital-settings.ts';

export type VitalLevel = 'normal' | 'warn' | 'alert';

export interface VitalIndicator {
  key: string;
  zh: string;
  en: string;
  value: number | null;
  unit: string;
  level: VitalLevel;
  /** warn / alert lines; `higherIsWorse` says which side is bad. */
  thresholds: { warn: number; alert: number; higherIsWorse: boolean };
  /** Hourly values, oldest first (sparkline), when the indicator has one. */
  trend?: number[];
  /** Parts of the value (open alarms per scenario). */
  breakdown?: { key: string; value: number }[];
  /** Crowd load by area (the crowd indicator): load % of capacity and its tier. */
  areas?: CrowdArea[];
}

/** One crowd-counted area: its latest count against its capacity. */
/** `lon`/`lat`: where the area's counter stands (the big screen's crowd layer); null when the device has no position. */
export interface CrowdArea { id: string; name: string; count: number; capacity: number; load: number; tier: CrowdTier; at: number; lon?: number | null; lat?: number | null }

export interface VitalInputs {
  openAlarmsByScenario: { scenario: string | null; count: number }[];
  waterloggingPoints: number;
  devices: { total: number; online: number };
  intakeToday: number;
  /** Cases created in the same part of the day on each of the last 7 days (average = "the usual"). */
  intakeUsual: number[];
  alarmsPerHour: number[];
  /** Latest readings of the crowd counters (count, capacity), one per area. */
  crowd?: { id: string; name: string; count: number; capacity: number; at: number; lon?: number | null; lat?: number | null }[];
}

/** The lines of each indicator from the city's settings (`sensing_vital_settings`). */
export function vitalThresholds(s: VitalSettings = DEFAULT_VITAL_SETTINGS) {
  return {
    openAlarms: { ...s.openAlarms, higherIsWorse: true },
    waterloggingPoints: { ...s.waterloggingPoints, higherIsWorse: true },
    onlineRate: { ...s.onlineRate, higherIsWorse: false },
    intakeRatio: { ...s.intakeRatio, higherIsWorse: true },
    crowdLoad: { warn: s.crowdTiers.yellow, alert: s.crowdTiers.red, higherIsWorse: true },
  };
}
export const VITAL_THRESHOLDS = vitalThresholds();

/** Crowd load by area, busiest first: load % = count / capacity, tiered by the settings' lines. */
export function crowdAreas(rows: NonNullable<VitalInputs['crowd']>, tiers: VitalSettings['crowdTiers']): CrowdArea[] {
  return rows.filter((r) => r.capacity > 0).map((r) => {
    const load = Math.round((r.count / r.capacity) * 1000) / 10;
    return { ...r, load, tier: crowdTier(load, tiers) };
  }).sort((a, b) => b.load - a.load);
}

export function levelOf(v: number | null, t: { warn: number; alert: number; higherIsWorse: boolean }): VitalLevel {
  if (v === null) return 'normal';
  if (t.higherIsWorse) return v >= t.alert ? 'alert' : v >= t.warn ? 'warn' : 'normal';
  return v <= t.alert ? 'alert' : v <= t.warn ? 'warn' : 'normal';
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** Alarm instants → counts per hour over the `hours` hours that end at `now`, oldest first. */
export function perHour(instants: readonly number[], now: number, hours = 24): number[] {
  const out = new Array<number>(hours).fill(0);
  const start = now - hours * 3_600_000;
  for (const t of instants) {
    if (t < start || t >= now) continue;
    out[Math.floor((t - start) / 3_600_000)]++;
  }
  return out;
}

export function vitalSigns(i: VitalInputs, settings: VitalSettings = DEFAULT_VITAL_SETTINGS): VitalIndicator[] {
  const VITAL_THRESHOLDS = vitalThresholds(settings);
  const areas = crowdAreas(i.crowd ?? [], settings.crowdTiers);
  const peak = areas.length ? areas[0].load : null;
  const open = i.openAlarmsByScenario.reduce((s, x) => s + x.count, 0);
  const rate = i.devices.total > 0 ? round(i.devices.online / i.devices.total) : null;
  const usual = i.intakeUsual.length ? i.intakeUsual.reduce((s, x) => s + x, 0) / i.intakeUsual.length : 0;
  const ratio = usual > 0 ? round(i.intakeToday / usual, 2) : null;
  return [
    {
      key: 'open_alarms', zh: '未恢复告警', en: 'Open alarms', value: open, unit: '', level: levelOf(open, VITAL_THRESHOLDS.openAlarms),
      thresholds: VITAL_THRESHOLDS.openAlarms, trend: i.alarmsPerHour,
      breakdown: i.openAlarmsByScenario.map((x) => ({ key: x.scenario ?? 'other', value: x.count })).sort((a, b) => b.value - a.value),
    },
    {
      key: 'waterlogging_points', zh: '积水超警点位', en: 'Waterlogging points over threshold', value: i.waterloggingPoints, unit: '',
      level: levelOf(i.waterloggingPoints, VITAL_THRESHOLDS.waterloggingPoints), thresholds: VITAL_THRESHOLDS.waterloggingPoints,
    },
    {
      key: 'device_online_rate', zh: '设备在线率', en: 'Devices online', value: rate, unit: '%', level: levelOf(rate, VITAL_THRESHOLDS.onlineRate),
      thresholds: VITAL_THRESHOLDS.onlineRate,
    },
    {
      key: 'intake_vs_usual', zh: '今日受理/常态', en: 'Intake today vs the usual', value: ratio, unit: '×', level: levelOf(ratio, VITAL_THRESHOLDS.intakeRatio),
      thresholds: VITAL_THRESHOLDS.intakeRatio, breakdown: [{ key: 'today', value: i.intakeToday }, { key: 'usual', value: round(usual, 1) }],
    },
    {
      key: 'crowd_load', zh: '客流负荷（最高区域）', en: 'Crowd load (busiest area)', value: peak, unit: '%', level: levelOf(peak, VITAL_THRESHOLDS.crowdLoad),
      thresholds: VITAL_THRESHOLDS.crowdLoad, areas,
    },
  ];
}

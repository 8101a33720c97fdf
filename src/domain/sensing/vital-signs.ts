/**
 * City vital signs (城市体征, issue 11 part 7): a handful of indicators computed from alarms, devices and cases, each
 * with thresholds (normal / warn / alert) and a trend. Pure: the counts come in, the indicators go out.
 */
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
}

export interface VitalInputs {
  openAlarmsByScenario: { scenario: string | null; count: number }[];
  waterloggingPoints: number;
  devices: { total: number; online: number };
  intakeToday: number;
  /** Cases created in the same part of the day on each of the last 7 days (average = "the usual"). */
  intakeUsual: number[];
  alarmsPerHour: number[];
}

export const VITAL_THRESHOLDS = {
  openAlarms: { warn: 10, alert: 50, higherIsWorse: true },
  waterloggingPoints: { warn: 1, alert: 5, higherIsWorse: true },
  onlineRate: { warn: 0.95, alert: 0.9, higherIsWorse: false },
  intakeRatio: { warn: 1.5, alert: 2, higherIsWorse: true },
} as const;

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

export function vitalSigns(i: VitalInputs): VitalIndicator[] {
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
  ];
}

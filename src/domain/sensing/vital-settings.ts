/**
 * The lines of the city's vital signs (issue 11 part 7) and the crowd tiers (part 6) as city settings: the settings
 * row `sensing_vital_settings` (GET/PUT /api/v1/vitals/settings). A stored row that does not parse falls back to the
 * defaults and is reported (the server still starts). Pure.
 */
import { invalidAs } from '../errors.ts';
import { CROWD_TIER_DEFAULTS } from './scenario-packs.ts';

export interface Lines { warn: number; alert: number }
export interface VitalSettings {
  openAlarms: Lines;
  waterloggingPoints: Lines;
  /** Fractions 0–1; lower is worse (warn ≥ alert). */
  onlineRate: Lines;
  intakeRatio: Lines;
  /** Crowd load tiers, % of an area's capacity: yellow < orange < red. */
  crowdTiers: { yellow: number; orange: number; red: number };
}

export const DEFAULT_VITAL_SETTINGS: VitalSettings = {
  openAlarms: { warn: 10, alert: 50 },
  waterloggingPoints: { warn: 1, alert: 5 },
  onlineRate: { warn: 0.95, alert: 0.9 },
  intakeRatio: { warn: 1.5, alert: 2 },
  crowdTiers: { ...CROWD_TIER_DEFAULTS },
};

const num = (o: Record<string, unknown>, k: string, f: string, min: number, max: number): number => {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw invalidAs(`${f}.${k}`, { key: 'field.number_in', params: { min: String(min), max: String(max) } }, `must be a number between ${min} and ${max}`);
  return v;
};
const obj = (v: unknown, f: string): Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidAs(f, { key: 'field.object' }, 'must be an object');
  return v as Record<string, unknown>;
};

function lines(v: unknown, f: string, max: number, higherIsWorse: boolean): Lines {
  const o = obj(v, f);
  const warn = num(o, 'warn', f, 0, max), alert = num(o, 'alert', f, 0, max);
  if (higherIsWorse ? alert < warn : alert > warn) throw (higherIsWorse ? invalidAs(`${f}.alert`, { key: 'sensing.vital_alert_above_warn' }, 'must be at least warn') : invalidAs(`${f}.alert`, { key: 'sensing.vital_alert_below_warn' }, 'must be at most warn (lower is worse)'));
  return { warn, alert };
}

/** @throws DomainError VALIDATION_FAILED naming the field. Missing parts take their defaults. */
export function parseVitalSettings(input: unknown): VitalSettings {
  const o = obj(input, 'body');
  const d = DEFAULT_VITAL_SETTINGS;
  const t = obj(o.crowdTiers ?? d.crowdTiers, 'crowdTiers');
  const crowdTiers = { yellow: num(t, 'yellow', 'crowdTiers', 1, 1000), orange: num(t, 'orange', 'crowdTiers', 1, 1000), red: num(t, 'red', 'crowdTiers', 1, 1000) };
  if (!(crowdTiers.yellow < crowdTiers.orange)) throw invalidAs('crowdTiers.orange', { key: 'sensing.crowd_orange_above_yellow' }, 'must be above yellow');
  if (!(crowdTiers.orange < crowdTiers.red)) throw invalidAs('crowdTiers.red', { key: 'sensing.crowd_red_above_orange' }, 'must be above orange');
  return {
    openAlarms: lines(o.openAlarms ?? d.openAlarms, 'openAlarms', 1e6, true),
    waterloggingPoints: lines(o.waterloggingPoints ?? d.waterloggingPoints, 'waterloggingPoints', 1e6, true),
    onlineRate: lines(o.onlineRate ?? d.onlineRate, 'onlineRate', 1, false),
    intakeRatio: lines(o.intakeRatio ?? d.intakeRatio, 'intakeRatio', 1000, true),
    crowdTiers,
  };
}

/**
 * Sensing rules (issue 11 part 3; docs/issue-11/rules-alarms-video.md): what turns readings into alarms. A rule has a
 * scope (a device type, a scenario or one device), a condition, the matter code and urgency of the case it opens,
 * hysteresis (inside the condition) and a suppression window. Rules are city data, edited at run time and versioned:
 * every save is a new version, and an alarm records the version that raised it.
 *
 * `parseRuleDefinition` is the one validation (HTTP and stored rows alike); it names the field of the first error.
 */
import { invalidAs } from '../errors.ts';
import { URGENCIES, type Urgency } from '../case/channels.ts';

export type Comparison = '>' | '>=' | '<' | '<=';
export const COMPARISONS: readonly Comparison[] = ['>', '>=', '<', '<='];

/** `measurement op value` held for at least `forSeconds` (0 = at once); clears once it no longer holds with `hysteresis` of margin. */
export interface ThresholdCondition {
  kind: 'threshold';
  measurement: string;
  op: Comparison;
  value: number;
  forSeconds: number;
  /** Margin for clearing: `> 20` with hysteresis 2 clears at ≤ 18 (the alarm does not flap around the line). */
  hysteresis: number;
}

/** The change of `measurement` per minute over the last `windowSeconds`: `rise` when it grows faster than `perMinute`, `fall` when it drops faster. */
export interface RateCondition {
  kind: 'rate';
  measurement: string;
  direction: 'rise' | 'fall';
  perMinute: number;
  windowSeconds: number;
}

/**
 * No change (issue 11 part 6, lone elderly residents' water meters): `measurement` moved by no more than `tolerance`
 * for `forSeconds` (a meter's total that stays put for 12 h). Clears as soon as it moves past the tolerance.
 */
export interface UnchangedCondition {
  kind: 'unchanged';
  measurement: string;
  forSeconds: number;
  tolerance: number;
}

/** The device went offline (its status, or ingestion's heartbeat watch): clears when it is online again. */
export interface HeartbeatCondition { kind: 'heartbeat' }

/** Every part holds at once (smoke AND temperature rise). Parts are thresholds and rates; the alarm clears when any part clears. */
export type ConditionPart = ThresholdCondition | RateCondition | UnchangedCondition;
export interface AllCondition { kind: 'all'; conditions: ConditionPart[] }

export type Condition = ConditionPart | HeartbeatCondition | AllCondition;

export type RuleScopeKind = 'type' | 'scenario' | 'device';
export interface RuleScope { kind: RuleScopeKind; id: string }

/** A rule as an admin writes it (one version). */
export interface RuleDefinition {
  name: string;
  scope: RuleScope;
  condition: Condition;
  matterCode: string;
  urgency: Urgency;
  /** After an alarm of this rule on a device clears, a new firing within this many minutes re-opens it (no new alarm, no new case). */
  suppressMinutes: number;
  enabled: boolean;
  note?: string | null;
}

/** A stored rule: its id and the version in force. */
export interface SensingRule extends RuleDefinition { id: string; version: number }

export const RULE_ID_RE = /^[a-z0-9][a-z0-9_-]{0,59}$/;
const KEY_RE = /^[A-Za-z0-9_]{1,40}$/;
const MAX_PARTS = 4;
const MAX_SECONDS = 7 * 86400;

const obj = (v: unknown, field: string): Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidAs(field, { key: 'field.object' }, 'must be an object');
  return v as Record<string, unknown>;
};
const num = (o: Record<string, unknown>, key: string, field: string, min: number, max: number, dflt?: number): number => {
  const v = o[key] ?? dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidAs(`${field}.${key}`, { key: 'sensing.number' }, 'must be a number');
  if (v < min || v > max) throw invalidAs(`${field}.${key}`, { key: 'sensing.between_and', params: { min: String(min), max: String(max) } }, `must be between ${min} and ${max}`);
  return v;
};
const measurementOf = (o: Record<string, unknown>, field: string): string => {
  const m = o.measurement;
  if (typeof m !== 'string' || !KEY_RE.test(m)) throw invalidAs(`${field}.measurement`, { key: 'sensing.measurement_key_letters_digits_at' }, 'must be a measurement key (letters, digits, _; at most 40)');
  return m;
};

function parsePart(v: unknown, field: string): ConditionPart {
  const o = obj(v, field);
  if (o.kind === 'threshold') {
    if (!COMPARISONS.includes(o.op as Comparison)) throw invalidAs(`${field}.op`, { key: 'field.one_of', params: { allowed: COMPARISONS.join(' ') } }, `must be one of ${COMPARISONS.join(' ')}`);
    return {
      kind: 'threshold', measurement: measurementOf(o, field), op: o.op as Comparison, value: num(o, 'value', field, -1e12, 1e12),
      forSeconds: num(o, 'forSeconds', field, 0, MAX_SECONDS, 0), hysteresis: num(o, 'hysteresis', field, 0, 1e12, 0),
    };
  }
  if (o.kind === 'rate') {
    if (o.direction !== 'rise' && o.direction !== 'fall') throw invalidAs(`${field}.direction`, { key: 'sensing.rise_or_fall' }, 'must be rise or fall');
    const perMinute = num(o, 'perMinute', field, 0, 1e12);
    if (perMinute <= 0) throw invalidAs(`${field}.perMinute`, { key: 'sensing.above_0' }, 'must be above 0');
    return { kind: 'rate', measurement: measurementOf(o, field), direction: o.direction, perMinute, windowSeconds: num(o, 'windowSeconds', field, 10, 86400, 300) };
  }
  if (o.kind === 'unchanged') {
    const forSeconds = num(o, 'forSeconds', field, 60, MAX_SECONDS);
    return { kind: 'unchanged', measurement: measurementOf(o, field), forSeconds, tolerance: num(o, 'tolerance', field, 0, 1e12, 0) };
  }
  throw invalidAs(`${field}.kind`, { key: 'sensing.threshold_rate_or_unchanged' }, 'must be threshold, rate or unchanged');
}

export function parseCondition(v: unknown, field = 'condition'): Condition {
  const o = obj(v, field);
  if (o.kind === 'heartbeat') return { kind: 'heartbeat' };
  if (o.kind === 'all') {
    if (!Array.isArray(o.conditions) || o.conditions.length < 2 || o.conditions.length > MAX_PARTS) {
      throw invalidAs(`${field}.conditions`, { key: 'sensing.list_2_conditions', params: { max_parts: String(MAX_PARTS) } }, `must list 2 to ${MAX_PARTS} conditions`);
    }
    return { kind: 'all', conditions: o.conditions.map((c, i) => parsePart(c, `${field}.conditions.${i}`)) };
  }
  if (o.kind === 'threshold' || o.kind === 'rate' || o.kind === 'unchanged') return parsePart(o, field);
  throw invalidAs(`${field}.kind`, { key: 'sensing.threshold_rate_unchanged_heartbeat_or_all' }, 'must be threshold, rate, unchanged, heartbeat or all');
}

/** @throws DomainError VALIDATION_FAILED naming the field. `matterExists` checks the matter code against the catalogue. */
export function parseRuleDefinition(input: unknown, matterExists: (code: string) => boolean): RuleDefinition {
  const o = obj(input, 'body');
  const name = typeof o.name === 'string' ? o.name.trim() : '';
  if (!name || name.length > 100) throw invalidAs('name', { key: 'sensing.1_100_characters' }, 'must be 1 to 100 characters');
  const s = obj(o.scope, 'scope');
  if (s.kind !== 'type' && s.kind !== 'scenario' && s.kind !== 'device') throw invalidAs('scope.kind', { key: 'sensing.type_scenario_or_device' }, 'must be type, scenario or device');
  if (typeof s.id !== 'string' || !s.id.trim() || s.id.length > 100) throw invalidAs('scope.id', { key: 'sensing.name_device_type_scenario_or' }, 'must name the device type, scenario or device');
  const condition = parseCondition(o.condition);
  if (typeof o.matterCode !== 'string' || !/^\d{5}$/.test(o.matterCode)) throw invalidAs('matterCode', { key: 'field.5_digit_matter_code' }, 'must be a 5-digit matter code');
  if (!matterExists(o.matterCode)) throw invalidAs('matterCode', { key: 'sensing.unknown_matter_code_2', params: { matterCode: String(o.matterCode) } }, `unknown matter code "${o.matterCode}"`);
  const urgency = o.urgency ?? 'normal';
  if (!URGENCIES.includes(urgency as Urgency)) throw invalidAs('urgency', { key: 'field.one_of', params: { allowed: URGENCIES.join(', ') } }, `must be one of ${URGENCIES.join(', ')}`);
  const suppressMinutes = num(o, 'suppressMinutes', 'rule', 0, 7 * 1440, 30);
  if (o.enabled !== undefined && typeof o.enabled !== 'boolean') throw invalidAs('enabled', { key: 'field.true_or_false' }, 'must be true or false');
  if (o.note !== undefined && o.note !== null && (typeof o.note !== 'string' || o.note.length > 500)) throw invalidAs('note', { key: 'field.at_most_500_characters' }, 'at most 500 characters');
  return {
    name, scope: { kind: s.kind, id: s.id.trim() }, condition, matterCode: o.matterCode, urgency: urgency as Urgency,
    suppressMinutes, enabled: o.enabled === true, note: typeof o.note === 'string' ? o.note : null,
  };
}

/** The measurements a condition reads (a reading without any of them cannot change the rule's state). */
export function measurementsOf(c: Condition): string[] {
  if (c.kind === 'heartbeat') return [];
  if (c.kind === 'all') return [...new Set(c.conditions.map((p) => p.measurement))];
  return [c.measurement];
}

/** Checks the condition's measurements against a device type's (a rule scoped to a type must read what it measures). */
export function checkMeasurements(c: Condition, known: readonly string[]): void {
  const missing = measurementsOf(c).filter((m) => !known.includes(m));
  if (missing.length) throw invalidAs('condition', { key: 'sensing.device_type_does_not_measure', params: { allowed: missing.join(', '), allowed2: known.join(', ') || 'nothing' } }, `the device type does not measure ${missing.join(', ')} (it measures ${known.join(', ') || 'nothing'})`);
}

/** A one-line human description of a condition (Chinese first), for case descriptions and the console. */
export function describeCondition(c: Condition): string {
  const part = (p: ConditionPart): string => (p.kind === 'threshold'
    ? `${p.measurement} ${p.op} ${p.value}${p.forSeconds ? ` 持续 ${fmtSeconds(p.forSeconds)}` : ''}`
    : p.kind === 'unchanged' ? `${p.measurement} ${fmtSeconds(p.forSeconds)}无变化${p.tolerance ? `（±${p.tolerance}）` : ''}`
      : `${p.measurement} ${p.direction === 'rise' ? '上升' : '下降'}快于 ${p.perMinute}/分钟（${fmtSeconds(p.windowSeconds)}内）`);
  if (c.kind === 'heartbeat') return '设备离线（心跳丢失）';
  if (c.kind === 'all') return c.conditions.map(part).join(' 且 ');
  return part(c);
}

const fmtSeconds = (s: number): string => (s % 3600 === 0 ? `${s / 3600} 小时` : s % 60 === 0 ? `${s / 60} 分钟` : `${s} 秒`);

/**
 * Evaluating one rule on one device, reading after reading (issue 11 part 3). The state is small and mutated in
 * place: the engine keeps one per (device, rule) in memory and calls `stepReading` ≥ 50,000 times a second, so a
 * step allocates nothing unless a rate condition stores a sample. Pure: no clock (time is the reading's), no I/O.
 *
 * Semantics (docs/issue-11/rules-alarms-video.md §rules):
 * - threshold: holds from the first reading that meets it; the part is ON once it held `forSeconds` without a break
 *   (a reading that does not meet it restarts the wait); an ON part turns OFF only when a reading is past the line by
 *   the hysteresis (`> 20`, hysteresis 2: OFF at ≤ 18) — values in the band keep it ON.
 * - rate: change per minute between the newest reading and the oldest one within `windowSeconds` (one reading
 *   before the window is kept as the anchor, so sparse devices still have a rate).
 * - unchanged: ON once the value stayed within `tolerance` of the value it had `forSeconds` ago (no reading moved it
 *   past the tolerance meanwhile); OFF at the first reading that moves it past the tolerance.
 * - heartbeat: ON when the device goes offline, OFF when it is online again or a reading arrives.
 * - all: ON when every part is ON; the alarm clears when any part turns OFF.
 * A rule raises when it turns ON and clears when it turns OFF. Readings older than the last one seen are ignored.
 */
import type { Comparison, Condition, ConditionPart, RateCondition, ThresholdCondition, UnchangedCondition } from './rule-types.ts';
import type { DeviceState } from './types.ts';

interface ThresholdPart { on: boolean; since: number }
interface RatePart { on: boolean; samples: number[] /* at, value, at, value … oldest first */ }
/** unchanged: the value seen at `since` (the last move past the tolerance). */
interface UnchangedPart { on: boolean; since: number; ref: number }
type PartState = ThresholdPart | RatePart | UnchangedPart;

export interface RuleState {
  active: boolean;
  /** When the rule last turned ON (raised) or OFF (cleared); NaN before. */
  changedAt: number;
  lastAt: number;
  parts: PartState[];
}

export type Step = 'raise' | 'clear' | null;

const MAX_SAMPLES = 256;

export function partsOf(c: Condition): ConditionPart[] {
  if (c.kind === 'all') return c.conditions;
  if (c.kind === 'heartbeat') return [];
  return [c];
}

export function newRuleState(c: Condition): RuleState {
  return {
    active: false, changedAt: Number.NaN, lastAt: Number.NEGATIVE_INFINITY,
    parts: partsOf(c).map((p): PartState => (p.kind === 'threshold' ? { on: false, since: Number.NaN }
      : p.kind === 'unchanged' ? { on: false, since: Number.NaN, ref: Number.NaN } : { on: false, samples: [] })),
  };
}

/** A state that is already ON (an open alarm found after a restart): its parts are ON, so it clears when readings are normal. */
export function activeRuleState(c: Condition, raisedAt: number): RuleState {
  const s = newRuleState(c);
  s.active = true;
  s.changedAt = raisedAt;
  for (const p of s.parts) { p.on = true; if ('since' in p) p.since = raisedAt; }
  return s;
}

export function compare(v: number, op: Comparison, x: number): boolean {
  switch (op) {
    case '>': return v > x;
    case '>=': return v >= x;
    case '<': return v < x;
    default: return v <= x;
  }
}

/** Past the line by the hysteresis, on the normal side. */
export function released(v: number, c: ThresholdCondition): boolean {
  const h = c.hysteresis;
  switch (c.op) {
    case '>': return v <= c.value - h;
    case '>=': return v < c.value - h;
    case '<': return v >= c.value + h;
    default: return v > c.value + h;
  }
}

function stepThreshold(c: ThresholdCondition, p: ThresholdPart, at: number, v: number): void {
  if (p.on) {
    if (released(v, c)) { p.on = false; p.since = Number.NaN; }
    return;
  }
  if (!compare(v, c.op, c.value)) { p.since = Number.NaN; return; }
  if (Number.isNaN(p.since)) p.since = at;
  if (at - p.since >= c.forSeconds * 1000) p.on = true;
}

function stepUnchanged(c: UnchangedCondition, p: UnchangedPart, at: number, v: number): void {
  if (Number.isNaN(p.since) || Number.isNaN(p.ref) || Math.abs(v - p.ref) > c.tolerance) {
    // a restored ON state (after a restart) has no reference value yet: the first reading becomes it and keeps the part ON
    if (!p.on || !Number.isNaN(p.ref)) p.on = false;
    p.since = at; p.ref = v;
    return;
  }
  if (at - p.since >= c.forSeconds * 1000) p.on = true;
}

/** Change per minute over the window, or null without two usable readings. */
export function rateOf(c: RateCondition, p: RatePart, at: number, v: number): number | null {
  const s = p.samples;
  s.push(at, v);
  const start = at - c.windowSeconds * 1000;
  // keep one sample at or before the window's start as the anchor
  let drop = 0;
  while (s.length - drop >= 6 && s[drop + 2] <= start) drop += 2;
  // an anchor from long before the window (the device was silent) is dropped when the window has two readings of its own
  if (s.length - drop >= 6 && s[drop] < at - c.windowSeconds * 2000) drop += 2;
  if (s.length - drop > MAX_SAMPLES * 2) drop = s.length - MAX_SAMPLES * 2;
  if (drop) s.splice(0, drop);
  if (s.length < 4) return null;
  const dt = at - s[0];
  // an anchor from long before the window says nothing about the rate now; nor do readings a few seconds apart (a
  // sensor's noise over 10 ms reads as a huge rate): the samples must span half the window, or a minute if that is less
  if (dt <= 0 || dt > c.windowSeconds * 2000 || dt < Math.min(60_000, c.windowSeconds * 500)) return null;
  return ((v - s[1]) / dt) * 60_000;
}

function stepRate(c: RateCondition, p: RatePart, at: number, v: number): void {
  const r = rateOf(c, p, at, v);
  if (r === null) return;
  p.on = c.direction === 'rise' ? r >= c.perMinute : r <= -c.perMinute;
}

/** One reading through one rule. Answers what the rule did: raised, cleared, or nothing. */
export function stepReading(c: Condition, s: RuleState, at: number, values: Readonly<Record<string, number>>): Step {
  if (at < s.lastAt) return null;
  s.lastAt = at;
  if (c.kind === 'heartbeat') {
    if (!s.active) return null;
    s.active = false; s.changedAt = at;
    return 'clear';
  }
  const parts = c.kind === 'all' ? c.conditions : [c];
  let touched = false;
  for (let i = 0; i < parts.length; i++) {
    const pc = parts[i];
    const v = values[pc.measurement];
    if (v === undefined || !Number.isFinite(v)) continue;
    touched = true;
    if (pc.kind === 'threshold') stepThreshold(pc, s.parts[i] as ThresholdPart, at, v);
    else if (pc.kind === 'unchanged') stepUnchanged(pc, s.parts[i] as UnchangedPart, at, v);
    else stepRate(pc, s.parts[i] as RatePart, at, v);
  }
  if (!touched) return null;
  let all = true;
  for (const p of s.parts) if (!p.on) { all = false; break; }
  if (all === s.active) return null;
  s.active = all; s.changedAt = at;
  return all ? 'raise' : 'clear';
}

/** A device status change through one rule (only heartbeat rules listen). */
export function stepStatus(c: Condition, s: RuleState, at: number, state: DeviceState): Step {
  if (c.kind !== 'heartbeat') return null;
  if (state === 'offline' && !s.active) { s.active = true; s.changedAt = at; return 'raise'; }
  if (state === 'online' && s.active) { s.active = false; s.changedAt = at; return 'clear'; }
  return null;
}

/**
 * Suppression (a device's repeated alarms never flood the queue): a firing within `suppressMinutes` after the same
 * rule's alarm on the same device cleared re-opens that alarm instead of raising a new one.
 */
export function reopens(lastClearedAt: number | null, at: number, suppressMinutes: number): boolean {
  return lastClearedAt !== null && at - lastClearedAt <= suppressMinutes * 60_000;
}

/**
 * Testing a rule against recorded readings before it is enabled (issue 11 part 3): the same evaluation the engine
 * runs, over each device's readings in time order, with the suppression window applied — the answer shows which
 * alarms would have fired when, which would have re-opened a recent one, and when each would have cleared.
 * A heartbeat rule is tested on the gaps between readings: a device silent for longer than its heartbeat would have
 * gone offline one heartbeat after its last reading.
 */
import type { Reading } from './types.ts';
import type { RuleDefinition } from './rule-types.ts';
import { newRuleState, reopens, stepReading } from './rule-eval.ts';

export interface ReplayEvent {
  deviceId: string;
  kind: 'raise' | 'reopen' | 'clear';
  at: number;
  values: Record<string, number>;
}

export interface ReplayResult {
  events: ReplayEvent[];
  /** Alarms that would have been opened (re-opens within the suppression window are not counted again). */
  alarms: number;
  reopened: number;
  readings: number;
  devices: number;
  truncated: boolean;
}

export const MAX_REPLAY_EVENTS = 1000;

export function replayRule(
  rule: Pick<RuleDefinition, 'condition' | 'suppressMinutes'>,
  readingsByDevice: ReadonlyMap<string, readonly Reading[]>,
  opts: { heartbeatSeconds?: (deviceId: string) => number | undefined } = {},
): ReplayResult {
  const events: ReplayEvent[] = [];
  let alarms = 0, reopened = 0, readings = 0, truncated = false;
  const push = (e: ReplayEvent) => { if (events.length < MAX_REPLAY_EVENTS) events.push(e); else truncated = true; };
  for (const [deviceId, list] of readingsByDevice) {
    const sorted = [...list].sort((a, b) => a.at - b.at);
    readings += sorted.length;
    let lastClearedAt: number | null = null;
    const fire = (at: number, values: Record<string, number>) => {
      if (reopens(lastClearedAt, at, rule.suppressMinutes)) { reopened++; push({ deviceId, kind: 'reopen', at, values }); } else { alarms++; push({ deviceId, kind: 'raise', at, values }); }
    };
    if (rule.condition.kind === 'heartbeat') {
      const hb = opts.heartbeatSeconds?.(deviceId);
      if (!hb) continue;
      for (let i = 1; i < sorted.length; i++) {
        const gap = sorted[i].at - sorted[i - 1].at;
        if (gap <= hb * 1000) continue;
        fire(sorted[i - 1].at + hb * 1000, {});
        push({ deviceId, kind: 'clear', at: sorted[i].at, values: sorted[i].values });
        lastClearedAt = sorted[i].at;
      }
      continue;
    }
    const state = newRuleState(rule.condition);
    for (const r of sorted) {
      const step = stepReading(rule.condition, state, r.at, r.values);
      if (step === 'raise') fire(r.at, r.values);
      else if (step === 'clear') { push({ deviceId, kind: 'clear', at: r.at, values: r.values }); lastClearedAt = r.at; }
    }
  }
  events.sort((a, b) => a.at - b.at || a.deviceId.localeCompare(b.deviceId));
  return { events, alarms, reopened, readings, devices: readingsByDevice.size, truncated };
}

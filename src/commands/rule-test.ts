/**
 * Testing a rule before it is enabled (issue 11 part 3): the definition (saved or not) against recorded readings —
 * the data plane's `sensingHooks(ctx).recorded.range` for the devices of its scope (or those named), or readings
 * given in the request — answers which alarms would have fired when (src/domain/sensing/rule-replay.ts). Reads only.
 */
import { DomainError, invalidAs } from '../domain/errors.ts';
import { replayRule, type ReplayResult } from '../domain/sensing/rule-replay.ts';
import type { Reading } from '../domain/sensing/types.ts';
import type { AppContext } from '../runtime/context.ts';
import { sensingHooks } from '../runtime/sensing-hooks.ts';
import { validateRule } from './rule-save.ts';

export const MAX_TEST_DEVICES = 50;
export const MAX_TEST_READINGS = 20_000;

export interface RuleTestInput {
  rule: unknown;
  from?: number;
  to?: number;
  deviceIds?: string[];
  readings?: Reading[];
}

export async function testRule(ctx: AppContext, input: RuleTestInput): Promise<ReplayResult & { from: number; to: number }> {
  const d = await validateRule(ctx, input.rule);
  const to = input.to ?? ctx.clock.now();
  const from = input.from ?? to - 7 * 86400_000;
  if (from >= to) throw invalidAs('from', { key: 'rule-test.before' }, 'must be before to');
  const byDevice = new Map<string, Reading[]>();
  if (input.readings) {
    if (input.readings.length > MAX_TEST_READINGS) throw invalidAs('readings', { key: 'rule-test.at_most', params: { max_test_readings: String(MAX_TEST_READINGS) } }, `at most ${MAX_TEST_READINGS}`);
    for (const r of input.readings) {
      if (r.at < from || r.at >= to) continue;
      const l = byDevice.get(r.deviceId);
      if (l) l.push(r); else byDevice.set(r.deviceId, [r]);
    }
  } else {
    const recorded = sensingHooks(ctx).recorded;
    if (!recorded) throw new DomainError('CONFLICT', 'readings: no recorded readings on this server (ingestion is not running); send readings in the request', { field: 'readings' });
    const ids = input.deviceIds?.length
      ? input.deviceIds.slice(0, MAX_TEST_DEVICES)
      : (await ctx.store.sensingRules.devicesInScope(d.scope, MAX_TEST_DEVICES)).map((x) => x.id);
    const per = Math.max(100, Math.floor(MAX_TEST_READINGS / Math.max(1, ids.length)));
    for (const id of ids) byDevice.set(id, await recorded.range(id, from, to, per));
  }
  const types = new Map<string, number>();
  const hb = new Map<string, number>();
  if (d.condition.kind === 'heartbeat') {
    for (const dev of await ctx.store.devices.findDevices([...byDevice.keys()])) {
      if (!types.has(dev.typeId)) types.set(dev.typeId, (await ctx.store.devices.findType(dev.typeId))?.heartbeatSeconds ?? 0);
      hb.set(dev.id, types.get(dev.typeId)!);
    }
  }
  return { ...replayRule(d, byDevice, { heartbeatSeconds: (id) => hb.get(id) }), from, to };
}

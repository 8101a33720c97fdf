/**
 * What the scenario console and the big screen read (issue 11 parts 6–7): each scenario pack with its devices by
 * state, its open alarms and their key readings, and the crowd load by area (the latest reading of each crowd
 * counter). Read-only; counts follow the caller's visibility.
 */
import type { CaseVisibility } from '../domain/policy/visibility.ts';
import { SCENARIO_PACKS } from '../domain/sensing/scenario-packs.ts';
import type { AppContext } from '../runtime/context.ts';
import { fromJson } from '../storage/codec.ts';

const KEY_READINGS = 5;
const CROWD_AREAS_MAX = 200;

export async function scenarioOverview(ctx: AppContext, v: CaseVisibility) {
  const [byState, open, rules, types] = await Promise.all([
    ctx.store.vitals.devicesByScenario(v), ctx.store.alarms.openAlarmsByScenario(v), ctx.store.sensingRules.listRules(), ctx.store.devices.listTypes(),
  ]);
  const ruleIds = new Set(rules.map((r) => r.id));
  const typeIds = new Set(types.map((t) => t.id));
  return Promise.all(SCENARIO_PACKS.map(async (p) => {
    const devices: Record<string, number> = {};
    for (const r of byState) if (r.scenario === p.id) devices[r.state] = (devices[r.state] ?? 0) + r.count;
    const alarms = await ctx.store.vitals.raisedAlarmsOfScenario(p.id, v, KEY_READINGS);
    return {
      id: p.id, zh: p.zh, en: p.en,
      installed: p.types.every((t) => typeIds.has(t.id)) && p.rules.every((r) => ruleIds.has(r.id)),
      types: p.types.map((t) => ({ id: t.id, zh: t.zh, en: t.en, measurements: t.measurements.map((m) => ({ key: m.key, zh: m.zh, en: m.en, unit: m.unit })) })),
      rules: p.rules.map((r) => ({ id: r.id, name: r.name, matterCode: r.matterCode, urgency: r.urgency, installed: ruleIds.has(r.id) })),
      devices, openAlarms: open.find((o) => o.scenario === p.id)?.count ?? 0,
      keyReadings: alarms.map((a) => ({
        alarmId: a.id, deviceId: a.device_id, rule: a.rule_name ?? '', urgency: a.urgency, values: fromJson<Record<string, number>>(a.values, {}),
        raisedAt: new Date(Number(a.raised_at)).toISOString(), caseId: a.case_id === null ? null : Number(a.case_id),
      })),
    };
  }));
}

/** The latest count and capacity of each crowd counter the caller sees (one counter = one area). */
export async function crowdReadings(ctx: AppContext, v: CaseVisibility): Promise<{ id: string; name: string; count: number; capacity: number; at: number; lon: number | null; lat: number | null }[]> {
  const counters = await ctx.store.vitals.devicesOfType('crowd_counter', v, CROWD_AREAS_MAX);
  const out: { id: string; name: string; count: number; capacity: number; at: number; lon: number | null; lat: number | null }[] = [];
  for (const d of counters) {
    const [r] = await ctx.store.readings.latest(d.id, 1);
    if (r && Number.isFinite(r.values.count) && r.values.capacity > 0) out.push({ id: d.id, name: d.name, count: r.values.count, capacity: r.values.capacity, at: r.at, lon: d.lon, lat: d.lat });
  }
  return out;
}

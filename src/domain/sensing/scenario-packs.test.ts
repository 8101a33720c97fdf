import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCENARIO_PACKS, crowdTier, packOf } from './scenario-packs.ts';
import { checkMeasurements, parseCondition, parseRuleDefinition } from './rule-types.ts';
import { activeRuleState, newRuleState, stepReading, type Step } from './rule-eval.ts';
import { DEFAULT_VITAL_SETTINGS, parseVitalSettings } from './vital-settings.ts';
import { vitalSigns } from './vital-signs.ts';
import type { DomainError } from '../errors.ts';

const H = 3_600_000;

test('every pack rule parses, names a 5-digit matter and reads only what its device type measures', () => {
  const ids = new Set<string>();
  for (const p of SCENARIO_PACKS) {
    const local = new Set(p.matters.map((m) => m.code));
    for (const r of p.rules) {
      assert.ok(!ids.has(r.id), `${r.id} twice`);
      ids.add(r.id);
      const d = parseRuleDefinition(r, () => true);
      assert.equal(d.matterCode, r.matterCode);
      const type = p.types.find((t) => t.id === r.scope.id);
      assert.ok(type, `${r.id}: scope names a type of its own pack`);
      checkMeasurements(d.condition, type.measurements.map((m) => m.key));
      if (/^(09|10)09/.test(r.matterCode)) assert.ok(local.has(r.matterCode), `${r.id}: a local matter is declared by the pack`);
    }
    for (const t of p.types) assert.equal(t.scenario, p.id);
  }
  assert.deepEqual(SCENARIO_PACKS.map((p) => p.id).sort(), ['crowd', 'elderly_water', 'elevator', 'fire', 'manhole', 'old_building', 'shop_sign', 'waterlogging']);
});

test('unchanged: a meter total that stays put for 12 h raises; the first use clears it', () => {
  const c = parseCondition({ kind: 'unchanged', measurement: 'total', forSeconds: 12 * 3600, tolerance: 0.001 });
  const s = newRuleState(c);
  const out: [number, Step][] = [];
  const feed = (at: number, total: number) => { const r = stepReading(c, s, at, { total }); if (r) out.push([at, r]); };
  feed(0, 10); feed(6 * H, 10.0005); feed(11 * H, 10.0008);
  assert.deepEqual(out, []);
  feed(12 * H, 10.0009);
  assert.deepEqual(out, [[12 * H, 'raise']]);
  feed(13 * H, 10.0009);
  feed(14 * H, 10.02);
  assert.deepEqual(out, [[12 * H, 'raise'], [14 * H, 'clear']]);
  // use restarts the wait: 12 h from the last move
  feed(20 * H, 10.02);
  feed(26 * H - 1, 10.02);
  assert.equal(out.length, 2);
  feed(26 * H, 10.02);
  assert.deepEqual(out.at(-1), [26 * H, 'raise']);
});

test('unchanged: a state restored as raised after a restart stays raised until the value moves', () => {
  const c = parseCondition({ kind: 'unchanged', measurement: 'total', forSeconds: 3600 });
  const s = activeRuleState(c, 0);
  assert.equal(stepReading(c, s, 10, { total: 5 }), null);
  assert.equal(stepReading(c, s, 20, { total: 5 }), null);
  assert.equal(stepReading(c, s, 30, { total: 6 }), 'clear');
});

test('unchanged: bad input names the field', () => {
  assert.throws(() => parseCondition({ kind: 'unchanged', measurement: 'total' }), (e: DomainError) => e.field === 'condition.forSeconds');
  assert.throws(() => parseCondition({ kind: 'unchanged', measurement: 'total', forSeconds: 10 }), (e: DomainError) => e.field === 'condition.forSeconds');
  assert.throws(() => parseCondition({ kind: 'unchanged', measurement: 'total', forSeconds: 3600, tolerance: -1 }), (e: DomainError) => e.field === 'condition.tolerance');
  assert.throws(() => parseCondition({ kind: 'never' }), (e: DomainError) => e.field === 'condition.kind' && /unchanged/.test(e.message));
});

test('crowd tiers 黄/橙/红 by % of capacity', () => {
  const t = { yellow: 70, orange: 85, red: 100 };
  assert.equal(crowdTier(69.9, t), 'none');
  assert.equal(crowdTier(70, t), 'yellow');
  assert.equal(crowdTier(85, t), 'orange');
  assert.equal(crowdTier(100, t), 'red');
  assert.equal(crowdTier(null, t), 'none');
  // the pack's three rules sit on the default lines, with rising urgency
  const rules = packOf('crowd')!.rules;
  assert.deepEqual(rules.map((r) => (r.condition.kind === 'threshold' ? r.condition.value : null)), [70, 85, 100]);
  assert.deepEqual(rules.map((r) => r.urgency), ['normal', 'urgent', 'very_urgent']);
});

test('vital settings: defaults fill gaps, bad lines name the field', () => {
  assert.deepEqual(parseVitalSettings({}), DEFAULT_VITAL_SETTINGS);
  const s = parseVitalSettings({ openAlarms: { warn: 5, alert: 20 }, crowdTiers: { yellow: 60, orange: 80, red: 95 } });
  assert.equal(s.openAlarms.warn, 5);
  assert.throws(() => parseVitalSettings({ openAlarms: { warn: 20, alert: 5 } }), (e: DomainError) => e.field === 'openAlarms.alert');
  assert.throws(() => parseVitalSettings({ onlineRate: { warn: 0.9, alert: 0.95 } }), (e: DomainError) => e.field === 'onlineRate.alert');
  assert.throws(() => parseVitalSettings({ crowdTiers: { yellow: 80, orange: 80, red: 95 } }), (e: DomainError) => e.field === 'crowdTiers.orange');
  assert.throws(() => parseVitalSettings({ crowdTiers: { yellow: 60, orange: 80 } }), (e: DomainError) => e.field === 'crowdTiers.red');
});

test('vital signs follow the settings; crowd load by area, busiest first, tiered', () => {
  const base = { openAlarmsByScenario: [{ scenario: 'fire', count: 6 }], waterloggingPoints: 0, devices: { total: 10, online: 10 }, intakeToday: 1, intakeUsual: [1], alarmsPerHour: [] };
  const crowd = [{ id: 'a', name: '外滩', count: 900, capacity: 1000, at: 1 }, { id: 'b', name: '南京路', count: 300, capacity: 1000, at: 1 }];
  const dflt = Object.fromEntries(vitalSigns({ ...base, crowd }).map((x) => [x.key, x]));
  assert.equal(dflt.open_alarms.level, 'normal');
  assert.equal(dflt.crowd_load.value, 90);
  assert.equal(dflt.crowd_load.level, 'warn');
  assert.deepEqual(dflt.crowd_load.areas!.map((a) => [a.id, a.load, a.tier]), [['a', 90, 'orange'], ['b', 30, 'none']]);
  const strict = parseVitalSettings({ openAlarms: { warn: 2, alert: 5 }, crowdTiers: { yellow: 20, orange: 50, red: 90 } });
  const by = Object.fromEntries(vitalSigns({ ...base, crowd }, strict).map((x) => [x.key, x]));
  assert.equal(by.open_alarms.level, 'alert');
  assert.deepEqual(by.open_alarms.thresholds, { warn: 2, alert: 5, higherIsWorse: true });
  assert.deepEqual(by.crowd_load.areas!.map((a) => a.tier), ['red', 'yellow']);
  assert.equal(by.crowd_load.level, 'alert');
});

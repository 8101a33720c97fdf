import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegionTree } from '../routing/region-tree.ts';
import {
  DEFAULT_LEVEL_POLICY, hasLowerPlatform, intakePlatform, parseLevelPolicy, platformAt, policyLevel, superiorPlatform, type LevelPolicy,
} from './levels.ts';
import { foldTransferStats } from './stats.ts';

// city C → districts D1, D2 → streets S11, S12 (D1), S21 (D2) → communities; town T0 directly under the city (东莞-style)
const tree = new RegionTree([
  { id: 'C', parentId: null, level: 'city' },
  { id: 'D1', parentId: 'C', level: 'district' }, { id: 'D2', parentId: 'C', level: 'district' },
  { id: 'S11', parentId: 'D1', level: 'street' }, { id: 'S12', parentId: 'D1', level: 'street' }, { id: 'S21', parentId: 'D2', level: 'street' },
  { id: 'C111', parentId: 'S11', level: 'community' }, { id: 'C211', parentId: 'S21', level: 'community' },
  { id: 'T0', parentId: 'C', level: 'street' }, { id: 'C01', parentId: 'T0', level: 'community' },
]);
const P: LevelPolicy = structuredClone(DEFAULT_LEVEL_POLICY) as LevelPolicy;

test('a new case starts at its street; a 非常紧急 one at its district; unlocated at the city', () => {
  assert.deepEqual(intakePlatform(tree, P, { regionId: 'C111', matterCode: '06010', urgency: 'normal' }), { regionId: 'S11', level: 'street', basis: 'default' });
  assert.deepEqual(intakePlatform(tree, P, { regionId: 'C111', matterCode: '06010', urgency: 'very_urgent' }), { regionId: 'D1', level: 'district', basis: 'policy_rule' });
  assert.deepEqual(intakePlatform(tree, P, { regionId: null, matterCode: '06010', urgency: 'normal' }), { regionId: 'C', level: 'city', basis: 'unlocated' });
  // a town directly under the city: its district-level case goes to the nearest platform above (the city)
  assert.equal(intakePlatform(tree, P, { regionId: 'C01', matterCode: '06010', urgency: 'normal' }).regionId, 'T0');
  assert.equal(intakePlatform(tree, P, { regionId: 'C01', matterCode: '06010', urgency: 'very_urgent' }).regionId, 'C');
});

test('the platform follows the routed unit\'s level (a district bureau is commanded by the district), unless switched off', () => {
  const place = { regionId: 'C111', matterCode: '06001', urgency: 'normal' };
  assert.deepEqual(intakePlatform(tree, P, { ...place, routedUnitRegionId: 'D1' }), { regionId: 'D1', level: 'district', basis: 'unit_level' });
  assert.equal(intakePlatform(tree, P, { ...place, routedUnitRegionId: 'C' }).regionId, 'C');
  assert.equal(intakePlatform(tree, P, { ...place, routedUnitRegionId: 'S11' }).regionId, 'S11');
  assert.equal(intakePlatform(tree, { ...P, followUnitLevel: false }, { ...place, routedUnitRegionId: 'D1' }).regionId, 'S11');
});

test('policy rules: the most specific wins; a level without a centre gives the nearest above', () => {
  const p = parseLevelPolicy({
    platformLevels: ['city', 'district', 'street'], defaultLevel: 'street', followUnitLevel: false,
    rules: [{ matterClass: '06', level: 'district' }, { matterCode: '06010', level: 'street' }, { matterCode: '06010', urgency: 'urgent', level: 'city' }],
  });
  assert.equal(policyLevel(p, '06001', 'normal').level, 'district');
  assert.equal(policyLevel(p, '06010', 'normal').level, 'street');
  assert.equal(policyLevel(p, '06010', 'urgent').level, 'city');
  assert.equal(policyLevel(p, '09001', 'normal').level, 'street');
  const noStreets = { ...p, platformLevels: ['city', 'district'] as LevelPolicy['platformLevels'] };
  assert.equal(intakePlatform(tree, noStreets, { regionId: 'C111', matterCode: '09001', urgency: 'normal' }).regionId, 'D1');
  assert.equal(platformAt(tree, noStreets, 'S11'), 'D1');
  assert.equal(superiorPlatform(tree, P, 'S11'), 'D1');
  assert.equal(superiorPlatform(tree, P, 'D1'), 'C');
  assert.equal(superiorPlatform(tree, P, 'C'), null);
  assert.equal(superiorPlatform(tree, noStreets, 'T0'), 'C');
  assert.deepEqual([hasLowerPlatform(tree, P, 'C'), hasLowerPlatform(tree, P, 'D1'), hasLowerPlatform(tree, P, 'S11')], [true, true, false]);
  assert.equal(hasLowerPlatform(tree, noStreets, 'D1'), false);
});

test('a bad policy is refused naming the field', () => {
  const bad = (v: unknown) => { try { parseLevelPolicy(v); } catch (e) { return (e as { field: string }).field; } return 'accepted'; };
  const ok = { platformLevels: ['city', 'street'], defaultLevel: 'street', rules: [], followUnitLevel: true };
  assert.equal(bad(ok), 'accepted');
  assert.equal(bad({ ...ok, platformLevels: ['district'] }), 'platformLevels');
  assert.equal(bad({ ...ok, platformLevels: ['city', 'town'] }), 'platformLevels.1');
  assert.equal(bad({ ...ok, defaultLevel: 'community' }), 'defaultLevel');
  assert.equal(bad({ ...ok, rules: [{ level: 'district' }, { level: 'bureau' }] }), 'rules.1.level');
  assert.equal(bad({ ...ok, rules: [{ matterCode: '6010', level: 'district' }] }), 'rules.0.matterCode');
  assert.equal(bad({ ...ok, rules: [{ urgency: 'urgent', level: 'district' }, { urgency: 'urgent', level: 'city' }] }), 'rules.1');
  assert.equal(bad({ ...ok, extra: 1 }), 'extra');
});

test('transfer counts fold into one row per platform, both sides', () => {
  const rows = foldTransferStats([
    { regionId: 'S11', side: 'from', kind: 'escalate', status: 'accepted', n: 3 },
    { regionId: 'S11', side: 'from', kind: 'escalate', status: 'refused', n: 1 },
    { regionId: 'D1', side: 'to', kind: 'escalate', status: 'accepted', n: 3 },
    { regionId: 'D1', side: 'to', kind: 'escalate', status: 'refused', n: 1 },
    { regionId: 'D1', side: 'from', kind: 'assign_down', status: 'refused', n: 2 },
    { regionId: 'S12', side: 'to', kind: 'assign_down', status: 'refused', n: 2 },
    { regionId: 'S12', side: 'to', kind: 'assign_down', status: 'pending', n: 1 },
  ], (id) => id !== 'C');
  const by = Object.fromEntries(rows.map((r) => [r.regionId, r]));
  assert.deepEqual([by.S11.escalationsSent, by.S11.escalationsSentRefused, by.S11.refusals], [4, 1, 0]);
  assert.deepEqual([by.D1.escalationsReceived, by.D1.escalationsRefused, by.D1.assignmentsSentRefused, by.D1.refusals, by.D1.refusalRate], [4, 1, 2, 1, 0.25]);
  assert.deepEqual([by.S12.assignmentsReceived, by.S12.assignmentsRefused, by.S12.pending, by.S12.refusalRate], [3, 2, 1, 1]);
  assert.equal(rows[0].regionId, 'S12'); // most refusals first
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.ts';
import { ResponsibilityList } from './responsibility-list.ts';
import { FALLBACKS, REGIONS, rule } from './routing.fixtures.ts';
import type { ResponsibilityRule, RoutingContext } from './routing.types.ts';

const list = (rules: ResponsibilityRule[], fallbacks = FALLBACKS) => new ResponsibilityList(rules, REGIONS, fallbacks);
const ruleIdOf = (l: ResponsibilityList, ctx: RoutingContext) => {
  const d = l.route(ctx);
  return d.outcome === 'rule' ? d.ruleId : `<${d.outcome}:${d.unitId}>`;
};

test('matter code beats matter class on the same region', () => {
  const l = list([
    rule({ id: 'class', matterClass: '06', regionId: 'S11', unitId: 'U-street-office' }),
    rule({ id: 'code', matterCode: '06010', regionId: 'S11', unitId: 'U-sanitation' }),
  ]);
  assert.deepEqual(l.route({ matterCode: '06010', regionId: 'C111' }), {
    outcome: 'rule',
    unitId: 'U-sanitation',
    assistingUnitIds: [],
    ruleId: 'code',
  });
  assert.equal(ruleIdOf(l, { matterCode: '06012', regionId: 'C111' }), 'class');
});

test('a deeper region beats a shallower one of the same kind', () => {
  const l = list([
    rule({ id: 'city', matterClass: '06', regionId: 'SZ' }),
    rule({ id: 'street', matterClass: '06', regionId: 'S11', unitId: 'U-street-office' }),
    rule({ id: 'community', matterClass: '06', regionId: 'C112', unitId: 'U-property' }),
  ]);
  assert.equal(ruleIdOf(l, { matterCode: '06010', regionId: 'C111' }), 'street');
  assert.equal(ruleIdOf(l, { matterCode: '06010', regionId: 'C112' }), 'community');
  assert.equal(ruleIdOf(l, { matterCode: '06010', regionId: 'C121' }), 'city');
  assert.equal(ruleIdOf(l, { matterCode: '06010', regionId: 'C211' }), 'city');
});

test('matter code outranks depth: a city-wide code rule beats a community class rule', () => {
  const l = list([
    rule({ id: 'community-class', matterClass: '06', regionId: 'C111' }),
    rule({ id: 'city-code', matterCode: '06010', regionId: 'SZ', unitId: 'U-sanitation' }),
  ]);
  assert.equal(ruleIdOf(l, { matterCode: '06010', regionId: 'C111' }), 'city-code');
  assert.equal(ruleIdOf(l, { matterCode: '06012', regionId: 'C111' }), 'community-class');
});

test('a matching part owner outranks everything else; owner code beats owner class', () => {
  const rules = [
    rule({ id: 'community-code', matterCode: '01001', regionId: 'C111', unitId: 'U-street-office' }),
    rule({ id: 'owner-class-city', matterClass: '01', regionId: 'SZ', partOwnerUnitId: 'U-water', unitId: 'U-water' }),
    rule({ id: 'owner-code-city', matterCode: '01002', regionId: 'SZ', partOwnerUnitId: 'U-water', unitId: 'U-water', assistingUnitIds: ['U-police'] }),
  ];
  const l = list(rules);
  assert.equal(ruleIdOf(l, { matterCode: '01001', regionId: 'C111', partOwnerUnitId: 'U-water' }), 'owner-class-city');
  assert.deepEqual(l.route({ matterCode: '01002', regionId: 'C111', partOwnerUnitId: 'U-water' }), {
    outcome: 'rule',
    unitId: 'U-water',
    assistingUnitIds: ['U-police'],
    ruleId: 'owner-code-city',
  });
  // another owner, or no part: the owner rules are not candidates
  assert.equal(ruleIdOf(l, { matterCode: '01001', regionId: 'C111', partOwnerUnitId: 'U-power' }), 'community-code');
  assert.equal(ruleIdOf(l, { matterCode: '01001', regionId: 'C111' }), 'community-code');
  assert.equal(ruleIdOf(l, { matterCode: '01001', regionId: 'C111', partOwnerUnitId: null }), 'community-code');
});

test('a part owner rule that does not match is skipped even when nothing else matches', () => {
  const l = list([rule({ id: 'owner', matterClass: '01', regionId: 'SZ', partOwnerUnitId: 'U-water', unitId: 'U-water' })]);
  assert.deepEqual(l.route({ matterCode: '01001', regionId: 'C111', partOwnerUnitId: 'U-power' }), {
    outcome: 'part_owner',
    unitId: 'U-power',
    assistingUnitIds: [],
    ruleId: null,
  });
});

test('part-derived matter without a rule goes to the maintainer, else the owner; event matters do not', () => {
  const l = list([]);
  const base = { matterCode: '01001', regionId: 'C111' };
  assert.equal(ruleIdOf(l, { ...base, partOwnerUnitId: 'U-water', partMaintainerUnitId: 'U-property' }), '<part_owner:U-property>');
  assert.equal(ruleIdOf(l, { ...base, partOwnerUnitId: 'U-water' }), '<part_owner:U-water>');
  assert.equal(ruleIdOf(l, { ...base, partOwnerUnitId: 'U-water', partMaintainerUnitId: null }), '<part_owner:U-water>');
  assert.equal(ruleIdOf(l, base), '<fallback:U-S11>', 'no part known: fallback');
  // class 06 is an event matter: a part owner in the context does not route it
  assert.equal(ruleIdOf(l, { matterCode: '06010', regionId: 'C111', partOwnerUnitId: 'U-water' }), '<fallback:U-S11>');
});

test('a rule beats the part-owner default', () => {
  const l = list([rule({ id: 'r', matterCode: '01001', regionId: 'D1', unitId: 'U-street-office' })]);
  assert.equal(ruleIdOf(l, { matterCode: '01001', regionId: 'C111', partOwnerUnitId: 'U-water' }), 'r');
});

test('fallback is the nearest region up the tree: community → street → district', () => {
  const l = list([]);
  assert.deepEqual(l.route({ matterCode: '06010', regionId: 'C112' }), {
    outcome: 'fallback',
    unitId: 'U-C112',
    assistingUnitIds: [],
    ruleId: null,
    fallbackRegionId: 'C112',
  });
  const street = l.route({ matterCode: '06010', regionId: 'C111' });
  assert.equal(street.outcome === 'fallback' && street.fallbackRegionId, 'S11');
  const district = l.route({ matterCode: '06010', regionId: 'C121' });
  assert.equal(district.outcome === 'fallback' && district.fallbackRegionId, 'D1');
  assert.equal(district.unitId, 'U-D1');
  // a case placed on a street (outside any community) starts at the street
  assert.equal(ruleIdOf(l, { matterCode: '06010', regionId: 'S12' }), '<fallback:U-D1>');
});

test('UNROUTABLE only when no rule, no part owner and no fallback up the tree', () => {
  const l = list([rule({ id: 'd1-only', matterCode: '06010', regionId: 'D1' })]);
  assert.throws(
    () => l.route({ matterCode: '06010', regionId: 'C211' }),
    (err: unknown) =>
      err instanceof DomainError &&
      err.code === 'UNROUTABLE' &&
      err.message.includes('06010') &&
      err.message.includes('C211') &&
      (err.details?.regionPath as string[]).join('>') === 'C211>S21>D2>SZ',
  );
  // the same place is routable by a rule, by a part owner, or once a fallback exists above it
  assert.equal(ruleIdOf(list([rule({ id: 'city', matterClass: '06' })]), { matterCode: '06010', regionId: 'C211' }), 'city');
  assert.equal(ruleIdOf(l, { matterCode: '01001', regionId: 'C211', partOwnerUnitId: 'U-water' }), '<part_owner:U-water>');
  assert.equal(ruleIdOf(list([], { SZ: 'U-city-mgmt' }), { matterCode: '06010', regionId: 'C211' }), '<fallback:U-city-mgmt>');
});

test('bad context: malformed matter code or unknown region is VALIDATION_FAILED naming the field', () => {
  const l = list([]);
  assert.throws(() => l.route({ matterCode: '6010', regionId: 'C111' }), { code: 'VALIDATION_FAILED', field: 'matterCode' });
  assert.throws(() => l.route({ matterCode: '06010', regionId: 'nowhere' }), { code: 'VALIDATION_FAILED', field: 'regionId' });
});

test('the constructor rejects a rule it cannot index, and copies rules', () => {
  assert.throws(() => list([rule({ id: 'both', matterCode: '06010', matterClass: '06' })]), { code: 'VALIDATION_FAILED', field: 'rules[0]' });
  assert.throws(() => list([rule({ id: 'x', matterCode: '06010' }), rule({ id: 'neither' })]), { code: 'VALIDATION_FAILED', field: 'rules[1]' });
  const source = rule({ id: 'r', matterCode: '06010', assistingUnitIds: ['U-police'] });
  const l = list([source]);
  source.assistingUnitIds.push('U-water');
  source.unitId = 'changed';
  const d = l.route({ matterCode: '06010', regionId: 'C111' });
  assert.deepEqual([d.unitId, d.assistingUnitIds], ['U-city-mgmt', ['U-police']]);
  (d.assistingUnitIds as string[]).push('mutated');
  assert.deepEqual(l.route({ matterCode: '06010', regionId: 'C111' }).assistingUnitIds, ['U-police']);
});

test('a tied list still routes deterministically: the rule listed first wins', () => {
  const l = list([
    rule({ id: 'first', matterCode: '06010', regionId: 'S11', unitId: 'U-sanitation' }),
    rule({ id: 'second', matterCode: '06010', regionId: 'S11', unitId: 'U-street-office' }),
  ]);
  assert.equal(ruleIdOf(l, { matterCode: '06010', regionId: 'C111' }), 'first');
});

test('malformed region trees are rejected', () => {
  const bad = (regions: typeof REGIONS, re: RegExp) =>
    assert.throws(() => new ResponsibilityList([], regions, {}), (e: unknown) => e instanceof DomainError && e.code === 'VALIDATION_FAILED' && re.test(e.message));
  bad([...REGIONS, { id: 'C111', parentId: 'S11', level: 'community' }], /duplicate region id C111/);
  bad([...REGIONS, { id: 'X', parentId: 'ghost', level: 'community' }], /unknown parent ghost/);
  bad([...REGIONS, { id: 'X', parentId: 'C111', level: 'street' }], /cannot be under C111/);
  bad(
    [
      { id: 'A', parentId: 'B', level: 'community' },
      { id: 'B', parentId: 'A', level: 'community' },
    ],
    /cannot be under/, // levels must grow downwards, which also rules out cycles
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateList } from './list-validation.ts';
import { FALLBACKS, MATTERS, REGIONS, UNITS, rule } from './routing.fixtures.ts';
import type { ListIssue, ResponsibilityRule } from './routing.types.ts';

/** A list with no errors: class rules city-wide, fallbacks everywhere. */
const COMPLETE: ResponsibilityRule[] = [
  rule({ id: 'c01', matterClass: '01', unitId: 'U-water' }),
  rule({ id: 'c06', matterClass: '06', unitId: 'U-sanitation' }),
  rule({ id: 'c09', matterClass: '09', unitId: 'U-police', assistingUnitIds: ['U-city-mgmt'] }),
  rule({ id: 's11-06010', matterCode: '06010', regionId: 'S11', unitId: 'U-street-office' }),
  rule({ id: 'owner', matterClass: '01', partOwnerUnitId: 'U-power', unitId: 'U-power' }),
];
const ALL_FALLBACKS = { ...FALLBACKS, D2: 'U-city-mgmt' };
const validate = (rules: ResponsibilityRule[], fallbacks: Record<string, string> = ALL_FALLBACKS, opts = {}) =>
  validateList(rules, REGIONS, MATTERS, fallbacks, UNITS, opts);
const codes = (issues: ListIssue[]) => issues.map((i) => i.code);

test('a complete list is ok, with no warnings and full coverage', () => {
  const report = validate(COMPLETE);
  assert.deepEqual(report.errors, []);
  assert.deepEqual(report.warnings, []);
  assert.equal(report.ok, true);
  assert.deepEqual(
    { ...report.stats },
    {
      rules: 5,
      rulesByMatterCode: 1,
      rulesByMatterClass: 4,
      rulesWithPartOwner: 1,
      badRules: 0,
      tieGroups: 0,
      regions: 10,
      leafRegions: 4,
      matters: 5,
      pairs: 20,
      coveredPairs: 20,
      gapPairs: 0,
      partDerivedGapPairs: 0,
      mattersWithGaps: 0,
      coverage: 1,
      leafRegionsWithoutFallback: 0,
    },
  );
});

test('TIE: same matter, region and part owner is an error naming both rules', () => {
  const report = validate([
    ...COMPLETE,
    rule({ id: 'dup-a', matterCode: '06012', regionId: 'S12', unitId: 'U-sanitation' }),
    rule({ id: 'dup-b', matterCode: '06012', regionId: 'S12', unitId: 'U-street-office' }),
    rule({ id: 'cls-again', matterClass: '06', unitId: 'U-city-mgmt' }), // ties with c06
    rule({ id: 'owner-again', matterClass: '01', partOwnerUnitId: 'U-power', unitId: 'U-power' }), // ties with owner
  ]);
  assert.equal(report.ok, false);
  const ties = report.errors.filter((e) => e.code === 'TIE');
  // one error per tie group, in the order the groups first appear in the list
  assert.deepEqual(ties.map((t) => t.ruleIds), [['c06', 'cls-again'], ['owner', 'owner-again'], ['dup-a', 'dup-b']]);
  const dup = ties.find((t) => t.ruleIds?.includes('dup-a'))!;
  assert.equal(dup.matterCode, '06012');
  assert.equal(dup.regionId, 'S12');
  assert.match(dup.message, /dup-a, dup-b.*06012.*S12/);
  assert.equal(report.stats.tieGroups, 3);
});

test('no TIE when rules differ in part owner, code vs class, or region', () => {
  const report = validate([
    ...COMPLETE,
    rule({ id: 'owner-water', matterClass: '01', partOwnerUnitId: 'U-water', unitId: 'U-water' }), // other owner than 'owner'
    rule({ id: 'code-06', matterCode: '06012', unitId: 'U-sanitation' }), // code vs class c06
    rule({ id: 'd1-06', matterClass: '06', regionId: 'D1', unitId: 'U-sanitation' }), // other region
  ]);
  assert.deepEqual(codes(report.errors), []);
});

test('BAD_RULE: both/neither matter fields, bad formats, assisting = handling, duplicate assisting, duplicate ids', () => {
  const report = validate([
    ...COMPLETE,
    rule({ id: 'both', matterCode: '06010', matterClass: '06' }),
    rule({ id: 'neither' }),
    rule({ id: 'format', matterCode: '6010' }),
    rule({ id: 'self-assist', matterCode: '06012', regionId: 'S12', unitId: 'U-police', assistingUnitIds: ['U-police'] }),
    rule({ id: 'dup-assist', matterCode: '06012', regionId: 'S21', assistingUnitIds: ['U-water', 'U-power', 'U-water'] }),
    rule({ id: 'c06', matterCode: '09009', regionId: 'C111' }), // id already used
  ]);
  const bad = report.errors.filter((e) => e.code === 'BAD_RULE');
  const messageOf = (id: string) => bad.filter((b) => b.ruleIds?.[0] === id).map((b) => b.message).join(' | ');
  assert.match(messageOf('both'), /both matterCode and matterClass/);
  assert.match(messageOf('neither'), /neither matterCode nor matterClass/);
  assert.match(messageOf('format'), /matterCode 6010 is not 5 digits/);
  assert.match(messageOf('self-assist'), /handling unit U-police is also an assisting unit/);
  assert.match(messageOf('dup-assist'), /assisting units listed twice: U-water/);
  assert.match(messageOf('c06'), /rule id c06 is used by 2 rules/);
  assert.equal(report.stats.badRules, 7); // 5 malformed + both rules sharing id c06
  assert.equal(report.ok, false);
});

test('unknown regions, units and matters are errors aggregated per unknown id, naming the rules', () => {
  const report = validate(
    [
      ...COMPLETE,
      rule({ id: 'r1', matterCode: '06010', regionId: 'S99' }),
      rule({ id: 'r2', matterCode: '06012', regionId: 'S99', unitId: 'U-ghost', assistingUnitIds: ['U-phantom'] }),
      rule({ id: 'r3', matterCode: '06099', regionId: 'C111', partOwnerUnitId: 'U-ghost' }),
      rule({ id: 'r4', matterClass: '11', regionId: 'C111' }),
    ],
    { ...ALL_FALLBACKS, S21: 'U-nobody', X9: 'U-D1' },
  );
  const find = (code: string) => report.errors.filter((e) => e.code === code);
  assert.deepEqual(find('UNKNOWN_REGION').map((e) => [e.regionId, e.ruleIds]), [['S99', ['r1', 'r2']]]);
  const units = Object.fromEntries(find('UNKNOWN_UNIT').map((e) => [e.message.match(/unknown unit (\S+),/)![1], e]));
  assert.deepEqual(Object.keys(units).sort(), ['U-ghost', 'U-nobody', 'U-phantom']);
  assert.deepEqual(units['U-ghost'].ruleIds, ['r2', 'r3']);
  assert.match(units['U-ghost'].message, /rule r2 \(handling.*rule r3 \(part owner/);
  assert.match(units['U-nobody'].message, /fallback of street S21/);
  assert.deepEqual(find('UNKNOWN_MATTER').map((e) => [e.matterCode, e.ruleIds]), [['06099', ['r3']], [undefined, ['r4']]]);
  assert.match(find('UNKNOWN_MATTER')[1].message, /class 11/);
  // a fallback on an unknown region is only a warning
  assert.deepEqual(report.warnings.filter((w) => w.code === 'UNKNOWN_REGION').map((w) => w.regionId), ['X9']);
});

test('GAP: a warning per matter, aggregated by maximal uncovered subtree, with counts', () => {
  const report = validate([
    rule({ id: 'c06-d1', matterClass: '06', regionId: 'D1', unitId: 'U-sanitation' }),
    rule({ id: '06010-c211', matterCode: '06010', regionId: 'C211', unitId: 'U-sanitation' }),
    rule({ id: 'c09', matterClass: '09', unitId: 'U-police' }),
    rule({ id: '01001-s11', matterCode: '01001', regionId: 'S11', unitId: 'U-water' }),
    rule({ id: 'owner-only', matterCode: '01002', partOwnerUnitId: 'U-water', unitId: 'U-water' }), // does not cover
  ]);
  assert.equal(report.ok, true, 'gaps are warnings');
  const gaps = Object.fromEntries(report.warnings.filter((w) => w.code === 'GAP').map((w) => [w.matterCode, w]));
  assert.deepEqual(Object.keys(gaps).sort(), ['01001', '01002', '06012']);
  assert.deepEqual(gaps['06012'].regionIds, ['D2']); // the whole district D2 (1 leaf) is uncovered
  assert.match(gaps['06012'].message, /06012 in 1 of 4 leaf regions.*only reach a fallback unit: district D2 \(all 1 leaf regions/);
  assert.deepEqual(gaps['01001'].regionIds, ['S12', 'D2']);
  assert.match(gaps['01001'].message, /in 2 of 4 .*part's maintainer\/owner/);
  assert.deepEqual(gaps['01002'].regionIds, ['SZ']);
  assert.match(gaps['01002'].message, /city SZ \(all 4 leaf regions/);
  assert.deepEqual(
    [report.stats.gapPairs, report.stats.partDerivedGapPairs, report.stats.mattersWithGaps, report.stats.coveredPairs, report.stats.coverage],
    [7, 6, 3, 13, 13 / 20],
  );
});

test('GAP issues are capped: examples per issue and issues per code, with a summary', () => {
  const report = validate([], ALL_FALLBACKS, { maxIssuesPerCode: 2, maxExamplesPerIssue: 1 });
  const gaps = report.warnings.filter((w) => w.code === 'GAP');
  assert.equal(gaps.length, 3);
  assert.deepEqual(gaps.map((g) => g.matterCode), ['01001', '01002', undefined]);
  assert.match(gaps[2].message, /3 more matters with gaps \(12 matter × region pairs\): 06010/);
  assert.equal(report.stats.gapPairs, 20);
});

test('NO_FALLBACK: leaf regions with no fallback up the tree, aggregated by subtree', () => {
  const report = validate(COMPLETE, FALLBACKS); // nothing above C211 has a fallback
  const nf = report.errors.filter((e) => e.code === 'NO_FALLBACK');
  assert.deepEqual(nf.map((e) => e.regionId), ['D2']);
  assert.match(nf[0].message, /district D2 \(all 1 leaf regions/);
  assert.equal(report.stats.leafRegionsWithoutFallback, 1);
  assert.equal(report.ok, false);

  const none = validate(COMPLETE, {});
  assert.deepEqual(none.errors.filter((e) => e.code === 'NO_FALLBACK').map((e) => e.regionId), ['SZ']);
  assert.equal(none.stats.leafRegionsWithoutFallback, 4);
  // a fallback at every leaf is enough
  const leaves = validate(COMPLETE, { C111: 'U-S11', C112: 'U-S11', C121: 'U-D1', C211: 'U-D1' });
  assert.deepEqual(codes(leaves.errors), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponsibilityList } from './responsibility-list.ts';
import { FALLBACKS, REGIONS, rule } from './routing.fixtures.ts';

const l = new ResponsibilityList(
  [
    rule({ id: 'city-class', matterClass: '01', regionId: 'SZ' }),
    rule({ id: 'street-code', matterCode: '01001', regionId: 'S11', unitId: 'U-street-office' }),
    rule({ id: 'owner-water', matterClass: '01', regionId: 'D1', partOwnerUnitId: 'U-water', unitId: 'U-water' }),
    rule({ id: 'owner-power', matterCode: '01001', regionId: 'SZ', partOwnerUnitId: 'U-power', unitId: 'U-power' }),
    rule({ id: 'elsewhere', matterCode: '01001', regionId: 'S12' }), // not on C111's path: not considered
    rule({ id: 'other-matter', matterCode: '06010', regionId: 'C111' }), // other matter: not considered
  ],
  REGIONS,
  FALLBACKS,
);

test('explain lists every rule of the matter on the path, winner first, with reasons', () => {
  const out = l.explain({ matterCode: '01001', regionId: 'C111', partOwnerUnitId: 'U-water' });
  assert.deepEqual(out.decision, l.route({ matterCode: '01001', regionId: 'C111', partOwnerUnitId: 'U-water' }));
  assert.equal(out.decision.ruleId, 'owner-water');
  assert.deepEqual(
    out.candidates.map((c) => [c.ruleId, c.matched]),
    [
      ['owner-water', true],
      ['street-code', true],
      ['city-class', true],
      ['owner-power', false],
    ],
  );
  const [winner, streetCode, cityClass, powerRule] = out.candidates;
  assert.match(winner.reason, /most specific/);
  assert.equal(winner.specificity, 'part owner U-water · class 01 · district D1 (depth 1)');
  assert.match(streetCode.reason, /owner-water names the case's part owner U-water/);
  assert.equal(streetCode.specificity, 'any part owner · matter 01001 · street S11 (depth 2)');
  assert.match(cityClass.reason, /owner-water names the case's part owner/);
  assert.match(powerRule.reason, /only to parts owned by U-power.*part owner is U-water/);
  assert.match(out.summary, /owner-water/);
});

test('explain names the deciding criterion: code over class, then depth', () => {
  const out = l.explain({ matterCode: '01001', regionId: 'C111' });
  assert.equal(out.decision.ruleId, 'street-code');
  const byId = Object.fromEntries(out.candidates.map((c) => [c.ruleId, c]));
  assert.match(byId['city-class'].reason, /names the matter code 01001; this rule only its class 01/);
  assert.equal(byId['owner-water'].matched, false);
  assert.match(byId['owner-water'].reason, /part owner is unknown\/none/);

  const deeper = new ResponsibilityList(
    [rule({ id: 'city', matterClass: '06' }), rule({ id: 'street', matterClass: '06', regionId: 'S11' })],
    REGIONS,
    FALLBACKS,
  ).explain({ matterCode: '06010', regionId: 'C111' });
  assert.deepEqual(deeper.candidates.map((c) => c.ruleId), ['street', 'city']);
  assert.match(deeper.candidates[1].reason, /street's region S11 \(depth 2\) is deeper than this rule's SZ \(depth 0\)/);
});

test('explain flags a tie and says the first listed wins', () => {
  const tied = new ResponsibilityList(
    [rule({ id: 'a', matterCode: '06010', regionId: 'S11' }), rule({ id: 'b', matterCode: '06010', regionId: 'S11' })],
    REGIONS,
    FALLBACKS,
  ).explain({ matterCode: '06010', regionId: 'C111' });
  assert.equal(tied.decision.ruleId, 'a');
  assert.match(tied.candidates[0].reason, /ties with b .*listed first/);
  assert.match(tied.candidates[1].reason, /ties with a/);
});

test('explain of a part-owner or fallback decision has no matched candidate and says why', () => {
  // a rule beats the part-owner default: city-class covers C211
  const covered = l.explain({ matterCode: '01001', regionId: 'C211', partOwnerUnitId: 'U-gas', partMaintainerUnitId: 'U-property' });
  assert.equal(covered.decision.ruleId, 'city-class');
  const empty = new ResponsibilityList([rule({ id: 'owner', matterClass: '01', partOwnerUnitId: 'U-water' })], REGIONS, FALLBACKS);
  const p = empty.explain({ matterCode: '01001', regionId: 'C111', partOwnerUnitId: 'U-gas', partMaintainerUnitId: 'U-property' });
  assert.deepEqual(p.decision, { outcome: 'part_owner', unitId: 'U-property', assistingUnitIds: [], ruleId: null });
  assert.deepEqual(p.candidates.map((c) => [c.ruleId, c.matched]), [['owner', false]]);
  assert.match(p.summary, /maintainer.*U-property/);
  const f = empty.explain({ matterCode: '06010', regionId: 'C121' });
  assert.equal(f.decision.outcome, 'fallback');
  assert.deepEqual(f.candidates, []);
  assert.match(f.summary, /fallback unit U-D1 of district D1/);
  assert.throws(() => empty.explain({ matterCode: '06010', regionId: 'C211' }), { code: 'UNROUTABLE' });
});

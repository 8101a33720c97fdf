/**
 * Differential test: the indexed router must agree with a brute-force scan of all rules on random lists and cases
 * (fixed seed, so a failure is reproducible). Not a benchmark: nothing here is timed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponsibilityList } from './responsibility-list.ts';
import { RegionTree } from './region-tree.ts';
import type { ResponsibilityRule, RoutingContext, RoutingRegion } from './routing.types.ts';
import { validateList } from './list-validation.ts';

function prng(seed: number): () => number {
  // mulberry32
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function city(districts: number, streets: number, communities: number): RoutingRegion[] {
  const regions: RoutingRegion[] = [{ id: 'city', parentId: null, level: 'city' }];
  for (let d = 0; d < districts; d++) {
    regions.push({ id: `d${d}`, parentId: 'city', level: 'district' });
    for (let s = 0; s < streets; s++) {
      regions.push({ id: `d${d}s${s}`, parentId: `d${d}`, level: 'street' });
      for (let c = 0; c < communities; c++) regions.push({ id: `d${d}s${s}c${c}`, parentId: `d${d}s${s}`, level: 'community' });
    }
  }
  return regions;
}

/** The specification, written as plainly as possible. */
function bruteForce(rules: ResponsibilityRule[], tree: RegionTree, ctx: RoutingContext): string | null {
  const path = tree.pathOf(ctx.regionId)!;
  const owner = ctx.partOwnerUnitId || null;
  let best: { id: string; key: number[] } | null = null;
  for (const r of rules) {
    const matterOk = r.matterCode !== undefined ? r.matterCode === ctx.matterCode : r.matterClass === ctx.matterCode.slice(0, 2);
    if (!matterOk || !path.includes(r.regionId)) continue;
    if (r.partOwnerUnitId !== undefined && r.partOwnerUnitId !== owner) continue;
    const key = [r.partOwnerUnitId !== undefined ? 1 : 0, r.matterCode !== undefined ? 1 : 0, tree.depthOf(r.regionId)];
    const better = !best || key[0] > best.key[0] || (key[0] === best.key[0] && (key[1] > best.key[1] || (key[1] === best.key[1] && key[2] > best.key[2])));
    if (better) best = { id: r.id, key };
  }
  return best?.id ?? null;
}

test('indexed routing agrees with a brute-force scan (random lists, ties included)', () => {
  const random = prng(20260101);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const regions = city(3, 3, 4);
  const tree = new RegionTree(regions);
  const codes = ['01001', '01002', '02003', '06010', '06012', '09009'];
  const owners = ['U-water', 'U-power', 'U-gas'];
  let compared = 0;
  for (let round = 0; round < 40; round++) {
    const rules: ResponsibilityRule[] = [];
    const n = 5 + Math.floor(random() * 60);
    for (let i = 0; i < n; i++) {
      const code = pick(codes);
      rules.push({
        id: `r${round}-${i}`,
        ...(random() < 0.5 ? { matterCode: code } : { matterClass: code.slice(0, 2) }),
        regionId: pick(regions).id,
        ...(random() < 0.3 ? { partOwnerUnitId: pick(owners) } : {}),
        unitId: `U${i}`,
        assistingUnitIds: [],
      });
    }
    const list = new ResponsibilityList(rules, tree, { city: 'U-fallback' });
    for (let k = 0; k < 200; k++) {
      const ctx: RoutingContext = {
        matterCode: pick(codes),
        regionId: pick(regions).id,
        partOwnerUnitId: random() < 0.5 ? pick(owners) : null,
      };
      const expected = bruteForce(rules, tree, ctx);
      const decision = list.route(ctx);
      assert.equal(decision.ruleId, expected, `round ${round} ctx ${JSON.stringify(ctx)}`);
      if (expected === null) assert.notEqual(decision.outcome, 'rule');
      assert.equal(list.explain(ctx).candidates.filter((c) => c.matched)[0]?.ruleId ?? null, expected);
      compared++;
    }
  }
  assert.equal(compared, 8000);
});

test('a Shenzhen-sized list (4,177 rules) builds, validates and routes consistently', () => {
  const random = prng(4177);
  const regions = city(10, 10, 3); // 300 communities
  const tree = new RegionTree(regions);
  const classes = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'];
  const matters = classes.flatMap((c) => Array.from({ length: 25 }, (_, i) => `${c}${String(i + 1).padStart(3, '0')}`)); // 250
  const rules: ResponsibilityRule[] = matters.map((m, i) => ({ id: `base-${i}`, matterCode: m, regionId: 'city', unitId: 'U-city', assistingUnitIds: [] }));
  const seen = new Set(rules.map((r) => `${r.matterCode}|${r.regionId}`));
  while (rules.length < 4177) {
    const m = matters[Math.floor(random() * matters.length)];
    const region = regions[1 + Math.floor(random() * (regions.length - 1))].id;
    if (seen.has(`${m}|${region}`)) continue;
    seen.add(`${m}|${region}`);
    rules.push({ id: `r-${rules.length}`, matterCode: m, regionId: region, unitId: `U-${region}`, assistingUnitIds: [] });
  }
  const units = new Set(['U-city', 'U-fallback', ...regions.map((r) => `U-${r.id}`)]);
  const report = validateList(rules, tree, matters, { city: 'U-fallback' }, units);
  assert.deepEqual(report.errors, []);
  assert.equal(report.stats.gapPairs, 0, 'every matter has a city-wide rule');
  assert.equal(report.stats.pairs, 250 * 300);
  const list = new ResponsibilityList(rules, tree, { city: 'U-fallback' });
  assert.equal(list.size, 4177);
  for (let k = 0; k < 2000; k++) {
    const ctx = { matterCode: matters[Math.floor(random() * 250)], regionId: tree.leaves()[Math.floor(random() * 300)] };
    assert.equal(list.route(ctx).ruleId, bruteForce(rules, tree, ctx));
  }
});

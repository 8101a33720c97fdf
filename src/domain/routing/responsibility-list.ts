/**
 * The responsibility list (事项责任清单, domain.md §6) as a router: `route(ctx)` picks the unit for a case.
 *
 * Order of decision:
 *   1. the most specific matching rule (see specificity.ts: matching part owner > matter code > deeper region);
 *   2. for a part-derived matter (classes 01–05) with no rule: the part's maintainer, else its owner;
 *   3. 兜底: the fallback unit of the nearest region up the tree, starting at the case's own region;
 *   4. otherwise DomainError UNROUTABLE.
 * Ties are list errors found by `validateList` when the list is saved; should a tied list be loaded anyway,
 * routing stays deterministic: the tied rule listed first wins (and `explain` says so).
 *
 * Speed: rules are indexed matter code → region → bucket and matter class → region → bucket, each bucket split
 * into rules without part owner and rules by part owner; each region's path to the root is precomputed. A route is
 * at most 4 × depth map lookups (owner+code, owner+class, code, class along the path) — no scan of the rules.
 */
import { DomainError, invalidAs } from '../errors.ts';
import { isMatterCode, isPartDerivedMatter, matterClassOf } from './matter-code.ts';
import { RegionTree } from './region-tree.ts';
import type {
  ResponsibilityRule,
  RoutingCandidate,
  RoutingContext,
  RoutingDecision,
  RoutingExplanation,
  RoutingRegion,
} from './routing.types.ts';
import { compareSpecificity, describeSpecificity, specificityOf, whyMoreSpecific, type Specificity } from './specificity.ts';

interface Bucket {
  /** Rules without partOwnerUnitId, in list order. */
  general: ResponsibilityRule[];
  /** Rules by partOwnerUnitId, each in list order. */
  byOwner: Map<string, ResponsibilityRule[]>;
}
type RegionIndex = Map<string, Bucket>;

interface Considered {
  rule: ResponsibilityRule;
  spec: Specificity;
  order: number;
  matched: boolean;
}

export class ResponsibilityList {
  readonly tree: RegionTree;
  private readonly rules: readonly ResponsibilityRule[];
  private readonly order = new Map<ResponsibilityRule, number>();
  private readonly byCode = new Map<string, RegionIndex>();
  private readonly byClass = new Map<string, RegionIndex>();
  private readonly fallbackOf = new Map<string, { regionId: string; unitId: string }>();

  /**
   * @param rules the list; validate it with `validateList` before saving — the constructor only rejects rules it
   *   cannot index (both or neither of matterCode / matterClass).
   * @param regions the administrative tree (or a RegionTree built from it, to share one between lists).
   * @param fallbackUnits 兜底 unit per region id.
   */
  constructor(
    rules: readonly ResponsibilityRule[],
    regions: readonly RoutingRegion[] | RegionTree,
    fallbackUnits: Readonly<Record<string, string>>,
  ) {
    this.tree = regions instanceof RegionTree ? regions : new RegionTree(regions);
    this.rules = rules.map((rule, i) => {
      const hasCode = rule.matterCode !== undefined;
      if (hasCode === (rule.matterClass !== undefined)) {
        throw invalidAs(`rules[${i}]`, { key: 'routing.rule_have_exactly_one_mattercode', params: { id: String(rule.id) } }, `rule ${rule.id} must have exactly one of matterCode / matterClass`, { ruleId: rule.id });
      }
      const copy: ResponsibilityRule = { ...rule, assistingUnitIds: [...rule.assistingUnitIds] };
      this.order.set(copy, i);
      const index = hasCode ? this.byCode : this.byClass;
      const key = hasCode ? copy.matterCode! : copy.matterClass!;
      let byRegion = index.get(key);
      if (!byRegion) index.set(key, (byRegion = new Map()));
      let bucket = byRegion.get(copy.regionId);
      if (!bucket) byRegion.set(copy.regionId, (bucket = { general: [], byOwner: new Map() }));
      if (copy.partOwnerUnitId === undefined) bucket.general.push(copy);
      else {
        const list = bucket.byOwner.get(copy.partOwnerUnitId);
        if (list) list.push(copy);
        else bucket.byOwner.set(copy.partOwnerUnitId, [copy]);
      }
      return copy;
    });
    const fallbacks = new Map(Object.entries(fallbackUnits).filter(([, unitId]) => typeof unitId === 'string' && unitId !== ''));
    for (const regionId of this.tree.ids()) {
      for (const id of this.tree.pathOf(regionId)!) {
        const unitId = fallbacks.get(id);
        if (unitId !== undefined) {
          this.fallbackOf.set(regionId, { regionId: id, unitId });
          break;
        }
      }
    }
  }

  get size(): number {
    return this.rules.length;
  }

  /** @throws DomainError VALIDATION_FAILED (bad matterCode / unknown regionId) or UNROUTABLE. */
  route(ctx: RoutingContext): RoutingDecision {
    const path = this.pathFor(ctx);
    const owner = ctx.partOwnerUnitId || null;
    const rule = this.findRule(ctx.matterCode, path, owner);
    if (rule) return { outcome: 'rule', unitId: rule.unitId, assistingUnitIds: [...rule.assistingUnitIds], ruleId: rule.id };
    if (isPartDerivedMatter(ctx.matterCode)) {
      const partUnit = ctx.partMaintainerUnitId || owner;
      if (partUnit) return { outcome: 'part_owner', unitId: partUnit, assistingUnitIds: [], ruleId: null };
    }
    const fallback = this.fallbackOf.get(ctx.regionId);
    if (fallback) {
      return { outcome: 'fallback', unitId: fallback.unitId, assistingUnitIds: [], ruleId: null, fallbackRegionId: fallback.regionId };
    }
    throw new DomainError(
      'UNROUTABLE',
      `事项 ${ctx.matterCode} 在 ${this.tree.label(ctx.regionId)} 无法派遣：无责任规则、无部件权属单位，上级区域也没有兜底单位 / ` +
        `no rule, no part owner and no fallback unit on the path ${path.join(' → ')} for matter ${ctx.matterCode}`,
      { details: { matterCode: ctx.matterCode, regionId: ctx.regionId, regionPath: [...path] }, key: 'routing.unroutable', params: { matterCode: ctx.matterCode, region: this.tree.label(ctx.regionId) } },
    );
  }

  /** Like `route`, plus every rule of the matter on the region path and why the winner won ("who would get this?"). */
  explain(ctx: RoutingContext): RoutingExplanation {
    const decision = this.route(ctx);
    const path = this.tree.pathOf(ctx.regionId)!;
    const owner = ctx.partOwnerUnitId || null;
    const considered: Considered[] = [];
    for (const index of [this.byCode.get(ctx.matterCode), this.byClass.get(matterClassOf(ctx.matterCode))]) {
      if (!index) continue;
      for (const regionId of path) {
        const bucket = index.get(regionId);
        if (!bucket) continue;
        const depth = this.tree.depthOf(regionId);
        const add = (rule: ResponsibilityRule, matched: boolean): void => {
          considered.push({ rule, spec: specificityOf(rule, depth), order: this.order.get(rule)!, matched });
        };
        for (const rule of bucket.general) add(rule, true);
        for (const [ruleOwner, rules] of bucket.byOwner) for (const rule of rules) add(rule, ruleOwner === owner);
      }
    }
    const byRank = (a: Considered, b: Considered): number => compareSpecificity(b.spec, a.spec) || a.order - b.order;
    const matched = considered.filter((c) => c.matched).sort(byRank);
    const unmatched = considered.filter((c) => !c.matched).sort(byRank);
    const winner = matched[0];
    if (decision.outcome === 'rule' && winner?.rule.id !== decision.ruleId) {
      throw new Error(`routing index inconsistency: route chose ${decision.ruleId}, explain ranks ${winner?.rule.id}`);
    }
    const candidates: RoutingCandidate[] = [];
    for (const c of matched) {
      let reason: string;
      if (c === winner) {
        const ties = matched.filter((o) => o !== c && compareSpecificity(o.spec, c.spec) === 0).map((o) => o.rule.id);
        reason =
          ties.length === 0
            ? '最具体的匹配规则，胜出 / the most specific matching rule: it wins'
            : `与 ${ties.join(', ')} 具体度相同（清单错误 TIE），因排在清单前面而胜出 / ` +
              `ties with ${ties.join(', ')} (a TIE list error); wins only because it is listed first`;
      } else if (compareSpecificity(c.spec, winner.spec) === 0) {
        reason = `与 ${winner.rule.id} 具体度相同（清单错误 TIE），排在其后 / ties with ${winner.rule.id} (a TIE list error) and is listed after it`;
      } else {
        reason = `匹配但不如 ${winner.rule.id} 具体 / matches, but loses: ${whyMoreSpecific(winner, c)}`;
      }
      candidates.push(this.candidate(c, true, reason));
    }
    for (const c of unmatched) {
      candidates.push(
        this.candidate(
          c,
          false,
          `部件权属单位不符，不参与匹配 / not a candidate: applies only to parts owned by ${c.rule.partOwnerUnitId}; ` +
            `the case's part owner is ${owner ?? 'unknown/none'}`,
        ),
      );
    }
    return { decision, candidates, summary: this.summarize(decision, ctx) };
  }

  private candidate(c: Considered, matched: boolean, reason: string): RoutingCandidate {
    const label = this.tree.label(c.rule.regionId);
    return { ruleId: c.rule.id, unitId: c.rule.unitId, specificity: describeSpecificity(c.rule, label, c.spec.depth), matched, reason };
  }

  private summarize(decision: RoutingDecision, ctx: RoutingContext): string {
    switch (decision.outcome) {
      case 'rule':
        return `按规则 ${decision.ruleId} 派给 ${decision.unitId} / routed by rule ${decision.ruleId} to ${decision.unitId}`;
      case 'part_owner': {
        const who = ctx.partMaintainerUnitId ? 'maintainer (养护单位)' : 'owner (权属单位)';
        return (
          `无规则覆盖部件类事项 ${ctx.matterCode}，派给部件的${ctx.partMaintainerUnitId ? '养护' : '权属'}单位 ${decision.unitId} / ` +
          `no rule covers part-derived matter ${ctx.matterCode} here: it goes to the part's ${who} ${decision.unitId}`
        );
      }
      case 'fallback':
        return (
          `无规则覆盖事项 ${ctx.matterCode}，由 ${this.tree.label(decision.fallbackRegionId)} 的兜底单位 ${decision.unitId} 接收 / ` +
          `no rule covers matter ${ctx.matterCode} here: it falls to the fallback unit ${decision.unitId} ` +
          `of ${this.tree.label(decision.fallbackRegionId)}`
        );
    }
  }

  private pathFor(ctx: RoutingContext): readonly string[] {
    if (!isMatterCode(ctx.matterCode)) throw invalidAs('matterCode', { key: 'routing.5_digit_matter_code_got', params: { matterCode: String(ctx.matterCode) } }, `must be a 5-digit matter code, got ${String(ctx.matterCode)}`);
    const path = this.tree.pathOf(ctx.regionId);
    if (!path) throw invalidAs('regionId', { key: 'routing.unknown_region', params: { regionId: String(ctx.regionId) } }, `unknown region ${ctx.regionId}`);
    return path;
  }

  /** Search in specificity order; the first hit is the winner. */
  private findRule(matterCode: string, path: readonly string[], owner: string | null): ResponsibilityRule | undefined {
    const byCode = this.byCode.get(matterCode);
    const byClass = this.byClass.get(matterClassOf(matterCode));
    if (owner !== null) {
      const hit = ownerHit(byCode, path, owner) ?? ownerHit(byClass, path, owner);
      if (hit) return hit;
    }
    return generalHit(byCode, path) ?? generalHit(byClass, path);
  }
}

function ownerHit(index: RegionIndex | undefined, path: readonly string[], owner: string): ResponsibilityRule | undefined {
  if (!index) return undefined;
  for (const regionId of path) {
    const rules = index.get(regionId)?.byOwner.get(owner);
    if (rules) return rules[0];
  }
  return undefined;
}

function generalHit(index: RegionIndex | undefined, path: readonly string[]): ResponsibilityRule | undefined {
  if (!index) return undefined;
  for (const regionId of path) {
    const bucket = index.get(regionId);
    if (bucket && bucket.general.length > 0) return bucket.general[0];
  }
  return undefined;
}

/**
 * Specificity of a responsibility rule (domain.md §6: "the most specific matching rule wins; ties are an error in
 * the list"). Rules are compared lexicographically:
 *   (1) a rule with a partOwnerUnitId matching the case beats one without;
 *   (2) then a rule naming the matter code beats one naming only the matter class;
 *   (3) then a rule on a deeper region beats one on a shallower region.
 * Only rules on the case's own region path can match, so two matching rules at equal depth are on the same region;
 * two matching rules therefore tie exactly when their specificity keys (see `specificityKey`) are identical.
 */
import type { ResponsibilityRule } from './routing.types.ts';

export interface Specificity {
  partOwner: boolean;
  matterCode: boolean;
  /** Depth of the rule's region in the tree, 0 = root. */
  depth: number;
}

export const specificityOf = (rule: ResponsibilityRule, depth: number): Specificity => ({
  partOwner: rule.partOwnerUnitId !== undefined,
  matterCode: rule.matterCode !== undefined,
  depth,
});

/** > 0 when `a` is more specific than `b`, < 0 when less, 0 on a tie. */
export function compareSpecificity(a: Specificity, b: Specificity): number {
  if (a.partOwner !== b.partOwner) return a.partOwner ? 1 : -1;
  if (a.matterCode !== b.matterCode) return a.matterCode ? 1 : -1;
  return a.depth - b.depth;
}

/** Identity of a rule's specificity slot: same key ⇒ the two rules tie for every case they both match. */
export const specificityKey = (rule: ResponsibilityRule): string =>
  [
    rule.matterCode !== undefined ? `code:${rule.matterCode}` : `class:${rule.matterClass}`,
    rule.regionId,
    rule.partOwnerUnitId ?? '',
  ].join('\u0000');

/** e.g. "part owner U1 · matter 06010 · street S1 (depth 2)". */
export function describeSpecificity(rule: ResponsibilityRule, regionLabel: string, depth: number): string {
  const owner = rule.partOwnerUnitId !== undefined ? `part owner ${rule.partOwnerUnitId}` : 'any part owner';
  const matter = rule.matterCode !== undefined ? `matter ${rule.matterCode}` : `class ${rule.matterClass}`;
  return `${owner} · ${matter} · ${regionLabel} (depth ${depth})`;
}

/** Why `winner` beats `loser` (compareSpecificity(winner, loser) > 0), naming the deciding criterion. */
export function whyMoreSpecific(
  winner: { rule: ResponsibilityRule; spec: Specificity },
  loser: { rule: ResponsibilityRule; spec: Specificity },
): string {
  const w = winner.rule.id;
  if (winner.spec.partOwner !== loser.spec.partOwner) {
    return `${w} 限定了匹配的部件权属单位 / ${w} names the case's part owner ${winner.rule.partOwnerUnitId}; this rule does not`;
  }
  if (winner.spec.matterCode !== loser.spec.matterCode) {
    return `${w} 指定事项小类 / ${w} names the matter code ${winner.rule.matterCode}; this rule only its class ${loser.rule.matterClass}`;
  }
  return (
    `${w} 的区域更具体 / ${w}'s region ${winner.rule.regionId} (depth ${winner.spec.depth}) ` +
    `is deeper than this rule's ${loser.rule.regionId} (depth ${loser.spec.depth})`
  );
}

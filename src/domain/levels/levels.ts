/**
 * Levels of platform (市 / 区 / 街镇 平台, issue 9 part 3). One installation serves several operations centres: the
 * city's, each district's and each street's (街道/镇). Every case has ONE handling platform — the region whose centre
 * coordinates it now — and moves between levels by escalation (上报: to the direct superior platform) and assignment
 * down (下派: from a superior into its own subtree), each accepted or refused (with a reason) by the receiving platform.
 *
 * Which level handles a new case is the city's policy (settings row `platform_levels`, PUT /api/v1/levels/policy):
 * - `platformLevels`: the levels that run a centre at all (a city without street centres leaves 'street' out; the
 *   city always runs one): a case meant for a level without a centre goes to the nearest centre above it;
 * - `defaultLevel` (街镇 by default: "小事不出街镇"), and `rules` naming another level for matters (by code or class) and
 *   urgencies — the most specific matching rule wins (code > class, then with urgency > without);
 * - `followUnitLevel`: when the responsibility list routes the case to a unit of a higher level (a district bureau,
 *   a city utility), the case starts at the platform of that level on the case's path — a street centre does not
 *   command a district bureau; it would have to escalate anyway.
 * Pure: no I/O, no clock.
 */
import { invalidAs } from '../errors.ts';
import type { RegionTree } from '../routing/region-tree.ts';

export const PLATFORM_LEVELS = ['city', 'district', 'street'] as const;
export type PlatformLevel = (typeof PLATFORM_LEVELS)[number];

export const LEVEL_LABELS: Readonly<Record<PlatformLevel, { zh: string; en: string }>> = {
  city: { zh: '市级平台', en: 'City platform' },
  district: { zh: '区级平台', en: 'District platform' },
  street: { zh: '街镇平台', en: 'Street/town platform' },
};

const RANK: Readonly<Record<PlatformLevel, number>> = { city: 0, district: 1, street: 2 };
const URGENCIES = ['normal', 'urgent', 'very_urgent'] as const;

export const isPlatformLevel = (v: unknown): v is PlatformLevel => typeof v === 'string' && (PLATFORM_LEVELS as readonly string[]).includes(v);

/** One line of the policy: matters (a code or a class, or all) of an urgency (or any) are handled at `level`. */
export interface LevelRule {
  matterCode?: string;
  matterClass?: string;
  urgency?: (typeof URGENCIES)[number];
  level: PlatformLevel;
}

export interface LevelPolicy {
  platformLevels: PlatformLevel[];
  defaultLevel: PlatformLevel;
  rules: LevelRule[];
  followUnitLevel: boolean;
}

/**
 * Defaults: all three levels run a centre; a case starts at its street; a 非常紧急 case starts at the district's
 * command centre (it must reach every department at once); the platform follows the routed unit's level.
 */
export const DEFAULT_LEVEL_POLICY: Readonly<LevelPolicy> = Object.freeze({
  platformLevels: ['city', 'district', 'street'],
  defaultLevel: 'street',
  rules: [{ urgency: 'very_urgent', level: 'district' }],
  followUnitLevel: true,
} satisfies LevelPolicy);

/** Validates a city's policy (the whole of it); errors name the field (`rules.2.level`). */
export function parseLevelPolicy(input: unknown, prefix = ''): LevelPolicy {
  const at = (k: string) => `${prefix}${prefix ? '.' : ''}${k}`;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidAs(prefix || 'body', { key: 'field.object' }, 'must be an object');
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['platformLevels', 'defaultLevel', 'rules', 'followUnitLevel'].includes(k)) throw invalidAs(at(k), { key: 'field.unknown' }, 'unknown field');
  if (!Array.isArray(o.platformLevels) || o.platformLevels.length === 0) throw invalidAs(at('platformLevels'), { key: 'levels.non_empty_list_levels' }, 'must be a non-empty list of levels');
  const platformLevels = o.platformLevels.map((l, i) => {
    if (!isPlatformLevel(l)) throw invalidAs(at(`platformLevels.${i}`), { key: 'field.one_of', params: { allowed: PLATFORM_LEVELS.join(', ') } }, `must be one of ${PLATFORM_LEVELS.join(', ')}`);
    return l;
  });
  if (!platformLevels.includes('city')) throw invalidAs(at('platformLevels'), { key: 'levels.include_city_city_platform_top' }, 'must include city: the city platform is the top of every escalation');
  const levels = PLATFORM_LEVELS.filter((l) => platformLevels.includes(l));
  if (!isPlatformLevel(o.defaultLevel)) throw invalidAs(at('defaultLevel'), { key: 'field.one_of', params: { allowed: PLATFORM_LEVELS.join(', ') } }, `must be one of ${PLATFORM_LEVELS.join(', ')}`);
  if (typeof o.followUnitLevel !== 'boolean') throw invalidAs(at('followUnitLevel'), { key: 'field.true_or_false' }, 'must be true or false');
  if (!Array.isArray(o.rules) || o.rules.length > 500) throw invalidAs(at('rules'), { key: 'levels.list_at_most_500_rules' }, 'must be a list of at most 500 rules');
  const seen = new Set<string>();
  const rules = o.rules.map((r, i): LevelRule => {
    const f = at(`rules.${i}`);
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw invalidAs(f, { key: 'field.object' }, 'must be an object');
    const x = r as Record<string, unknown>;
    for (const k of Object.keys(x)) if (!['matterCode', 'matterClass', 'urgency', 'level'].includes(k)) throw invalidAs(`${f}.${k}`, { key: 'field.unknown' }, 'unknown field');
    if (x.matterCode !== undefined && (typeof x.matterCode !== 'string' || !/^\d{5}$/.test(x.matterCode))) throw invalidAs(`${f}.matterCode`, { key: 'field.5_digit_matter_code' }, 'must be a 5-digit matter code');
    if (x.matterClass !== undefined && (typeof x.matterClass !== 'string' || !/^\d{2}$/.test(x.matterClass))) throw invalidAs(`${f}.matterClass`, { key: 'levels.2_digit_matter_class' }, 'must be a 2-digit matter class');
    if (x.matterCode !== undefined && x.matterClass !== undefined) throw invalidAs(`${f}.matterClass`, { key: 'levels.name_matter_code_or_class' }, 'name a matter code or a class, not both');
    if (x.urgency !== undefined && !(URGENCIES as readonly unknown[]).includes(x.urgency)) throw invalidAs(`${f}.urgency`, { key: 'field.one_of', params: { allowed: URGENCIES.join(', ') } }, `must be one of ${URGENCIES.join(', ')}`);
    if (!isPlatformLevel(x.level)) throw invalidAs(`${f}.level`, { key: 'field.one_of', params: { allowed: PLATFORM_LEVELS.join(', ') } }, `must be one of ${PLATFORM_LEVELS.join(', ')}`);
    const key = `${x.matterCode ?? ''}|${x.matterClass ?? ''}|${x.urgency ?? ''}`;
    if (seen.has(key)) throw invalidAs(f, { key: 'levels.repeats_earlier_rule_for_same' }, 'repeats an earlier rule for the same matter and urgency');
    seen.add(key);
    return {
      ...(x.matterCode !== undefined ? { matterCode: x.matterCode as string } : {}),
      ...(x.matterClass !== undefined ? { matterClass: x.matterClass as string } : {}),
      ...(x.urgency !== undefined ? { urgency: x.urgency as LevelRule['urgency'] } : {}),
      level: x.level,
    };
  });
  return { platformLevels: levels, defaultLevel: o.defaultLevel, rules, followUnitLevel: o.followUnitLevel };
}

/** The level the policy names for a matter and urgency (before the tree and the unit are considered). */
export function policyLevel(policy: LevelPolicy, matterCode: string, urgency: string): { level: PlatformLevel; rule: LevelRule | null } {
  let best: LevelRule | null = null;
  let bestScore = -1;
  for (const r of policy.rules) {
    if (r.matterCode !== undefined && r.matterCode !== matterCode) continue;
    if (r.matterClass !== undefined && r.matterClass !== matterCode.slice(0, 2)) continue;
    if (r.urgency !== undefined && r.urgency !== urgency) continue;
    const score = (r.matterCode !== undefined ? 4 : r.matterClass !== undefined ? 2 : 0) + (r.urgency !== undefined ? 1 : 0);
    if (score > bestScore) [best, bestScore] = [r, score];
  }
  return { level: best?.level ?? policy.defaultLevel, rule: best };
}

/** Levels compared: the more senior (city > district > street). */
export const higherLevel = (a: PlatformLevel, b: PlatformLevel): PlatformLevel => (RANK[a] <= RANK[b] ? a : b);

/** The level of a region as a platform level (a community counts as its street's level), or null for unknown ids. */
export function platformLevelOf(tree: RegionTree, regionId: string): PlatformLevel | null {
  const r = tree.get(regionId);
  if (!r) return null;
  return r.level === 'community' ? 'street' : r.level;
}

/** True when the region runs a platform under this policy (its level is a platform level the city runs). */
export const isPlatform = (tree: RegionTree, policy: LevelPolicy, regionId: string): boolean => {
  const r = tree.get(regionId);
  return !!r && r.level !== 'community' && policy.platformLevels.includes(r.level);
};

/** The platform at or above `regionId`: the nearest region up the tree that runs a centre (null: none, unknown id). */
export function platformAt(tree: RegionTree, policy: LevelPolicy, regionId: string): string | null {
  for (const id of tree.pathOf(regionId) ?? []) if (isPlatform(tree, policy, id)) return id;
  return null;
}

/** The platform a platform escalates to: the nearest platform strictly above it; null at the top (the city). */
export function superiorPlatform(tree: RegionTree, policy: LevelPolicy, platformId: string): string | null {
  const path = tree.pathOf(platformId) ?? [];
  for (const id of path.slice(1)) if (isPlatform(tree, policy, id)) return id;
  return null;
}

/** Whether any platform lies below this one (a street platform has none: communities run no centre). */
export function hasLowerPlatform(tree: RegionTree, policy: LevelPolicy, platformId: string): boolean {
  const level = platformLevelOf(tree, platformId);
  return level !== null && level !== 'street' && policy.platformLevels.some((l) => RANK[l] > RANK[level]);
}

export interface IntakePlace {
  /** The deepest region of the case's place (its community), or null when not located. */
  regionId: string | null;
  matterCode: string;
  urgency: string;
  /** The home region of the unit the responsibility list routed to (units.region_id), when known. */
  routedUnitRegionId?: string | null;
}

export interface IntakePlatform {
  /** The handling platform's region; null only when the tree is empty. */
  regionId: string | null;
  level: PlatformLevel | null;
  /** Why: the default level, a policy rule, or the routed unit's level. */
  basis: 'default' | 'policy_rule' | 'unit_level' | 'unlocated';
}

/**
 * The handling platform of a new case: the policy's level (rule or default), raised to the routed unit's level when
 * `followUnitLevel`, taken on the case's own path (the street / district / city containing its place); a level
 * without a centre, or a place without a region at that level (a town directly under the city), gives the nearest
 * platform above. A case not yet located goes to the top (city) platform: its intake desk locates it.
 */
export function intakePlatform(tree: RegionTree, policy: LevelPolicy, place: IntakePlace): IntakePlatform {
  const root = tree.roots()[0] ?? null;
  if (!place.regionId || !tree.has(place.regionId)) {
    return { regionId: root, level: root ? platformLevelOf(tree, root) : null, basis: 'unlocated' };
  }
  const named = policyLevel(policy, place.matterCode, place.urgency);
  let level = named.level;
  let basis: IntakePlatform['basis'] = named.rule ? 'policy_rule' : 'default';
  const unitRegion = place.routedUnitRegionId && tree.has(place.routedUnitRegionId) ? place.routedUnitRegionId : null;
  if (policy.followUnitLevel && unitRegion) {
    const unitLevel = platformLevelOf(tree, unitRegion)!;
    if (higherLevel(unitLevel, level) !== level) [level, basis] = [unitLevel, 'unit_level'];
  }
  const path = tree.pathOf(place.regionId)!; // self first, root last
  // The region of that level on the case's path, or the nearest above it when the path has none of that level.
  let start = place.regionId;
  for (const id of path) {
    const l = platformLevelOf(tree, id)!;
    start = id;
    if (RANK[l] <= RANK[level]) break;
  }
  const regionId = platformAt(tree, policy, start) ?? root;
  return { regionId, level: regionId ? platformLevelOf(tree, regionId) : null, basis };
}

/** What the case lifecycle needs to know about the region a superior assigns a case down to. */
export interface TransferTargetFacts {
  regionId: string;
  /** False when no such region exists. */
  known: boolean;
  /** Its level when known. */
  level: string | null;
  /** It runs a platform under the city's policy. */
  platform: boolean;
  /** The region and its ancestors, self first (empty when unknown). */
  path: readonly string[];
}

export function transferTargetFacts(tree: RegionTree, policy: LevelPolicy, regionId: string): TransferTargetFacts {
  const r = tree.get(regionId);
  return {
    regionId, known: !!r, level: r?.level ?? null, platform: isPlatform(tree, policy, regionId), path: tree.pathOf(regionId) ?? [],
  };
}

/**
 * Types of the responsibility list (事项责任清单, domain.md §6) and the grid-member admission list
 * (网格事项准入清单). Codes follow GB/T 47678.5 (domain.md §3): a matter code is 5 digits, its class the first 2.
 */

/** One node of the administrative tree (行政区划). `parentId` is null only for a root (a city). */
export interface RoutingRegion {
  id: string;
  parentId: string | null;
  level: 'city' | 'district' | 'street' | 'community';
}

/** One item of the responsibility list: who handles which matter where. */
export interface ResponsibilityRule {
  id: string;
  /** 5-digit matter code, e.g. '06010' — exactly one of matterCode / matterClass. */
  matterCode?: string;
  /** 2-digit class, e.g. '06' (covers every matter of the class). */
  matterClass?: string;
  /** Applies in this region and every region below it. */
  regionId: string;
  /** Optional: the rule applies only when the case's part (asset) is owned by this unit. */
  partOwnerUnitId?: string;
  /** The handling unit (处置单位). */
  unitId: string;
  /** Assisting units (联勤联动); never the handling unit, no duplicates. */
  assistingUnitIds: string[];
  note?: string;
}

/** What routing needs to know about a case. */
export interface RoutingContext {
  matterCode: string;
  /** The deepest region of the case's point, usually a community. */
  regionId: string;
  partOwnerUnitId?: string | null;
  partMaintainerUnitId?: string | null;
}

export type RoutingDecision =
  | { outcome: 'rule'; unitId: string; assistingUnitIds: string[]; ruleId: string }
  /** Part-related matter (classes 01–05) with no rule: the part's maintainer, else its owner (domain.md §6). */
  | { outcome: 'part_owner'; unitId: string; assistingUnitIds: string[]; ruleId: null }
  /** 兜底: the nearest region up the tree (starting at the case's own region) that has a fallback unit. */
  | { outcome: 'fallback'; unitId: string; assistingUnitIds: []; ruleId: null; fallbackRegionId: string };

/** One rule looked at by `explain`: every rule of the matter (code or class) on the case's region path. */
export interface RoutingCandidate {
  ruleId: string;
  unitId: string;
  /** Human-readable specificity, e.g. "part owner U1 · matter 06010 · street S1 (depth 2)". */
  specificity: string;
  /** False when the rule's partOwnerUnitId does not match the case: it was not a candidate. */
  matched: boolean;
  reason: string;
}

export interface RoutingExplanation {
  decision: RoutingDecision;
  /** Matched candidates first, most specific first (the winner, if any, is first); then the unmatched ones. */
  candidates: RoutingCandidate[];
  /** One sentence on why the decision was made (rule / part owner / fallback). */
  summary: string;
}

export type ListIssueCode =
  | 'TIE'
  | 'GAP'
  | 'UNKNOWN_REGION'
  | 'UNKNOWN_UNIT'
  | 'UNKNOWN_MATTER'
  | 'BAD_RULE'
  | 'NO_FALLBACK';

export interface ListIssue {
  code: ListIssueCode;
  message: string;
  ruleIds?: string[];
  matterCode?: string;
  /** The (first) region concerned. */
  regionId?: string;
  /** For aggregated issues (GAP, NO_FALLBACK): the example regions, at most `maxExamplesPerIssue`. */
  regionIds?: string[];
}

export interface ListStats {
  rules: number;
  rulesByMatterCode: number;
  rulesByMatterClass: number;
  rulesWithPartOwner: number;
  badRules: number;
  tieGroups: number;
  regions: number;
  leafRegions: number;
  matters: number;
  /** matters × leaf regions. */
  pairs: number;
  /** Pairs reached by a rule without part owner (a part-owner rule covers only some cases, so it does not count). */
  coveredPairs: number;
  /** Pairs no rule covers: they would only reach a fallback unit (or, for classes 01–05, the part's units). */
  gapPairs: number;
  /** The part of `gapPairs` whose matter is part-derived (classes 01–05). */
  partDerivedGapPairs: number;
  mattersWithGaps: number;
  /** coveredPairs / pairs (1 when there are no pairs). */
  coverage: number;
  leafRegionsWithoutFallback: number;
}

export interface ListReport {
  /** True when there are no errors (warnings do not block saving). */
  ok: boolean;
  errors: ListIssue[];
  warnings: ListIssue[];
  stats: ListStats;
}

export interface ValidateListOptions {
  /** Example regions named per aggregated issue (GAP, NO_FALLBACK). Default 10. */
  maxExamplesPerIssue?: number;
  /** GAP and NO_FALLBACK issues reported before one summary issue says how many more there are. Default 50. */
  maxIssuesPerCode?: number;
}

/** An entry of the admission list: exactly one of matterCode / matterClass. */
export interface AdmissionEntry {
  matterCode?: string;
  matterClass?: string;
}

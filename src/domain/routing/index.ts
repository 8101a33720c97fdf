/**
 * Routing: the responsibility list (事项责任清单) and the grid-member admission list (网格事项准入清单).
 * Source: domain.md §6. Pure: no I/O, no clock, no env.
 *
 * ## How a case is routed (`ResponsibilityList.route`)
 * 1. The most specific matching rule. A rule matches a case when its matter code equals the case's (or its matter
 *    class is the code's first two digits), its region is the case's region or an ancestor, and — if it names a
 *    partOwnerUnitId — the case's part is owned by that unit (otherwise it is not a candidate at all).
 *    Specificity, compared in this order:
 *      (1) a rule with a matching partOwnerUnitId beats one without;
 *      (2) a rule naming the matter code beats one naming only the matter class;
 *      (3) a rule on a deeper region beats one on a shallower region.
 *    So a part-owner rule for class 01 at city level beats a code rule at a community, and a code rule at city
 *    level beats a class rule at a community.
 * 2. Part-derived matters (classes 01–05, "<part>异常") with no rule: the part's maintainer, else its owner.
 * 3. 兜底: the fallback unit of the nearest region on the path up to the root (community → street → district …).
 * 4. Otherwise DomainError UNROUTABLE.
 * Two rules with the same matter code/class, region and part owner (or both none) tie: `validateList` reports it
 * as an error when the list is saved; a tied list still routes deterministically (first listed wins).
 *
 * ## Saving a list (`validateList`)
 * Errors: TIE, BAD_RULE, UNKNOWN_REGION / UNKNOWN_UNIT / UNKNOWN_MATTER, NO_FALLBACK. Warnings: GAP (matter ×
 * leaf region pairs only a fallback would reach), aggregated per matter by maximal uncovered subtree.
 */
export type {
  AdmissionEntry,
  ListIssue,
  ListIssueCode,
  ListReport,
  ListStats,
  ResponsibilityRule,
  RoutingCandidate,
  RoutingContext,
  RoutingDecision,
  RoutingExplanation,
  RoutingRegion,
  ValidateListOptions,
} from './routing.types.ts';
export { ResponsibilityList } from './responsibility-list.ts';
export { validateList } from './list-validation.ts';
export { AdmissionList } from './admission-list.ts';
export { RegionTree } from './region-tree.ts';
export { compareSpecificity, specificityKey, type Specificity } from './specificity.ts';
export { isMatterClass, isMatterCode, isPartDerivedMatter, matterClassOf } from './matter-code.ts';

/**
 * Validation of a responsibility list when it is saved (domain.md §6: "ties are an error in the list, found when
 * the list is saved, not when a case arrives"; "every region has a fallback unit").
 *
 * Errors (block saving): TIE, BAD_RULE, UNKNOWN_REGION (of a rule), UNKNOWN_UNIT, UNKNOWN_MATTER, NO_FALLBACK.
 * Warnings: GAP (a matter × leaf region pair no rule covers, so its cases would only reach a fallback unit),
 * UNKNOWN_REGION of a fallback entry (harmless but likely a typo).
 * GAP and NO_FALLBACK are aggregated by maximal uncovered subtree ("street S3 (all 12 leaf regions)"), one issue
 * per matter, so a catalogue of 250 matters × 300 communities never yields more than a few dozen rows.
 * A region tree that is not a tree (cycle, unknown parent) is reference data, not the list: it throws
 * VALIDATION_FAILED (field `regions`) like `new RegionTree`.
 */
import { isMatterClass, isMatterCode, isPartDerivedMatter, matterClassOf } from './matter-code.ts';
import { RegionTree } from './region-tree.ts';
import type { ListIssue, ListReport, ResponsibilityRule, RoutingRegion, ValidateListOptions } from './routing.types.ts';
import { specificityKey } from './specificity.ts';

/** "R1, R2, R3 … and 7 more" */
function names(ids: readonly string[], max = 10): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} … and ${ids.length - max} more`;
}

function push<K>(map: Map<K, string[]>, key: K, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Shape problems of one rule (BAD_RULE); empty when the rule is well-formed. */
function shapeProblems(rule: ResponsibilityRule): string[] {
  const problems: string[] = [];
  const hasCode = rule.matterCode !== undefined;
  const hasClass = rule.matterClass !== undefined;
  if (typeof rule.id !== 'string' || rule.id === '') problems.push('empty id / 规则编号为空');
  if (hasCode && hasClass) problems.push('has both matterCode and matterClass / 事项小类与大类只能填一个');
  if (!hasCode && !hasClass) problems.push('has neither matterCode nor matterClass / 未指定事项');
  if (hasCode && !isMatterCode(rule.matterCode)) problems.push(`matterCode ${rule.matterCode} is not 5 digits`);
  if (hasClass && !isMatterClass(rule.matterClass)) problems.push(`matterClass ${rule.matterClass} is not 2 digits`);
  if (typeof rule.regionId !== 'string' || rule.regionId === '') problems.push('empty regionId');
  if (typeof rule.unitId !== 'string' || rule.unitId === '') problems.push('empty unitId / 未指定处置单位');
  if (rule.partOwnerUnitId === '') problems.push('empty partOwnerUnitId (omit it instead)');
  if (!Array.isArray(rule.assistingUnitIds)) problems.push('assistingUnitIds is not a list');
  else {
    if (rule.assistingUnitIds.includes(rule.unitId)) {
      problems.push(`handling unit ${rule.unitId} is also an assisting unit / 处置单位不能同时是协办单位`);
    }
    const seen = new Set<string>();
    const dups = new Set<string>();
    for (const unit of rule.assistingUnitIds) (seen.has(unit) ? dups : seen).add(unit);
    if (dups.size > 0) problems.push(`assisting units listed twice: ${[...dups].join(', ')} / 协办单位重复`);
  }
  return problems;
}

export function validateList(
  rules: readonly ResponsibilityRule[],
  regions: readonly RoutingRegion[] | RegionTree,
  matterCodes: readonly string[],
  fallbackUnits: Readonly<Record<string, string>>,
  knownUnitIds: ReadonlySet<string>,
  options: ValidateListOptions = {},
): ListReport {
  const maxExamples = Math.max(1, options.maxExamplesPerIssue ?? 10);
  const maxIssues = Math.max(1, options.maxIssuesPerCode ?? 50);
  const tree = regions instanceof RegionTree ? regions : new RegionTree(regions);
  const errors: ListIssue[] = [];
  const warnings: ListIssue[] = [];

  // BAD_RULE — shape, and ids that must identify one rule (a case records the rule that routed it).
  const badIndexes = new Set<number>();
  const indexesById = new Map<string, number[]>();
  rules.forEach((rule, i) => {
    const list = indexesById.get(rule.id);
    if (list) list.push(i);
    else indexesById.set(rule.id, [i]);
  });
  for (const [id, indexes] of indexesById) {
    if (indexes.length < 2) continue;
    indexes.forEach((i) => badIndexes.add(i));
    errors.push({
      code: 'BAD_RULE',
      message: `规则编号重复 / rule id ${id} is used by ${indexes.length} rules (positions ${indexes.join(', ')})`,
      ruleIds: [id],
    });
  }
  const usable: ResponsibilityRule[] = []; // indexable: exactly one well-formed matter field
  rules.forEach((rule, i) => {
    const problems = shapeProblems(rule);
    if (problems.length > 0) {
      badIndexes.add(i);
      errors.push({ code: 'BAD_RULE', message: `规则 ${rule.id} 有误 / rule ${rule.id}: ${problems.join('; ')}`, ruleIds: [rule.id] });
    }
    const hasCode = rule.matterCode !== undefined;
    if (hasCode !== (rule.matterClass !== undefined) && (hasCode ? isMatterCode(rule.matterCode) : isMatterClass(rule.matterClass))) {
      usable.push(rule);
    }
  });

  // UNKNOWN_REGION / UNKNOWN_UNIT / UNKNOWN_MATTER — aggregated per unknown id, naming every rule that uses it.
  const matterSet = new Set(matterCodes);
  const classSet = new Set(matterCodes.map(matterClassOf));
  const unknownRegions = new Map<string, string[]>();
  const unknownMatters = new Map<string, string[]>();
  const unknownUnits = new Map<string, string[]>(); // unit → "rule R1 (assisting)", "fallback of street S1"
  const unitRules = new Map<string, string[]>();
  const checkUnit = (unitId: string | undefined, ruleId: string, role: string): void => {
    if (typeof unitId !== 'string' || unitId === '' || knownUnitIds.has(unitId)) return;
    push(unknownUnits, unitId, `rule ${ruleId} (${role})`);
    push(unitRules, unitId, ruleId);
  };
  for (const rule of rules) {
    if (typeof rule.regionId === 'string' && rule.regionId !== '' && !tree.has(rule.regionId)) push(unknownRegions, rule.regionId, rule.id);
    checkUnit(rule.unitId, rule.id, 'handling 处置');
    if (Array.isArray(rule.assistingUnitIds)) for (const unit of new Set(rule.assistingUnitIds)) checkUnit(unit, rule.id, 'assisting 协办');
    checkUnit(rule.partOwnerUnitId, rule.id, 'part owner 部件权属');
  }
  for (const rule of usable) {
    if (rule.matterCode !== undefined && !matterSet.has(rule.matterCode)) push(unknownMatters, rule.matterCode, rule.id);
    if (rule.matterClass !== undefined && !classSet.has(rule.matterClass)) push(unknownMatters, `class ${rule.matterClass}`, rule.id);
  }
  for (const [regionId, ruleIds] of unknownRegions) {
    errors.push({
      code: 'UNKNOWN_REGION',
      message: `区域 ${regionId} 不存在 / unknown region ${regionId}, used by rules ${names(ruleIds)}`,
      ruleIds,
      regionId,
    });
  }
  const fallbacks = new Set<string>();
  for (const [regionId, unitId] of Object.entries(fallbackUnits)) {
    if (!tree.has(regionId)) {
      warnings.push({
        code: 'UNKNOWN_REGION',
        message: `兜底单位配置的区域 ${regionId} 不存在 / fallback unit ${unitId} is set for unknown region ${regionId}`,
        regionId,
      });
      continue;
    }
    if (typeof unitId !== 'string' || unitId === '') continue;
    fallbacks.add(regionId);
    if (!knownUnitIds.has(unitId)) push(unknownUnits, unitId, `fallback of ${tree.label(regionId)}`);
  }
  for (const [unitId, uses] of unknownUnits) {
    const ruleIds = unitRules.get(unitId);
    errors.push({
      code: 'UNKNOWN_UNIT',
      message: `单位 ${unitId} 不存在 / unknown unit ${unitId}, used as: ${names(uses)}`,
      ...(ruleIds ? { ruleIds: [...new Set(ruleIds)] } : {}),
    });
  }
  for (const [matter, ruleIds] of unknownMatters) {
    const isCode = !matter.startsWith('class ');
    errors.push({
      code: 'UNKNOWN_MATTER',
      message: isCode
        ? `事项 ${matter} 不在事项目录中 / matter ${matter} is not in the catalogue, used by rules ${names(ruleIds)}`
        : `事项目录中没有 ${matter.slice(6)} 大类的事项 / no matter of ${matter} in the catalogue, used by rules ${names(ruleIds)}`,
      ruleIds,
      ...(isCode ? { matterCode: matter } : {}),
    });
  }

  // TIE — same matter code or class, same region, same part owner (or both none): see specificity.ts.
  const byKey = new Map<string, ResponsibilityRule[]>();
  for (const rule of usable) {
    const group = byKey.get(specificityKey(rule));
    if (group) group.push(rule);
    else byKey.set(specificityKey(rule), [rule]);
  }
  let tieGroups = 0;
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    tieGroups++;
    const r = group[0];
    const ruleIds = group.map((g) => g.id);
    const matter = r.matterCode !== undefined ? `matter ${r.matterCode}` : `class ${r.matterClass}`;
    const owner = r.partOwnerUnitId !== undefined ? `part owner ${r.partOwnerUnitId}` : 'no part owner';
    const units = [...new Set(group.map((g) => g.unitId))].join(', ');
    errors.push({
      code: 'TIE',
      message:
        `规则冲突：${names(ruleIds)} 具体度相同 / rules ${names(ruleIds)} tie: same ${matter}, same region ${r.regionId}, ${owner} ` +
        `— every case they match would have ${group.length} equally specific rules (units ${units})`,
      ruleIds,
      regionId: r.regionId,
      ...(r.matterCode !== undefined ? { matterCode: r.matterCode } : {}),
    });
  }

  // NO_FALLBACK — leaf regions with no fallback unit on their path to the root, by maximal subtree.
  const leafCount = (ids: readonly string[]): number => ids.reduce((sum, id) => sum + tree.leafCountOf(id), 0);
  const describe = (id: string): string =>
    tree.isLeaf(id) ? tree.label(id) : `${tree.label(id)} (all ${tree.leafCountOf(id)} leaf regions / 全部末级区域)`;
  const noFallback = tree.uncoveredSubtrees(fallbacks);
  for (const id of noFallback.slice(0, maxIssues)) {
    errors.push({
      code: 'NO_FALLBACK',
      message:
        `${describe(id)} 到根区域的路径上没有兜底单位 / no fallback unit on the path from ${describe(id)} to the root: ` +
        'its cases would be unroutable when no rule matches',
      regionId: id,
      regionIds: [id],
    });
  }
  if (noFallback.length > maxIssues) {
    const rest = noFallback.slice(maxIssues);
    errors.push({
      code: 'NO_FALLBACK',
      message: `… and ${rest.length} more regions without fallback (${leafCount(rest)} leaf regions): ${names(rest, maxExamples)}`,
      regionIds: rest.slice(0, maxExamples),
    });
  }

  // GAP — per matter, the maximal subtrees no rule without part owner reaches.
  const regionsByKey = new Map<string, Set<string>>();
  for (const rule of usable) {
    if (rule.partOwnerUnitId !== undefined || !tree.has(rule.regionId)) continue;
    const key = rule.matterCode !== undefined ? `code:${rule.matterCode}` : `class:${rule.matterClass}`;
    let set = regionsByKey.get(key);
    if (!set) regionsByKey.set(key, (set = new Set()));
    set.add(rule.regionId);
  }
  const empty: ReadonlySet<string> = new Set();
  const leaves = tree.leaves().length;
  const matters = [...matterSet];
  let gapPairs = 0;
  let partDerivedGapPairs = 0;
  let mattersWithGaps = 0;
  const hidden: string[] = [];
  let hiddenPairs = 0;
  for (const matterCode of matters) {
    const byCode = regionsByKey.get(`code:${matterCode}`);
    const byClass = regionsByKey.get(`class:${matterClassOf(matterCode)}`);
    const covered = byCode && byClass ? new Set([...byCode, ...byClass]) : (byCode ?? byClass ?? empty);
    const tops = tree.uncoveredSubtrees(covered);
    if (tops.length === 0) continue;
    const gaps = leafCount(tops);
    mattersWithGaps++;
    gapPairs += gaps;
    const partDerived = isPartDerivedMatter(matterCode);
    if (partDerived) partDerivedGapPairs += gaps;
    if (mattersWithGaps > maxIssues) {
      hidden.push(matterCode);
      hiddenPairs += gaps;
      continue;
    }
    const examples = tops.slice(0, maxExamples);
    const more = tops.length > maxExamples ? ` … and ${tops.length - maxExamples} more` : '';
    warnings.push({
      code: 'GAP',
      message:
        `事项 ${matterCode} 在 ${gaps}/${leaves} 个末级区域无规则覆盖 / no rule covers matter ${matterCode} in ${gaps} of ${leaves} leaf regions; ` +
        (partDerived
          ? `its cases go to the part's maintainer/owner, or to a fallback unit when the part is unknown`
          : `its cases would only reach a fallback unit`) +
        `: ${examples.map(describe).join(', ')}${more}`,
      matterCode,
      regionId: tops[0],
      regionIds: examples,
    });
  }
  if (hidden.length > 0) {
    warnings.push({
      code: 'GAP',
      message: `… and ${hidden.length} more matters with gaps (${hiddenPairs} matter × region pairs): ${names(hidden, maxExamples)}`,
    });
  }

  const pairs = matters.length * leaves;
  return {
    ok: errors.length === 0,
    errors,
    warnings,
    stats: {
      rules: rules.length,
      rulesByMatterCode: rules.filter((r) => r.matterCode !== undefined && r.matterClass === undefined).length,
      rulesByMatterClass: rules.filter((r) => r.matterClass !== undefined && r.matterCode === undefined).length,
      rulesWithPartOwner: rules.filter((r) => r.partOwnerUnitId !== undefined).length,
      badRules: badIndexes.size,
      tieGroups,
      regions: tree.size,
      leafRegions: leaves,
      matters: matters.length,
      pairs,
      coveredPairs: pairs - gapPairs,
      gapPairs,
      partDerivedGapPairs,
      mattersWithGaps,
      coverage: pairs === 0 ? 1 : (pairs - gapPairs) / pairs,
      leafRegionsWithoutFallback: leafCount(noFallback),
    },
  };
}

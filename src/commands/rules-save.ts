/**
 * saveRules: a new version of the responsibility list. Validated first (ties, unknown references, bad rules and
 * regions without a fallback are errors and nothing is saved; gaps are warnings); the new version is active at
 * once and every case records the version that routed it.
 */
import { DomainError } from '../domain/errors.ts';
import { validateList, type ListReport, type ResponsibilityRule } from '../domain/routing/index.ts';
import type { AppContext } from '../core/context.ts';
import { bumpReferenceVersion } from '../core/reference.ts';
import { toJson, type DbOrTrx } from '../storage/db.ts';
import { activeRuleVersion } from '../storage/repositories/reference.repository.ts';
import { appendOutbox } from '../storage/repositories/outbox.repository.ts';
import { insertChunked } from '../storage/repositories/bulk.ts';

export async function writeRuleVersion(trx: DbOrTrx, rules: ResponsibilityRule[], report: ListReport, meta: { by: string | null; note: string | null; at: number }): Promise<number> {
  const version = (await activeRuleVersion(trx)) + 1;
  await trx.insertInto('rule_versions').values({
    version, created_at: meta.at, created_by: meta.by, note: meta.note, rule_count: rules.length, report: toJson(report),
  }).execute();
  await insertChunked(trx, 'rules', rules.map((r) => ({
    version, id: r.id, matter_code: r.matterCode ?? null, matter_class: r.matterClass ?? null, region_id: r.regionId,
    part_owner_unit_id: r.partOwnerUnitId ?? null, unit_id: r.unitId, assisting_unit_ids: toJson(r.assistingUnitIds), note: r.note ?? null,
  })));
  return version;
}

export function validateAgainstReference(ctx: AppContext, rules: ResponsibilityRule[]): ListReport {
  const ref = ctx.ref.current();
  const fallbacks: Record<string, string> = {};
  for (const r of ref.regions.values()) if (r.fallbackUnitId) fallbacks[r.id] = r.fallbackUnitId;
  return validateList(rules, ref.regionTree, [...ref.matters.keys()], fallbacks, new Set(ref.units.keys()));
}

export async function saveRules(ctx: AppContext, rules: ResponsibilityRule[], actorId: string | null, note: string | null) {
  const report = validateAgainstReference(ctx, rules);
  if (!report.ok) {
    throw new DomainError('VALIDATION_FAILED', `rules: the list has ${report.errors.length} error(s); nothing was saved. First: ${report.errors[0].message}`, {
      field: 'rules', details: { report },
    });
  }
  const now = ctx.clock.now();
  const version = await ctx.db.transaction().execute(async (trx) => {
    const v = await writeRuleVersion(trx, rules, report, { by: actorId, note, at: now });
    await bumpReferenceVersion(trx);
    await appendOutbox(trx, { topic: 'rules.saved', caseId: null, unitIds: [], regionIds: [], payload: { version: v, rules: rules.length, by: actorId }, at: now });
    return v;
  });
  await ctx.ref.load();
  return { version, report };
}

/**
 * saveRules: a new version of the responsibility list. Validated first (ties, unknown references, bad rules and
 * regions without a fallback are errors and nothing is saved; gaps are warnings); the new version is active at
 * once and every case records the version that routed it.
 */
import { DomainError } from '../domain/errors.ts';
import { validateList, type ListReport, type ResponsibilityRule } from '../domain/routing/index.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';
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
  const version = await ctx.store.transaction(async (tx) => {
    const v = await tx.admin.insertRuleVersion(rules, report, { by: actorId, note, at: now });
    await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('rules.saved', { version: v, rules: rules.length, by: actorId }, now));
    return v;
  });
  await ctx.ref.load();
  return { version, report };
}

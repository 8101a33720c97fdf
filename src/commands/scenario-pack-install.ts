/**
 * Installs scenario packs (issue 11 part 6; src/domain/sensing/scenario-packs.ts) on a store: the local matters a
 * pack needs (only if their code is free), its device types (only those missing — an edited type is kept) and its
 * rules (only those whose id is free — an edited or disabled rule is kept: re-installing never undoes an admin's
 * change). Idempotent: a second install adds nothing. Each piece goes through its own command (createMatter,
 * createRule), so history, config events and the rule engine's reload are theirs. The demo seed installs all packs;
 * an admin installs one on an existing store with POST /api/v1/scenarios/{id}/install.
 */
import { DomainError, notFound } from '../domain/errors.ts';
import { packOf, SCENARIO_PACKS } from '../domain/sensing/scenario-packs.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';
import { createMatter } from './matter-create.ts';
import { createRule } from './rule-save.ts';

export interface PackInstallResult { pack: string; matters: string[]; types: string[]; rules: string[] }

export async function installPack(ctx: AppContext, id: string, actorId: string | null, opts: { enableRules?: boolean } = {}): Promise<PackInstallResult> {
  const pack = packOf(id);
  if (!pack) throw notFound('scenario pack', id);
  const out: PackInstallResult = { pack: id, matters: [], types: [], rules: [] };
  for (const m of pack.matters) {
    if (ctx.ref.current().matters.has(m.code)) continue;
    try {
      await createMatter(ctx, m, actorId);
      out.matters.push(m.code);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'CONFLICT')) throw err; // another node added it meanwhile
    }
  }
  const now = ctx.clock.now();
  for (const t of pack.types) {
    if (await ctx.store.devices.findType(t.id)) continue;
    await ctx.store.transaction(async (tx) => {
      await tx.devices.saveType(t, now);
      await tx.outbox.append(configEvent('device_type.saved', { typeId: t.id, pack: id, actorId }, now));
    });
    out.types.push(t.id);
  }
  for (const r of pack.rules) {
    if (await ctx.store.sensingRules.findRule(r.id)) continue;
    try {
      await createRule(ctx, { ...r, enabled: opts.enableRules !== false, note: `场景包 ${pack.zh} (scenario pack ${id})` }, actorId, r.id);
      out.rules.push(r.id);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'CONFLICT')) throw err;
    }
  }
  return out;
}

export async function installAllPacks(ctx: AppContext, actorId: string | null): Promise<PackInstallResult[]> {
  const out: PackInstallResult[] = [];
  for (const p of SCENARIO_PACKS) out.push(await installPack(ctx, p.id, actorId));
  return out;
}

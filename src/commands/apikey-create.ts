/** API keys for machine clients: `cok_<prefix>_<secret>`, shown once, stored as a SHA-256 hash (high-entropy secret). */
import { invalidAs } from '../domain/errors.ts';
import { isRole, type Role } from '../domain/policy/permissions.ts';
import { newId, randomToken, sha256 } from '../security/tokens.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function createApiKey(ctx: AppContext, input: { name: string; roles?: string[]; unitIds?: string[]; regionIds?: string[] }, actorId: string | null) {
  const name = input.name.trim();
  if (!name || name.length > 100) throw invalidAs('name', { key: 'field.1_100_characters' }, 'must be 1–100 characters');
  const roles = (input.roles?.length ? input.roles : ['operator']) as string[];
  roles.forEach((r, i) => { if (!isRole(r)) throw invalidAs(`roles[${i}]`, { key: 'field.unknown_role_2', params: { r: String(r) } }, `unknown role "${r}"`); });
  const ref = ctx.ref.current();
  (input.unitIds ?? []).forEach((u, i) => { if (!ref.units.has(u)) throw invalidAs(`unitIds[${i}]`, { key: 'field.unknown_unit_2', params: { u: String(u) } }, `unknown unit "${u}"`); });
  // A key without regions covers the whole city (the root regions).
  const regionIds = input.regionIds?.length ? input.regionIds : [...ref.regions.values()].filter((r) => r.parentId === null).map((r) => r.id);
  regionIds.forEach((r, i) => { if (!ref.regions.has(r)) throw invalidAs(`regionIds[${i}]`, { key: 'field.unknown_region', params: { r: String(r) } }, `unknown region "${r}"`); });
  const prefix = randomToken(6).replace(/[-_]/g, 'x').slice(0, 8);
  const key = `cok_${prefix}_${randomToken(32)}`;
  const now = ctx.clock.now();
  const rec = {
    id: newId('key'), name, prefix, keyHash: sha256(key), roles: roles as Role[], unitIds: input.unitIds ?? [], regionIds,
    createdBy: actorId, createdAt: now, revokedAt: null,
  };
  await ctx.store.transaction(async (tx) => {
    await tx.auth.insertApiKey(rec);
    await tx.outbox.append(configEvent('apikey.created', { id: rec.id, name, by: actorId }, now));
  });
  return { ...rec, key };
}

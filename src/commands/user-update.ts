/**
 * updateUser: an administrator changes an account — deactivate or reactivate it, reset its password, change its
 * roles or scope. Deactivating or resetting the password ends the user's sessions at once. One transaction, with
 * an outbox row; the password itself is never recorded.
 */
import { DomainError, notFound, invalidAs } from '../domain/errors.ts';
import { isRole, type Role } from '../domain/policy/permissions.ts';
import { hashPassword } from '../security/passwords.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';
import { type UserRecord } from '../storage/repositories/auth.repository.ts';

export interface UpdateUserInput {
  active?: boolean;
  password?: string;
  roles?: string[];
  unitIds?: string[];
  regionIds?: string[];
  displayName?: string;
}

export async function updateUser(ctx: AppContext, id: string, input: UpdateUserInput, actorId: string): Promise<UserRecord> {
  const ref = ctx.ref.current();
  if (input.password !== undefined && input.password.length < 8) throw invalidAs('password', { key: 'field.at_least_8_characters' }, 'must be at least 8 characters');
  input.roles?.forEach((r, i) => { if (!isRole(r)) throw invalidAs(`roles[${i}]`, { key: 'field.unknown_role_2', params: { r: String(r) } }, `unknown role "${r}"`); });
  if (input.roles && input.roles.length === 0) throw invalidAs('roles', { key: 'field.at_least_one_role_required' }, 'at least one role is required');
  input.unitIds?.forEach((u, i) => { if (!ref.units.has(u)) throw invalidAs(`unitIds[${i}]`, { key: 'field.unknown_unit_2', params: { u: String(u) } }, `unknown unit "${u}"`); });
  input.regionIds?.forEach((r, i) => { if (!ref.regions.has(r)) throw invalidAs(`regionIds[${i}]`, { key: 'field.unknown_region', params: { r: String(r) } }, `unknown region "${r}"`); });
  if (id === actorId && (input.active === false || (input.roles && !input.roles.includes('admin')))) {
    throw new DomainError('CONFLICT', 'You cannot deactivate yourself or remove your own admin role', { field: input.active === false ? 'active' : 'roles' });
  }
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    const user = await tx.auth.findUserById(id);
    if (!user) throw notFound('user', id);
    await tx.auth.updateUser(id, {
      active: input.active, passwordHash, roles: input.roles as Role[] | undefined, unitIds: input.unitIds, regionIds: input.regionIds,
      displayName: input.displayName,
    });
    await tx.outbox.append(configEvent('user.updated', {
      id, by: actorId, changed: Object.keys(input).filter((k) => k !== 'password').concat(passwordHash ? ['password'] : []),
    }, now));
  });
  return (await ctx.store.auth.findUserById(id))!;
}

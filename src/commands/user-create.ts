import { DomainError, invalidAs } from '../domain/errors.ts';
import { isRole, type Role } from '../domain/policy/permissions.ts';
import { hashPassword } from '../security/passwords.ts';
import { newId } from '../security/tokens.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';
import { isUniqueViolation } from '../storage/codec.ts';

export interface CreateUserInput {
  username: string;
  password: string;
  displayName?: string;
  roles: string[];
  unitIds?: string[];
  regionIds?: string[];
}

const UNIT_ROLES: Role[] = ['unit_handler', 'unit_leader'];

export async function createUser(ctx: AppContext, input: CreateUserInput, actorId: string | null) {
  if (!/^[A-Za-z0-9_.-]{3,64}$/.test(input.username)) {
    throw invalidAs('username', { key: 'user-create.3_64_letters_digits_or' }, 'must be 3–64 letters, digits, "_", "." or "-"');
  }
  if (input.password.length < 8) throw invalidAs('password', { key: 'field.at_least_8_characters' }, 'must be at least 8 characters');
  if (input.roles.length === 0) throw invalidAs('roles', { key: 'field.at_least_one_role_required' }, 'at least one role is required');
  input.roles.forEach((r, i) => {
    if (!isRole(r)) throw invalidAs(`roles[${i}]`, { key: 'field.unknown_role_2', params: { r: String(r) } }, `unknown role "${r}"`);
  });
  const roles = input.roles as Role[];
  const unitIds = input.unitIds ?? [];
  const regionIds = input.regionIds ?? [];
  unitIds.forEach((u, i) => {
    if (!ctx.ref.current().units.has(u)) throw invalidAs(`unitIds[${i}]`, { key: 'field.unknown_unit_2', params: { u: String(u) } }, `unknown unit "${u}"`);
  });
  regionIds.forEach((r, i) => {
    if (!ctx.ref.current().regions.has(r)) throw invalidAs(`regionIds[${i}]`, { key: 'field.unknown_region', params: { r: String(r) } }, `unknown region "${r}"`);
  });
  if (roles.some((r) => UNIT_ROLES.includes(r)) && unitIds.length === 0) {
    throw invalidAs('unitIds', { key: 'user-create.unit_handler_or_unit_leader' }, 'a unit handler or unit leader must belong to a unit');
  }
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  const user = {
    id: newId('usr'), username: input.username, displayName: input.displayName ?? input.username, passwordHash,
    roles, unitIds, regionIds, active: true, createdAt: now,
  };
  await ctx.store.transaction(async (tx) => {
    if (await tx.auth.findUserByUsername(user.username)) {
      throw new DomainError('CONFLICT', `username "${user.username}" is taken`, { field: 'username' });
    }
    try {
      await tx.auth.insertUser(user);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError('CONFLICT', `username "${user.username}" is taken`, { field: 'username' });
      throw err;
    }
    await tx.outbox.append(configEvent('user.created', { id: user.id, username: user.username, by: actorId }, now));
  });
  return user;
}

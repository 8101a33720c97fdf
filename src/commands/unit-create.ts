/** createUnit: a handling unit (处置单位): a department, street office, utility, property company or sub-unit. */
import { DomainError, invalidAs } from '../domain/errors.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';
import type { UnitInfo } from '../runtime/reference-cache.ts';
import { isUniqueViolation } from '../storage/codec.ts';

export const UNIT_KINDS = ['centre', 'government', 'department', 'street_office', 'community_office', 'utility', 'property_company', 'sub_unit', 'other'] as const;

export interface CreateUnitInput { id: string; code: string; name: string; kind: string; parentId?: string | null; regionId?: string | null }

export async function createUnit(ctx: AppContext, input: CreateUnitInput, actorId: string | null): Promise<UnitInfo> {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(input.id)) throw invalidAs('id', { key: 'unit-create.1_64_letters_digits_or' }, 'must be 1–64 letters, digits, "_", "." or "-"');
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(input.code)) throw invalidAs('code', { key: 'unit-create.1_64_letters_digits_or' }, 'must be 1–64 letters, digits, "_", "." or "-"');
  const name = input.name.trim();
  if (!name) throw invalidAs('name', { key: 'field.not_blank' }, 'must not be blank');
  if (!(UNIT_KINDS as readonly string[]).includes(input.kind)) throw invalidAs('kind', { key: 'field.one_of', params: { allowed: UNIT_KINDS.join(', ') } }, `must be one of ${UNIT_KINDS.join(', ')}`);
  const ref = ctx.ref.current();
  const parentId = input.parentId ?? null;
  const regionId = input.regionId ?? null;
  if (parentId !== null && !ref.units.has(parentId)) throw invalidAs('parentId', { key: 'unit-create.unknown_unit', params: { parentId: String(parentId) } }, `unknown unit "${parentId}"`);
  if (regionId !== null && !ref.regions.has(regionId)) throw invalidAs('regionId', { key: 'field.unknown_region_2', params: { regionId: String(regionId) } }, `unknown region "${regionId}"`);
  const conflict = (field: 'id' | 'code', v: string) => new DomainError('CONFLICT', `${field}: a unit with ${field} "${v}" already exists`, { field });
  if (ref.units.has(input.id)) throw conflict('id', input.id);
  if ([...ref.units.values()].some((u) => u.code === input.code)) throw conflict('code', input.code);
  const now = ctx.clock.now();
  try {
    await ctx.store.transaction(async (tx) => {
      const clash = await tx.admin.findUnitClash(input.id, input.code);
      if (clash) throw clash.id === input.id ? conflict('id', input.id) : conflict('code', input.code);
      await tx.admin.insertUnit({ id: input.id, code: input.code, name, kind: input.kind, parentId, regionId }, now);
      await tx.settings.bumpReferenceVersion();
      await tx.outbox.append(configEvent('unit.created', { id: input.id, by: actorId }, now, { unitIds: [input.id], regionIds: regionId ? [regionId] : [] }));
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('id', input.id);
    throw err;
  }
  await ctx.ref.load();
  return { id: input.id, code: input.code, name, kind: input.kind, parentId, regionId, active: true };
}

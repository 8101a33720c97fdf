/**
 * createMatter: a city's own matter type (a local addition to GB/T 47678.5, domain.md §3). Its code is 5 digits
 * whose first two are its class; the (kind, code) key must be free. With no rule yet, its cases fall to the
 * fallback units, and the next list save reports the gap.
 */
import { DomainError, invalidAs } from '../domain/errors.ts';
import { assertCode, type MatterClassDef } from '../domain/catalog/catalog.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';
import { isUniqueViolation } from '../storage/codec.ts';

export interface CreateMatterInput {
  code: string; name: string; classCode: string; className: string;
  registrationCondition?: string | null; closureCondition?: string | null;
}

export async function createMatter(ctx: AppContext, input: CreateMatterInput, actorId: string | null): Promise<MatterClassDef> {
  assertCode(input.code, 'code');
  if (!/^\d{2}$/.test(input.classCode)) throw invalidAs('classCode', { key: 'matter-create.2_digits' }, 'must be 2 digits');
  if (input.code.slice(0, 2) !== input.classCode) throw invalidAs('code', { key: 'matter-create.does_not_start_with_its', params: { code: String(input.code), classCode: String(input.classCode) } }, `${input.code} does not start with its class ${input.classCode}`);
  const name = input.name.trim();
  const className = input.className.trim();
  if (!name) throw invalidAs('name', { key: 'field.not_blank' }, 'must not be blank');
  if (!className) throw invalidAs('className', { key: 'field.not_blank' }, 'must not be blank');
  const ref = ctx.ref.current();
  if (ref.matters.has(input.code)) throw new DomainError('CONFLICT', `code: matter ${input.code} already exists`, { field: 'code' });
  // One class, one name: a local matter joins an existing class under that class's name.
  const sibling = [...ref.matters.values()].find((m) => m.classCode === input.classCode);
  if (sibling && sibling.className !== className) {
    throw invalidAs('className', { key: 'matter-create.class_named', params: { classCode: String(input.classCode), className: String(sibling.className) } }, `class ${input.classCode} is named "${sibling.className}"`);
  }
  const def: MatterClassDef = {
    kind: 'matter', code: input.code, name, classCode: input.classCode, className,
    registrationCondition: input.registrationCondition ?? null, closureCondition: input.closureCondition ?? null, local: true,
  };
  const now = ctx.clock.now();
  try {
    await ctx.store.transaction(async (tx) => {
      await tx.admin.insertMatter(def, now);
      await tx.settings.bumpReferenceVersion();
      await tx.outbox.append(configEvent('matter.created', { code: def.code, by: actorId }, now));
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('CONFLICT', `code: matter ${input.code} already exists`, { field: 'code' });
    throw err;
  }
  await ctx.ref.load();
  return def;
}

/**
 * replaceMatterAttributes: a matter's extra questions (GeoReport v2 service-definition attributes) are replaced as
 * a whole, as a new version. One transaction: the version row, the reference version (so every node reloads
 * within seconds, docs/decisions.md "Reference data") and the change's event. Reports already filed keep the
 * answers and questions they were filed with.
 */
import { DomainError, notFound } from '../domain/errors.ts';
import { validateAttributeDefs, type AttributeDef } from '../domain/catalog/attributes.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';
import { isUniqueViolation } from '../storage/codec.ts';

export interface ReplacedAttributes { matterCode: string; version: number; attributes: AttributeDef[]; createdAt: number; createdBy: string | null }

export async function replaceMatterAttributes(
  ctx: AppContext, matterCode: string, input: unknown, actorId: string | null, opts: { expectedVersion?: number } = {},
): Promise<ReplacedAttributes> {
  const matter = ctx.ref.current().matters.get(matterCode);
  if (!matter) throw notFound('matter', matterCode);
  const attributes = validateAttributeDefs(input);
  const now = ctx.clock.now();
  const stale = (current: number) => new DomainError('CONFLICT',
    `version: the attributes of ${matterCode} are at version ${current}, not ${opts.expectedVersion}; reload and retry`, { field: 'version' });
  let version = 0;
  try {
    await ctx.store.transaction(async (tx) => {
      const current = (await tx.matterAttributes.findAttributeSet(matterCode))?.version ?? 0;
      if (opts.expectedVersion !== undefined && opts.expectedVersion !== current) throw stale(current);
      version = current + 1;
      await tx.matterAttributes.insertAttributeSet({ matterCode, version, attributes, createdAt: now, createdBy: actorId });
      await tx.settings.bumpReferenceVersion();
      await tx.outbox.append(configEvent('matter_attributes.replaced', { matterCode, version, count: attributes.length, by: actorId }, now));
    });
  } catch (err) {
    // Two saves of one version at once: the second loses on the primary key, like a stale expectedVersion.
    if (isUniqueViolation(err)) throw stale(version);
    throw err;
  }
  await ctx.ref.load();
  return { matterCode, version, attributes, createdAt: now, createdBy: actorId };
}

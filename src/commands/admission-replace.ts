/**
 * replaceAdmission: the grid-member admission list (网格事项准入清单, domain.md §6) is replaced as a whole; grid
 * members may be given only the matters on it, from the next assignment on.
 */
import { invalidAs } from '../domain/errors.ts';
import { AdmissionList, type AdmissionEntry } from '../domain/routing/index.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replaceAdmission(ctx: AppContext, entries: AdmissionEntry[], actorId: string | null) {
  // The domain checks shape (exactly one of code / class, well-formed) and names entries[i].
  new AdmissionList(entries);
  const ref = ctx.ref.current();
  const classes = new Set([...ref.matters.values()].map((m) => m.classCode));
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (e.matterCode !== undefined && !ref.matters.has(e.matterCode)) {
      throw invalidAs(`entries[${i}].matterCode`, { key: 'sensing.unknown_matter_code_2', params: { matterCode: String(e.matterCode) } }, `unknown matter code "${e.matterCode}"`);
    }
    if (e.matterClass !== undefined && !classes.has(e.matterClass)) {
      throw invalidAs(`entries[${i}].matterClass`, { key: 'admission-replace.no_matter_class_in_catalogue', params: { matterClass: String(e.matterClass) } }, `no matter of class "${e.matterClass}" in the catalogue`);
    }
    const key = e.matterCode ?? `class:${e.matterClass}`;
    if (seen.has(key)) throw invalidAs(`entries[${i}]`, { key: 'admission-replace.listed_twice', params: { value: String(e.matterCode ?? `class ${e.matterClass}`) } }, `${e.matterCode ?? `class ${e.matterClass}`} is listed twice`);
    seen.add(key);
  });
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.admin.replaceAdmission(entries);
    await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('admission.replaced', { entries: entries.length, by: actorId }, now));
  });
  await ctx.ref.load();
  return { entries: entries.map((e) => (e.matterCode !== undefined ? { matterCode: e.matterCode } : { matterClass: e.matterClass! })) };
}

/**
 * replaceStandardReplies: the seats' standard replies (话术库, src/domain/hotline/standard-replies.ts) are replaced as
 * a whole, as the next version of the library. Validated before anything is written (shape by the domain, matter
 * codes and classes against the catalogue); one transaction with the settings row, the reference version and a
 * `hotline.replies_replaced` event. Seats see the new replies at once.
 */
import { invalidAs } from '../domain/errors.ts';
import { parseStandardReplies, type StandardReplies } from '../domain/hotline/standard-replies.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replaceStandardReplies(ctx: AppContext, input: { replies: unknown }, actorId: string | null): Promise<StandardReplies> {
  const ref = ctx.ref.current();
  const lib = parseStandardReplies({ version: ref.standardReplies.version + 1, replies: input.replies });
  const classes = new Set([...ref.matters.values()].map((m) => m.classCode));
  lib.replies.forEach((r, i) => {
    r.matterCodes.forEach((c, j) => { if (!ref.matters.has(c)) throw invalidAs(`replies[${i}].matterCodes[${j}]`, { key: 'standard-replies-replace.unknown_matter_code', params: { c: String(c) } }, `unknown matter code "${c}"`); });
    r.matterClasses.forEach((c, j) => { if (!classes.has(c)) throw invalidAs(`replies[${i}].matterClasses[${j}]`, { key: 'standard-replies-replace.no_matter_class_in_catalogue', params: { c: String(c) } }, `no matter of class "${c}" in the catalogue`); });
  });
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.settings.write('standard_replies', lib);
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('hotline.replies_replaced', { repliesVersion: lib.version, replies: lib.replies.length, referenceVersion: version, by: actorId }, now));
  });
  await ctx.ref.load();
  return ctx.ref.current().standardReplies;
}

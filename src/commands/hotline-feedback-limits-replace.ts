/**
 * replaceHotlineFeedbackLimits: the city's 12345 feedback limits (接诉即办) — the limit of each class, the urgency →
 * class mapping, the utility matter classes and words (src/domain/hotline/feedback-policy.ts) — replace the stored
 * ones as a whole (an omitted part takes its Beijing default). Validated by the domain before anything is written;
 * one transaction with the settings row, the reference version and a `hotline.feedback_limits_replaced` event.
 * New calls use the limits at once; the calls already taken keep their deadlines.
 */
import { parseFeedbackPolicy, type FeedbackPolicy } from '../domain/hotline/feedback-policy.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replaceHotlineFeedbackLimits(ctx: AppContext, input: unknown, actorId: string | null): Promise<FeedbackPolicy> {
  const policy = parseFeedbackPolicy(input);
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.settings.write('hotline_feedback_limits', policy);
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('hotline.feedback_limits_replaced', { referenceVersion: version, by: actorId }, now));
  });
  await ctx.ref.load();
  return ctx.ref.current().hotlineFeedback;
}

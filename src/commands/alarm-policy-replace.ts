/**
 * replaceAlarmPolicy: the auto-dispatch whitelist, the place window and the video detection types (issue 11;
 * src/domain/sensing/rule-policy.ts) replace the stored policy as a whole. Validated first (matter codes against the
 * catalogue); one transaction with the settings row, the reference version and a config event.
 */
import { parseAlarmPolicy, type AlarmPolicy } from '../domain/sensing/rule-policy.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export async function replaceAlarmPolicy(ctx: AppContext, input: unknown, actorId: string | null): Promise<AlarmPolicy> {
  const matters = ctx.ref.current().matters;
  const policy = parseAlarmPolicy(input, 'body', (c) => matters.has(c));
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.settings.write('sensing_alarm_policy', policy);
    const version = await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('sensing_alarm_policy.replaced', { referenceVersion: version, actorId }, now));
  });
  await ctx.ref.load();
  return ctx.ref.current().alarmPolicy;
}

/**
 * replaceTimeLimits: the time-limit rows of one matter (处置时限 / 环节时限, domain.md §5) are replaced as a whole.
 * New cases use them at once; running clocks keep the deadlines they were given.
 */
import { notFound, invalidAs } from '../domain/errors.ts';
import { validateLimit, type LimitUnit } from '../domain/deadline/index.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export const LIMIT_STAGES = ['handle', 'dispatch', 'sign', 'verify', 'check', 'dispute'] as const;
export const LIMIT_URGENCIES = ['normal', 'urgent', 'very_urgent'] as const;
const AREA_CLASS_RE = /^[A-Za-z0-9]{1,8}$/;

export interface TimeLimitInput {
  stage: string; urgency: string; areaClass: string | null; amount: number; unit: LimitUnit; basis?: string | null;
}

export async function replaceTimeLimits(ctx: AppContext, matterCode: string, limits: TimeLimitInput[], actorId: string | null) {
  if (!ctx.ref.current().matters.has(matterCode)) throw notFound('matter', matterCode);
  const seen = new Map<string, number>();
  limits.forEach((l, i) => {
    const at = `limits[${i}]`;
    if (!(LIMIT_STAGES as readonly string[]).includes(l.stage)) throw invalidAs(`${at}.stage`, { key: 'field.one_of', params: { allowed: LIMIT_STAGES.join(', ') } }, `must be one of ${LIMIT_STAGES.join(', ')}`);
    if (!(LIMIT_URGENCIES as readonly string[]).includes(l.urgency)) throw invalidAs(`${at}.urgency`, { key: 'field.one_of', params: { allowed: LIMIT_URGENCIES.join(', ') } }, `must be one of ${LIMIT_URGENCIES.join(', ')}`);
    if (l.areaClass !== null && !AREA_CLASS_RE.test(l.areaClass)) throw invalidAs(`${at}.areaClass`, { key: 'time-limits-replace.short_area_class_code_such' }, 'must be a short area class code such as A, B or C, or null');
    validateLimit({ amount: l.amount, unit: l.unit }, at);
    const key = `${l.stage}|${l.urgency}|${l.areaClass ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw invalidAs(at, { key: 'time-limits-replace.stage_urgency_area_class_already', params: { stage: String(l.stage), urgency: String(l.urgency), value: String(l.areaClass ?? '(any)'), first: String(first) } }, `stage ${l.stage}, urgency ${l.urgency}, area class ${l.areaClass ?? '(any)'} is already given at limits[${first}]`);
    }
    seen.set(key, i);
  });
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.admin.replaceTimeLimits(matterCode, limits.map((l) => ({ ...l, basis: l.basis ?? null })));
    await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('time_limits.replaced', { matterCode, rows: limits.length, by: actorId }, now));
  });
  await ctx.ref.load();
  return { matterCode, rows: limits.length };
}

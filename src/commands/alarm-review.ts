/**
 * A person judges alarms (issue 11 parts 4–5; domain.md §4): accepts a camera alarm from the review queue (it
 * becomes a case through the intake contract, accepted by the reviewer), rejects it as a false alarm, or marks any
 * alarm false afterwards (a rule alarm whose case turned out to be nothing). False alarms feed the accuracy figures
 * per device type, vendor and AI model. Each is one conditional change with the alarm's history row and an event.
 */
import { DomainError, notFound, invalidAs } from '../domain/errors.ts';
import type { Actor } from '../domain/policy/scope.ts';
import type { AppContext } from '../runtime/context.ts';
import type { AlarmRow } from '../storage/repositories/alarm.repository.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';
import { fileAlarm, noteOnCase, type AlarmOutcome } from './alarm-case.ts';

type Person = Actor & { name?: string };
const regionsOf = (a: AlarmRow) => [a.district_id, a.street_id, a.community_id].filter((x): x is string => !!x);

async function load(ctx: AppContext, id: string): Promise<AlarmRow> {
  const a = await ctx.store.alarms.findAlarm(id);
  if (!a) throw notFound('alarm', id);
  return a;
}

const notPending = (a: AlarmRow) => new DomainError('CONFLICT', `alarm ${a.id} is not waiting for review (it is ${a.review})`, { field: 'review', details: { review: a.review } });

/** Accept: the alarm becomes a case (or joins the open case of its camera or place), filed and accepted by the reviewer. */
export async function acceptAlarm(ctx: AppContext, id: string, actor: Person, note: string | null): Promise<AlarmOutcome> {
  const a = await load(ctx, id);
  if (a.review !== 'pending') throw notPending(a);
  const now = ctx.clock.now();
  const who = { id: actor.userId, name: actor.name ?? null };
  const claimed = await ctx.store.transaction(async (tx) => {
    if (!(await tx.alarms.updateAlarm(a.id, a.version, { review: 'submitting', updated_at: now }))) return undefined;
    await tx.alarms.appendAlarmHistory({ alarmId: a.id, action: 'accepted', actorId: who.id, actorName: who.name, at: now, details: { note } });
    await tx.outbox.append(configEvent('alarm.accepted', { alarmId: a.id, actorId: who.id }, now, { regionIds: regionsOf(a) }));
    return { ...a, review: 'submitting', updated_at: now, version: a.version + 1 };
  });
  if (!claimed) throw notPending(a);
  const cam = await ctx.store.cameras.findCamera(a.device_id);
  return fileAlarm(ctx, claimed, cam?.name ?? a.device_id, { ...actor, name: actor.name ?? actor.userId }, { reviewerAccepts: true });
}

/** Reject at review: a false alarm; no case. */
export async function rejectAlarm(ctx: AppContext, id: string, actor: Person, reason: string): Promise<AlarmRow> {
  if (!reason.trim()) throw invalidAs('reason', { key: 'alarm-review.say_why_alarm_false' }, 'must say why the alarm is false');
  const a = await load(ctx, id);
  if (a.review !== 'pending') throw notPending(a);
  const now = ctx.clock.now();
  const patch = { review: 'rejected', false_alarm: 1, false_by: actor.userId, false_at: now, updated_at: now };
  const done = await ctx.store.transaction(async (tx) => {
    if (!(await tx.alarms.updateAlarm(a.id, a.version, patch))) return false;
    await tx.alarms.appendAlarmHistory({ alarmId: a.id, action: 'rejected', actorId: actor.userId, actorName: actor.name ?? null, at: now, details: { reason } });
    await tx.outbox.append(configEvent('alarm.rejected', { alarmId: a.id, actorId: actor.userId }, now, { regionIds: regionsOf(a) }));
    return true;
  });
  if (!done) throw notPending(a);
  ctx.events.notify();
  return { ...a, ...patch, version: a.version + 1 };
}

/** Marks an alarm false after the fact (its case, if any, gets a history row saying so). Marking twice is a conflict. */
export async function markFalseAlarm(ctx: AppContext, id: string, actor: Person, reason: string): Promise<AlarmRow> {
  if (!reason.trim()) throw invalidAs('reason', { key: 'alarm-review.say_why_alarm_false' }, 'must say why the alarm is false');
  const a = await load(ctx, id);
  if (a.false_alarm === 1) throw new DomainError('CONFLICT', `alarm ${a.id} is already marked false`, { field: 'falseAlarm' });
  if (a.review === 'pending') throw new DomainError('CONFLICT', `alarm ${a.id} waits for review: reject it there`, { field: 'review' });
  const now = ctx.clock.now();
  const patch = { false_alarm: 1, false_by: actor.userId, false_at: now, updated_at: now };
  const who = { id: actor.userId, name: actor.name ?? null };
  const done = await ctx.store.transaction(async (tx) => {
    if (!(await tx.alarms.updateAlarm(a.id, a.version, patch))) return false;
    await tx.alarms.appendAlarmHistory({ alarmId: a.id, action: 'marked_false', actorId: who.id, actorName: who.name, at: now, details: { reason } });
    await noteOnCase(tx, a, 'alarm_false', who, now, { reason });
    await tx.outbox.append(configEvent('alarm.marked_false', { alarmId: a.id, actorId: who.id }, now, { regionIds: regionsOf(a) }));
    return true;
  });
  if (!done) throw new DomainError('CONFLICT', `alarm ${a.id} changed meanwhile; reload and retry`, { field: 'version' });
  ctx.events.notify();
  return { ...a, ...patch, version: a.version + 1 };
}

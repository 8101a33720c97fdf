/**
 * startDuty / endDuty (上岗 / 下岗): a field worker starts or stops sharing their position from the phone view. Only
 * while on duty are positions accepted (consent is the toggle). One transaction each: the session row, the
 * resource's on-duty flag and one outbox row (`resource.duty_started` / `resource.duty_ended`). Repeating either is
 * harmless: starting while on duty answers the open session; ending while off duty answers "off".
 */
import { DomainError } from '../domain/errors.ts';
import { personKindOf, type ResourceKind } from '../domain/field/index.ts';
import type { Actor } from '../domain/policy/scope.ts';
import type { AppContext } from '../runtime/context.ts';
import { isUniqueViolation } from '../storage/codec.ts';
import { fieldStateOf } from '../runtime/field-state.ts';

export interface DutyStatus { resourceId: string; kind: ResourceKind; onDuty: boolean; since: number | null; sessionId: number | null }

export const personResourceId = (userId: string): string => `user:${userId}`;

type DutyActor = Actor & { name: string };

function kindOf(actor: DutyActor): Exclude<ResourceKind, 'vehicle'> {
  const kind = personKindOf(actor.roles);
  if (!kind) {
    throw new DomainError('FORBIDDEN', 'roles: only inspectors, grid members and unit handlers go on duty in the field', { field: 'roles' });
  }
  return kind;
}

export async function startDuty(ctx: AppContext, actor: DutyActor): Promise<DutyStatus> {
  const kind = kindOf(actor);
  const state = await fieldStateOf(ctx);
  const now = ctx.clock.now();
  const resourceId = personResourceId(actor.userId);
  const unitId = actor.unitIds[0] ?? null;
  const regionId = actor.regionIds[0] ?? null;
  const attempt = () => ctx.store.transaction(async (tx) => {
    const open = await tx.field.openDuty(actor.userId, { forUpdate: true });
    if (open) return { sessionId: open.id, since: open.started_at, fresh: false };
    const sessionId = await tx.field.insertDuty({ user_id: actor.userId, kind, unit_id: unitId, region_id: regionId, started_at: now, ended_at: null });
    await tx.field.setOnDuty({ resource_id: resourceId, kind, user_id: actor.userId, unit_id: unitId, label: actor.name, on_duty: 1, duty_since: now, updated_at: now });
    await tx.outbox.append({
      topic: 'resource.duty_started', caseId: null, unitIds: actor.unitIds, regionIds: actor.regionIds, at: now,
      payload: { userIds: [actor.userId], resourceId, kind, sessionId, at: now },
    });
    return { sessionId, since: now, fresh: true };
  });
  // Two taps at once on PostgreSQL: the unique index on open sessions refuses the second; it then finds the first.
  const result = await attempt().catch((err) => { if (isUniqueViolation(err)) return attempt(); throw err; });
  if (result.fresh) {
    state.setDuty({ resource_id: resourceId, kind, user_id: actor.userId, unit_id: unitId, label: actor.name, on_duty: 1, duty_since: result.since, updated_at: now });
  }
  return { resourceId, kind, onDuty: true, since: result.since, sessionId: result.sessionId };
}

export async function endDuty(ctx: AppContext, actor: DutyActor): Promise<DutyStatus> {
  const kind = kindOf(actor);
  const state = await fieldStateOf(ctx);
  const now = ctx.clock.now();
  const resourceId = personResourceId(actor.userId);
  const ended = await ctx.store.transaction(async (tx) => {
    const open = await tx.field.openDuty(actor.userId, { forUpdate: true });
    if (!open) return null;
    await tx.field.endDuty(open.id, now);
    await tx.field.setOnDuty({ resource_id: resourceId, kind, user_id: actor.userId, unit_id: open.unit_id, label: actor.name, on_duty: 0, duty_since: null, updated_at: now });
    await tx.outbox.append({
      topic: 'resource.duty_ended', caseId: null, unitIds: actor.unitIds, regionIds: actor.regionIds, at: now,
      payload: { userIds: [actor.userId], resourceId, kind, sessionId: open.id, startedAt: open.started_at, at: now },
    });
    return open;
  });
  if (ended) {
    state.setDuty({ resource_id: resourceId, kind, user_id: actor.userId, unit_id: ended.unit_id, label: actor.name, on_duty: 0, duty_since: null, updated_at: now });
  }
  return { resourceId, kind, onDuty: false, since: null, sessionId: null };
}

/** The caller's own duty state. */
export async function dutyStatus(ctx: AppContext, actor: DutyActor): Promise<DutyStatus & { lastFix: { lon: number; lat: number; at: number } | null }> {
  const kind = personKindOf(actor.roles);
  const resourceId = personResourceId(actor.userId);
  const open = await ctx.store.field.openDuty(actor.userId);
  const live = (await fieldStateOf(ctx)).all.get(resourceId);
  return {
    resourceId, kind: kind ?? 'inspector', onDuty: !!open, since: open?.started_at ?? null, sessionId: open?.id ?? null,
    lastFix: live && live.at !== null ? { lon: live.lon, lat: live.lat, at: live.at } : null,
  };
}

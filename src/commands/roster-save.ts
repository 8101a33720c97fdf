/**
 * Roster entries (值班表): create, change, delete. One transaction each with a `roster.changed` outbox row. An entry
 * must name a known person, a known unit and/or centre region inside the editor's scope, a role, and a start before
 * its end; it may not overlap another entry of the same person (409 naming startAt).
 */
import { DomainError, notFound, invalidAs } from '../domain/errors.ts';
import { assertNoOverlap, validateRosterEntry, type RosterEntry, type RosterEntryInput } from '../domain/field/index.ts';
import type { Role } from '../domain/policy/permissions.ts';
import { isAdmin, type Actor } from '../domain/policy/scope.ts';
import type { AppContext } from '../runtime/context.ts';
import type { Repositories } from '../storage/store.ts';
import type { RosterRow } from '../storage/repositories/roster.repository.ts';
import { pathOfRegion } from './field-query.ts';

export const rosterEntryOf = (r: RosterRow): RosterEntry => ({
  id: r.id, userId: r.user_id, unitId: r.unit_id, regionId: r.region_id, dutyRole: r.duty_role as Role,
  startAt: r.start_at, endAt: r.end_at, note: r.note,
});

/** May the actor manage entries of this unit / centre region? Admins anywhere; others inside their units and regions. */
export function canManageRoster(ctx: AppContext, actor: Actor, e: { unitId: string | null; regionId: string | null }): boolean {
  if (isAdmin(actor)) return true;
  const ref = ctx.ref.current();
  if (e.unitId && actor.unitIds.includes(e.unitId)) return true;
  if (e.unitId) {
    const unitRegion = ref.units.get(e.unitId)?.regionId ?? null;
    if (unitRegion && pathOfRegion(ref, unitRegion).some((r) => actor.regionIds.includes(r))) return true;
  }
  return !!e.regionId && pathOfRegion(ref, e.regionId).some((r) => actor.regionIds.includes(r));
}

async function check(ctx: AppContext, tx: Repositories, actor: Actor, e: RosterEntryInput, excludeId?: number): Promise<void> {
  validateRosterEntry(e);
  const ref = ctx.ref.current();
  if (e.unitId && !ref.units.has(e.unitId)) throw invalidAs('unitId', { key: 'field.unknown_unit', params: { unitId: String(e.unitId) } }, `unknown unit "${e.unitId}"`);
  if (e.regionId && !ref.regions.has(e.regionId)) throw invalidAs('regionId', { key: 'field.unknown_region_2', params: { regionId: String(e.regionId) } }, `unknown region "${e.regionId}"`);
  const user = await tx.auth.findUserById(e.userId);
  if (!user || !user.active) throw invalidAs('userId', { key: 'roster-save.unknown_or_inactive_user', params: { userId: String(e.userId) } }, `unknown or inactive user "${e.userId}"`);
  if (!canManageRoster(ctx, actor, { unitId: e.unitId ?? null, regionId: e.regionId ?? null })) {
    throw new DomainError('FORBIDDEN', `${e.unitId ? 'unitId' : 'regionId'}: outside the units and regions you manage`, { field: e.unitId ? 'unitId' : 'regionId' });
  }
  const others = (await tx.rosters.userEntriesOverlapping(e.userId, e.startAt, e.endAt)).filter((o) => o.id !== excludeId).map(rosterEntryOf);
  assertNoOverlap(e, others);
}

function changed(action: 'created' | 'updated' | 'deleted', entry: RosterEntry, actorId: string, at: number, before?: RosterEntry) {
  const units = new Set([entry.unitId, before?.unitId].filter((u): u is string => !!u));
  const regions = new Set([entry.regionId, before?.regionId].filter((r): r is string => !!r));
  return {
    topic: 'roster.changed', caseId: null, unitIds: [...units], regionIds: [...regions], at,
    payload: {
      action, rosterId: entry.id, userIds: [...new Set([entry.userId, before?.userId].filter((u): u is string => !!u))],
      dutyRole: entry.dutyRole, startAt: entry.startAt, endAt: entry.endAt, by: actorId,
      ...(before ? { before: { userId: before.userId, startAt: before.startAt, endAt: before.endAt } } : {}),
    },
  };
}

export async function createRosterEntry(ctx: AppContext, actor: Actor, input: RosterEntryInput): Promise<RosterEntry> {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    await check(ctx, tx, actor, input);
    const row: Omit<RosterRow, 'id'> = {
      user_id: input.userId, unit_id: input.unitId ?? null, region_id: input.regionId ?? null, duty_role: input.dutyRole,
      start_at: input.startAt, end_at: input.endAt, note: input.note ?? null, created_by: actor.userId, created_at: now, updated_at: now,
    };
    const id = await tx.rosters.insertRoster(row);
    const entry = rosterEntryOf({ ...row, id });
    await tx.outbox.append(changed('created', entry, actor.userId, now));
    return entry;
  });
}

export async function updateRosterEntry(ctx: AppContext, actor: Actor, id: number, patch: Partial<RosterEntryInput>): Promise<RosterEntry> {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const cur = await tx.rosters.findRoster(id, { forUpdate: true });
    if (!cur || !canManageRoster(ctx, actor, { unitId: cur.unit_id, regionId: cur.region_id })) throw notFound('roster entry', id);
    const before = rosterEntryOf(cur);
    const next: RosterEntryInput = {
      userId: patch.userId ?? before.userId,
      unitId: patch.unitId !== undefined ? patch.unitId : before.unitId,
      regionId: patch.regionId !== undefined ? patch.regionId : before.regionId,
      dutyRole: patch.dutyRole ?? before.dutyRole,
      startAt: patch.startAt ?? before.startAt,
      endAt: patch.endAt ?? before.endAt,
      note: patch.note !== undefined ? patch.note : before.note,
    };
    await check(ctx, tx, actor, next, id);
    await tx.rosters.updateRoster(id, {
      user_id: next.userId, unit_id: next.unitId ?? null, region_id: next.regionId ?? null, duty_role: next.dutyRole,
      start_at: next.startAt, end_at: next.endAt, note: next.note ?? null, updated_at: now,
    });
    const entry: RosterEntry = { ...before, ...next, unitId: next.unitId ?? null, regionId: next.regionId ?? null, note: next.note ?? null, dutyRole: next.dutyRole as Role, id };
    await tx.outbox.append(changed('updated', entry, actor.userId, now, before));
    return entry;
  });
}

export async function deleteRosterEntry(ctx: AppContext, actor: Actor, id: number): Promise<void> {
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    const cur = await tx.rosters.findRoster(id, { forUpdate: true });
    if (!cur || !canManageRoster(ctx, actor, { unitId: cur.unit_id, regionId: cur.region_id })) throw notFound('roster entry', id);
    await tx.rosters.deleteRoster(id);
    await tx.outbox.append(changed('deleted', rosterEntryOf(cur), actor.userId, now));
  });
}

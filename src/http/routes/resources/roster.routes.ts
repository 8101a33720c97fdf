/**
 * Rosters (值班表, issue 9 §4): who is on duty when, per centre and unit. CRUD with validation (end after start,
 * overlaps of one person's entries → 409 naming startAt), each change one transaction with a `roster.changed` event.
 * GET /api/v1/rosters/on-duty answers "who is on duty now here" for other parts (emergencies, handover).
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { invalidAs } from '../../../domain/errors.ts';
import { DAY_MS } from '../../../domain/deadline/local-date.ts';
import { hasPermission, ROLES } from '../../../domain/policy/permissions.ts';
import { isAdmin, type Actor } from '../../../domain/policy/scope.ts';
import type { RosterEntry } from '../../../domain/field/index.ts';
import { canManageRoster, createRosterEntry, deleteRosterEntry, rosterEntryOf, updateRosterEntry } from '../../../commands/roster-save.ts';
import { localDayRange, localToday, pathOfRegion } from '../../../commands/field-query.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { maskName } from '../cases/case.presenter.ts';
import { regionRef } from '../reference/reference.presenter.ts';
import { iso } from './resource.presenter.ts';
import { OnDutyQuery, PeopleQuery, RosterBody, RosterDto, RosterListQuery, RosterPatch } from './resource.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const IdParam = Type.Object({ id: Type.String({ pattern: '^\\d{1,12}$', description: 'Roster entry id' }) });

const timeOf = (v: string | undefined, field: string): number | undefined => {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (!Number.isFinite(t)) throw invalidAs(field, { key: 'field.time' }, 'must be a time');
  return t;
};

export async function rosterRoutes(app: App, ctx: AppContext): Promise<void> {
  const present = async (p: Actor, entries: RosterEntry[]) => {
    const ref = ctx.ref.current();
    const users = new Map((await ctx.store.field.usersByIds([...new Set(entries.map((e) => e.userId))])).map((u) => [u.id, u]));
    const now = ctx.clock.now();
    const full = hasPermission(p.roles, 'personal_data.read') || hasPermission(p.roles, 'roster.edit');
    return entries.map((e) => {
      const name = users.get(e.userId)?.displayName ?? e.userId;
      const show = full || e.userId === p.userId || (!!e.unitId && p.unitIds.includes(e.unitId));
      const role = ROLES.find((r) => r.role === e.dutyRole);
      return {
        id: e.id, user: { id: e.userId, name: show ? name : maskName(name) ?? '*', masked: !show },
        unit: e.unitId ? { id: e.unitId, name: ref.units.get(e.unitId)?.name ?? e.unitId } : null,
        region: regionRef(ref, e.regionId),
        dutyRole: e.dutyRole, dutyRoleLabel: { zh: role?.zh ?? e.dutyRole, en: role?.en ?? e.dutyRole },
        startAt: iso(e.startAt)!, endAt: iso(e.endAt)!, note: e.note,
        onDutyNow: e.startAt <= now && now < e.endAt,
        canEdit: hasPermission(p.roles, 'roster.edit') && canManageRoster(ctx, p, e),
      };
    });
  };

  app.get('/api/v1/rosters', {
    config: { permission: 'resource.read' },
    schema: {
      tags: ['rosters'], summary: 'Roster entries overlapping a period (default: this week from today), in my scope',
      querystring: RosterListQuery, response: { 200: Type.Object({ items: Type.Array(RosterDto), from: Type.String(), to: Type.String() }), ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const q = req.query;
    const from = timeOf(q.from, 'from') ?? localDayRange(ctx, localToday(ctx)).from;
    const to = timeOf(q.to, 'to') ?? from + 7 * DAY_MS;
    if (to <= from) throw invalidAs('to', { key: 'field.after_from' }, 'must be after from');
    if (to - from > 62 * DAY_MS) throw invalidAs('to', { key: 'roster.roster_view_spans_at_most' }, 'a roster view spans at most 62 days');
    const ref = ctx.ref.current();
    if (q.unitId && !ref.units.has(q.unitId)) throw invalidAs('unitId', { key: 'field.unknown_unit', params: { unitId: String(q.unitId) } }, `unknown unit "${q.unitId}"`);
    if (q.regionId && !ref.regions.has(q.regionId)) throw invalidAs('regionId', { key: 'field.unknown_region_2', params: { regionId: String(q.regionId) } }, `unknown region "${q.regionId}"`);
    let unitIds: string[] | undefined;
    let regionIds: string[] | undefined;
    if (q.unitId || q.regionId) {
      unitIds = q.unitId ? [q.unitId] : [];
      regionIds = q.regionId ? [q.regionId] : [];
    }
    const rows = await ctx.store.rosters.listRosters({ from, to, userId: q.userId, unitIds, regionIds, limit: 2000 });
    // Scope: administrators all; others the entries of their units and of the centres in their regions (or their own).
    const visible = rows.map(rosterEntryOf).filter((e) => isAdmin(p) || e.userId === p.userId || canManageRoster(ctx, { ...p, roles: p.roles }, e));
    return { items: await present(p, visible), from: iso(from)!, to: iso(to)! };
  });

  app.get('/api/v1/rosters/on-duty', {
    config: { permission: 'resource.read' },
    schema: {
      tags: ['rosters'], summary: 'Who is on duty at an instant for a region (its centres from the city down) or a unit: rosters and field sessions',
      querystring: OnDutyQuery,
      response: {
        200: Type.Object({
          at: Type.String(),
          items: Type.Array(Type.Object({ userId: Type.String(), name: Type.String(), masked: Type.Boolean(), dutyRoles: Type.Array(Type.String()) })),
        }),
        ...ERRORS,
      },
    },
  }, async (req) => {
    const p = principalOf(req);
    const at = timeOf(req.query.at, 'at') ?? ctx.clock.now();
    const ref = ctx.ref.current();
    if (req.query.regionId && !ref.regions.has(req.query.regionId)) throw invalidAs('regionId', { key: 'field.unknown_region_2', params: { regionId: String(req.query.regionId) } }, `unknown region "${req.query.regionId}"`);
    if (req.query.unitId && !ref.units.has(req.query.unitId)) throw invalidAs('unitId', { key: 'field.unknown_unit', params: { unitId: String(req.query.unitId) } }, `unknown unit "${req.query.unitId}"`);
    const regionIds = req.query.regionId ? pathOfRegion(ref, req.query.regionId) : isAdmin(p) ? [...ref.regions.keys()] : p.regionIds;
    const unitIds = req.query.unitId ? [req.query.unitId] : req.query.regionId ? [] : p.unitIds;
    const who = await ctx.store.field.onDutyIn(regionIds, at, unitIds);
    const users = new Map((await ctx.store.field.usersByIds(who.map((w) => w.userId))).map((u) => [u.id, u]));
    const full = hasPermission(p.roles, 'personal_data.read') || hasPermission(p.roles, 'roster.edit');
    return {
      at: iso(at)!,
      items: who.map((w) => {
        const name = users.get(w.userId)?.displayName ?? w.userId;
        const show = full || w.userId === p.userId;
        return { userId: w.userId, name: show ? name : maskName(name) ?? '*', masked: !show, dutyRoles: w.dutyRoles };
      }),
    };
  });

  app.get('/api/v1/rosters/people', {
    config: { permission: 'roster.edit' },
    schema: {
      tags: ['rosters'], summary: 'People I may put on the roster (my units and regions), for the roster editor',
      querystring: PeopleQuery,
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), username: Type.String(), roles: Type.Array(Type.String()) })) }), ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const ref = ctx.ref.current();
    const q = (req.query.q ?? '').trim();
    const all = await ctx.store.auth.listUsers();
    const mine = all.filter((u) => u.active && (isAdmin(p)
      || u.unitIds.some((x) => p.unitIds.includes(x))
      || u.regionIds.some((r) => pathOfRegion(ref, r).some((x) => p.regionIds.includes(x)))))
      .filter((u) => !q || u.displayName.includes(q) || u.username.includes(q)).slice(0, 200);
    return { items: mine.map((u) => ({ id: u.id, name: u.displayName, username: u.username, roles: u.roles })) };
  });

  app.post('/api/v1/rosters', {
    config: { permission: 'roster.edit' },
    schema: {
      tags: ['rosters'], summary: 'Put a person on the roster (值班表)',
      description: '400 naming the field (endAt before startAt, unknown userId / unitId / regionId, longer than 26 h); 409 naming startAt when it '
        + 'overlaps another entry of the same person; 403 outside my units and regions. Emits roster.changed.',
      body: RosterBody, response: { 201: RosterDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const b = req.body;
    const entry = await createRosterEntry(ctx, p, {
      userId: b.userId, unitId: b.unitId ?? null, regionId: b.regionId ?? null, dutyRole: b.dutyRole as string,
      startAt: timeOf(b.startAt, 'startAt')!, endAt: timeOf(b.endAt, 'endAt')!, note: b.note ?? null,
    });
    return reply.status(201).send((await present(p, [entry]))[0]);
  });

  app.patch('/api/v1/rosters/:id', {
    config: { permission: 'roster.edit' },
    schema: { tags: ['rosters'], summary: 'Change a roster entry (same checks as creating one)', params: IdParam, body: RosterPatch, response: { 200: RosterDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const b = req.body;
    const entry = await updateRosterEntry(ctx, p, Number(req.params.id), {
      ...(b.userId !== undefined ? { userId: b.userId } : {}),
      ...(b.unitId !== undefined ? { unitId: b.unitId } : {}),
      ...(b.regionId !== undefined ? { regionId: b.regionId } : {}),
      ...(b.dutyRole !== undefined ? { dutyRole: b.dutyRole as string } : {}),
      ...(b.startAt !== undefined ? { startAt: timeOf(b.startAt, 'startAt') } : {}),
      ...(b.endAt !== undefined ? { endAt: timeOf(b.endAt, 'endAt') } : {}),
      ...(b.note !== undefined ? { note: b.note } : {}),
    });
    return (await present(p, [entry]))[0];
  });

  app.delete('/api/v1/rosters/:id', {
    config: { permission: 'roster.edit' },
    schema: { tags: ['rosters'], summary: 'Delete a roster entry', params: IdParam, response: { 204: Type.Null(), ...ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    await deleteRosterEntry(ctx, p, Number(req.params.id));
    return reply.status(204).send(null);
  });
}

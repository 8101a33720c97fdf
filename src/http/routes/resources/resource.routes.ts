/**
 * Field resources (issue 9 §4): on-duty toggle and positions from the phone view, batches from vehicles' systems,
 * the map layer, the nearest available people to a case, tracks and grid coverage. Positions are not on the event
 * stream (too many): the map polls GET /api/v1/resources every `pollMs`.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { DomainError, notFound, invalidAs } from '../../../domain/errors.ts';
import { actingPeople, RESOURCE_KINDS, type ResourceKind } from '../../../domain/field/index.ts';
import { holdingUnits } from '../../../storage/repositories/outbox.repository.ts';
import { endDuty, dutyStatus, startDuty } from '../../../commands/field-duty.ts';
import { ingestPositions, type PositionItem } from '../../../commands/field-positions.ts';
import { canSeeResource, gridCoverage, listResources, localDayRange, localToday, nearestAvailable } from '../../../commands/field-query.ts';
import { fieldStateOf } from '../../../runtime/field-state.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { loadVisibleCase } from '../cases/case.load.ts';
import { iso, presentResource, seesName } from './resource.presenter.ts';
import { maskName } from '../cases/case.presenter.ts';
import {
  CoverageDto, CoverageQuery, DutyBody, DutyDto, IngestReportDto, NearestDto, NearestQuery, PositionBatchBody, PositionBody, ResourceListDto,
  ResourceListQuery, TrackDto, TrackQuery,
} from './resource.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const POLL_MS = 5000;

function parseKinds(raw: string | undefined, field = 'kinds'): ResourceKind[] | undefined {
  if (!raw) return undefined;
  const kinds = raw.split(',');
  for (const k of kinds) if (!(RESOURCE_KINDS as readonly string[]).includes(k)) throw invalidAs(field, { key: 'resource.unknown_kind', params: { k: String(k), allowed: RESOURCE_KINDS.join(', ') } }, `unknown kind "${k}" (${RESOURCE_KINDS.join(', ')})`);
  return kinds as ResourceKind[];
}

const timeOf = (v: number | string, field: string): number => {
  const t = typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isFinite(t)) throw invalidAs(field, { key: 'field.time' }, 'must be a time');
  return t;
};

export async function resourceRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/resources/duty', {
    config: { permission: 'resource.report' },
    schema: { tags: ['resources'], summary: 'My on-duty state (上岗 / 下岗) and last position', response: { 200: DutyDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const s = await dutyStatus(ctx, p);
    const state = await fieldStateOf(ctx);
    return { ...s, since: iso(s.since), lastFix: s.lastFix ? { ...s.lastFix, at: iso(s.lastFix.at)! } : null, freshMs: state.limits.freshMs };
  });

  app.post('/api/v1/resources/duty', {
    config: { permission: 'resource.report' },
    schema: {
      tags: ['resources'], summary: 'Go on duty (上岗: start sharing my position) or off duty (下岗: stop)',
      description: 'Consent is this toggle: positions are accepted only while on duty. Emits resource.duty_started / resource.duty_ended. '
        + 'Repeating is harmless. Only inspectors, grid members and unit handlers (403 naming roles otherwise).',
      body: DutyBody, response: { 200: DutyDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    if (p.kind !== 'user') throw new DomainError('FORBIDDEN', 'authorization: only a signed-in person goes on duty', { field: 'authorization' });
    const s = req.body.onDuty ? await startDuty(ctx, p) : await endDuty(ctx, p);
    return { ...s, since: iso(s.since) };
  });

  app.post('/api/v1/resources/me/position', {
    config: { permission: 'resource.report' },
    schema: {
      tags: ['resources'], summary: 'My current position (phone view, while on duty)',
      description: '400 naming the field for a position far outside the city, an impossible jump from the last one, or a time in the future; '
        + '409 (field onDuty) when not on duty.',
      body: PositionBody, response: { 200: IngestReportDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    if (p.kind !== 'user') throw new DomainError('FORBIDDEN', 'authorization: vehicles post to /api/v1/resources/positions', { field: 'authorization' });
    const b = req.body;
    return ingestPositions(ctx, { kind: 'person', userId: p.userId },
      [{ lon: b.lon, lat: b.lat, at: timeOf(b.at, 'at'), accuracyM: b.accuracyM ?? null }], { coordSystem: b.coordSystem, single: true });
  });

  app.post('/api/v1/resources/positions', {
    config: { permission: 'resource.report' },
    schema: {
      tags: ['resources'], summary: 'A batch of positions: a phone catching up, or a vehicle system (API key) reporting its fleet',
      description: 'With an API key each item names its vehicleId (the vehicle belongs to the key\'s first unit); signed-in people post '
        + 'their own fixes only. Each bad item is reported with its field (items[i].lon, items[i].at …) and the good ones are kept (200); '
        + 'when none is good, 400 naming the first bad field with details.rejected.',
      body: PositionBatchBody, response: { 200: IngestReportDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const items: PositionItem[] = req.body.items.map((it) => ({
      vehicleId: it.vehicleId, lon: it.lon, lat: it.lat, at: typeof it.at === 'number' ? it.at : Date.parse(it.at), accuracyM: it.accuracyM ?? null,
    }));
    const source = p.kind === 'api_key' ? { kind: 'vehicles' as const, unitId: p.unitIds[0] ?? null } : { kind: 'person' as const, userId: p.userId };
    const report = await ingestPositions(ctx, source, items, { coordSystem: req.body.coordSystem });
    if (report.accepted === 0 && report.rejected.length > 0) {
      const first = report.rejected[0];
      throw new DomainError('VALIDATION_FAILED', first.message, { field: first.field, details: { rejected: report.rejected } });
    }
    return report;
  });

  app.get('/api/v1/resources', {
    config: { permission: 'resource.read' },
    schema: {
      tags: ['resources'], summary: 'Field resources on duty in my scope, with their latest position (the map layer)',
      description: 'Poll every pollMs for a live map: positions are too many for the event stream.',
      querystring: ResourceListQuery, response: { 200: ResourceListDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const bbox = req.query.bbox ? req.query.bbox.split(',').map(Number) as [number, number, number, number] : undefined;
    if (bbox && (bbox.some((n) => !Number.isFinite(n)) || bbox[0] > bbox[2] || bbox[1] > bbox[3])) throw invalidAs('bbox', { key: 'resource.minlon_minlat_maxlon_maxlat' }, 'must be minLon,minLat,maxLon,maxLat');
    const list = await listResources(ctx, p, { kinds: parseKinds(req.query.kinds), bbox, limit: req.query.limit ?? 5000 });
    const ref = ctx.ref.current();
    const now = ctx.clock.now();
    return { items: list.items.map((r) => presentResource(ref, p, r, now, list.freshMs)), total: list.total, freshMs: list.freshMs, pollMs: POLL_MS };
  });

  app.get('/api/v1/resources/nearest', {
    config: { permission: 'resource.read' },
    schema: {
      tags: ['resources'], summary: 'The nearest available people to a case or a point: on duty, of a kind that can act, position fresh',
      description: 'Nearest first, with distance and current load (open cases they hold). Give caseId, or lon and lat. For a case, the kinds default '
        + 'to those who can act in its state: inspectors and grid members before dispatch and at the check; the holding units\' field staff '
        + 'and grid members while it is handled.',
      querystring: NearestQuery, response: { 200: NearestDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const started = performance.now();
    const p = principalOf(req);
    const q = req.query;
    let point: { lon: number; lat: number };
    let kinds: readonly ResourceKind[] | undefined = parseKinds(q.kinds);
    let unitHandlersOf: readonly string[] | undefined;
    if (q.caseId) {
      const row = await loadVisibleCase(ctx, p, q.caseId);
      if (row.lon === null || row.lat === null) throw invalidAs('caseId', { key: 'resource.case_has_no_location_yet' }, 'the case has no location yet');
      point = { lon: Number(row.lon), lat: Number(row.lat) };
      // Who can act on the case in its state: inspectors and grid members before dispatch and at the check; the holding
      // units' field staff (and grid members) while it is handled.
      const acting = actingPeople(row.state, holdingUnits(row));
      unitHandlersOf = acting.unitHandlersOf;
      kinds ??= acting.kinds;
    } else if (q.lon !== undefined && q.lat !== undefined) {
      point = { lon: q.lon, lat: q.lat };
    } else throw invalidAs(q.lon === undefined ? 'lon' : 'lat', { key: 'resource.give_caseid_or_lon_and' }, 'give caseId, or lon and lat');
    const found = await nearestAvailable(ctx, p, point, { kinds, unitHandlersOf, limit: q.limit ?? 10, maxDistanceM: q.maxDistanceM });
    const ref = ctx.ref.current();
    const now = ctx.clock.now();
    // The query's own time (search + load), apart from the HTTP round trip: the bench reads it.
    void reply.header('server-timing', `nearest;dur=${(performance.now() - started).toFixed(2)}`);
    return {
      point, freshMs: found.freshMs, kinds: [...(kinds ?? ['inspector', 'grid_member', 'unit_handler'])],
      items: found.items.map((h) => ({ resource: presentResource(ref, p, h.resource, now, found.freshMs), distanceM: h.distanceM, ageS: Math.round(h.ageMs / 1000), openCases: h.openCases })),
    };
  });

  app.get('/api/v1/resources/:resourceId/track', {
    config: { permission: 'resource.read' },
    schema: {
      tags: ['resources'], summary: 'One resource\'s track (patrol path) between two instants (default: today)',
      params: Type.Object({ resourceId: Type.String({ maxLength: 80, pattern: '^(user|vehicle):.+$', description: 'user:<id> or vehicle:<code>' }) }),
      querystring: TrackQuery, response: { 200: TrackDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const state = await fieldStateOf(ctx);
    const live = state.all.get(req.params.resourceId);
    if (!live || !canSeeResource(ctx.ref.current(), p, live)) throw notFound('resource', req.params.resourceId);
    const day = localDayRange(ctx, localToday(ctx));
    const from = req.query.from ? Date.parse(req.query.from) : day.from;
    const to = req.query.to ? Date.parse(req.query.to) : day.to;
    if (to <= from) throw invalidAs('to', { key: 'field.after_from' }, 'must be after from');
    const points = await ctx.store.field.trackOf(live.resourceId, from, to, req.query.limit ?? 5000);
    return { resourceId: live.resourceId, points: points.map((x) => ({ lon: x.lon, lat: x.lat, at: iso(x.at)!, gridId: x.gridId })) };
  });

  app.get('/api/v1/resources/coverage', {
    config: { permission: 'resource.read' },
    schema: {
      tags: ['resources'], summary: 'Grid coverage of a day or a shift: grids each member visited, grids nobody visited',
      querystring: CoverageQuery, response: { 200: CoverageDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const q = req.query;
    let range: { from: number; to: number };
    if (q.from || q.to) {
      if (!q.from) throw invalidAs('from', { key: 'resource.give_from_with' }, 'give from with to');
      if (!q.to) throw invalidAs('to', { key: 'resource.give_with_from' }, 'give to with from');
      range = { from: Date.parse(q.from), to: Date.parse(q.to) };
    } else range = localDayRange(ctx, q.date ?? localToday(ctx));
    const cov = await gridCoverage(ctx, p, { ...range, regionId: q.regionId });
    const state = await fieldStateOf(ctx);
    return {
      ...cov, from: iso(cov.from)!, to: iso(cov.to)!,
      byResource: cov.byResource.map((b) => {
        const live = state.all.get(b.resourceId);
        const show = seesName(p, { userId: b.userId, unitId: live?.unitId ?? null, kind: b.kind ?? 'inspector' });
        return { ...b, label: show ? b.label : maskName(b.label) ?? '*', masked: !show,
          grids: b.grids.map((g) => ({ ...g, firstAt: iso(g.firstAt)!, lastAt: iso(g.lastAt)! })) };
      }),
    };
  });
}

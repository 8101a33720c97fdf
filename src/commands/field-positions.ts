/**
 * ingestPositions: field positions from a person's phone (only their own, only while on duty) or from vehicles'
 * systems (an API key, a batch of many vehicles). Each fix is checked (inside the city, not in the future, not an
 * impossible jump for its kind: src/domain/field/positions.ts); the good ones are kept and the bad ones reported per
 * item with the field named. Positions are too many for the outbox: they go to the track and the latest-position
 * table in batches (runtime/field-state.ts), and the console's map polls GET /api/v1/resources.
 */
import { DomainError } from '../domain/errors.ts';
import { checkPosition, type PositionFix, type ResourceKind } from '../domain/field/index.ts';
import { toWgs84, type CoordSystem } from '../domain/grid/index.ts';
import type { AppContext } from '../runtime/context.ts';
import { fieldStateOf, type LiveResource } from '../runtime/field-state.ts';
import type { LatestRow, TrackInsert } from '../storage/repositories/field.repository.ts';
import { personResourceId } from './field-duty.ts';

export interface PositionItem extends PositionFix {
  /** Vehicles only: the vehicle's code or plate (person fixes are always the caller's own). */
  vehicleId?: string;
}

export type PositionSource =
  | { kind: 'person'; userId: string }
  | { kind: 'vehicles'; unitId: string | null };

export interface IngestReport {
  accepted: number;
  rejected: { index: number; field: string; message: string; key?: string; params?: Record<string, string | number> }[];
}

export const vehicleResourceId = (code: string): string => `vehicle:${code}`;

export async function ingestPositions(
  ctx: AppContext, source: PositionSource, items: PositionItem[], opts: { coordSystem?: CoordSystem; single?: boolean } = {},
): Promise<IngestReport> {
  const state = await fieldStateOf(ctx);
  const now = ctx.clock.now();
  let person: LiveResource | undefined;
  if (source.kind === 'person') {
    person = state.all.get(personResourceId(source.userId));
    if (!person || !person.onDuty) {
      throw new DomainError('CONFLICT', 'onDuty: positions are shared only while on duty — go on duty (上岗) first', { field: 'onDuty' });
    }
  }
  // Oldest first per resource, so each fix is checked against the one before it.
  const order = items.map((it, index) => ({ it, index })).sort((a, b) => a.it.at - b.it.at);
  const rejected: IngestReport['rejected'] = [];
  const track: TrackInsert[] = [];
  const latest = new Map<string, LatestRow>();
  const last = new Map<string, { lon: number; lat: number; at: number }>();
  for (const { it, index } of order) {
    const prefix = opts.single ? '' : `items[${index}]`;
    let resourceId: string;
    let kind: ResourceKind;
    let cur: LiveResource | undefined;
    if (source.kind === 'person') {
      resourceId = person!.resourceId;
      kind = person!.kind;
      cur = person;
    } else {
      const code = typeof it.vehicleId === 'string' ? it.vehicleId.trim() : '';
      if (!/^[\p{L}\p{N}_.-]{1,40}$/u.test(code)) {
        rejected.push({ index, field: `${prefix}.vehicleId`, key: 'field-positions.vehicle_code', params: { field: `${prefix}.vehicleId` }, message: `${prefix}.vehicleId: a vehicle code or plate of 1–40 letters, digits, "_", "." or "-"` });
        continue;
      }
      resourceId = vehicleResourceId(code);
      kind = 'vehicle';
      cur = state.all.get(resourceId);
    }
    let lon = it.lon;
    let lat = it.lat;
    if (opts.coordSystem && opts.coordSystem !== 'wgs84' && Number.isFinite(lon) && Number.isFinite(lat)) [lon, lat] = toWgs84(lon, lat, opts.coordSystem);
    const prev = last.get(resourceId) ?? (cur && cur.at !== null ? { lon: cur.lon, lat: cur.lat, at: cur.at } : null);
    const problem = checkPosition({ lon, lat, at: it.at }, kind, prev, state.bounds, state.limits, now, prefix);
    if (problem) {
      rejected.push({ index, field: problem.field, message: problem.message, key: problem.key, params: problem.params });
      continue;
    }
    const located = ctx.ref.locate(lon, lat);
    track.push({ resource_id: resourceId, at: it.at, lon, lat, accuracy_m: it.accuracyM ?? null, grid_id: located?.gridId ?? null });
    if (!prev || it.at >= prev.at) {
      last.set(resourceId, { lon, lat, at: it.at });
      latest.set(resourceId, {
        resource_id: resourceId, kind, user_id: cur?.userId ?? null, unit_id: cur?.unitId ?? (source.kind === 'vehicles' ? source.unitId : null),
        label: cur?.label ?? resourceId.slice(resourceId.indexOf(':') + 1),
        on_duty: source.kind === 'vehicles' ? 1 : 1, duty_since: cur?.dutySince ?? (source.kind === 'vehicles' ? now : null),
        lon, lat, at: it.at, grid_id: located?.gridId ?? null, community_id: located?.communityId ?? null,
        street_id: located?.streetId ?? null, district_id: located?.districtId ?? null, updated_at: now,
      });
    }
  }
  if (opts.single && rejected.length > 0) {
    const r = rejected[0];
    throw new DomainError('VALIDATION_FAILED', r.message, { field: r.field, key: r.key ?? 'field.invalid', params: { field: r.field, ...r.params } });
  }
  if (track.length > 0) await state.write(track, [...latest.values()]);
  rejected.sort((a, b) => a.index - b.index);
  return { accepted: track.length, rejected };
}

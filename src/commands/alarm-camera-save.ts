/**
 * The camera registry (issue 11 part 5): a camera's position, direction and stream URL on the city's own video
 * platform. Saving one is a create-or-replace with a config event; `nearestCameras` answers the cameras that see a
 * case's place (the case page's panel).
 */
import { invalidAs } from '../domain/errors.ts';
import { validateLonLat } from '../domain/grid/index.ts';
import { haversineMeters, radiusBox } from '../domain/duplicates/duplicates.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';
import type { CameraRow } from '../storage/repositories/camera.repository.ts';

export interface CameraInput { name: string; lon: number; lat: number; direction?: number | null; streamUrl?: string | null }

export const CAMERA_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

export async function saveCamera(ctx: AppContext, id: string, input: CameraInput, actorId: string | null): Promise<CameraRow> {
  if (!CAMERA_ID_RE.test(id)) throw invalidAs('id', { key: 'alarm-camera-save.letters_digits_at_most_100' }, 'must be letters, digits, _ . : - (at most 100)');
  const name = input.name.trim();
  if (!name) throw invalidAs('name', { key: 'field.not_blank' }, 'must not be blank');
  validateLonLat(input.lon, input.lat, 'lon');
  if (input.direction !== undefined && input.direction !== null && !(input.direction >= 0 && input.direction < 360)) throw invalidAs('direction', { key: 'alarm-camera-save.degrees_from_0_359' }, 'must be degrees from 0 to 359');
  if (input.streamUrl && !/^(https?|rtsp|rtmp):\/\/\S{1,2000}$/.test(input.streamUrl)) throw invalidAs('streamUrl', { key: 'alarm-camera-save.http_s_rtsp_or_rtmp' }, 'must be an http(s), rtsp or rtmp URL of the city\'s video platform');
  const loc = ctx.ref.locate(input.lon, input.lat);
  const now = ctx.clock.now();
  const prior = await ctx.store.cameras.findCamera(id);
  const row = {
    id, name, lon: input.lon, lat: input.lat, direction: input.direction ?? null, stream_url: input.streamUrl ?? null,
    grid_id: loc?.gridId ?? null, street_id: loc?.streetId ?? null, district_id: loc?.districtId ?? null,
    created_at: prior ? Number(prior.created_at) : now, updated_at: now,
  };
  await ctx.store.transaction(async (tx) => {
    await tx.cameras.saveCamera(row);
    await tx.outbox.append(configEvent('camera.saved', { cameraId: id, actorId }, now));
  });
  return row;
}

/** Cameras within `radiusMeters` of a point, nearest first. */
export async function nearestCameras(ctx: AppContext, lon: number, lat: number, opts: { radiusMeters?: number; limit?: number } = {}) {
  const radius = opts.radiusMeters ?? 500;
  const rows = await ctx.store.cameras.camerasNear(radiusBox(lon, lat, radius), 500);
  return rows.map((c) => ({ camera: c, distanceMeters: Math.round(haversineMeters(lon, lat, Number(c.lon), Number(c.lat))) }))
    .filter((x) => x.distanceMeters <= radius).sort((a, b) => a.distanceMeters - b.distanceMeters).slice(0, opts.limit ?? 5);
}

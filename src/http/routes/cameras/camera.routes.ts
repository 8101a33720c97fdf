/** /api/v1/cameras — the camera registry — and /api/v1/cases/{id}/cameras, the cameras nearest a case (issue 11 part 5). */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { notFound } from '../../../domain/errors.ts';
import { canSeeCase } from '../../../domain/policy/visibility.ts';
import { nearestCameras, saveCamera } from '../../../commands/alarm-camera-save.ts';
import { caseFactsOf } from '../../../commands/case-transition.ts';
import type { CameraRow } from '../../../storage/repositories/camera.repository.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse, IdParam } from '../common.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const Nullable = (t: ReturnType<typeof Type.String> | ReturnType<typeof Type.Number>, d: string) => Type.Union([t, Type.Null()], { description: d });

const CameraDto = Type.Object({
  id: Type.String(), name: Type.String(), lon: Type.Number(), lat: Type.Number(),
  direction: Nullable(Type.Number(), 'Degrees from north, clockwise; null = all round'),
  streamUrl: Nullable(Type.String(), 'Stream on the city\'s own video platform'),
  gridId: Nullable(Type.String(), 'Grid'), streetId: Nullable(Type.String(), 'Street'),
});
const CameraBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }), lon: Type.Number(), lat: Type.Number(),
  direction: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'Degrees from north, clockwise' })),
  streamUrl: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()], { description: 'http(s), rtsp or rtmp URL' })),
});
const CameraList = Type.Object({ items: Type.Array(CameraDto), next: Nullable(Type.String(), 'Pass as afterId for the next page') });
const NearList = Type.Object({ items: Type.Array(Type.Object({ camera: CameraDto, distanceMeters: Type.Integer() })) });

const present = (c: CameraRow) => ({
  id: c.id, name: c.name, lon: Number(c.lon), lat: Number(c.lat), direction: c.direction === null ? null : Number(c.direction),
  streamUrl: c.stream_url, gridId: c.grid_id, streetId: c.street_id,
});

export async function cameraRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/cameras', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['cameras'], summary: 'The camera registry, by id',
      querystring: Type.Object({ afterId: Type.Optional(Type.String({ maxLength: 100 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }),
      response: { 200: CameraList, ...ERRORS },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 200;
    const rows = await ctx.store.cameras.listCameras({ limit, afterId: req.query.afterId });
    return { items: rows.map(present), next: rows.length === limit ? rows[rows.length - 1].id : null };
  });

  app.put('/api/v1/cameras/:id', {
    config: { permission: 'rule.manage' },
    schema: { tags: ['cameras'], summary: 'Registers or replaces a camera', params: IdParam, body: CameraBody, response: { 200: CameraDto, ...ERRORS } },
  }, async (req) => present(await saveCamera(ctx, req.params.id, req.body, principalOf(req).userId)));

  app.get('/api/v1/cases/:id/cameras', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['cameras'], summary: 'The cameras nearest a case (within 500 m, nearest first)',
      params: IdParam, response: { 200: NearList, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const c = /^\d{1,15}$/.test(req.params.id) ? await ctx.store.cases.findCase(Number(req.params.id)) : undefined;
    if (!c || !canSeeCase(p, caseFactsOf(c, ctx.ref))) throw notFound('case', req.params.id);
    if (c.lon === null || c.lat === null) return { items: [] };
    const near = await nearestCameras(ctx, Number(c.lon), Number(c.lat));
    return { items: near.map((n) => ({ camera: present(n.camera), distanceMeters: n.distanceMeters })) };
  });
}

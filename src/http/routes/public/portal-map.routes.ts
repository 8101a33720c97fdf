/**
 * The names on every map and the portal's address search (issue 8), both public: place names and points are no
 * personal data, and the portal has nobody signed in.
 *
 * - GET /public/map-labels.geojson: districts, streets/towns, communities/villages (a point inside each, with the
 *   region's own kind: 镇 is a town, not a 街道), roads (centre lines), landmarks and compounds — drawn by
 *   MapView.tsx as MapLibre symbol layers. ETag on the reference version; built once per version.
 * - GET /public/geocode: the seat's geocoder (same gazetteer, same candidates), answered with names, points and
 *   the street only; a candidate not matched as written is flagged `approximate` so the citizen confirms it.
 *   120 look-ups per client address per 5 minutes (in-process, like the report limiter).
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { DomainError } from '../../../domain/errors.ts';
import { FailureLimiter } from '../../../security/rate-limiter.ts';
import { gazetteerOf } from '../../../runtime/gazetteer-cache.ts';
import { mapLabelsOf } from '../../../runtime/map-labels-cache.ts';
import { ErrorResponse } from '../common.schema.ts';

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const MapLabelsDto = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    geometry: Type.Unknown({ description: 'GeoJSON Point (regions, landmarks, compounds) or MultiLineString (roads), WGS84' }),
    properties: Type.Object({
      id: Type.String(), name: Type.String(),
      kind: Type.String({ description: 'district | county | subdistrict (街道) | town (镇) | township (乡) | community | village (村) | road | landmark | compound' }),
      rank: Type.Integer({ description: 'Placement order within the kind, 0 first: main roads, hospitals, stations …' }),
      level: Type.Optional(Type.String({ description: 'Regions: district | street | community' })),
      category: Type.Optional(Type.String({ description: 'Landmarks and compounds: 学校, 医院, 地铁站, 住宅小区 …' })),
    }),
  })),
}, { description: 'The names a map shows, as GeoJSON' });

const PublicGeocodeQuery = Type.Object({
  q: Type.String({ minLength: 2, maxLength: 100, description: 'Address text: a road and number, a compound, a landmark, a street or town' }),
}, { additionalProperties: false });

const PublicGeocodeDto = Type.Object({
  outcome: Type.Union([Type.Literal('exact'), Type.Literal('ambiguous'), Type.Literal('approximate'), Type.Literal('none')], {
    description: 'As GET /api/v1/geocode: exact (one match as written), approximate (one match by a variant, a tolerant match or a road only), ambiguous (choose), none',
  }),
  candidates: Type.Array(Type.Object({
    name: Type.String({ description: 'Gazetteer name, e.g. 江海路128号, 锦绣花园' }),
    address: Nullable(Type.String()),
    kind: Type.String({ description: 'house_number | road | compound | landmark | intersection | region' }),
    lon: Type.Number(), lat: Type.Number(),
    score: Type.Number({ minimum: 0, maximum: 1 }),
    method: Type.String({ description: 'exact | variant | fuzzy | interpolated | nearest | road | intersection | region' }),
    approximate: Type.Boolean({ description: 'Not found as written (another form, one character off, a number interpolated, a road or a region only): show it as such and let the citizen confirm' }),
    street: Nullable(Type.String({ description: 'The street or town the point lies in' })),
  }), { description: 'Best first, at most 5' }),
});

const limiters = new WeakMap<AppContext, FailureLimiter>();

export async function portalMapRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/public/map-labels.geojson', {
    config: { public: true },
    schema: {
      tags: ['portal'], summary: 'The names every map shows: regions with their own kind, roads, landmarks, compounds (public)',
      response: { 200: MapLabelsDto, 304: Type.Null({ description: 'Not modified (If-None-Match)' }) },
    },
  }, async (req, reply) => {
    const labels = await mapLabelsOf(ctx);
    const etag = `"labels-${labels.version}"`;
    reply.header('etag', etag).header('cache-control', 'public, max-age=60');
    if (req.headers['if-none-match'] === etag) return reply.status(304).send(null);
    // Built once per reference version: sent as the stored JSON text, not serialised again.
    return reply.type('application/json; charset=utf-8').send(labels.body as never);
  });

  app.get('/api/v1/public/geocode', {
    config: { public: true },
    schema: {
      tags: ['portal'], summary: 'Find an address for the portal (public): the seat\'s offline geocoder, approximate matches flagged',
      querystring: PublicGeocodeQuery,
      response: { 200: PublicGeocodeDto, 400: ErrorResponse, 429: ErrorResponse },
    },
  }, async (req) => {
    const now = ctx.clock.now();
    let limiter = limiters.get(ctx);
    if (!limiter) limiters.set(ctx, (limiter = new FailureLimiter(120, 5 * 60_000)));
    const wait = limiter.blockedFor(req.ip, now);
    if (wait > 0) {
      const s = Math.ceil(wait / 1000);
      throw new DomainError('RATE_LIMITED', `q: too many address look-ups from this address; try again in ${s} s / 查询过于频繁，请 ${s} 秒后再试`, {
        field: 'q', details: { retryAfterSeconds: s },
      });
    }
    limiter.fail(req.ip, now);
    const result = (await gazetteerOf(ctx)).geocode(req.query.q, { limit: 5 });
    const ref = ctx.ref.current();
    return {
      outcome: result.outcome,
      candidates: result.candidates.map((c) => {
        const at = ctx.ref.locate(c.lon, c.lat);
        const street = at?.streetId ? ref.regions.get(at.streetId)?.name ?? null : null;
        return {
          name: c.name, address: c.address, kind: c.kind, lon: c.lon, lat: c.lat, score: c.score, method: c.method,
          approximate: result.outcome !== 'exact' || c.method !== 'exact', street,
        };
      }),
    };
  });
}

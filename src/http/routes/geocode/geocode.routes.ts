/**
 * Geocoding without the internet (一网统管 intake: an address typed by a 12345 seat or a citizen → a point and
 * its grid): GET /geocode over the local gazetteer, GET /gazetteer to browse it, POST /gazetteer/import to load
 * one. The geocoder is built from the `places` table on first use and kept per context; it is rebuilt when the
 * reference version changes (an import here or on another node bumps it).
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import type { ReferenceData } from '../../../runtime/reference-cache.ts';
import type { GeocodeCandidate } from '../../../domain/geocode/index.ts';
import { importGazetteer } from '../../../commands/gazetteer-import.ts';
import { gazetteerOf } from '../../../runtime/gazetteer-cache.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { regionRef } from '../reference/reference.presenter.ts';
import {
  GazetteerImportBody, GazetteerImportQuery, GazetteerImportReportDto, GazetteerListQuery, GeocodeQuery, GeocodeResultDto, PlaceDto,
} from './geocode.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

export async function geocodeRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/geocode', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['reference'],
      summary: 'Address text → point, from the local gazetteer (no internet): exact, approximate, ambiguous (candidate list) or none',
      description: 'Reads roads with house numbers (missing numbers interpolated on the same side), compounds (锦绣花园 = 锦绣小区), '
        + 'landmarks (学校, 医院, 地铁站 …) and crossings; tolerates one wrong or missing character. Each candidate carries its grid and community.',
      querystring: GeocodeQuery,
      response: { 200: GeocodeResultDto, ...ERRORS },
    },
  }, async (req) => {
    const { q, limit } = req.query;
    const result = (await gazetteerOf(ctx)).geocode(q, { limit: limit ?? 5 });
    const ref = ctx.ref.current();
    return { query: q, outcome: result.outcome, candidates: result.candidates.map((c) => presentCandidate(ctx, ref, c)), parsed: result.parsed };
  });

  app.get('/api/v1/gazetteer', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['reference'], summary: 'The gazetteer (地名地址库): roads, compounds and landmarks, by kind and name',
      querystring: GazetteerListQuery,
      response: { 200: Type.Object({ items: Type.Array(PlaceDto), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }), ...ERRORS },
    },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const offset = req.query.offset ?? 0;
    const page = await ctx.store.gazetteer.listPlaces({ kind: req.query.kind, q: req.query.q, limit, offset });
    const ref = ctx.ref.current();
    return {
      items: page.items.map(({ communityId, ...p }) => ({ ...p, community: regionRef(ref, communityId) })),
      total: page.total, limit, offset,
    };
  });

  app.post('/api/v1/gazetteer/import', {
    config: { permission: 'region.manage' },
    bodyLimit: 20 * 1024 * 1024, // a city's roads with every door plate run to a few MB
    schema: {
      tags: ['admin'],
      summary: 'Import a gazetteer (GeoJSON FeatureCollection of roads, compounds, landmarks, door plates): all or nothing',
      description: 'Places are identified by kind + name: mode=upsert replaces those, mode=replace empties the gazetteer first. '
        + 'Any invalid feature → 400 naming it (features[i].properties.kind) with `details.problems`; nothing is written.',
      querystring: GazetteerImportQuery,
      body: GazetteerImportBody,
      response: { 201: GazetteerImportReportDto, ...ERRORS, 413: ErrorResponse },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const report = await importGazetteer(ctx, req.body, { mode: req.query.mode, coordSystem: req.query.coordSystem, actorId: p.userId });
    return reply.status(201).send(report);
  });
}

function presentCandidate(ctx: AppContext, ref: ReferenceData, c: GeocodeCandidate) {
  const at = ctx.ref.locate(c.lon, c.lat);
  const grid = at ? ref.grids.get(at.gridId) : undefined;
  return {
    kind: c.kind, name: c.name, address: c.address, lon: c.lon, lat: c.lat, score: c.score, method: c.method, matched: c.matched,
    communityId: c.communityId ?? at?.communityId ?? null,
    placeId: typeof c.placeId === 'number' ? c.placeId : null,
    location: at && grid ? {
      grid: { id: grid.id, code: grid.code, name: grid.name },
      community: regionRef(ref, at.communityId)!, street: regionRef(ref, at.streetId), district: regionRef(ref, at.districtId),
      areaClass: at.areaClass,
    } : null,
  };
}

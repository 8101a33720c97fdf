/**
 * Regions, grids and "where is this point?" — the places a case is located on (domain.md §2: point → grid →
 * community → street → district). Lists come from the reference cache; polygons from the store.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { notFound, invalidAs } from '../../../domain/errors.ts';
import { toWgs84 } from '../../../domain/grid/index.ts';
import { ErrorResponse, IdParam } from '../common.schema.ts';
import {
  FeatureCollection, GridDto, LEVELS, Limit, LocateQuery, LocationDto, Nullable, Offset, RegionDto, RegionId, StrEnum,
} from './reference.schema.ts';
import { feature, presentGrid, presentLocation, presentRegion } from './reference.presenter.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const READ = { permission: 'case.read' } as const;

export async function geoRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/regions', {
    config: READ,
    schema: {
      tags: ['reference'], summary: 'Administrative regions (行政区划), without polygons',
      querystring: Type.Object({
        level: Type.Optional(StrEnum(LEVELS, 'Only regions of this level')),
        parentId: Type.Optional(RegionId('Only the children of this region')),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(RegionDto) }), ...ERRORS },
    },
  }, async (req) => {
    const r = ctx.ref.current();
    const { level, parentId } = req.query;
    if (parentId !== undefined && !r.regions.has(parentId)) throw invalidAs('parentId', { key: 'geo.unknown_region', params: { parentId: String(parentId) } }, `unknown region "${parentId}"`);
    const items = [...r.regions.values()]
      .filter((g) => (level === undefined || g.level === level) && (parentId === undefined || g.parentId === parentId))
      .map((g) => presentRegion(r, g));
    return { items };
  });

  app.get('/api/v1/regions.geojson', {
    config: READ,
    schema: {
      tags: ['reference'], summary: 'Region polygons of one level as a GeoJSON FeatureCollection (map layer)',
      querystring: Type.Object({
        level: Type.Optional(StrEnum(LEVELS, 'Level of the regions drawn; default street')),
      }, { additionalProperties: false }),
      response: { 200: FeatureCollection, ...ERRORS },
    },
  }, async (req) => {
    const r = ctx.ref.current();
    const rows = await ctx.store.referenceQuery.listRegionGeometries(req.query.level ?? 'street');
    return {
      type: 'FeatureCollection' as const,
      features: rows.map((row) => {
        const g = r.regions.get(row.id);
        return feature(row.id, row.geometry, g ? presentRegion(r, g) : { id: row.id });
      }),
    };
  });

  app.get('/api/v1/regions/:id', {
    config: READ,
    schema: {
      tags: ['reference'], summary: 'One region with its GeoJSON polygon and its children', params: IdParam,
      response: {
        200: Type.Object({
          ...RegionDto.properties,
          geometry: Nullable(Type.Unknown({ description: 'GeoJSON Polygon / MultiPolygon, WGS84; null if none' })),
          childIds: Type.Array(Type.String(), { description: 'Regions directly below' }),
          gridCount: Type.Integer({ description: 'Unit and responsibility grids in a community (0 above community level)' }),
        }),
        ...ERRORS,
      },
    },
  }, async (req) => {
    const r = ctx.ref.current();
    const g = r.regions.get(req.params.id);
    if (!g) throw notFound('region', req.params.id);
    const childIds = [...r.regions.values()].filter((c) => c.parentId === g.id).map((c) => c.id);
    const gridCount = [...r.grids.values()].filter((x) => x.communityId === g.id).length;
    return { ...presentRegion(r, g), geometry: await ctx.store.referenceQuery.findRegionGeometry(g.id), childIds, gridCount };
  });

  app.get('/api/v1/grids', {
    config: READ,
    schema: {
      tags: ['reference'], summary: 'Grids (单元网格 / 责任网格), without polygons',
      querystring: Type.Object({
        communityId: Type.Optional(RegionId('Only the grids of this community')),
        kind: Type.Optional(StrEnum(['unit', 'responsibility'], 'Only grids of this kind')),
        limit: Type.Optional(Limit(2000, 200)), offset: Type.Optional(Offset),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(GridDto), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }), ...ERRORS },
    },
  }, async (req) => {
    const r = ctx.ref.current();
    const { communityId, kind } = req.query;
    const limit = req.query.limit ?? 200;
    const offset = req.query.offset ?? 0;
    if (communityId !== undefined && r.regions.get(communityId)?.level !== 'community') {
      throw invalidAs('communityId', { key: 'geo.not_known_community', params: { communityId: String(communityId) } }, `"${communityId}" is not a known community`);
    }
    const all = [...r.grids.values()].filter((g) => (!communityId || g.communityId === communityId) && (!kind || g.kind === kind));
    return { items: all.slice(offset, offset + limit).map((g) => presentGrid(r, g)), total: all.length, limit, offset };
  });

  app.get('/api/v1/grids.geojson', {
    config: READ,
    schema: {
      tags: ['reference'], summary: 'Grid polygons as a GeoJSON FeatureCollection: one community, one street, or the whole city',
      querystring: Type.Object({
        communityId: Type.Optional(RegionId('Only the grids of this community')),
        streetId: Type.Optional(RegionId('Only the grids of this street')),
      }, { additionalProperties: false }),
      response: { 200: FeatureCollection, ...ERRORS },
    },
  }, async (req) => {
    const r = ctx.ref.current();
    const { communityId, streetId } = req.query;
    let communities: string[] | undefined;
    if (streetId !== undefined) {
      if (r.regions.get(streetId)?.level !== 'street') throw invalidAs('streetId', { key: 'geo.not_known_street', params: { streetId: String(streetId) } }, `"${streetId}" is not a known street`);
      communities = [...r.regions.values()].filter((c) => c.parentId === streetId).map((c) => c.id);
    }
    if (communityId !== undefined) {
      if (r.regions.get(communityId)?.level !== 'community') throw invalidAs('communityId', { key: 'geo.not_known_community', params: { communityId: String(communityId) } }, `"${communityId}" is not a known community`);
      communities = communities ? communities.filter((c) => c === communityId) : [communityId];
    }
    const rows = await ctx.store.referenceQuery.listGridGeometries(communities);
    return {
      type: 'FeatureCollection' as const,
      features: rows.flatMap((row) => {
        const g = r.grids.get(row.id);
        return g ? [feature(row.id, row.geometry, presentGrid(r, g))] : [];
      }),
    };
  });

  app.get('/api/v1/grids/:id', {
    config: READ,
    schema: {
      tags: ['reference'], summary: 'One grid with its GeoJSON polygon, area and bounding box', params: IdParam,
      response: {
        200: Type.Object({
          ...GridDto.properties,
          geometry: Type.Unknown({ description: 'GeoJSON Polygon / MultiPolygon, WGS84' }),
          areaM2: Type.Number({ description: 'Area in square metres' }),
          bbox: Type.Array(Type.Number(), { description: '[minLon, minLat, maxLon, maxLat]' }),
        }),
        ...ERRORS,
      },
    },
  }, async (req) => {
    const r = ctx.ref.current();
    const g = r.grids.get(req.params.id);
    const geo = g ? await ctx.store.referenceQuery.findGridGeometry(g.id) : undefined;
    if (!g || !geo) throw notFound('grid', req.params.id);
    return { ...presentGrid(r, g), geometry: geo.geometry, areaM2: geo.areaM2, bbox: geo.bbox };
  });

  app.get('/api/v1/locate', {
    config: READ,
    schema: {
      tags: ['reference'],
      summary: 'Where is this point? grid → community → street → district (outside every grid is an answer, not an error)',
      querystring: LocateQuery,
      response: { 200: LocationDto, ...ERRORS },
    },
  }, async (req) => {
    const { lon, lat, coordSystem } = req.query;
    const [x, y] = toWgs84(lon, lat, coordSystem ?? 'wgs84');
    return presentLocation(ctx.ref.current(), { lon: x, lat: y }, ctx.ref.locate(x, y));
  });
}

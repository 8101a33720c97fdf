/** Schemas of the geocoding and gazetteer API: one source for validation and OpenAPI. */
import { Type } from 'typebox';
import { COORD_SYSTEMS } from '../../../domain/grid/index.ts';
import { Nullable, Offset, Ref, StrEnum } from '../reference/reference.schema.ts';

export const GeocodeQuery = Type.Object({
  q: Type.String({
    minLength: 1, maxLength: 200,
    description: 'Address text, e.g. 滨江区望江路128号锦绣花园3栋, 锦绣小区, 人民医院对面, 建设路与同心街交叉口 (全角 digits and 中文数字 accepted)',
  }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 5, description: 'Candidates returned (1–20, default 5)' })),
}, { additionalProperties: false });

const CandidateLocation = Type.Object({
  grid: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }, { description: 'Unit grid the point lies in' }),
  community: Ref, street: Nullable(Ref), district: Nullable(Ref),
  areaClass: Nullable(Type.String({ description: 'A core / B general / C outskirts' })),
}, { description: 'Where the point lies (grid → community → street → district)' });

export const GeocodeCandidateDto = Type.Object({
  kind: Type.String({ description: 'house_number | road | compound | landmark | intersection | region (a 街道/镇 or 社区/村 named: a point inside it, never exact)' }),
  name: Type.String({ description: 'Gazetteer name, e.g. 望江路128号, 锦绣花园, 滨江区人民医院' }),
  address: Nullable(Type.String({ description: 'Postal address held by the gazetteer' })),
  lon: Type.Number({ description: 'Longitude, WGS84' }),
  lat: Type.Number({ description: 'Latitude, WGS84' }),
  score: Type.Number({ minimum: 0, maximum: 1, description: '1 exact; ≈0.95 equivalent form (锦绣小区 for 锦绣花园); 0.9 interpolated number; ≈0.7 one character off' }),
  method: Type.String({ description: 'exact | variant | fuzzy | interpolated | nearest | road | intersection | region' }),
  matched: Type.String({ description: 'The part of the normalised query that matched' }),
  communityId: Nullable(Type.String({ description: 'Community recorded in the gazetteer, else the one the point lies in' })),
  placeId: Nullable(Type.Integer({ description: 'Gazetteer entry (GET /api/v1/gazetteer)' })),
  location: Nullable(CandidateLocation),
});

export const GeocodeResultDto = Type.Object({
  query: Type.String({ description: 'The query as received' }),
  outcome: Type.Union([Type.Literal('exact'), Type.Literal('ambiguous'), Type.Literal('approximate'), Type.Literal('none')], {
    description: 'exact: one best match as written; approximate: one best match by a variant, a tolerant match, interpolation or a road only; ambiguous: two or more within 0.04 — the caller chooses; none: nothing found',
  }),
  candidates: Type.Array(GeocodeCandidateDto, { description: 'Best first' }),
  parsed: Type.Object({
    normalized: Type.String({ description: 'Normalised text (半角, Arabic numbers, no punctuation, no city/district prefix)' }),
    regions: Type.Array(Type.String(), { description: 'City/district prefixes removed' }),
    qualifiers: Type.Array(Type.String(), { description: 'Position words found: 附近, 旁边, 对面, 交叉口 …' }),
    road: Type.Optional(Type.String()), number: Type.Optional(Type.String()), compound: Type.Optional(Type.String()),
    landmark: Type.Optional(Type.String()), building: Type.Optional(Type.String()), unit: Type.Optional(Type.String()),
    room: Type.Optional(Type.String()), rest: Type.String({ description: 'Text not read as any part' }),
  }, { description: 'How the address was read' }),
});

export const GazetteerListQuery = Type.Object({
  kind: Type.Optional(StrEnum(['road', 'compound', 'landmark'], 'Only places of this kind')),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name or address' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Page size (1–500)' })),
  offset: Type.Optional(Offset),
}, { additionalProperties: false });

export const PlaceDto = Type.Object({
  id: Type.Integer(), kind: Type.String({ description: 'road | compound | landmark' }), name: Type.String(),
  address: Nullable(Type.String()), community: Nullable(Ref), lon: Nullable(Type.Number()), lat: Nullable(Type.Number()),
  category: Nullable(Type.String({ description: '学校, 医院, 地铁站, 住宅小区, 主干道 …' })),
  propertyUnitId: Nullable(Type.String({ description: 'Property company of a compound' })),
  houseNumbers: Type.Integer({ description: 'Door plates held for a road' }),
});

export const GazetteerImportQuery = Type.Object({
  mode: Type.Optional(StrEnum(['upsert', 'replace'], 'upsert (default): replace places of the same kind and name, keep the others; replace: empty the gazetteer first')),
  coordSystem: Type.Optional(StrEnum(COORD_SYSTEMS, 'Coordinate system of the file; converted to WGS84. Default wgs84')),
}, { additionalProperties: false });

export const GazetteerImportBody = Type.Object({
  type: Type.Literal('FeatureCollection', { description: 'GeoJSON FeatureCollection' }),
  features: Type.Array(Type.Unknown({
    description: 'A place: properties.kind (road | compound | landmark), name, communityId?, address?, category?, propertyUnitId?, '
      + 'houseNumbers? (roads: [{number, lon, lat}]); geometry LineString/MultiLineString (roads), Point/Polygon/MultiPolygon. '
      + 'Or a door plate: Point with properties.road and properties.number',
  }), { minItems: 1, maxItems: 200_000, description: 'One feature per place or door plate' }),
  name: Type.Optional(Type.String({ description: 'Layer name (GIS exports write it; ignored)' })),
  crs: Type.Optional(Type.Unknown({ description: 'Legacy CRS member (ignored; say coordSystem instead)' })),
  bbox: Type.Optional(Type.Array(Type.Number(), { description: 'Bounding box (ignored)' })),
}, { additionalProperties: false });

export const GazetteerImportReportDto = Type.Object({
  mode: Type.String({ description: 'upsert | replace' }),
  features: Type.Integer(), roads: Type.Integer(), compounds: Type.Integer(), landmarks: Type.Integer(),
  houseNumbers: Type.Integer({ description: 'Door plates in the file' }),
  written: Type.Integer({ description: 'Places written' }),
  replaced: Type.Integer({ description: 'Stored places replaced (upsert) or removed first (replace)' }),
  roadsExtended: Type.Integer({ description: 'Stored roads that received door plates' }),
});

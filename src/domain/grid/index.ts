/** Public API of the grid layer: coordinates, polygon validation and measures, and the point → grid index. */
export {
  bd09ToGcj02,
  bd09ToWgs84,
  COORD_SYSTEMS,
  fromWgs84,
  gcj02ToBd09,
  gcj02ToWgs84,
  isInChinaBox,
  toWgs84,
  validateLonLat,
  wgs84ToBd09,
  wgs84ToGcj02,
  type CoordSystem,
} from './coords.ts';
export type { BBox, LinearRing, MultiPolygon, Polygon, PolygonalGeometry, Position } from './geojson.ts';
export { polygonsOf } from './geojson.ts';
export {
  bboxOf,
  centroidOf,
  pointInPolygon,
  pointOnSurface,
  polygonAreaM2,
  ringAreaM2,
} from './geometry.ts';
export { validatePolygonGeometry, type GeometryProblem, type GeometryProblemCode } from './geometry-validation.ts';
export { GridIndex, type GridFeature, type GridIndexOptions } from './spatial-index.ts';

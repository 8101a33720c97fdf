/**
 * The GeoJSON (RFC 7946) subset the grid layer uses. Positions are [longitude, latitude] in WGS84 degrees; an
 * optional altitude is tolerated and ignored. Edges are straight lines in longitude/latitude, as RFC 7946 §3.1.1
 * specifies, so all planar tests below work directly on degrees.
 */
export type Position = [lon: number, lat: number, ...rest: number[]];
export type LinearRing = Position[];

export interface Polygon {
  type: 'Polygon';
  /** coordinates[0] is the outer ring (shell), the others are holes; every ring is closed (first = last). */
  coordinates: LinearRing[];
}

export interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: LinearRing[][];
}

export type PolygonalGeometry = Polygon | MultiPolygon;

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

/** The polygons of a geometry as lists of rings (a Polygon is one polygon). */
export function polygonsOf(geom: PolygonalGeometry): LinearRing[][] {
  return geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
}

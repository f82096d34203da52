// Geometry predicates and distances, computed by @turf. Distances are great-circle distances on
// the sphere MongoDB uses for 2dsphere queries (radius 6378100 m): turf gives the central angle in
// radians, which times the radius is metres. Containment and intersection are turf's planar tests
// on longitude/latitude, which agree with MongoDB's spherical edges for shapes that are small
// compared with the Earth.
import { booleanIntersects } from '@turf/boolean-intersects';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { booleanWithin } from '@turf/boolean-within';
import { distance as turfDistance } from '@turf/distance';
import { pointToLineDistance } from '@turf/point-to-line-distance';
import { components, vertices, type Geometry, type Position } from './geojson';

/** MongoDB's Earth radius for spherical geometry, in metres. */
export const EARTH_RADIUS_M = 6378100;

type TurfGeometry = Parameters<typeof booleanIntersects>[0];
const turf = (g: Geometry): TurfGeometry => g as unknown as TurfGeometry;

/** Great-circle distance in metres between two positions. */
export function metresBetween(a: Position, b: Position): number {
  return turfDistance(a, b, { units: 'radians' }) * EARTH_RADIUS_M;
}

/** Distance in metres from a point to the nearest part of a geometry (0 when inside a polygon). */
export function metresTo(center: Position, geometry: Geometry): number {
  let best = Infinity;
  for (const part of components(geometry)) {
    if (part.type === 'Point') best = Math.min(best, metresBetween(center, part.coordinates));
    else if (part.type === 'LineString') best = Math.min(best, metresToLine(center, part.coordinates));
    else if (booleanPointInPolygon(center, turf(part) as never)) return 0;
    else for (const ring of part.coordinates) best = Math.min(best, metresToLine(center, ring));
  }
  return best;
}

/** True when every vertex lies within `radians` of the centre (a spherical cap is convex). */
export function withinCap(geometry: Geometry, center: Position, radians: number): boolean {
  return vertices(geometry).every((v) => turfDistance(center, v, { units: 'radians' }) <= radians);
}

/** True when the geometry lies entirely inside the Polygon or MultiPolygon `area`. */
export function withinArea(geometry: Geometry, area: Geometry): boolean {
  return components(geometry).every((part) =>
    part.type === 'Point' ? inArea(part.coordinates, area) : booleanWithin(turf(part), turf(area)),
  );
}

export function intersects(a: Geometry, b: Geometry): boolean {
  return booleanIntersects(turf(a), turf(b));
}

function inArea(point: Position, area: Geometry): boolean {
  return booleanPointInPolygon(point, turf(area) as never);
}

function metresToLine(center: Position, line: Position[]): number {
  return pointToLineDistance(center, { type: 'LineString', coordinates: line }, { units: 'radians', method: 'geodesic' }) * EARTH_RADIUS_M;
}

// Geometry predicates and distances. Distances and $centerSphere caps are MongoDB's own S2
// arithmetic (s2.ts): the central angle in radians times MongoDB's radius (6378100 m).
// Containment and intersection are @turf's planar tests on longitude/latitude, which agree with
// MongoDB's spherical edges for shapes that are small compared with the Earth.
import { onFirstUse } from '../../lib/on-first-use';
import { components, vertices, type Geometry, type Position } from './geojson';
import { EARTH_RADIUS_M, capContains, radiansBetween, radiansToLine, radiansToRings } from './s2';

export { EARTH_RADIUS_M };

/* eslint-disable @typescript-eslint/no-require-imports */
const turfOps = onFirstUse(() => ({
  booleanIntersects: (require('@turf/boolean-intersects') as typeof import('@turf/boolean-intersects')).booleanIntersects,
  booleanPointInPolygon: (require('@turf/boolean-point-in-polygon') as typeof import('@turf/boolean-point-in-polygon')).booleanPointInPolygon,
  booleanWithin: (require('@turf/boolean-within') as typeof import('@turf/boolean-within')).booleanWithin,
}));
/* eslint-enable @typescript-eslint/no-require-imports */

type TurfGeometry = Parameters<typeof import('@turf/boolean-intersects').booleanIntersects>[0];
const turf = (g: Geometry): TurfGeometry => g as unknown as TurfGeometry;

/** Great-circle distance in metres between two positions. */
export function metresBetween(a: Position, b: Position): number {
  return radiansBetween(a, b) * EARTH_RADIUS_M;
}

/** Distance in metres from a point to the nearest part of a geometry (0 when inside a polygon). */
export function metresTo(center: Position, geometry: Geometry): number {
  let best = Infinity;
  for (const part of components(geometry)) {
    if (part.type === 'Point') best = Math.min(best, metresBetween(center, part.coordinates));
    else if (part.type === 'LineString') best = Math.min(best, metresToLine(center, part.coordinates));
    else if (turfOps().booleanPointInPolygon(center, turf(part) as never)) return 0;
    else best = Math.min(best, radiansToRings(center, part.coordinates) * EARTH_RADIUS_M);
  }
  return best;
}

/** True when every vertex lies in the cap of `radians` around the centre (a spherical cap is convex). */
export function withinCap(geometry: Geometry, center: Position, radians: number): boolean {
  return vertices(geometry).every((v) => capContains(center, radians, v));
}

/** True when the geometry lies entirely inside the Polygon or MultiPolygon `area`. */
export function withinArea(geometry: Geometry, area: Geometry): boolean {
  return components(geometry).every((part) =>
    part.type === 'Point' ? inArea(part.coordinates, area) : turfOps().booleanWithin(turf(part), turf(area)),
  );
}

export function intersects(a: Geometry, b: Geometry): boolean {
  return turfOps().booleanIntersects(turf(a), turf(b));
}

function inArea(point: Position, area: Geometry): boolean {
  return turfOps().booleanPointInPolygon(point, turf(area) as never);
}

function metresToLine(center: Position, line: Position[]): number {
  return radiansToLine(center, line) * EARTH_RADIUS_M;
}

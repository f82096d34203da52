// The geo query operators as mingo query operators: (field, operand, options) => predicate.
// Register them in any mingo Context (see ./index.ts).
import { DatabaseError } from '../database-error';
import { queryGeometry, storedGeometries, type Geometry } from './geojson';
import { distanceOf, nearSpec, withinRange } from './near';
import { valueAt } from './paths';
import { intersects, withinArea, withinCap } from './spherical';

type Doc = Record<string, unknown>;
type Predicate = (doc: Doc) => boolean;

const geometriesAt = (doc: Doc, field: string): Geometry[] => storedGeometries(valueAt(doc, field));

/** `{ $geoWithin: { $geometry: Polygon|MultiPolygon } }` or `{ $geoWithin: { $centerSphere: [[lng, lat], radians] } }`. */
export function $geoWithin(field: string, operand: unknown): Predicate {
  const spec = operatorObject('$geoWithin', operand);
  const [shape, ...rest] = Object.keys(spec);
  if (rest.length > 0 || shape === undefined) throw new DatabaseError('DATABASE_REQUEST_FAILED', '$geoWithin takes exactly one shape: $geometry or $centerSphere');
  if (shape === '$geometry') {
    const area = queryGeometry(spec.$geometry, '$geoWithin.$geometry');
    if (area.type !== 'Polygon' && area.type !== 'MultiPolygon') {
      throw new DatabaseError('DATABASE_REQUEST_FAILED', `$geoWithin.$geometry must be a Polygon or MultiPolygon, got ${area.type}`);
    }
    return (doc) => geometriesAt(doc, field).some((g) => withinArea(g, area));
  }
  if (shape === '$centerSphere') {
    const [center, radians] = centerSphere(spec.$centerSphere);
    return (doc) => geometriesAt(doc, field).some((g) => withinCap(g, center.coordinates, radians));
  }
  throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `$geoWithin shape ${shape} is not supported by the local emulator (use $geometry or $centerSphere)`);
}

/** `{ $geoIntersects: { $geometry: <any GeoJSON geometry> } }`. */
export function $geoIntersects(field: string, operand: unknown): Predicate {
  const spec = operatorObject('$geoIntersects', operand);
  if (Object.keys(spec).length !== 1 || !('$geometry' in spec)) throw new DatabaseError('DATABASE_REQUEST_FAILED', '$geoIntersects takes { $geometry: <GeoJSON> }');
  const shape = queryGeometry(spec.$geometry, '$geoIntersects.$geometry');
  return (doc) => geometriesAt(doc, field).some((g) => intersects(g, shape));
}

/** Matches documents within [$minDistance, $maxDistance] metres; the store orders them by distance. */
export function $nearSphere(field: string, operand: unknown): Predicate {
  const spec = nearSpec(field, '$nearSphere', operand);
  return (doc) => withinRange(distanceOf(doc, field, spec.center), spec);
}

/** With a GeoJSON point MongoDB measures $near on the sphere too, in metres. */
export function $near(field: string, operand: unknown): Predicate {
  const spec = nearSpec(field, '$near', operand);
  return (doc) => withinRange(distanceOf(doc, field, spec.center), spec);
}

function operatorObject(operator: string, operand: unknown): Record<string, unknown> {
  if (operand === null || typeof operand !== 'object' || Array.isArray(operand)) throw new DatabaseError('DATABASE_REQUEST_FAILED', `${operator} needs an object operand`);
  return operand as Record<string, unknown>;
}

function centerSphere(value: unknown): [{ coordinates: [number, number] }, number] {
  if (!Array.isArray(value) || value.length !== 2) throw new DatabaseError('DATABASE_REQUEST_FAILED', '$centerSphere must be [[longitude, latitude], radiusInRadians]');
  const center = queryGeometry({ type: 'Point', coordinates: value[0] }, '$geoWithin.$centerSphere');
  const radians = value[1];
  if (typeof radians !== 'number' || Number.isNaN(radians) || radians < 0) {
    throw new DatabaseError('DATABASE_REQUEST_FAILED', `$centerSphere radius must be a non-negative number of radians, got ${JSON.stringify(radians)}`);
  }
  return [center as { coordinates: [number, number] }, radians];
}

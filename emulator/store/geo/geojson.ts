// GeoJSON as MongoDB accepts it (manual: "GeoJSON Objects"): reading geometries out of stored
// documents, and validating the geometries a query names. Coordinates are [longitude, latitude].
import { DatabaseError } from '../database-error';

export type Position = [number, number];
export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

/** A Point, LineString or Polygon: what the Multi* types are made of. */
export type SimpleGeometry = Extract<Geometry, { type: 'Point' | 'LineString' | 'Polygon' }>;

class InvalidGeoJson extends Error {}

/** The geometry a query operand names; anything else is refused with a message naming the problem. */
export function queryGeometry(value: unknown, where: string): Geometry {
  try {
    return parseGeometry(value);
  } catch (err) {
    if (!(err instanceof InvalidGeoJson)) throw err;
    throw new DatabaseError('DATABASE_REQUEST_FAILED', `invalid GeoJSON in ${where}: ${err.message}`);
  }
}

/** A query's centre point: a GeoJSON Point. */
export function queryPoint(value: unknown, where: string): Position {
  const geometry = queryGeometry(value, where);
  if (geometry.type !== 'Point') throw new DatabaseError('DATABASE_REQUEST_FAILED', `invalid GeoJSON in ${where}: expected a Point, got ${geometry.type}`);
  return geometry.coordinates;
}

/**
 * The geometries a stored field holds: a GeoJSON object, a legacy [longitude, latitude] pair, or
 * an array of those. A value that is no valid geometry holds none, so it matches no geo query.
 */
export function storedGeometries(value: unknown): Geometry[] {
  if (value === null || value === undefined) return [];
  if (isPosition(value)) return validPosition(value) ? [{ type: 'Point', coordinates: value }] : [];
  if (Array.isArray(value)) return value.flatMap(storedGeometries);
  try {
    return [parseGeometry(value)];
  } catch {
    return [];
  }
}

/** Split a Multi* geometry into its Points, LineStrings and Polygons. */
export function components(geometry: Geometry): SimpleGeometry[] {
  switch (geometry.type) {
    case 'MultiPoint':
      return geometry.coordinates.map((coordinates) => ({ type: 'Point', coordinates }));
    case 'MultiLineString':
      return geometry.coordinates.map((coordinates) => ({ type: 'LineString', coordinates }));
    case 'MultiPolygon':
      return geometry.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
    default:
      return [geometry];
  }
}

/** Every vertex of a geometry. */
export function vertices(geometry: Geometry): Position[] {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return geometry.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return geometry.coordinates.flat();
    case 'MultiPolygon':
      return geometry.coordinates.flat(2);
  }
}

function parseGeometry(value: unknown): Geometry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidGeoJson('a geometry must be an object with type and coordinates');
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  switch (type) {
    case 'Point':
      return { type, coordinates: position(coordinates) };
    case 'MultiPoint':
      return { type, coordinates: list(coordinates, 'MultiPoint', 1).map(position) };
    case 'LineString':
      return { type, coordinates: line(coordinates) };
    case 'MultiLineString':
      return { type, coordinates: list(coordinates, 'MultiLineString', 1).map(line) };
    case 'Polygon':
      return { type, coordinates: polygon(coordinates) };
    case 'MultiPolygon':
      return { type, coordinates: list(coordinates, 'MultiPolygon', 1).map(polygon) };
    case 'GeometryCollection':
      throw new InvalidGeoJson('GeometryCollection is not supported by the local emulator');
    default:
      throw new InvalidGeoJson(`unknown GeoJSON type: ${JSON.stringify(type)}`);
  }
}

function list(value: unknown, what: string, min: number): unknown[] {
  if (!Array.isArray(value) || value.length < min) throw new InvalidGeoJson(`${what} coordinates must be an array of at least ${min}`);
  return value;
}

function position(value: unknown): Position {
  if (!isPosition(value)) throw new InvalidGeoJson(`a position must be [longitude, latitude], got ${JSON.stringify(value)}`);
  if (!validPosition(value)) throw new InvalidGeoJson(`longitude/latitude is out of bounds: [${value.join(', ')}] (longitude -180..180, latitude -90..90)`);
  return [value[0], value[1]];
}

function line(value: unknown): Position[] {
  return list(value, 'LineString', 2).map(position);
}

function polygon(value: unknown): Position[][] {
  return list(value, 'Polygon', 1).map((ring) => {
    const points = list(ring, 'a Polygon ring', 4).map(position);
    const [first, last] = [points[0]!, points[points.length - 1]!];
    if (first[0] !== last[0] || first[1] !== last[1]) throw new InvalidGeoJson(`Polygon ring is not closed: first [${first.join(', ')}] and last [${last.join(', ')}] differ`);
    return points;
  });
}

function isPosition(value: unknown): value is Position {
  return Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === 'number' && Number.isFinite(n));
}

function validPosition([lng, lat]: Position): boolean {
  return lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90;
}

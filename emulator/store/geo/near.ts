// $nearSphere / $near with a GeoJSON point ({ $geometry, $minDistance, $maxDistance } in metres),
// as wx-server-sdk sends db.command.geoNear, and the distance ordering MongoDB gives their results.
import { DatabaseError } from '../database-error';
import { queryPoint, storedGeometries, type Position } from './geojson';
import { valueAt } from './paths';
import { metresTo } from './spherical';

type Doc = Record<string, unknown>;

export interface NearSpec {
  field: string;
  center: Position;
  minDistance: number;
  maxDistance: number;
}

export const NEAR_OPERATORS = ['$nearSphere', '$near'] as const;

/** Reads `{ $geometry: Point, $minDistance?, $maxDistance? }`; the legacy coordinate-pair form is refused. */
export function nearSpec(field: string, operator: string, value: unknown): NearSpec {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('$geometry' in value)) {
    throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `${operator} needs { $geometry: <GeoJSON Point> }; legacy coordinate pairs are not supported by the local emulator`);
  }
  const spec = value as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (key !== '$geometry' && key !== '$minDistance' && key !== '$maxDistance') throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `${operator}: unknown option ${key}`);
  }
  return {
    field,
    center: queryPoint(spec.$geometry, `${operator}.$geometry`),
    minDistance: distanceOption(operator, '$minDistance', spec.$minDistance, 0),
    maxDistance: distanceOption(operator, '$maxDistance', spec.$maxDistance, Infinity),
  };
}

export function distanceOption(where: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new DatabaseError('DATABASE_REQUEST_FAILED', `${where}: ${name} must be a non-negative number of metres, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Distance in metres from the centre to the nearest geometry stored at `field`; undefined when none. */
export function distanceOf(doc: Doc, field: string, center: Position): number | undefined {
  const geometries = storedGeometries(valueAt(doc, field));
  if (geometries.length === 0) return undefined;
  return Math.min(...geometries.map((g) => metresTo(center, g)));
}

export function withinRange(distance: number | undefined, spec: NearSpec): boolean {
  return distance !== undefined && distance >= spec.minDistance && distance <= spec.maxDistance;
}

/**
 * The top-level $nearSphere/$near of a query, if any. MongoDB allows one, at the top level only
 * (not inside $or, $and, $nor, $not or $elemMatch), and refuses it anywhere else.
 */
export function findNear(query: unknown): NearSpec | undefined {
  if (!isObject(query)) return undefined;
  let found: NearSpec | undefined;
  for (const [key, value] of Object.entries(query)) {
    if (key.startsWith('$')) {
      assertNoNear(value);
      continue;
    }
    if (!isObject(value)) continue;
    for (const [op, operand] of Object.entries(value)) {
      if ((NEAR_OPERATORS as readonly string[]).includes(op)) {
        if (found) throw new DatabaseError('DATABASE_REQUEST_FAILED', 'Too many geoNear expressions: a query may hold one $near/$nearSphere');
        found = nearSpec(key, op, operand);
      } else {
        assertNoNear(operand);
      }
    }
  }
  return found;
}

/** Matching documents nearest first; equal distances keep their order. */
export function sortByDistance<T extends Doc>(docs: T[], spec: NearSpec): T[] {
  return docs
    .map((doc, i) => ({ doc, i, d: distanceOf(doc, spec.field, spec.center) ?? Infinity }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.doc);
}

export function assertNoNear(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(assertNoNear);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    if ((NEAR_OPERATORS as readonly string[]).includes(key)) {
      throw new DatabaseError('DATABASE_REQUEST_FAILED', '$geoNear, $near, and $nearSphere are not allowed in this context');
    }
    assertNoNear(inner);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof RegExp);
}

// The $geoNear aggregation stage (MongoDB manual "$geoNear (aggregation)"; CloudBase
// Aggregate.geoNear): documents nearest first, with the distance in metres in `distanceField`.
import { Query, type Context } from 'mingo';
import { DatabaseError } from '../database-error';
import { queryPoint, storedGeometries, type Geometry } from './geojson';
import { assertNoNear, distanceOption } from './near';
import { setPath, valueAt } from './paths';
import { metresTo } from './spherical';

type Doc = Record<string, unknown>;
/** The part of mingo's pipeline-operator interface this stage uses. */
interface Stream {
  transform(f: (docs: Doc[]) => { next(): { value?: unknown; done?: boolean } }): Stream;
}
interface StageOptions {
  context: Context;
}

const OPTIONS = new Set(['near', 'distanceField', 'spherical', 'maxDistance', 'minDistance', 'query', 'key', 'includeLocs', 'distanceMultiplier', 'limit']);

export function $geoNear(coll: Stream, expr: unknown, options: StageOptions): Stream {
  if (expr === null || typeof expr !== 'object' || Array.isArray(expr)) throw new DatabaseError('DATABASE_REQUEST_FAILED', '$geoNear needs an options object');
  const spec = expr as Record<string, unknown>;
  for (const key of Object.keys(spec)) if (!OPTIONS.has(key)) throw new DatabaseError('DATABASE_INVALID_OPERRATOR', `$geoNear: unknown option ${key}`);
  if (typeof spec.distanceField !== 'string' || spec.distanceField === '') throw new DatabaseError('DATABASE_REQUEST_FAILED', '$geoNear requires a distanceField (a field name)');
  const distanceField = spec.distanceField;
  if (spec.near === undefined) throw new DatabaseError('DATABASE_REQUEST_FAILED', '$geoNear requires a near point (a GeoJSON Point)');
  const center = queryPoint(spec.near, '$geoNear.near');
  const min = distanceOption('$geoNear', 'minDistance', spec.minDistance, 0);
  const max = distanceOption('$geoNear', 'maxDistance', spec.maxDistance, Infinity);
  const multiplier = spec.distanceMultiplier === undefined ? 1 : spec.distanceMultiplier;
  if (typeof multiplier !== 'number' || Number.isNaN(multiplier)) throw new DatabaseError('DATABASE_REQUEST_FAILED', '$geoNear: distanceMultiplier must be a number');
  const limit = spec.limit ?? Number.MAX_SAFE_INTEGER;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit <= 0) throw new DatabaseError('DATABASE_REQUEST_FAILED', '$geoNear: limit must be a positive integer');
  if (spec.key !== undefined && (typeof spec.key !== 'string' || spec.key === '')) throw new DatabaseError('DATABASE_REQUEST_FAILED', '$geoNear: key must be a field name');
  if (spec.includeLocs !== undefined && (typeof spec.includeLocs !== 'string' || spec.includeLocs === '')) throw new DatabaseError('DATABASE_REQUEST_FAILED', '$geoNear: includeLocs must be a field name');
  if (spec.query !== undefined) assertNoNear(spec.query);
  const query = spec.query === undefined ? undefined : new Query((spec.query ?? {}) as Doc, { context: options.context });

  return coll.transform((docs: Doc[]) => {
    const key = (spec.key as string | undefined) ?? inferKey(docs);
    const rows: { doc: Doc; distance: number; loc: Geometry; i: number }[] = [];
    docs.forEach((doc, i) => {
      if (query && !query.test(doc)) return;
      let best: { distance: number; loc: Geometry } | undefined;
      for (const loc of storedGeometries(valueAt(doc, key))) {
        const distance = metresTo(center, loc);
        if (!best || distance < best.distance) best = { distance, loc };
      }
      if (best && best.distance >= min && best.distance <= max) rows.push({ doc, i, ...best });
    });
    rows.sort((a, b) => a.distance - b.distance || a.i - b.i);
    const out = rows.slice(0, limit).map(({ doc, distance, loc }) => {
      const next = structuredClone(doc);
      setPath(next, distanceField, distance * multiplier);
      if (typeof spec.includeLocs === 'string') setPath(next, spec.includeLocs, loc);
      return next;
    });
    return out.values();
  });
}

/**
 * MongoDB uses the collection's one geospatial index when `key` is not given. The emulator has no
 * index definitions, so it takes the one field that holds geometries; none or several is an error,
 * as it is in MongoDB for none or several indexes.
 */
function inferKey(docs: Doc[]): string {
  const fields = new Set<string>();
  for (const doc of docs) geoFields(doc, '', fields, 0);
  if (fields.size === 1) return [...fields][0]!;
  if (fields.size === 0) throw new DatabaseError('DATABASE_REQUEST_FAILED', '$geoNear requires a 2d or 2dsphere index, but none were found (no field holds GeoJSON)');
  throw new DatabaseError('DATABASE_REQUEST_FAILED', `There is more than one 2dsphere index; unsure which to use for $geoNear: give key, one of ${[...fields].sort().join(', ')}`);
}

function geoFields(value: unknown, prefix: string, found: Set<string>, depth: number): void {
  if (depth > 4 || value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return;
  for (const [k, v] of Object.entries(value)) {
    if (k === '_id') continue;
    const path = prefix ? `${prefix}.${k}` : k;
    const isGeoObject = v !== null && typeof v === 'object' && !Array.isArray(v) && 'type' in v && 'coordinates' in v;
    if (isGeoObject && storedGeometries(v).length > 0) found.add(path);
    else geoFields(v, path, found, depth + 1);
  }
}

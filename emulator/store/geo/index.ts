// Geo support as mingo operators: the query operators $geoWithin, $geoIntersects, $nearSphere and
// $near, and the $geoNear pipeline stage. Register them in any mingo Context; a find that holds a
// $nearSphere/$near must also order its results with `findNear` + `sortByDistance` (MongoDB returns
// them nearest first unless an explicit sort is given).
import { Context } from 'mingo';
import { $geoNear } from './geo-near-stage';
import { $geoIntersects, $geoWithin, $near, $nearSphere } from './query-operators';

export { assertNoNear, findNear, sortByDistance, type NearSpec } from './near';
export { EARTH_RADIUS_M, metresBetween } from './spherical';

export const GEO_QUERY_OPERATORS = { $geoWithin, $geoIntersects, $nearSphere, $near };
export const GEO_PIPELINE_OPERATORS = { $geoNear };

/** A mingo Context holding only the geo operators; merge it over mingo's defaults. */
export function geoContext(): Context {
  return Context.init({ query: GEO_QUERY_OPERATORS as never, pipeline: GEO_PIPELINE_OPERATORS as never });
}

/** True when a query uses any geo query operator (anywhere in it). */
export function usesGeoOperators(query: unknown): boolean {
  if (Array.isArray(query)) return query.some(usesGeoOperators);
  if (query === null || typeof query !== 'object' || query instanceof Date || query instanceof RegExp) return false;
  return Object.entries(query).some(([k, v]) => k in GEO_QUERY_OPERATORS || usesGeoOperators(v));
}

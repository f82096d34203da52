// Geo support as mingo operators: the query operators $geoWithin, $geoIntersects, $nearSphere and
// $near, and the $geoNear pipeline stage, registered in the store's engine (mongo-engine.ts); a find that holds a
// $nearSphere/$near must also order its results with `findNear` + `sortByDistance` (MongoDB returns
// them nearest first unless an explicit sort is given).
import { $geoNear } from './geo-near-stage';
import { $geoIntersects, $geoWithin, $near, $nearSphere } from './query-operators';

export { assertNoNear, findNear, sortByDistance, type NearSpec } from './near';
export { EARTH_RADIUS_M, metresBetween } from './spherical';

export const GEO_QUERY_OPERATORS = { $geoWithin, $geoIntersects, $nearSphere, $near };
export const GEO_PIPELINE_OPERATORS = { $geoNear };
